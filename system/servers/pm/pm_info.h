/*
 * PM's getsysinfo and clock conventions, for PM's clients (libc, tests,
 * tools). PM-local for now; a candidate for include/crucible/.
 *
 * PM_GETSYSINFO: m_pm.what = SI_PROC_TAB or SI_KINFO, m_pm.ptr = buffer,
 * m_pm.len = the size the caller expects. SI_PROC_TAB copies
 * struct pm_proc_info[NR_PROCS] (indexed by slot), SI_KINFO a struct kinfo;
 * any other len gives EINVAL and copies nothing.
 *
 * PM_GETTIME / PM_GETRES: m_pm.what = the clock (PM_CLOCK_*, the same
 * values as libc's CLOCK_*). Reply: m_pm.status = seconds, m_pm.options =
 * nanoseconds (as libc's <time.h> reads them).
 *
 * Every PM reply: m_type = OK or a negative error; values are in m_pm
 * (fork: m_pm.pid = child pid, 0 in the child; getpid/getppid: m_pm.pid;
 * wait: m_pm.pid = reaped pid or 0 (WNOHANG, nothing yet), m_pm.status =
 * the status word: exited (status & 0xff) << 8, killed: the signal).
 */
#ifndef PM_INFO_H
#define PM_INFO_H

#include <crucible/types.h>
#include <crucible/config.h>

#define PM_CLOCK_REALTIME   0
#define PM_CLOCK_MONOTONIC  1

/* pm_proc_info.flags: the PM flags (IN_USE 0x1, WAITING 0x2, ZOMBIE 0x4,
 * EXITING 0x8, PRIV_PROC 0x10); 0 = free slot. */
struct pm_proc_info {
    uint32_t   flags;
    int32_t    pid;
    int32_t    ppid;            /* 0 for roots (init, system processes) */
    endpoint_t endpoint;
    int32_t    status;          /* zombie: its status word */
    sigset_t_  ignore;          /* signals set to SIG_IGN */
    char       name[PROC_NAME_LEN];
};
CRUCIBLE_STATIC_ASSERT(sizeof(struct pm_proc_info) == 40,
                       "pm_proc_info layout is part of the ABI");

#endif
