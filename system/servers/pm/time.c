/* Clocks (seed 004): CLOCK_REALTIME from the boot time and realtime ticks,
 * CLOCK_MONOTONIC from ticks since boot; resolution one tick. */
#include "glo.h"
#include "proto.h"
#include "pm_info.h"

/* do_gettime: PM_GETTIME(m_pm.what = PM_CLOCK_*). Reply OK with
 * m_pm.status = seconds and m_pm.options = nanoseconds (libc <time.h>),
 * EINVAL for an unknown clock, or the kernel's error. */
int do_gettime(message *reply)
{
    clock_t_ user, sys, ticks;
    uint32_t realtime, boottime;
    uint32_t sec, sub;

    if (m_in.m_pm.what != PM_CLOCK_REALTIME && m_in.m_pm.what != PM_CLOCK_MONOTONIC)
        return EINVAL;
    int r = sys_times(NONE, &user, &sys, &ticks, &realtime, &boottime);
    if (r != OK)
        return r;
    if (m_in.m_pm.what == PM_CLOCK_REALTIME) {
        sec = boottime + realtime / pm_hz;
        sub = realtime % pm_hz;
    } else {
        sec = ticks / pm_hz;
        sub = ticks % pm_hz;
    }
    reply->m_pm.status = (int32_t)sec;
    reply->m_pm.options = (int32_t)(sub * (1000000000u / pm_hz));
    return OK;
}

/* do_getres: PM_GETRES(m_pm.what = PM_CLOCK_*). Reply OK with
 * m_pm.status = 0 seconds and m_pm.options = nanoseconds per tick, or
 * EINVAL. */
int do_getres(message *reply)
{
    if (m_in.m_pm.what != PM_CLOCK_REALTIME && m_in.m_pm.what != PM_CLOCK_MONOTONIC)
        return EINVAL;
    reply->m_pm.status = 0;
    reply->m_pm.options = (int32_t)(1000000000u / pm_hz);
    return OK;
}
