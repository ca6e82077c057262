/*
 * Request numbers: kernel calls, and the request and reply types of every
 * server. Ranges do not overlap, so a message type names one request.
 */
#ifndef CRUCIBLE_COM_H
#define CRUCIBLE_COM_H

/* ---- kernel calls: m_type of a message trapped to SYSTEM ---- */
#define KERNEL_CALL     0x600
#define SYS_FORK        (KERNEL_CALL + 0)
#define SYS_EXEC        (KERNEL_CALL + 1)
#define SYS_EXIT        (KERNEL_CALL + 2)   /* self-termination (system procs) */
#define SYS_CLEAR       (KERNEL_CALL + 3)   /* free a slot (PM for users, RS) */
#define SYS_KILL        (KERNEL_CALL + 4)
#define SYS_GETKSIG     (KERNEL_CALL + 5)
#define SYS_ENDKSIG     (KERNEL_CALL + 6)
#define SYS_GETINFO     (KERNEL_CALL + 7)
#define SYS_VIRCOPY     (KERNEL_CALL + 8)
#define SYS_PHYSCOPY    (KERNEL_CALL + 9)
#define SYS_PRIVCTL     (KERNEL_CALL + 10)
#define SYS_UPDATE      (KERNEL_CALL + 11)
#define SYS_STATECTL    (KERNEL_CALL + 12)
#define SYS_SCHEDULE    (KERNEL_CALL + 13)
#define SYS_TIMES       (KERNEL_CALL + 14)
#define SYS_SETALARM    (KERNEL_CALL + 15)
#define SYS_DIAGCTL     (KERNEL_CALL + 16)
#define SYS_DEVIO       (KERNEL_CALL + 17)
#define SYS_IRQCTL      (KERNEL_CALL + 18)
#define SYS_SHUTDOWN    (KERNEL_CALL + 19)
#define NR_SYS_CALLS    20
#define KCALL_INDEX(t)  ((t) - KERNEL_CALL)

/* Every system process may make these (MINIX's "basic" kernel calls). */
#define SYS_BASIC_CALLS { SYS_EXIT, SYS_GETINFO, SYS_TIMES, SYS_SETALARM, \
                          SYS_DIAGCTL, SYS_VIRCOPY, SYS_STATECTL }

/* SYS_FORK flags */
#define FORK_SYSTEM     0x1     /* child gets no privilege until PRIV_SET_SYS */

/* SYS_GETINFO requests; each copies a structure of exactly 'len' bytes. */
#define GET_WHOAMI      1       /* answered in the message */
#define GET_PROC        2       /* struct proc_info of ep (or slot index) */
#define GET_PRIV        3       /* struct priv_spec of ep */
#define GET_HZ          4       /* answered in out_value */
#define GET_MODULES     5       /* struct module_info[MAX_BOOT_MODULES] */
#define GET_KINFO       6       /* struct kinfo */
#define GET_PROCTAB     7       /* struct proc_info[NR_ALL_SLOTS] */

/* SYS_PRIVCTL requests */
#define PRIV_SET_SYS    1       /* give target the privileges in spec */
#define PRIV_SET_USER   2       /* give target the shared user privilege */
#define PRIV_ALLOW      3       /* let target run (clears NO_PRIV) */
#define PRIV_DISALLOW   4       /* stop target from running */

/* SYS_UPDATE flags */
#define UPD_SWAP        0x0     /* swap the two instances */

/* SYS_STATECTL requests */
#define STATE_CLEAR_IPC_REFS 1  /* fail callers awaiting a reply from us */

/* SYS_DIAGCTL codes */
#define DIAG_PRINT      1       /* print buf[len] on the console */
/* Fault injection and the control channel (docs/inject.md). Answers go in
 * the reply's m_i32.i[4..]. */
#define DIAG_EVENT      2       /* buf = "name\0members": a control-channel
                                 * event {"event":"name","tick":T,members} */
#define DIAG_INJECT_GET 3       /* the sef fault that fired for the caller:
                                 * i[4] action (INJ_ACT_*, 0 none), i[5] arg,
                                 * i[6] mask, i[7] fault id */
#define DIAG_SANITY     4       /* sanity answer: i[3] result, buf[len] the
                                 * broken invariant's name */
