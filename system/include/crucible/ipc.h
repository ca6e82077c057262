/*
 * Messages and IPC primitives.
 *
 * A message is 64 bytes: the sender's endpoint (filled in by the kernel, never
 * trusted from the sender), a type, and a 56-byte payload read through one of
 * the typed layouts below. Every layout's size is checked at compile time.
 * Layout names say who talks to whom: m_<from>_<to>_<what>.
 */
#ifndef CRUCIBLE_IPC_H
#define CRUCIBLE_IPC_H

#include <crucible/types.h>
#include <crucible/config.h>

#define MSG_PAYLOAD 56

/* Generic layouts. */
typedef struct { int32_t  i[14]; } mess_i32;
typedef struct { uint8_t  b[56]; } mess_bytes;

/* A notification, built by the kernel from the pending bits of a receiver. */
typedef struct {
    clock_t_ timestamp;         /* ticks when delivered */
    uint32_t interrupts;        /* from HARDWARE: bitmap of irq hook ids */
    sigset_t_ sigs;             /* from SYSTEM: unused (use getksig) */
    uint32_t reasons;           /* from SYSTEM: NOTIFY_REASON_* bits (com.h) */
    uint8_t  pad[40];
} mess_notify;

/* ---- kernel calls (to SYSTEM) ---- */
typedef struct {                /* SYS_FORK */
    endpoint_t parent;          /* in: process to copy */
    uint32_t   flags;           /* in: FORK_* */
    endpoint_t child;           /* out: the new process, stopped (NO_PRIV) */
    char       name[PROC_NAME_LEN]; /* in: name for the child ("" keeps) */
    uint8_t    pad[28];
} mess_sys_fork;

typedef struct {                /* SYS_EXEC */
    endpoint_t target;          /* process whose image is replaced */
    int32_t    module;          /* boot module index (see GET_MODULES) */
    endpoint_t args_ep;         /* whose memory holds the arguments */
    vir_bytes  args_ptr;        /* NUL-separated argument strings, or 0 */
    uint32_t   args_len;        /* bytes at args_ptr, incl. final NUL */
    uint8_t    pad[36];
} mess_sys_exec;

typedef struct {                /* SYS_EXIT, SYS_CLEAR, SYS_ENDKSIG, SYS_KILL */
    endpoint_t target;
    int32_t    sig;             /* SYS_KILL: the signal */
    int32_t    status;          /* SYS_EXIT: the exit status (for the log) */
    uint8_t    pad[44];
} mess_sys_proc;

typedef struct {                /* SYS_GETKSIG */
    endpoint_t target;          /* out: process with pending signals, or NONE */
    sigset_t_  sigs;            /* out: its pending signals, now cleared */
    uint8_t    pad[48];
} mess_sys_getksig;

typedef struct {                /* SYS_GETINFO */
    int32_t    request;         /* GET_* */
    vir_bytes  buf;             /* where to copy the answer in the caller */
    uint32_t   len;             /* size the caller expects; must match */
    endpoint_t ep;              /* GET_PROC, GET_PRIV: which process */
    int32_t    index;           /* GET_PROC by slot when ep == NONE */
    endpoint_t out_ep;          /* GET_WHOAMI: caller's endpoint */
    int32_t    out_privflags;   /* GET_WHOAMI: caller's privilege flags */
    char       out_name[PROC_NAME_LEN]; /* GET_WHOAMI: caller's name */
    uint32_t   out_value;       /* GET_HZ and other scalar answers */
    uint8_t    pad[8];
} mess_sys_getinfo;

typedef struct {                /* SYS_VIRCOPY, SYS_PHYSCOPY */
    endpoint_t src_ep;          /* NONE (physcopy only): src_addr is physical */
    vir_bytes  src_addr;
    endpoint_t dst_ep;          /* NONE (physcopy only): dst_addr is physical */
    vir_bytes  dst_addr;
    uint32_t   bytes;
    uint8_t    pad[36];
} mess_sys_copy;

typedef struct {                /* SYS_PRIVCTL */
    endpoint_t target;
    int32_t    request;         /* PRIV_* */
    vir_bytes  spec;            /* PRIV_SET_SYS: struct priv_spec in caller */
    uint8_t    pad[44];
} mess_sys_privctl;

