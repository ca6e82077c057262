/*
 * hostsim.h: the library API of the host platform simulator (DESIGN.md §3,
 * §7). The platform-neutral kernel core and the unmodified servers (rs, ds,
 * pm, vm, tty, hello) run in the calling Linux process: every OS process is
 * a coroutine, a seeded deterministic scheduler decides who runs, the clock
 * is simulated. Tests and fuzzers drive the system through "puppets":
 * processes with no code of their own whose traps the caller performs.
 *
 * Determinism: the same config (seed included) and the same sequence of
 * hostsim_* calls give the same run and the same trace digest.
 *
 * One system per host process (the simulator is a singleton). Not
 * thread-safe. Result codes: the IPC / kernel results of <crucible/errno.h>
 * (OK = 0, negative errors) or one of the HOSTSIM_* codes below, which are
 * outside the range of crucible error numbers.
 *
 * Link with the CMake target `hostsim`.
 */
#ifndef HOSTSIM_H
#define HOSTSIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <crucible/types.h>
#include <crucible/ipc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Results beyond crucible's errno range. */
#define HOSTSIM_OK          0
#define HOSTSIM_STUCK       (-9001) /* the system went quiescent (nothing
                                       runnable, no alarm due within
                                       idle_ticks) before the puppet could
                                       continue; its call stays pending */
#define HOSTSIM_PENDING     (-9002) /* hostsim_pending: still blocked */
#define HOSTSIM_HALTED      (-9003) /* the system ended: kernel panic or
                                       shutdown (hostsim_status says which) */
#define HOSTSIM_VIOLATION   (-9004) /* a sanity check failed: the run stopped */
#define HOSTSIM_EINVAL      (-9005) /* bad argument (not a puppet, not booted) */
#define HOSTSIM_ENOSPC      (-9006) /* no free slot / memory */
#define HOSTSIM_BUSY        (-9007) /* the system still had work after
                                       call_steps scheduling steps: a
                                       livelock (servers keeping each other
                                       busy), or too small a budget. The
                                       system is left as it was then */

/* hostsim_puppet kinds */
#define HOSTSIM_PUPPET_USER     0   /* a user process known to PM (a child
                                       of init forked through PM_FORK) */
#define HOSTSIM_PUPPET_SYSTEM   1   /* a system process with its own
                                       privilege (all primitives, every
                                       target, every kernel call; RS is not
                                       its manager: it is not restarted) */

struct hostsim_config {
    uint64_t     seed;          /* scheduler seed (platform choices only) */
    const char  *cmdline;       /* kernel command line; NULL: "sanity=1".
                                   "sanity=1" makes every server run its
                                   sanity check after every message */
    const char *const *modules; /* NULL-terminated module names to boot;
                                   NULL: all (rs ds pm vm tty hello). rs is
                                   always booted. */
    int          trace;         /* record the message trace (ring + digest);
                                   0: only the count of messages, and the
                                   digest covers the count and the tick */
    unsigned     tick_every;    /* K: a clock tick after every K steps with
                                   a seeded jitter of up to K/2; 0: 64 */
    unsigned     idle_ticks;    /* quiescence horizon: when nothing is
                                   runnable, time jumps to the next alarm
                                   if it is due within this many ticks,
                                   else the system is quiescent. 0: 2000 */
    int          console;       /* 1: also echo the console to stdout */
    unsigned long call_steps;   /* most scheduling steps one API call (or
                                   one tick of hostsim_tick) runs before it
                                   returns HOSTSIM_BUSY; 0: 5,000,000.
                                   Bounds a livelock's cost (a fuzzer) */
};

/* Boots the system: loads the modules, runs kernel_main and then the
 * system until RS has initialised every service (RS is receiving and its
 * boot sequence is done) or max steps. Returns HOSTSIM_OK, HOSTSIM_HALTED
 * (panic during boot), HOSTSIM_VIOLATION, or HOSTSIM_STUCK (boot never
 * finished). May be called again to reboot from scratch (same process). */
int hostsim_boot(const struct hostsim_config *cfg);

/* Saves the whole system state (kernel tables, platform, every process's
 * memory and coroutine context, trace position, injection state) in one
 * slot. Returns HOSTSIM_OK. */
int hostsim_checkpoint(void);
/* Returns the system to the last checkpoint (puppets created after it are
 * gone). Fast: memcpy of what changed since the checkpoint only (the
 * processes that ran or were written, the puppet memory written;
 * HOSTSIM_FULL_RESTORE=1 in the environment: everything). Returns HOSTSIM_OK or HOSTSIM_EINVAL (no
 * checkpoint). */
int hostsim_restore(void);

/* Creates a puppet. USER: forked from the init puppet through PM (init
 * itself, INIT_PROC_NR, is the first user puppet returned); SYSTEM: a new
 * slot with a system privilege. Returns its endpoint or a negative
 * HOSTSIM_* / crucible error. */
endpoint_t hostsim_puppet(int kind);

/* Performs IPC 'primitive' (IPC_SEND, IPC_RECEIVE, IPC_SENDREC,
 * IPC_NOTIFY, IPC_SENDNB) for puppet 'puppet' to/from 'ep' with message
 * *m (copied into the puppet's memory; the result copied back into *m),
 * then runs the system until the puppet can continue. Returns the trap's
 * result (OK or a negative crucible error), HOSTSIM_STUCK (the call stays
 * pending: see hostsim_pending), HOSTSIM_BUSY (likewise, and the system
 * was still busy), HOSTSIM_HALTED, HOSTSIM_VIOLATION or HOSTSIM_EINVAL
 * (not a puppet, or it is still blocked). */
