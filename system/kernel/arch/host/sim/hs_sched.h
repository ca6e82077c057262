/*
 * hs_sched.h (host platform simulator, internal): what the files that
 * make up the scheduler and the hostsim.h API share, in kernel types
 * (include after kernel.h, hs.h and hostsim.h):
 *
 *   sched.c    the run loop, processes' coroutines, boot, the run/crash/
 *              fault/status API, checkpoint and restore
 *   ticks.c    simulated time: when ticks come, idle time jumps
 *   puppet.c   puppets: creation, their traps, their memory
 *   trace.c    the message trace and the console (sanity FAIL lines)
 *
 * The variables below are system state: they live in the library's
 * writable segments, which the checkpoint copies (sig.c), exactly as when
 * they were one file's statics.
 */
#ifndef HOSTSIM_HS_SCHED_H
#define HOSTSIM_HS_SCHED_H

#include <setjmp.h>

#define API __attribute__((visibility("default")))

#define TRACE_RING      4096
#define CONSOLE_MAX     (256u * 1024)
#define PUPPET_VBASE    HS_PUPPET_VBASE
#define PUPPET_MSG      0u              /* offset of the trap message */
#define PUPPET_SENDA    (HS_PUPPET_MEM - 16384u)
#define PUPPET_USER     4096u           /* hostsim_puppet_mem: from here */
#define BOOT_MAX_STEPS  2000000L
#define CALL_MAX_STEPS  5000000L
#define IDLE_DEFAULT    2000L           /* idle_ticks when the config says 0 */

/* State that is not part of the system (survives hostsim_restore): the
 * trace ring and console text (their lengths are system state), the
 * checkpoint. Allocated once. */
struct persist {
    struct hostsim_trace_entry ring[TRACE_RING];
    char console[CONSOLE_MAX + 1];
    unsigned char *ck_self, *ck_mem;
    size_t ck_self_len, ck_mem_len, ck_mem_cap;
    int ck_valid;
};
extern struct persist *ps;

/* ---- system state (in our writable segments: checkpointed) ---- */
extern struct hostsim_config cfg;
extern int status;                      /* 0 run, 1 halt, 2 panic, 3 violation */
extern char status_detail[256];
extern struct hostsim_violation violation;
extern uint64_t trace_count, trace_digest;
extern int booted;
extern int init_handed;                 /* init puppet given out */
extern int handed[HS_MAX_INST];         /* the puppet endpoint given out per
                                         * instance (0: none; an instance
                                         * reused by a new process is new) */
extern long idle_budget;                /* ticks the current call may still jump */
/* kernel-call reply exclusion (trace.c) */
extern struct proc *kc_proc;
extern vir_bytes kc_msg;

/* ---- kernel context (not state: valid only inside an API call) ---- */
extern sigjmp_buf halt_jmp;
extern int halt_armed;

/* Arms halt_jmp for the calling API function; returns nonzero after a halt. */
#define ENTER()                                         \
    do {                                                \
        if (sigsetjmp(halt_jmp, 0) != 0) {              \
            halt_armed = 0;                             \
            return status == 3 ? HOSTSIM_VIOLATION : HOSTSIM_HALTED; \
        }                                               \
        halt_armed = 1;                                 \
    } while (0)
#define LEAVE() (halt_armed = 0)

/* Run-loop results besides HOSTSIM_* codes. */
#define RUN_DONE    1       /* the condition holds */
#define RUN_BUDGET  2       /* max_steps ran */

/* sched.c */
/* Runs the system until done(arg) (RUN_DONE), max_steps steps
 * (RUN_BUDGET), quiescence (HOSTSIM_STUCK), a halt (HOSTSIM_HALTED) or a
 * sanity violation (HOSTSIM_VIOLATION). Must be called with halt_jmp
 * armed. *steps (if not NULL) counts the steps run. */
int  run_loop(long max_steps, int (*done)(void *), void *arg, long *steps);
/* Instance index of p or -1. */
int  inst_of(const struct proc *p);
/* Nonzero if p is a puppet (driven by the caller). */
int  is_puppet(const struct proc *p);
/* The idle budget of one API call (cfg.idle_ticks or its default). */
long idle_default(void);
/* The step budget of one API call (cfg.call_steps or CALL_MAX_STEPS). */
long call_max_steps(void);

/* ticks.c */
/* Resets the tick schedule from seed (boot). */
void ticks_boot(uint64_t seed);
/* Counts one step: nonzero if a clock tick is due before it (the tick is
 * then delivered here, and the step does not run). */
int  ticks_step(void);
/* Nothing but puppets can run: jumps time to the next alarm within
 * idle_budget. Returns 0, or HOSTSIM_STUCK (no alarm within it). */
int  ticks_idle(void);

/* puppet.c */
/* Forgets which puppets were handed out (boot). */
void puppets_boot(void);

/* trace.c */
/* Resets the trace and the console (boot). */
void trace_boot(void);
/* Looks at the trap of instance i (process p) for console output. */
void watch_trap(int i, struct proc *p);

#endif
