/* lib/c sysinfo.c: getsysinfo, reboot, and the clocks (PM calls). */
#include <sysinfo.h>
#include <time.h>
#include <string.h>
#include "libc_priv.h"

/* getsysinfo: PM_GETSYSINFO{what, ptr = buf, len = expected size}. PM
 * copies its table into buf with sys_vircopy. 0 or -1 with errno. */
int getsysinfo(int what, void *buf, size_t size)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    m.m_pm.what = what;
    m.m_pm.ptr = (vir_bytes)(uintptr_t)buf;
    m.m_pm.len = (uint32_t)size;
    r = libc_pm_call(PM_GETSYSINFO, &m);
    return r < 0 ? libc_result(r) : 0;
}

/* reboot: PM_REBOOT{status}: QEMU exits with (status << 1) | 1. Returns
 * -1 with errno only if PM refused. */
int reboot(int status)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    m.m_pm.status = status;
    r = libc_pm_call(PM_REBOOT, &m);
    return r < 0 ? libc_result(r) : libc_result(EGENERIC);
}

/* One clock call: PM_GETTIME or PM_GETRES (convention in <time.h>). */
static int clock_call(int type, clockid_t id, struct timespec *ts)
{
    message m;
    int r;
    if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC)
        return libc_result(EINVAL);
    memset(&m, 0, sizeof m);
    m.m_pm.what = id;
    r = libc_pm_call(type, &m);
    if (r < 0)
        return libc_result(r);
    if (ts) {
        ts->tv_sec = (uint32_t)m.m_pm.status;
        ts->tv_nsec = m.m_pm.options;
    }
    return 0;
}

/* clock_gettime: the time of clock id. 0 or -1 with errno (EINVAL). */
int clock_gettime(clockid_t id, struct timespec *ts)
{
    return clock_call(PM_GETTIME, id, ts);
}

/* clock_getres: the resolution of clock id (1/HZ). */
int clock_getres(clockid_t id, struct timespec *ts)
{
    return clock_call(PM_GETRES, id, ts);
}

/* time: seconds since 1970 (CLOCK_REALTIME), also stored in *t; -1 on
 * error. */
time_t time(time_t *t)
{
    struct timespec ts;
    time_t v = clock_gettime(CLOCK_REALTIME, &ts) < 0 ? -1 : ts.tv_sec;
    if (t)
        *t = v;
    return v;
}
