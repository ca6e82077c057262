/*
 * The reincarnation server's decisions, as pure functions: no IPC, no kernel
 * calls, no globals. The rest of RS asks these functions what to do and then
 * does it, so the rules (restart backoff, when to give up, the live-update
 * state machine and its rollback decisions, how a signal is read) are tested
 * on the host by tests/unit/rs without a kernel.
 *
 * Ticks wrap: every comparison of two tick values goes through rs_ticks_due().
 */
#ifndef RS_LOGIC_H
#define RS_LOGIC_H

#include <crucible/types.h>
#include <crucible/config.h>
#include <crucible/endpoint.h>
#include <crucible/errno.h>
#include <crucible/com.h>
#include <crucible/signal.h>

#define RS_LABEL_LEN        16          /* sizeof m_rs_req.label */

/* ---- restart backoff and the give-up rule ---- */
#define RS_BACKOFF_BASE     10          /* ticks before the second restart */
#define RS_MAX_FAILURES     5           /* more than this many ... */
#define RS_FAIL_WINDOW      (5 * HZ)    /* ... within this many ticks: give up */
#define RS_BACKOFF_MAX_SHIFT 16         /* cap on the doubling */

/* Recent failures of one service, oldest first, all within the window. */
struct rs_backoff {
    clock_t_ fail_at[RS_MAX_FAILURES + 1];
    int      nfail;
};

/* Results of rs_backoff_failure(). */
#define RS_BO_RESTART   1               /* restart after *delay ticks */
#define RS_BO_GIVE_UP   0               /* too many failures: give up */

/* rs_ticks_due(now, t): nonzero when tick t has come (t <= now, with wrap). */
int rs_ticks_due(clock_t_ now, clock_t_ t);

/* rs_backoff_reset(b): forget every failure. */
void rs_backoff_reset(struct rs_backoff *b);

/* rs_backoff_delay(n): ticks to wait before restarting after the n-th
 * failure within the window (n >= 1): 0 for the first, then 10, 20, 40... */
clock_t_ rs_backoff_delay(int n);

/*
 * rs_backoff_failure(b, now, delay): record a failure at tick 'now'. Drops
 * failures older than RS_FAIL_WINDOW, then counts this one. Returns
 * RS_BO_GIVE_UP when more than RS_MAX_FAILURES failures fall within the
 * window, else RS_BO_RESTART with *delay set from rs_backoff_delay().
 */
int rs_backoff_failure(struct rs_backoff *b, clock_t_ now, clock_t_ *delay);

/* rs_backoff_consistent(b, now): nonzero when b is well formed: the count is
 * in range and the failures are in order and not in the future. */
int rs_backoff_consistent(const struct rs_backoff *b, clock_t_ now);

/* ---- live update ---- */
#define RS_LU_DEFAULT_TIMEOUT (2 * HZ)  /* prepare timeout when asked for 0 */
#define RS_LU_MAX_TIMEOUT   (60 * HZ)

/* Phases of one update. */
#define LU_IDLE         0       /* no update */
#define LU_PREPARE      1       /* RS_LU_PREPARE sent, waiting for "ready" */
#define LU_INIT         2       /* new instance swapped in, waiting for its init */

/* Events fed to rs_lu_event(). */
#define LUE_PREPARE_REPLY 1     /* the old instance answered prepare (result) */
#define LUE_TIMEOUT       2     /* the deadline passed */
#define LUE_INIT_REPLY    3     /* the new instance answered init (result) */
#define LUE_CRASH         4     /* the service (old or new instance) died */
#define LUE_START_FAILED  5     /* starting the new instance failed before the swap (result) */

/* Actions rs_lu_event() asks for. */
#define LUA_NONE        0       /* nothing (event ignored) */
#define LUA_START_NEW   1       /* start the new instance and swap it in */
#define LUA_CANCEL      2       /* RS_LU_CANCEL the old one (no swap happened); reply */
#define LUA_ROLLBACK    3       /* swap back, clear the new one, RS_LU_CANCEL; reply */
#define LUA_COMMIT      4       /* clear the old instance; reply OK */
#define LUA_ABORT       5       /* reply; the update is over, the service crashed */

struct rs_lu {
    int        phase;           /* LU_* */
    int        state;           /* prepare state asked for */
    clock_t_   timeout;         /* ticks allowed for each phase */
    clock_t_   deadline;        /* tick by which the current phase must end */
    endpoint_t caller;          /* who asked (gets the reply), NONE if nobody */
    endpoint_t other;           /* LU_INIT: endpoint now holding the old instance */
    int        result;          /* reply for the caller once the update ends */
};

/* rs_lu_reset(lu): no update. */
void rs_lu_reset(struct rs_lu *lu);

/*
 * rs_lu_begin(lu, busy, state, timeout, now): start an update of one service.
 * busy: nonzero when any update is already in flight (one at a time).
 * Returns OK (lu is now LU_PREPARE with its deadline), EBUSY, or EINVAL for
 * a bad prepare state (not SEF_LU_STATE_WORK_FREE or above) or a negative
 * or too long timeout. A timeout of 0 means RS_LU_DEFAULT_TIMEOUT.
 */
int rs_lu_begin(struct rs_lu *lu, int busy, int state, int timeout, clock_t_ now);

/*
 * rs_lu_event(lu, event, result, now): advance the update and say what to do.
 * 'result' is the service's answer (LUE_PREPARE_REPLY, LUE_INIT_REPLY) or the
 * error that stopped the start (LUE_START_FAILED). Sets lu->result to the
 * reply for the caller when the update ends (phase back to LU_IDLE). Events
 * that do not fit the phase return LUA_NONE and change nothing.
 */
int rs_lu_event(struct rs_lu *lu, int event, int result, clock_t_ now);

/* rs_lu_expired(lu, now): nonzero when an update is in flight and its
 * current phase's deadline has passed. */
int rs_lu_expired(const struct rs_lu *lu, clock_t_ now);

/* ---- signals of system processes ---- */
#define RS_SIG_NONE     0       /* no signal at all */
#define RS_SIG_OTHER    1       /* only non-termination signals: forward them */
#define RS_SIG_CRASH    2       /* a termination signal, not through sys_exit */
#define RS_SIG_EXIT     3       /* it exited (sys_exit: RTS_PROC_STOP) */

/*
 * rs_sig_classify(sigs, stopped, sig): how to read the signals of a system
 * process. stopped: nonzero when the process has RTS_PROC_STOP (sys_exit).
 * *sig is the signal to report: the lowest-numbered termination signal other
 * than SIGKILL if there is one, else SIGKILL, else the lowest signal.
 */
int rs_sig_classify(sigset_t_ sigs, int stopped, int *sig);

/* ---- requests ---- */

/* rs_label_ok(label): nonzero when label (a RS_LABEL_LEN array from a
 * message) is non-empty and NUL-terminated within the array. */
int rs_label_ok(const char *label);

/* rs_args_build(buf, len, module, args, extra): the NUL-separated argument
 * block for sys_exec: module name, then each space-separated word of args,
 * then of extra (either may be NULL). Returns the bytes used including the
 * final NUL, or 0 if it does not fit. */
size_t rs_args_build(char *buf, size_t len, const char *module, const char *args,
                     const char *extra);

#endif
