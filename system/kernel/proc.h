/*
 * The process table. A slot holds one process: kernel tasks use slots
 * -NR_TASKS .. -1, everything else 0 .. NR_PROCS-1.
 *
 * Identity fields (p_nr, p_endpoint, and the IPC state addressed *to* the
 * endpoint: p_caller_q, p_notify_pending, p_asyn_pending) stay with the slot.
 * Everything else is the process's contents, which SYS_UPDATE swaps between
 * two slots so that a new instance takes over an old one's endpoint.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include <crucible/types.h>
#include <crucible/config.h>
#include <crucible/ipc.h>
#include <crucible/sysinfo.h>
#include "arch_proc.h"          /* struct arch_proc, from arch/<arch>/include */

struct priv;

struct proc {
    struct arch_proc p_arch;    /* registers, address space (platform) */

    /* ---- identity: stays with the slot ---- */
    int          p_nr;          /* slot number */
    endpoint_t   p_endpoint;    /* current generation + slot */
    struct proc *p_caller_q;    /* head: processes blocked sending to us */
    uint32_t     p_notify_pending[BITMAP_WORDS(NR_ALL_SLOTS)]; /* by sender slot+NR_TASKS */
    uint32_t     p_asyn_pending[BITMAP_WORDS(NR_ALL_SLOTS)];   /* senders with SENDA entries for us */
    uint32_t     p_int_pending; /* irq hook bits for the next HARDWARE notify */

    /* ---- contents: swapped by SYS_UPDATE ---- */
    uint32_t     p_rts_flags;   /* RTS_* (sysinfo.h); 0 = runnable */
    uint32_t     p_misc_flags;  /* MF_* */
    struct priv *p_priv;
    char         p_name[PROC_NAME_LEN];

    int          p_priority;    /* 0 .. NR_SCHED_QUEUES-1 */
    int          p_quantum;     /* ticks per quantum */
    int          p_ticks_left;
    struct proc *p_nextready;   /* run queue link */

    endpoint_t   p_sendto_e;    /* while RTS_SENDING */
    endpoint_t   p_getfrom_e;   /* while RTS_RECEIVING (may be ANY) */
    struct proc *p_q_link;      /* link in the destination's p_caller_q */
    message      p_sendmsg;     /* the message being sent, copied in */
    vir_bytes    p_recv_buf;    /* where a received message goes */

    vir_bytes    p_asyntab;     /* SENDA table in our memory */
    uint32_t     p_asynsize;    /* entries in it */

    sigset_t_    p_pending;     /* signals waiting for the signal manager */
    clock_t_     p_user_time;
    clock_t_     p_sys_time;
    clock_t_     p_alarm;       /* absolute tick of the CLOCK notify, 0 none */
    int          p_exit_status; /* SYS_EXIT status (RTS_PROC_STOP set) */

    /* Not swapped by SYS_UPDATE (stays with the slot), zeroed when the slot
     * is set up for a new process: */
    uint32_t     p_restarts;    /* SYS_UPDATEs with this slot as src (ps) */
};

/* p_misc_flags */
#define MF_REPLY_PEND   0x01    /* in SENDREC: waiting for the reply */
#define MF_ASYNC_DONE   0x02    /* some SENDA entry finished (notify pending) */

#define proc_addr(slot)     (&proc_table[(slot) + NR_TASKS])
#define proc_slot_ok(slot)  ((slot) >= -NR_TASKS && (slot) < NR_PROCS)
#define isemptyp(p)         ((p)->p_rts_flags & RTS_SLOT_FREE)
#define proc_is_runnable(p) ((p)->p_rts_flags == 0)
#define iskerneln(slot)     ((slot) < 0)

/* Index of a slot in bitmaps keyed by slot (notify and async pending bits). */
#define SLOT_INDEX(slot)    ((slot) + NR_TASKS)

/*
 * Kernel side of a privilege. System processes each own one (priv_table
 * [1..]); every user process points at priv_table[0].
 */
struct priv {
    int              s_id;          /* index in priv_table; 0 = users */
    int              s_in_use;
    struct priv_spec s_spec;        /* flags, masks, signal manager, io, irqs */
};

#define USER_PRIV_ID 0

#endif
