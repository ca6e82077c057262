/*
 * lib/sys sef_inject.c: the SEF end of fault injection (docs/inject.md).
 * The kernel decides that a sef fault fires when it delivers a message to
 * us and makes the receive return INJ_SEF_FIRED; inject_sef_fire() asks
 * the kernel which fault (SYS_DIAGCTL DIAG_INJECT_GET) and carries it out.
 * Also the state variables: those for corrupt_state (numbered in the order
 * of sef_state_register, transferable ones not counted) and those copied
 * from the old instance on restart and live update (sef_state_xfer), and
 * the reasons a SYSTEM notification may carry (a sanity request).
 */
#include "sef_priv.h"
#include "inject.h"

#define SEF_STATE_MAX   16
#define STATE_CORRUPT   0x1     /* a corrupt_state target */
#define STATE_XFER      0x2     /* copied from the old instance */

static struct {
    const char *name;
    void       *addr;
    size_t      len;
    int         flags;          /* STATE_* */
} state_vars[SEF_STATE_MAX];
static int nr_state_vars;
static int nr_corrupt_vars;     /* corrupt_state numbers handed out */

/* state_add: record a variable with 'flags'. Returns its index in
 * state_vars, or ENOSPC (no room, NULL address, zero length). */
static int state_add(const char *name, void *addr, size_t len, int flags)
{
    if (addr == NULL || len == 0 || nr_state_vars >= SEF_STATE_MAX)
        return ENOSPC;
    state_vars[nr_state_vars].name = name;
    state_vars[nr_state_vars].addr = addr;
    state_vars[nr_state_vars].len = len;
    state_vars[nr_state_vars].flags = flags;
    return nr_state_vars++;
}

/* sef_state_register: see sef.h. Returns the corrupt_state number. */
int sef_state_register(const char *name, void *addr, size_t len)
{
    if (state_add(name, addr, len, STATE_CORRUPT) < 0)
        return ENOSPC;
    return nr_corrupt_vars++;
}

/* sef_state_register_xfer: see sef.h. */
int sef_state_register_xfer(const char *name, void *addr, size_t len)
{
    if (len > SEF_XFER_MAX_BYTES)
        return EINVAL;
    return state_add(name, addr, len, STATE_XFER) < 0 ? ENOSPC : OK;
}

/* sef_state_xfer: see sef_priv.h. */
int sef_state_xfer(endpoint_t old_ep, int *error)
{
    int i, copied = 0, r;

    *error = OK;
    if (old_ep == NONE)
        return SEF_XFER_NONE;
    for (i = 0; i < nr_state_vars; i++) {
        if (!(state_vars[i].flags & STATE_XFER))
            continue;
        r = sys_vircopy(old_ep, (vir_bytes)(uintptr_t)state_vars[i].addr, SELF,
                        (vir_bytes)(uintptr_t)state_vars[i].addr, state_vars[i].len);
        if (r != OK) {
            *error = r;
            return SEF_XFER_FAILED;
        }
        copied++;
    }
    return copied > 0 ? SEF_XFER_OK : SEF_XFER_NONE;
}

/* Flips the bits of 'mask' (little-endian, over the first 4 bytes at
 * most) in corrupt_state variable number n. Unknown numbers do nothing. */
static void state_flip(int n, uint32_t mask)
{
    uint8_t *p;
    size_t k;
    int i;

    for (i = 0; i < nr_state_vars && n >= 0; i++) {
        if (!(state_vars[i].flags & STATE_CORRUPT))
            continue;
        if (n-- > 0)
            continue;
        p = state_vars[i].addr;
        for (k = 0; k < state_vars[i].len && k < 4; k++)
            p[k] ^= (uint8_t)(mask >> (8 * k));
        return;
    }
}

/* Blocks for good without using the CPU: a receive from ourselves, which
 * nobody can satisfy (RS's heartbeat notices; RS replaces us). */
static void hang_forever(void)
{
    message dummy;

    for (;;)
        (void)ipc_receive(SELF, &dummy);
}

/* inject_sef_fire: see sef_priv.h. */
int inject_sef_fire(int code, message *m)
{
    message q;
    int action, id;

    (void)code;
    memset(&q, 0, sizeof(q));
    q.m_sys_diagctl.code = DIAG_INJECT_GET;
    if (kernel_call(SYS_DIAGCTL, &q) != OK)
        return 1;
    action = q.m_i32.i[4];
    id = q.m_i32.i[7];
    switch (action) {
    case INJ_ACT_CRASH:    /* a real CPU exception */
        sef_take_exception();
        return 1;
    case INJ_ACT_PANIC:
        panic("injected fault %d", id);
    case INJ_ACT_EXIT:
        sys_exit(1);
        hang_forever();
        return 0;
    case INJ_ACT_HANG:
        hang_forever();
        return 0;
    case INJ_ACT_REPLY_ERROR:  /* answer, do not handle */
        /* Only what wants an answer: a stray error answered here went
         * back and forth between two servers under this fault (found by
         * the system fuzzer: pm and tty, regressions/system). */
        if (!IS_NOTIFY(m) && sef_answer_due(m))
            (void)sef_reply(m->m_source, m, q.m_i32.i[5]);
        return 0;
    case INJ_ACT_CORRUPT_STATE:  /* flip, then handle */
        state_flip(q.m_i32.i[5], (uint32_t)q.m_i32.i[6]);
        return 1;
    default:
        return 1;
    }
}

/* sef_reasons_handle: see sef_priv.h. A sanity request is answered here;
 * signals that may be pending too are drained (managers); the message
 * goes on to the server only if other reasons remain (RS: a control
 * request). */
int sef_reasons_handle(message *m)
{
    uint32_t why;

    if (!IS_NOTIFY(m) || m->m_source != SYSTEM || m->m_notify.reasons == 0)
        return 0;
    why = m->m_notify.reasons;
    if (why & NOTIFY_REASON_SANITY)
        sef_sanity_report();
    (void)sef_signal_handle(m);
    return (why & ~(uint32_t)NOTIFY_REASON_SANITY) == 0;
}

/*
 * See sef.h. The address is read back from a volatile variable, so the
 * compiler cannot know it is NULL (and turn the store into a trap
 * instruction), and the store itself is volatile, so it cannot be
 * dropped: with only the pointer variable volatile, gcc -O2 dropped the
 * store, and in the host simulator's gcc builds crash faults did nothing.
 */
void sef_take_exception(void)
{
    int *volatile nowhere = NULL;
    volatile int *p = nowhere;

    *p = 0xfa17;
}