typedef struct {                /* SYS_UPDATE */
    endpoint_t src;             /* old instance */
    endpoint_t dst;             /* new instance */
    int32_t    flags;           /* UPD_* */
    uint8_t    pad[44];
} mess_sys_update;

typedef struct {                /* SYS_STATECTL */
    int32_t    request;         /* STATE_* */
    uint8_t    pad[52];
} mess_sys_statectl;

typedef struct {                /* SYS_SCHEDULE: -1 keeps the current value */
    endpoint_t target;
    int32_t    quantum;
    int32_t    priority;
    int32_t    cpu;
    uint8_t    pad[40];
} mess_sys_schedule;

typedef struct {                /* SYS_TIMES */
    endpoint_t target;          /* in; NONE: only the clocks */
    clock_t_   user_time;       /* out: ticks run in user mode */
    clock_t_   sys_time;        /* out: ticks in the kernel on its behalf */
    clock_t_   ticks;           /* out: ticks since boot (for timers) */
    uint32_t   realtime_ticks;  /* out: realtime, ticks since the epoch base */
    uint32_t   boottime;        /* out: seconds since 1970 at boot */
    uint8_t    pad[32];
} mess_sys_times;

typedef struct {                /* SYS_SETALARM */
    clock_t_   exp_time;        /* ticks; 0 cancels */
    int32_t    abs_time;        /* nonzero: exp_time is absolute */
    clock_t_   time_left;       /* out: ticks left on the previous alarm */
    uint8_t    pad[44];
} mess_sys_setalarm;

typedef struct {                /* SYS_DIAGCTL */
    int32_t    code;            /* DIAG_* */
    vir_bytes  buf;
    uint32_t   len;
    uint8_t    pad[44];
} mess_sys_diagctl;

typedef struct {                /* SYS_DEVIO */
    int32_t    request;         /* DIO_INB ... DIO_OUTL */
    uint32_t   port;
    uint32_t   value;           /* in for out*, out for in* */
    uint8_t    pad[44];
} mess_sys_devio;

typedef struct {                /* SYS_IRQCTL */
    int32_t    request;         /* IRQ_* */
    int32_t    irq;
    int32_t    hook_id;         /* bit in the HARDWARE notification */
    uint8_t    pad[44];
} mess_sys_irqctl;

typedef struct {                /* SYS_SHUTDOWN */
    int32_t    status;          /* isa-debug-exit value (QEMU exits (v<<1)|1) */
    uint8_t    pad[52];
} mess_sys_shutdown;

/* ---- SEF / RS protocol ---- */
typedef struct {                /* RS_INIT (RS -> service), its reply */
    int32_t    type;            /* SEF_INIT_FRESH / RESTART / LU */
    int32_t    result;          /* reply: OK or error */
    endpoint_t old_ep;          /* RESTART / LU: the old instance, or NONE */
    int32_t    restarts;        /* how many times this service restarted */
    int32_t    xfer;            /* reply: SEF_XFER_* (state transfer) */
    uint8_t    pad[36];
} mess_rs_init;

typedef struct {                /* RS_LU_PREPARE (RS -> service), its reply */
    int32_t    state;           /* SEF_LU_STATE_* or custom >= SEF_LU_STATE_CUSTOM */
    int32_t    result;          /* reply */
    uint8_t    pad[48];
} mess_rs_lu;

typedef struct {                /* requests to RS */
    char       label[16];
    int32_t    state;           /* RS_UPDATE: prepare state */
    int32_t    timeout;         /* RS_UPDATE: prepare timeout in ticks */
    int32_t    flags;           /* RS_EDIT etc: SF_* */
    endpoint_t ep;              /* RS_LOOKUP: out */
    int32_t    value;           /* RS_LOOKUP: restarts; RS_COUNT: out */
    uint8_t    pad[20];
} mess_rs_req;

/* ---- DS ---- */
typedef struct {
    char       key[32];         /* NUL-terminated unless 32 long */
    int32_t    flags;           /* DSF_TYPE_* | DSF_OVERWRITE ... */
    uint32_t   value;           /* u32 value; label: endpoint */
    vir_bytes  ptr;             /* string / memory range in the caller */
    uint32_t   len;             /* its length; out: length stored */
    endpoint_t owner;           /* out: who published it */
    uint8_t    pad[4];
} mess_ds;

