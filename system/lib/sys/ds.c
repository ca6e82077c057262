/*
 * lib/sys ds.c: the DS client. Every call is a SENDREC of an m_ds message
 * to DS; the result is DS's m_type. Strings and memory ranges travel as
 * pointer + length in our address space; DS copies them with sys_vircopy.
 * Strings are sent with their NUL (len = strlen + 1).
 */
#include <crucible/syslib.h>

/* Fill a request for key (ENAMETOOLONG if it does not fit). */
static int ds_prepare(message *m, const char *key, int flags)
{
    memset(m, 0, sizeof *m);
    if (strlen(key) >= DS_MAX_KEYLEN)
        return ENAMETOOLONG;
    strlcpy(m->m_ds.key, key, sizeof m->m_ds.key);
    m->m_ds.flags = flags;
    return OK;
}

/* SENDREC m (type) to DS; DS's result. */
static int ds_call(int type, message *m)
{
    int r;
    m->m_type = type;
    r = ipc_sendrec(DS_PROC_NR, m);
    return r != OK ? r : m->m_type;
}

/* ds_publish_u32: key = value (flags: DSF_OVERWRITE...). */
int ds_publish_u32(const char *key, uint32_t value, int flags)
{
    message m;
    int r = ds_prepare(&m, key, DSF_TYPE_U32 | flags);
    if (r != OK)
        return r;
    m.m_ds.value = value;
    return ds_call(DS_PUBLISH, &m);
}

/* ds_retrieve_u32: the u32 under key. */
int ds_retrieve_u32(const char *key, uint32_t *value)
{
    message m;
    int r = ds_prepare(&m, key, DSF_TYPE_U32);
    if (r != OK)
        return r;
    r = ds_call(DS_RETRIEVE, &m);
    if (r == OK)
        *value = m.m_ds.value;
    return r;
}

/* ds_publish_str: key = the string value (at most DS_MAX_DATA-1 chars). */
int ds_publish_str(const char *key, const char *value, int flags)
{
    message m;
    size_t n = strlen(value) + 1;
    int r = ds_prepare(&m, key, DSF_TYPE_STR | flags);
    if (r != OK)
        return r;
    if (n > DS_MAX_DATA)
        return E2BIG;
    m.m_ds.ptr = (vir_bytes)(uintptr_t)value;
    m.m_ds.len = (uint32_t)n;
    return ds_call(DS_PUBLISH, &m);
}

/* ds_retrieve_str: the string under key into buf[0..len), always
 * NUL-terminated (truncated if needed). */
int ds_retrieve_str(const char *key, char *buf, size_t len)
{
    message m;
    int r;
    if (len == 0)
        return EINVAL;
    r = ds_prepare(&m, key, DSF_TYPE_STR);
    if (r != OK)
        return r;
    m.m_ds.ptr = (vir_bytes)(uintptr_t)buf;
    m.m_ds.len = (uint32_t)len;
    r = ds_call(DS_RETRIEVE, &m);
    buf[len - 1] = '\0';
    return r;
}

/* ds_publish_mem: key = buf[0..len) (len <= DS_MAX_DATA). */
int ds_publish_mem(const char *key, const void *buf, size_t len, int flags)
{
    message m;
    int r = ds_prepare(&m, key, DSF_TYPE_MEM | flags);
    if (r != OK)
        return r;
    if (len > DS_MAX_DATA)
        return E2BIG;
    m.m_ds.ptr = (vir_bytes)(uintptr_t)buf;
    m.m_ds.len = (uint32_t)len;
    return ds_call(DS_PUBLISH, &m);
}

/* ds_retrieve_mem: the range under key into buf; *len is the room on
 * entry and the bytes now in buf on return (DS answers the stored length;
 * a longer range is cut to the room). */
int ds_retrieve_mem(const char *key, void *buf, size_t *len)
{
    message m;
    int r = ds_prepare(&m, key, DSF_TYPE_MEM);
    if (r != OK)
        return r;
    m.m_ds.ptr = (vir_bytes)(uintptr_t)buf;
    m.m_ds.len = (uint32_t)*len;
    r = ds_call(DS_RETRIEVE, &m);
    if (r == OK && m.m_ds.len < *len)
        *len = m.m_ds.len;
    return r;
}

/* ds_publish_label: label -> ep. */
int ds_publish_label(const char *label, endpoint_t ep, int flags)
{
    message m;
    int r = ds_prepare(&m, label, DSF_TYPE_LABEL | flags);
    if (r != OK)
        return r;
    m.m_ds.value = (uint32_t)ep;
    return ds_call(DS_PUBLISH, &m);
}

/* ds_retrieve_label_endpt: the endpoint published under label. */
int ds_retrieve_label_endpt(const char *label, endpoint_t *ep)
{
    message m;
    int r = ds_prepare(&m, label, DSF_TYPE_LABEL);
    if (r != OK)
        return r;
    r = ds_call(DS_RETRIEVE, &m);
    if (r == OK)
        *ep = (endpoint_t)m.m_ds.value;
    return r;
}

/* ds_retrieve_label_name: the label published for ep into label[0..len). */
int ds_retrieve_label_name(char *label, size_t len, endpoint_t ep)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    m.m_ds.flags = DSF_TYPE_LABEL;
    m.m_ds.value = (uint32_t)ep;
    r = ds_call(DS_RETRIEVE_LABEL, &m);
    if (r == OK) {
        if (len == 0)
            return EINVAL;
        m.m_ds.key[sizeof m.m_ds.key - 1] = '\0';
        strlcpy(label, m.m_ds.key, len);
    }
    return r;
}

/* ds_delete: remove key of DSF_TYPE_* type (ours only). */
int ds_delete(const char *key, int type)
{
    message m;
    int r = ds_prepare(&m, key, type);
    if (r != OK)
        return r;
    return ds_call(DS_DELETE, &m);
}

/* ds_subscribe: be told (a notify from DS, then ds_check) about keys
 * matching the regular expression; DSF_INITIAL reports existing keys. */
int ds_subscribe(const char *regex, int flags)
{
    message m;
    int r = ds_prepare(&m, regex, flags);
    if (r != OK)
        return r;
    return ds_call(DS_SUBSCRIBE, &m);
}

/* ds_check: the next changed key for us (ENOENT when none is left), its
 * DSF_TYPE_* and its publisher (type and owner may be NULL). */
int ds_check(char *key, size_t keylen, int *type, endpoint_t *owner)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    r = ds_call(DS_CHECK, &m);
    if (r != OK)
        return r;
    m.m_ds.key[sizeof m.m_ds.key - 1] = '\0';
    if (keylen)
        strlcpy(key, m.m_ds.key, keylen);
    if (type)
        *type = m.m_ds.flags & DSF_TYPE_MASK;
    if (owner)
        *owner = m.m_ds.owner;
    return OK;
}