#define DIAG_CTL_GET    5       /* RS: next control request: i[4] kind
                                 * (CTL_REQ_*), i[5] state; label to buf[16];
                                 * with len >= 16 + CTL_RUN_ARGS_MAX, the
                                 * `run` argument string (NUL-terminated,
                                 * "" if none) to buf + 16 */
#define CTL_RUN_ARGS_MAX 200    /* `run PROGRAM ARGS`: ARGS bytes incl. NUL */
#define CTL_REQ_NONE    0
#define CTL_REQ_LU      1       /* live update label into state */
#define CTL_REQ_RUN     2       /* start program label */

/* Reasons a SYSTEM notification carries in m_notify.reasons (besides
 * signals for a signal manager, which come through sys_getksig). */
#define NOTIFY_REASON_SANITY  0x1   /* run the sanity check, answer DIAG_SANITY */
#define NOTIFY_REASON_CONTROL 0x2   /* RS: a control request waits (DIAG_CTL_GET) */

/* A receive that returns this (positive) code delivered a message on which
 * a sef fault fired: SEF asks DIAG_INJECT_GET what to do. */
#define INJ_SEF_FIRED   1

/* SYS_DEVIO requests */
#define DIO_INB 1
#define DIO_INW 2
#define DIO_INL 3
#define DIO_OUTB 4
#define DIO_OUTW 5
#define DIO_OUTL 6

/* SYS_IRQCTL requests */
#define IRQ_SETPOLICY   1
#define IRQ_RMPOLICY    2
#define IRQ_ENABLE      3
#define IRQ_DISABLE     4

/* ---- SEF: RS <-> every system service ---- */
#define RS_BASE         0x700
#define RS_INIT         (RS_BASE + 0)   /* RS -> svc: initialize; svc -> RS: result */
#define RS_LU_PREPARE   (RS_BASE + 1)   /* RS -> svc: prepare; svc -> RS: ready */
#define RS_LU_CANCEL    (RS_BASE + 2)   /* RS -> svc: update aborted, carry on */
#define RS_SIGNAL       (RS_BASE + 3)   /* RS -> svc: a non-fatal signal (m_pm.sig) */
/* Requests to RS (from the service utility, init, the control channel) */
#define RS_UP           (RS_BASE + 10)
#define RS_DOWN         (RS_BASE + 11)
#define RS_RESTART      (RS_BASE + 12)
#define RS_UPDATE       (RS_BASE + 13)
#define RS_EDIT         (RS_BASE + 14)
#define RS_LOOKUP       (RS_BASE + 15)  /* label -> endpoint, restarts */
#define RS_COUNT        (RS_BASE + 16)  /* number of running services */
#define RS_CRASH        (RS_BASE + 17)  /* test hook: make a service crash */
#define RS_READY        (RS_BASE + 18)  /* init: boot done; answers as RS_COUNT
                                         * and emits the `ready` event */
/* RS_UP: m_rs_req.label = label and module name; m_rs_req.flags may hold
 * RSU_WAIT: reply only when the service exits, with its exit status in
 * m_rs_req.value. Programs RS knows (its program table) only. */
#define RSU_WAIT        0x100
/* RS_LOOKUP reply: m_rs_req.ep, .value = restarts, .state = RSS_* */
#define RSS_RUNNING     1
#define RSS_RECOVERING  2
#define RSS_EXITED      3
#define RSS_FAILED      4       /* gave up restarting it */

/* SEF init types */
#define SEF_INIT_FRESH   0
#define SEF_INIT_RESTART 1
#define SEF_INIT_LU      2

/* SEF live-update prepare states */
#define SEF_LU_STATE_NULL        0
#define SEF_LU_STATE_WORK_FREE   1  /* no work in progress */
#define SEF_LU_STATE_REQUEST_FREE 2 /* no pending requests */
#define SEF_LU_STATE_PROTOCOL_FREE 3 /* no protocol in the middle */
#define SEF_LU_STATE_CUSTOM      4  /* and above: the service defines them */

/* Service flags (RS boot table, RS_EDIT) */
#define SF_RESTARTABLE  0x1
#define SF_USE_REPL     0x2     /* keep a replica for hot swap */
#define SF_CORE         0x4     /* part of the core system */

