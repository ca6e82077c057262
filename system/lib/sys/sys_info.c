/* lib/sys sys_info.c: SYS_GETINFO and its convenience forms. The kernel
 * copies exactly len bytes and refuses (EINVAL) a size that is not the
 * structure's (seed 004). */
#include <crucible/syslib.h>

/* One SYS_GETINFO; the reply (out_* fields) is left in *m. */
static int getinfo(message *m, int request, void *buf, size_t len, endpoint_t ep, int index)
{
    memset(m, 0, sizeof *m);
    m->m_sys_getinfo.request = request;
    m->m_sys_getinfo.buf = (vir_bytes)(uintptr_t)buf;
    m->m_sys_getinfo.len = (uint32_t)len;
    m->m_sys_getinfo.ep = ep;
    m->m_sys_getinfo.index = index;
    return kernel_call(SYS_GETINFO, m);
}

/* sys_getinfo: request GET_* into buf[0..len) (ep/index select a process
 * for GET_PROC and GET_PRIV). */
int sys_getinfo(int request, void *buf, size_t len, endpoint_t ep, int index)
{
    message m;
    return getinfo(&m, request, buf, len, ep, index);
}

/* sys_whoami: our endpoint, name and privilege flags (each may be NULL). */
int sys_whoami(endpoint_t *ep, char name[PROC_NAME_LEN], int *privflags)
{
    message m;
    int r = getinfo(&m, GET_WHOAMI, NULL, 0, NONE, 0);
    if (r != OK)
        return r;
    if (ep)
        *ep = m.m_sys_getinfo.out_ep;
    if (name) {
        memcpy(name, m.m_sys_getinfo.out_name, PROC_NAME_LEN);
        name[PROC_NAME_LEN - 1] = '\0';
    }
    if (privflags)
        *privflags = m.m_sys_getinfo.out_privflags;
    return OK;
}

/* sys_getproc: the proc_info of process ep. */
int sys_getproc(endpoint_t ep, struct proc_info *pi)
{
    message m;
    return getinfo(&m, GET_PROC, pi, sizeof *pi, ep, 0);
}

/* sys_getmodules: the boot module table. */
int sys_getmodules(struct module_info mods[MAX_BOOT_MODULES])
{
    message m;
    return getinfo(&m, GET_MODULES, mods, sizeof(struct module_info) * MAX_BOOT_MODULES, NONE, 0);
}

/* sys_getkinfo: the kernel information (command line, modules, hz...). */
int sys_getkinfo(struct kinfo *ki)
{
    message m;
    return getinfo(&m, GET_KINFO, ki, sizeof *ki, NONE, 0);
}

/* sys_gethz: clock ticks per second. */
int sys_gethz(uint32_t *hz)
{
    message m;
    int r = getinfo(&m, GET_HZ, NULL, 0, NONE, 0);
    if (r == OK)
        *hz = m.m_sys_getinfo.out_value;
    return r;
}
