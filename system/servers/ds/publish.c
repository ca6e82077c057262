/* DS: publishing and deleting keys (the rules are in store.c). */
#include <crucible/syslib.h>
#include "proto.h"
#include "glo.h"

/*
 * DS_PUBLISH: m_ds.key, m_ds.flags (one DSF_TYPE_* bit, DSF_OVERWRITE),
 * m_ds.value (u32; label: endpoint), m_ds.ptr/len (string or memory in the
 * caller, at most DS_MAX_DATA bytes, copied with sys_vircopy). Returns OK
 * with m_ds.len = bytes stored and m_ds.owner; or the store's errors,
 * E2BIG for oversized data, the copy's error (EFAULT...) for a bad pointer.
 * Matching subscribers are notified.
 */
int do_publish(message *m)
{
    uint8_t buf[DS_MAX_DATA];
    ds_notify_mask mask;
    const struct ds_entry *e;
    uint32_t len = 0;
    int type, r;

    if ((type = ds_type_check(m->m_ds.flags, DSF_OVERWRITE)) < 0)
        return type;
    if ((r = ds_key_check(m->m_ds.key, sizeof(m->m_ds.key))) < 0)
        return r;
    if (type == DSF_TYPE_STR || type == DSF_TYPE_MEM) {
        len = m->m_ds.len;
        if (len > DS_MAX_DATA)
            return E2BIG;
        if (len > 0 &&
            (r = sys_vircopy(m->m_source, m->m_ds.ptr, sef_self_endpoint,
                             (vir_bytes)(uintptr_t)buf, len)) != OK)
            return r;
    }
    r = ds_store_publish(&ds_store, m->m_source, m->m_ds.key, m->m_ds.flags,
                         m->m_ds.value, buf, len, &mask);
    if (r != OK)
        return r;
    e = ds_store_lookup(&ds_store, m->m_ds.key, type);
    m->m_ds.len = e != NULL ? e->len : 0;
    m->m_ds.owner = m->m_source;
    ds_notify_subscribers(mask);
    return OK;
}

/*
 * DS_DELETE: m_ds.key of type m_ds.flags (one DSF_TYPE_* bit). Only the
 * owner or RS may delete; labels only RS. Returns OK, ENOENT, EPERM,
 * EINVAL or ENAMETOOLONG.
 */
int do_delete(message *m)
{
    int r;

    if ((r = ds_key_check(m->m_ds.key, sizeof(m->m_ds.key))) < 0)
        return r;
    return ds_store_delete(&ds_store, m->m_source, m->m_ds.key,
                           m->m_ds.flags);
}
