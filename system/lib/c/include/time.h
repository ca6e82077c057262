/*
 * libc <time.h>: clocks answered by PM (PM_GETTIME / PM_GETRES).
 * Message convention: request m_pm.what = clock id; reply m_type = OK or an
 * error, m_pm.status = seconds, m_pm.options = nanoseconds.
 */
#ifndef CRUCIBLE_LIBC_TIME_H
#define CRUCIBLE_LIBC_TIME_H

#include <sys/types.h>

struct timespec {
    time_t tv_sec;
    long   tv_nsec;
};

#define CLOCK_REALTIME  0       /* wall clock: boottime + realtime ticks */
#define CLOCK_MONOTONIC 1       /* ticks since boot */

int clock_gettime(clockid_t id, struct timespec *ts);
int clock_getres(clockid_t id, struct timespec *ts);
time_t time(time_t *t);

#endif
