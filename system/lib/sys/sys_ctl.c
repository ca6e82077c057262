/* lib/sys sys_ctl.c: kernel calls that control processes: privctl,
 * update, statectl, schedule. */
#include <crucible/syslib.h>

/* sys_privctl: PRIV_* request for target; spec only for PRIV_SET_SYS. */
int sys_privctl(endpoint_t target, int request, const struct priv_spec *spec)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_privctl.target = target;
    m.m_sys_privctl.request = request;
    m.m_sys_privctl.spec = (vir_bytes)(uintptr_t)spec;
    return kernel_call(SYS_PRIVCTL, &m);
}

/* sys_update: swap the instances in slots src and dst (UPD_* flags);
 * EBUSY if either is busy or runnable. */
int sys_update(endpoint_t src, endpoint_t dst, int flags)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_update.src = src;
    m.m_sys_update.dst = dst;
    m.m_sys_update.flags = flags;
    return kernel_call(SYS_UPDATE, &m);
}

/* sys_statectl: STATE_* request about ourselves. */
int sys_statectl(int request)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_statectl.request = request;
    return kernel_call(SYS_STATECTL, &m);
}

/* sys_schedule: set target's quantum, priority, cpu (-1 keeps a value). */
int sys_schedule(endpoint_t target, int quantum, int priority, int cpu)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_schedule.target = target;
    m.m_sys_schedule.quantum = quantum;
    m.m_sys_schedule.priority = priority;
    m.m_sys_schedule.cpu = cpu;
    return kernel_call(SYS_SCHEDULE, &m);
}
