/*
 * RS's types and globals: the table of services it supervises (struct
 * rproc), the boot and program tables it starts them from, and the one
 * update in flight.
 */
#ifndef RS_GLO_H
#define RS_GLO_H

#include <crucible/sef.h>
#include "logic.h"

/* Services RS can supervise. The single-handler fuzz harness (fuzz/rs)
 * builds RS with fewer (fuzz/CMakeLists.txt): a full table is then a few
 * requests past the boot image, and every per-message scan reads less. */
#ifndef NR_RS_SLOTS
#define NR_RS_SLOTS         NR_SYS_PROCS
#endif
#define RS_INIT_TIMEOUT     (3 * HZ)        /* ticks a new instance has to answer RS_INIT */
#define RS_ARGS_MAX         288             /* argument block for sys_exec */
#define RS_EXIT_SIGNALLED   128             /* exit status of a crashed program: 128 + signal */

/* What a kind of process may do; turned into a struct priv_spec. */
struct rs_priv_class {
    const char     *name;
    uint32_t        flags;          /* PRIV_* */
    uint32_t        trap_mask;      /* TRAP_BIT(...) */
    int             ipc_all;        /* nonzero: may send to every process slot */
    const int      *ipc_to;         /* else: these slots, ended by -1 */
    const int      *calls;          /* kernel calls besides SYS_BASIC_CALLS, ended by 0 */
    struct io_range io[PRIV_MAX_IO];/* ports for SYS_DEVIO ({0,0} unused) */
    const int      *vm_calls;       /* VM_* requests it may make, ended by 0 */
};

/* One entry of the boot table or the program table. */
struct rs_prog {
    const char     *label;          /* name in RS and DS */
    const char     *module;         /* boot module holding its image */
    const char     *args;           /* space-separated arguments, or NULL */
    int             slot;           /* boot slot (boot table), -1 (programs) */
    uint32_t        sf_flags;       /* SF_* */
    clock_t_        period;         /* heartbeat period in ticks, 0: none */
    const struct rs_priv_class *priv;
    int             priority;       /* scheduling queue of every instance */
};

/* Why a service stopped; the recovery record carries it. */
#define RSC_CRASH       1       /* a termination signal (sig) */
#define RSC_EXIT        2       /* sys_exit (status) */
#define RSC_HANG        3       /* no heartbeat answer within a period */
#define RSC_INIT_FAIL   4       /* its init answered an error (status) */
#define RSC_INIT_TIMEOUT 5      /* its init did not answer in time */
#define RSC_REQUEST     6       /* RS_RESTART */
#define RSC_START_FAIL  7       /* RS could not start the new instance (status) */

struct rs_cause {
    int kind;                   /* RSC_* */
    int sig;                    /* RSC_CRASH */
    int status;                 /* RSC_EXIT, RSC_INIT_FAIL, RSC_START_FAIL */
};

/* Phases of a service in RS (the RSS_* state RS_LOOKUP reports is derived). */
#define RP_FREE         0       /* unused entry */
#define RP_INIT_WAIT    1       /* instance started, RS_INIT reply due by deadline */
#define RP_RUNNING      2       /* up; heartbeats if it has a period */
#define RP_BACKOFF      3       /* crashed; restart at deadline */
#define RP_FAILED       4       /* gave up (RSS_FAILED) */
#define RP_EXITED       5       /* exited or brought down (RSS_EXITED) */

struct rproc {
    int             phase;          /* RP_* */
    char            label[RS_LABEL_LEN];
    const struct rs_prog *prog;     /* where it came from (NULL: RS itself) */
    int             module;         /* boot module index */
    endpoint_t      ep;             /* its endpoint; kept across restarts */
    endpoint_t      first_ep;       /* the endpoint it was started with */
    uint32_t        flags;          /* SF_*; RS_EDIT may change some */
    struct priv_spec spec;          /* what the kernel gets with PRIV_SET_SYS */
    int             restarts;       /* recoveries started so far */
    int             reset;          /* the last restart had to take a new endpoint */
    int             init_type;      /* SEF_INIT_* of the init we wait for */
    clock_t_        deadline;       /* RP_INIT_WAIT: init due; RP_BACKOFF: restart */
    struct rs_backoff backoff;
    struct rs_cause cause;          /* last failure */
    int             exit_status;    /* RP_EXITED */
    endpoint_t      init_caller;    /* gets a reply when the init ends (RS_UP, RS_RESTART) */
    endpoint_t      wait_caller;    /* RS_UP with RSU_WAIT: gets the exit status */
    clock_t_        next_ping;      /* heartbeat: next ping (RP_RUNNING, period > 0) */
    int             ping_pending;   /* pinged and no answer yet */
    endpoint_t      repl_ep;        /* SF_USE_REPL: a ready replica, or NONE */
    struct rs_lu    lu;             /* live update of this service */
    clock_t_        crash_tick;     /* when the failure being recovered was seen */
    endpoint_t      dead_ep;        /* RP_INIT_WAIT after a restart: the stopped
                                     * previous instance (the new one copies its
                                     * state from there), cleared once the init
                                     * answers, fails or times out; else NONE */
    int             xfer_off;       /* the last instance failed during its init:
                                     * the next restart takes no state from it */
    int             xfer;           /* SEF_XFER_* the last init reported */
    char            xargs[CTL_RUN_ARGS_MAX]; /* programs: extra arguments from the
                                     * control channel's `run` ("" if none) */
};

/* Request handlers: the message is the request and becomes the reply; the
 * result is the reply's type, or EDONTREPLY to answer later. */
typedef int (*rs_handler_t)(message *m);

/* table.c */
extern const struct rs_prog rs_boot_table[];
extern const int rs_boot_table_len;
extern const struct rs_prog rs_prog_table[];
extern const int rs_prog_table_len;
extern const rs_handler_t rs_call_vec[];
extern const int rs_call_vec_len;

/* main.c / utility.c */
extern struct rproc rs_rproc[NR_RS_SLOTS];
extern struct rproc *rs_lu_rp;          /* the one update in flight, or NULL */
extern struct module_info rs_modules[MAX_BOOT_MODULES];
extern int rs_booting;                  /* nonzero while walking the boot table */
extern int rs_recovery_off;             /* rs_recovery=0 on the kernel command line */

#endif
