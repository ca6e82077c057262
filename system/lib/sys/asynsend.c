/*
 * lib/sys asynsend.c: asynchronous sends through this process's SENDA
 * table (ASYN_SLOTS entries). An entry is free when it never held a
 * message or the kernel has marked it AMF_DONE; a new message takes the
 * lowest free entry and the table is registered again with ipc_senda,
 * covering every entry up to the highest one still in flight.
 */
#include <crucible/syslib.h>

#define ASYN_SLOTS 64

static asynmsg_t asyn_table[ASYN_SLOTS];

/* An entry the kernel is not (or no longer) working on. */
static int entry_free(const asynmsg_t *e)
{
    return !(e->flags & AMF_VALID) || (e->flags & AMF_DONE);
}

/* asynsend_flags: queue m for dst with extra AMF_* flags (AMF_NOTIFY,
 * AMF_NOTIFY_ERR, AMF_NOREPLY). ENOSPC when all entries are in flight,
 * EINVAL for unknown flags, else the result of registering the table. */
int asynsend_flags(endpoint_t dst, const message *m, uint32_t amf_flags)
{
    int i, slot = -1;
    size_t count = 0;
    asynmsg_t *e;

    if (amf_flags & ~(uint32_t)(AMF_NOTIFY | AMF_NOREPLY | AMF_NOTIFY_ERR))
        return EINVAL;
    for (i = 0; i < ASYN_SLOTS; i++) {
        if (entry_free(&asyn_table[i])) {
            if (slot < 0)
                slot = i;
        } else {
            count = (size_t)i + 1;
        }
    }
    if (slot < 0)
        return ENOSPC;
    e = &asyn_table[slot];
    e->flags = 0;               /* invisible to the kernel while filled */
    e->dst = dst;
    e->result = 0;
    e->reserved = 0;
    e->msg = *m;
    e->flags = AMF_VALID | amf_flags;
    if ((size_t)slot + 1 > count)
        count = (size_t)slot + 1;
    return ipc_senda(asyn_table, count);
}

/* asynsend: asynsend_flags without flags. */
int asynsend(endpoint_t dst, const message *m)
{
    return asynsend_flags(dst, m, 0);
}