/* ---- DS ---- */
#define DS_BASE         0x800
#define DS_PUBLISH      (DS_BASE + 0)
#define DS_RETRIEVE     (DS_BASE + 1)
#define DS_DELETE       (DS_BASE + 2)
#define DS_SUBSCRIBE    (DS_BASE + 3)   /* key: regular expression */
#define DS_CHECK        (DS_BASE + 4)   /* next changed key for the subscriber */
#define DS_RETRIEVE_LABEL (DS_BASE + 5) /* value: endpoint -> key: label */
#define DSF_TYPE_U32    0x01
#define DSF_TYPE_STR    0x02
#define DSF_TYPE_MEM    0x04
#define DSF_TYPE_LABEL  0x08
#define DSF_TYPE_MASK   0x0F
#define DSF_OVERWRITE   0x10
#define DSF_INITIAL     0x20    /* subscribe: report existing keys too */
#define DS_MAX_KEYLEN   32
#define DS_MAX_DATA     256     /* strings and memory ranges */
#define DS_DRIVER_UP    "drv.up."   /* key prefix: drv.up.<label> */

/* ---- PM ---- */
#define PM_BASE         0x900
#define PM_FORK         (PM_BASE + 0)
#define PM_EXIT         (PM_BASE + 1)
#define PM_WAIT         (PM_BASE + 2)   /* waitpid */
#define PM_KILL         (PM_BASE + 3)
#define PM_GETPID       (PM_BASE + 4)
#define PM_SIGACTION    (PM_BASE + 5)   /* SIG_DFL / SIG_IGN */
#define PM_GETSYSINFO   (PM_BASE + 6)
#define PM_EXEC         (PM_BASE + 7)
#define PM_REBOOT       (PM_BASE + 8)   /* end the machine with a status */
#define PM_PROCEVENTMASK (PM_BASE + 9)  /* seed 002 */
#define PM_PROC_EVENT_REPLY (PM_BASE + 10)
#define PM_GETTIME      (PM_BASE + 11)  /* clock_gettime */
#define PM_GETRES       (PM_BASE + 12)  /* clock_getres */
#define PM_GETPPID      (PM_BASE + 13)
#define PM_SERVICE_DIED (PM_BASE + 14)  /* RS -> PM: a system process's instance died */
#define PM_PROC_EVENT   (PM_BASE + 20)  /* PM -> subscriber */
#define SI_PROC_TAB     1       /* getsysinfo: PM's process table */
#define SI_KINFO        2       /* getsysinfo: struct kinfo */
#define WNOHANG         1
#define PROC_EVENT_EXIT   0x01
#define PROC_EVENT_SIGNAL 0x02
#define SERVICE_RESTARTED 1     /* PM_SERVICE_DIED m_pm.options: a new instance runs */

/* ---- VM ---- */
#define VM_BASE         0xA00
#define VM_FORK         (VM_BASE + 0)
#define VM_EXEC         (VM_BASE + 1)
#define VM_EXIT         (VM_BASE + 2)
#define VM_INFO         (VM_BASE + 3)
#define VM_CALLMASK     (VM_BASE + 4)   /* RS: change a process's VM call mask */
#define NR_VM_CALLS     5

/* ---- TTY ---- */
#define TTY_BASE        0xB00
#define TTY_WRITE       (TTY_BASE + 0)  /* buffer in the caller's memory */
#define TTY_WRITE_INLINE (TTY_BASE + 1) /* bytes in the message itself */

/* ---- hello driver ---- */
#define HELLO_BASE      0xC00
#define HELLO_GET       (HELLO_BASE + 0)  /* answer: counter (incremented) */
#define HELLO_CRASH     (HELLO_BASE + 1)  /* test hook: take a CPU exception */
#define HELLO_WATCH     (HELLO_BASE + 2)  /* m_hello.value: HELLO_WATCH_*; answer:
                                             process events this instance got */
/* HELLO_WATCH modes: hello as a subscriber to PM's process events */
#define HELLO_WATCH_STOP   0    /* answer what is held, unsubscribe */
#define HELLO_WATCH_ANSWER 1    /* subscribe to exits, answer each at once */
#define HELLO_WATCH_HOLD   2    /* subscribe to exits, answer none until told */

#endif
