/*
 * PM's process table. One entry per process slot (0 .. NR_PROCS-1), indexed
 * by ENDPOINT_SLOT(endpoint), so PM's table and the kernel's agree on which
 * slot a process occupies. A zombie keeps its kernel slot until it is reaped
 * (PM calls sys_clear only then), so the kernel never hands a zombie's slot
 * to a new process.
 */
#ifndef PM_MPROC_H
#define PM_MPROC_H

#include <crucible/types.h>
#include <crucible/config.h>
#include <crucible/endpoint.h>

/* mp_flags */
#define IN_USE      0x001   /* slot holds a process (maybe a zombie) */
#define WAITING     0x002   /* blocked in PM_WAIT (mp_wpid, mp_wopts) */
#define ZOMBIE      0x004   /* exited, status not yet collected */
#define EXITING     0x008   /* exit in progress (events: until subscribers ack) */
#define PRIV_PROC   0x010   /* a system process: not forked/exited through PM */
#define EVENT_CALL  0x020   /* reserved (seed 002): blocked on subscribers;
                             * mp_eventsub says which one is being told */
#define UNPAUSED    0x040   /* reserved (seed 002): signal event in progress */

#define NO_EVENTSUB (-1)    /* mp_eventsub when no event is in flight */
#define NO_SLOT     (-1)

#define INIT_PID    1
#define PID_MAX     30000   /* pids are 1 .. PID_MAX-1, then wrap to 2 */

struct mproc {
    uint32_t   mp_flags;
    int32_t    mp_pid;
    int32_t    mp_parent;       /* slot of the parent; own slot for roots */
    endpoint_t mp_endpoint;
    int32_t    mp_exitstatus;   /* PM_EXIT status (low 8 bits kept) */
    int32_t    mp_sigstatus;    /* signal that terminated it, 0 if exited */
    sigset_t_  mp_ignore;       /* SIGMASK(sig) set: SIG_IGN */
    int32_t    mp_wpid;         /* WAITING: the pid argument */
    int32_t    mp_wopts;        /* WAITING: the options */
    int32_t    mp_eventsub;     /* seed 002: subscriber index or NO_EVENTSUB */
    char       mp_name[PROC_NAME_LEN];
};

#endif
