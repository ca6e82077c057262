/*
 * Structures copied out by SYS_GETINFO and getsysinfo. The caller passes the
 * size it expects; a mismatch fails the call with EINVAL (seed 004), so a
 * differently compiled caller never misreads a table.
 */
#ifndef CRUCIBLE_SYSINFO_H
#define CRUCIBLE_SYSINFO_H

#include <crucible/types.h>
#include <crucible/config.h>

struct module_info {
    char       name[PROC_NAME_LEN]; /* basename of the module; "" = unused */
    phys_bytes start;
    uint32_t   size;
    int32_t    boot_slot;           /* slot if in the boot table, else -1 */
    uint32_t   pad;
};

struct kinfo {
    char       cmdline[CMDLINE_MAX];    /* the kernel command line */
    uint32_t   nr_modules;
    uint32_t   hz;
    uint32_t   mem_bytes;               /* physical memory */
    uint32_t   free_pages;
    uint32_t   boot_ticks;              /* ticks when the first process ran */
    uint32_t   version;                 /* KINFO_VERSION */
};
#define KINFO_VERSION 1

/* Runtime state flags of a process (proc_info.rts_flags). */
#define RTS_SLOT_FREE   0x001
#define RTS_SENDING     0x002
#define RTS_RECEIVING   0x004
#define RTS_SIGNALED    0x008   /* has pending signals for its manager */
#define RTS_SIG_PENDING 0x010   /* waiting for its manager's endksig */
#define RTS_NO_PRIV     0x020   /* not allowed to run yet / any more */
#define RTS_PROC_STOP   0x040   /* stopped (exited, waiting to be cleared) */
#define RTS_NO_ENDPOINT 0x080   /* being updated */
#define RTS_VMINHIBIT   0x100

struct proc_info {
    endpoint_t endpoint;
    int32_t    slot;
    char       name[PROC_NAME_LEN];
    uint32_t   rts_flags;           /* 0 = runnable */
    uint32_t   priv_flags;
    int32_t    priority;
    int32_t    quantum;
    endpoint_t sendto;              /* while SENDING */
    endpoint_t getfrom;             /* while RECEIVING */
    clock_t_   user_time;
    clock_t_   sys_time;
    sigset_t_  pending_sigs;
    uint32_t   pages;               /* memory pages owned */
    int32_t    exit_status;         /* SYS_EXIT status, once RTS_PROC_STOP */
    int32_t    reply_pending;       /* nonzero from a SENDREC until its reply:
                                     * RECEIVING from getfrom is then the
                                     * wait for getfrom's answer */
};

#endif
