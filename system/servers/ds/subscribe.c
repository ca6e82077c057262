/* DS: subscriptions, change checks and notifications. */
#include <crucible/syslib.h>
#include "proto.h"
#include "glo.h"

/*
 * Notify every subscriber in mask. A subscriber whose endpoint is dead
 * (EDEADSRCDST) is forgotten; other failures leave it subscribed (it can
 * still poll with DS_CHECK).
 */
void ds_notify_subscribers(ds_notify_mask mask)
{
    int i;

    for (i = 0; i < DS_NR_SUBS; i++) {
        if (!(mask & (1u << i)) || !ds_store.sub[i].in_use)
            continue;
        if (ipc_notify(ds_store.sub[i].ep) == EDEADSRCDST)
            ds_store_drop_sub(&ds_store, i);
    }
}

/*
 * DS_SUBSCRIBE: m_ds.key = a regular expression (see regex.c), m_ds.flags =
 * DSF_TYPE_* filter (none: every type) and DSF_INITIAL (existing matching
 * keys count as changed). Replaces the caller's earlier subscription.
 * Returns OK, EINVAL (flags, malformed regex), ENAMETOOLONG, E2BIG or
 * ENOSPC (subscriber table full).
 */
int do_subscribe(message *m)
{
    ds_notify_mask mask;
    int r;

    if ((r = ds_key_check(m->m_ds.key, sizeof(m->m_ds.key))) < 0)
        return r;
    r = ds_store_subscribe(&ds_store, m->m_source, m->m_ds.key,
                           m->m_ds.flags, &mask);
    if (r == OK)
        ds_notify_subscribers(mask);
    return r;
}

/*
 * DS_CHECK: the caller's next changed key. Returns OK with m_ds.key,
 * m_ds.flags = its type, m_ds.owner, m_ds.value (u32, label) and m_ds.len;
 * ENOENT when none is left; ESRCH when the caller has no subscription.
 */
int do_check(message *m)
{
    const struct ds_entry *e;
    int slot;

    if ((slot = ds_store_check(&ds_store, m->m_source)) < 0)
        return slot;
    e = &ds_store.entry[slot];
    memcpy(m->m_ds.key, e->key, sizeof(m->m_ds.key));
    m->m_ds.flags = e->type;
    m->m_ds.owner = e->owner;
    m->m_ds.value = e->value;
    m->m_ds.len = e->len;
    m->m_ds.ptr = 0;
    return OK;
}