/* ---- PM ---- */
typedef struct {
    int32_t    pid;             /* kill, wait: pid; fork reply: child pid */
    int32_t    sig;             /* kill, sigaction */
    int32_t    status;          /* exit status; wait reply: status word */
    int32_t    options;         /* wait options, sigaction handler (0 DFL, 1 IGN) */
    vir_bytes  ptr;             /* exec: args; getsysinfo: buffer */
    uint32_t   len;             /* exec: args length; getsysinfo: expected size */
    int32_t    what;            /* getsysinfo: SI_*; exec: module index */
    endpoint_t endpt;           /* process events: the process */
    int32_t    event;           /* process events: PROC_EVENT_* */
    uint32_t   mask;            /* proceventmask */
    char       name[16];        /* exec: program name */
} mess_pm;

/* ---- VM ---- */
typedef struct {
    endpoint_t ep;              /* the process concerned */
    endpoint_t parent;          /* VM_FORK */
    int32_t    module;          /* VM_EXEC */
    vir_bytes  args_ptr;
    uint32_t   args_len;
    endpoint_t args_ep;
    int32_t    call;            /* VM_CALLMASK: call number */
    int32_t    allow;           /* VM_CALLMASK: 1 allow, 0 deny */
    uint32_t   value;           /* VM_INFO out: pages in use */
    char       name[PROC_NAME_LEN];
    uint8_t    pad[4];
} mess_vm;

/* ---- TTY and the hello driver ---- */
typedef struct {
    vir_bytes  ptr;             /* TTY_WRITE: buffer in the caller */
    uint32_t   len;             /* TTY_WRITE: bytes; TTY_WRITE_INLINE: bytes in data */
    char       data[48];        /* TTY_WRITE_INLINE */
} mess_tty;

typedef struct {
    int32_t    value;           /* HELLO_* answers */
    int32_t    restarts;
    uint8_t    pad[48];
} mess_hello;

/* ---- control (issue: campaigns) and in-guest tests ---- */
typedef struct {
    int32_t    code;
    int32_t    arg[13];
} mess_ctl;

typedef struct message {
    endpoint_t m_source;        /* set by the kernel on delivery */
    int32_t    m_type;          /* request, reply result or notification */
    union {
        mess_i32          m_i32;
        mess_bytes        m_bytes;
        mess_notify       m_notify;
        mess_sys_fork     m_sys_fork;
        mess_sys_exec     m_sys_exec;
        mess_sys_proc     m_sys_proc;
        mess_sys_getksig  m_sys_getksig;
        mess_sys_getinfo  m_sys_getinfo;
        mess_sys_copy     m_sys_copy;
        mess_sys_privctl  m_sys_privctl;
        mess_sys_update   m_sys_update;
        mess_sys_statectl m_sys_statectl;
        mess_sys_schedule m_sys_schedule;
        mess_sys_times    m_sys_times;
        mess_sys_setalarm m_sys_setalarm;
        mess_sys_diagctl  m_sys_diagctl;
        mess_sys_devio    m_sys_devio;
        mess_sys_irqctl   m_sys_irqctl;
        mess_sys_shutdown m_sys_shutdown;
        mess_rs_init      m_rs_init;
        mess_rs_lu        m_rs_lu;
        mess_rs_req       m_rs_req;
        mess_ds           m_ds;
        mess_pm           m_pm;
        mess_vm           m_vm;
        mess_tty          m_tty;
        mess_hello        m_hello;
        mess_ctl          m_ctl;
    };
} message;

