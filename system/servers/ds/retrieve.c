/* DS: retrieving keys, and labels by endpoint. */
#include <crucible/syslib.h>
#include "proto.h"
#include "glo.h"

/*
 * DS_RETRIEVE: m_ds.key of type m_ds.flags (one DSF_TYPE_* bit). u32 and
 * labels: m_ds.value. Strings and memory: copies min(m_ds.len, stored)
 * bytes to m_ds.ptr in the caller (a cut string still ends with a NUL) and
 * sets m_ds.len to the length stored. m_ds.owner: the publisher. Returns
 * OK, ENOENT (no key of that type), EINVAL, ENAMETOOLONG or the copy's
 * error.
 */
int do_retrieve(message *m)
{
    uint8_t buf[DS_MAX_DATA];
    const struct ds_entry *e;
    uint32_t n;
    int type, r;

    if ((type = ds_type_check(m->m_ds.flags, 0)) < 0)
        return type;
    if ((r = ds_key_check(m->m_ds.key, sizeof(m->m_ds.key))) < 0)
        return r;
    if ((e = ds_store_lookup(&ds_store, m->m_ds.key, type)) == NULL)
        return ENOENT;

    if (type == DSF_TYPE_STR || type == DSF_TYPE_MEM) {
        n = m->m_ds.len < e->len ? m->m_ds.len : e->len;
        if (n > 0) {
            memcpy(buf, e->data, n);
            if (type == DSF_TYPE_STR)
                buf[n - 1] = '\0';
            r = sys_vircopy(sef_self_endpoint, (vir_bytes)(uintptr_t)buf,
                            m->m_source, m->m_ds.ptr, n);
            if (r != OK)
                return r;
        }
        m->m_ds.value = 0;
    } else {
        m->m_ds.value = e->value;
    }
    m->m_ds.len = e->len;
    m->m_ds.owner = e->owner;
    return OK;
}

/*
 * DS_RETRIEVE_LABEL: m_ds.value = an endpoint. Returns OK with m_ds.key =
 * its label (NUL-terminated), m_ds.flags = DSF_TYPE_LABEL, m_ds.owner; or
 * ENOENT when no label names that endpoint.
 */
int do_retrieve_label(message *m)
{
    const struct ds_entry *e;

    e = ds_store_find_label(&ds_store, (endpoint_t)m->m_ds.value);
    if (e == NULL)
        return ENOENT;
    memcpy(m->m_ds.key, e->key, sizeof(m->m_ds.key));
    m->m_ds.flags = DSF_TYPE_LABEL;
    m->m_ds.owner = e->owner;
    m->m_ds.len = 0;
    return OK;
}