int hostsim_ipc(endpoint_t puppet, int primitive, endpoint_t ep, message *m);
/* A kernel call (m->m_type = call) by a system puppet; same results. */
int hostsim_kernel_call(endpoint_t puppet, int call, message *m);
/* A SENDA by a puppet: 'table' (count entries) is copied into the
 * puppet's memory and stays there (the kernel reads it later); the system
 * then runs until quiescent. Returns the trap's result. */
int hostsim_senda(endpoint_t puppet, const asynmsg_t *table, size_t count);
/* The state of a puppet's last call: HOSTSIM_PENDING while it is blocked,
 * else its result with the reply (if any) copied into *m (m may be NULL). */
int hostsim_pending(endpoint_t puppet, message *m);
/* Memory owned by the puppet (for buffers passed by address in messages):
 * returns the host pointer to write it through and its size in *len (NULL
 * if not a puppet). In messages, use the puppet's own address of the same
 * bytes, hostsim_puppet_vaddr(puppet) (all puppets see their memory at the
 * same virtual address, as forked processes do). */
void *hostsim_puppet_mem(endpoint_t puppet, size_t *len);
vir_bytes hostsim_puppet_vaddr(endpoint_t puppet);
/* Bytes [off, off + len) of the memory hostsim_puppet_mem returns: their
 * host pointer, or NULL if not a puppet or the span is not inside it.
 * hostsim_restore copies back only the process memory that changed since
 * the checkpoint; the caller's writes count through these two calls, so
 * a caller that writes a little (a fuzzer, every input) names the span
 * here: hostsim_puppet_mem counts the whole memory as written. */
void *hostsim_puppet_span(endpoint_t puppet, size_t off, size_t len);

/* Runs at most max_steps scheduling steps (one step = one process runs
 * until it traps). Returns the number of steps run (>= 0; fewer when
 * quiescent), or HOSTSIM_HALTED / HOSTSIM_VIOLATION. */
long hostsim_run(long max_steps);
/* Delivers n clock ticks, running the system after each until it is
 * quiescent. Returns the steps run, HOSTSIM_HALTED, HOSTSIM_VIOLATION, or
 * HOSTSIM_BUSY if a tick's work did not end within call_steps steps (the
 * later ticks are not delivered). */
long hostsim_tick(long n);
/* Crashes the service 'label' now (a CPU exception, vector 14, as if it
 * had faulted) and runs the system until quiescent. HOSTSIM_OK,
 * HOSTSIM_BUSY (not quiescent within call_steps steps), HOSTSIM_HALTED,
 * HOSTSIM_VIOLATION, or HOSTSIM_EINVAL if no such live process. */
int hostsim_crash(const char *label);
/* Adds a fault-plan record in the control-channel syntax of docs/inject.md
 * ("site=ipc action=drop target=ds type=0x..."; the leading "fault add" is
 * optional). Returns the fault id (>= 0) or HOSTSIM_EINVAL. */
int hostsim_fault_add(const char *record);

/* The outcome of sanity checks. */
struct hostsim_violation {
    char label[16];             /* server */
    char invariant[128];        /* what its sanity check reported */
    uint64_t message_index;     /* trace index of the message after which */
};
/* Runs every live server's sanity check now. Returns 0 if all pass, else 1
 * with the first failure in *v (v may be NULL). After a run stops with
 * HOSTSIM_VIOLATION, returns 1 with that violation. */
int hostsim_sanity(struct hostsim_violation *v);

/* Trace: every delivered message (tick, src, dst, type, payload hash). */
struct hostsim_trace_entry {
    uint64_t   index;
    uint32_t   tick;
    endpoint_t src, dst;
    int32_t    type;
    uint32_t   hash;            /* FNV-1a of the 64-byte message payload */
};
/* A digest of the whole trace since boot (a running hash, not only the
 * ring), of the number of messages and of the final tick. The messages
 * themselves count only when booted with trace = 1. */
uint64_t hostsim_trace_digest(void);
/* Number of messages delivered since boot. */
uint64_t hostsim_trace_count(void);
/* Writes the ring (the last entries, oldest first) as text lines. */
void hostsim_trace_dump(FILE *f);
/* Copies up to n of the last entries (oldest first); returns how many. */
size_t hostsim_trace_last(struct hostsim_trace_entry *out, size_t n);

/* The endpoint of the live process 'label' (process name), or
 * HOSTSIM_EINVAL. */
endpoint_t hostsim_lookup(const char *label);

/* Status of the system: 0 running, 1 halted (shutdown), 2 panicked,
 * 3 sanity violation; *detail (if not NULL) points at a description. */
int hostsim_status(const char **detail);
/* Console output since boot (NUL-terminated). */
const char *hostsim_console(void);
/* Simulated clock: ticks since boot. */
uint32_t hostsim_ticks(void);
/* Host pointer of address v in process ep's memory, or NULL if [v, v+len)
 * is not mapped in it (for tests that corrupt server memory). */
void *hostsim_mem(endpoint_t ep, vir_bytes v, size_t len);
/* Address of a global symbol of a loaded module (e.g. "ds", "store"), or 0. */
vir_bytes hostsim_symbol(const char *module, const char *symbol);

#ifdef __cplusplus
}
#endif

#endif
