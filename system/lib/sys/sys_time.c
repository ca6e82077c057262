/* lib/sys sys_time.c: SYS_TIMES, SYS_SETALARM, getticks, getuptime. */
#include <crucible/syslib.h>

/* sys_times: target's user/sys ticks (target NONE: clocks only) and the
 * clocks: ticks since boot, realtime ticks, boot time in seconds. Any
 * pointer may be NULL. */
int sys_times(endpoint_t target, clock_t_ *user, clock_t_ *sys, clock_t_ *ticks,
              uint32_t *realtime_ticks, uint32_t *boottime)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    m.m_sys_times.target = target;
    r = kernel_call(SYS_TIMES, &m);
    if (r != OK)
        return r;
    if (user)
        *user = m.m_sys_times.user_time;
    if (sys)
        *sys = m.m_sys_times.sys_time;
    if (ticks)
        *ticks = m.m_sys_times.ticks;
    if (realtime_ticks)
        *realtime_ticks = m.m_sys_times.realtime_ticks;
    if (boottime)
        *boottime = m.m_sys_times.boottime;
    return OK;
}

/* sys_setalarm: a CLOCK notification at exp_time (absolute if abs_time,
 * else relative); 0 cancels. */
int sys_setalarm(clock_t_ exp_time, int abs_time)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_setalarm.exp_time = exp_time;
    m.m_sys_setalarm.abs_time = abs_time;
    return kernel_call(SYS_SETALARM, &m);
}

/* getticks: ticks since boot; 0 if no clock can be read. A user process
 * (no kernel calls) gets it from PM's CLOCK_MONOTONIC instead. */
clock_t_ getticks(void)
{
    clock_t_ t;
    message m;

    if (sys_times(NONE, NULL, NULL, &t, NULL, NULL) == OK)
        return t;
    memset(&m, 0, sizeof m);
    m.m_type = PM_GETTIME;
    m.m_pm.what = 1;            /* CLOCK_MONOTONIC (libc <time.h>) */
    if (ipc_sendrec(PM_PROC_NR, &m) != OK || m.m_type != OK)
        return 0;
    return (clock_t_)((uint32_t)m.m_pm.status * HZ
                      + (uint32_t)m.m_pm.options / (1000000000u / HZ));
}

/* getuptime: ticks since boot, realtime ticks and boot time (seconds
 * since 1970); any pointer may be NULL. */
int getuptime(clock_t_ *ticks, clock_t_ *realtime, uint32_t *boottime)
{
    return sys_times(NONE, NULL, NULL, ticks, realtime, boottime);
}