#define MSG_LAYOUT_CHECK(t) \
    CRUCIBLE_STATIC_ASSERT(sizeof(t) == MSG_PAYLOAD, #t " must be 56 bytes")
MSG_LAYOUT_CHECK(mess_i32);          MSG_LAYOUT_CHECK(mess_bytes);
MSG_LAYOUT_CHECK(mess_notify);       MSG_LAYOUT_CHECK(mess_sys_fork);
MSG_LAYOUT_CHECK(mess_sys_exec);     MSG_LAYOUT_CHECK(mess_sys_proc);
MSG_LAYOUT_CHECK(mess_sys_getksig);  MSG_LAYOUT_CHECK(mess_sys_getinfo);
MSG_LAYOUT_CHECK(mess_sys_copy);     MSG_LAYOUT_CHECK(mess_sys_privctl);
MSG_LAYOUT_CHECK(mess_sys_update);   MSG_LAYOUT_CHECK(mess_sys_statectl);
MSG_LAYOUT_CHECK(mess_sys_schedule); MSG_LAYOUT_CHECK(mess_sys_times);
MSG_LAYOUT_CHECK(mess_sys_setalarm); MSG_LAYOUT_CHECK(mess_sys_diagctl);
MSG_LAYOUT_CHECK(mess_sys_devio);    MSG_LAYOUT_CHECK(mess_sys_irqctl);
MSG_LAYOUT_CHECK(mess_sys_shutdown); MSG_LAYOUT_CHECK(mess_rs_init);
MSG_LAYOUT_CHECK(mess_rs_lu);        MSG_LAYOUT_CHECK(mess_rs_req);
MSG_LAYOUT_CHECK(mess_ds);           MSG_LAYOUT_CHECK(mess_pm);
MSG_LAYOUT_CHECK(mess_vm);           MSG_LAYOUT_CHECK(mess_tty);
MSG_LAYOUT_CHECK(mess_hello);        MSG_LAYOUT_CHECK(mess_ctl);
CRUCIBLE_STATIC_ASSERT(sizeof(message) == 64, "a message is 64 bytes");

/*
 * IPC primitives. A process traps with the primitive in eax, the endpoint in
 * ebx and the message (or SENDA table) address in ecx; SENDA passes the
 * number of table entries in edx. The result comes back in eax.
 */
#define IPC_SEND        1       /* block until the destination receives */
#define IPC_RECEIVE     2       /* block until a message from src (or ANY) */
#define IPC_SENDREC     3       /* SEND then RECEIVE from the same endpoint */
#define IPC_NOTIFY      4       /* non-blocking, coalesced per sender */
#define IPC_SENDNB      5       /* SEND or fail with ENOTREADY */
#define IPC_SENDA       6       /* asynchronous send table */
#define IPC_NR_PRIMITIVES 7     /* valid primitives are 1 .. 6 */

/* Trap-mask bit of a primitive, for struct priv_spec.trap_mask. */
#define TRAP_BIT(prim)  (1u << (prim))
#define TRAP_ALL        (TRAP_BIT(IPC_SEND) | TRAP_BIT(IPC_RECEIVE) | \
                         TRAP_BIT(IPC_SENDREC) | TRAP_BIT(IPC_NOTIFY) | \
                         TRAP_BIT(IPC_SENDNB) | TRAP_BIT(IPC_SENDA))
#define TRAP_USER       (TRAP_BIT(IPC_SENDREC))

/*
 * An asynchronous send table entry (SENDA). The sender keeps the table in
 * its own memory and must not touch entries the kernel has not marked done.
 */
typedef struct {
    uint32_t   flags;           /* AMF_* */
    endpoint_t dst;
    int32_t    result;          /* set by the kernel when AMF_DONE is set */
    uint32_t   reserved;
    message    msg;
} asynmsg_t;

#define AMF_VALID       0x01    /* entry holds a message to send */
#define AMF_DONE        0x02    /* set by the kernel: delivered or failed */
#define AMF_NOTIFY      0x04    /* notify the sender (from SYSTEM) when done */
#define AMF_NOREPLY     0x08    /* no reply is expected (informational) */
#define AMF_NOTIFY_ERR  0x10    /* notify the sender only if it failed */
#define AMF_ALL_FLAGS   0x1F
#define SENDA_MAX_ENTRIES 256   /* longer tables are refused with EINVAL */

/* The type of a notification. Only the kernel builds notifications: an
 * ordinary message of this type is refused (EINVAL), so a receiver can
 * trust it. */
#define NOTIFY_MESSAGE  0x1000
#define IS_NOTIFY(m)    ((m)->m_type == NOTIFY_MESSAGE)

#endif
