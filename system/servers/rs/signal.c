/*
 * RS as the signal manager of system processes. The kernel stops a system
 * process that gets a signal and tells RS (a notify from SYSTEM); SEF asks
 * sys_getksig for each (process, signals) and calls rs_sig_mgr. Termination
 * signals mean the process exited (RTS_PROC_STOP: sys_exit) or crashed;
 * other signals are passed to the service as RS_SIGNAL messages.
 */
#include "proto.h"

/* forward_signals: asynsend one RS_SIGNAL{m_pm.sig} per signal in sigs to
 * rp, then let it run again (sys_endksig). */
static void forward_signals(struct rproc *rp, endpoint_t target, sigset_t_ sigs)
{
    message m;
    int s;

    for (s = 1; s < NSIG; s++) {
        if (!(sigs & SIGMASK(s)))
            continue;
        memset(&m, 0, sizeof(m));
        m.m_type = RS_SIGNAL;
        m.m_pm.sig = s;
        if (asynsend(target, &m) != OK)
            printf("rs: cannot pass signal %d to %s\n", s, rp->label);
    }
    sys_endksig(target);
}

/*
 * rs_sig_mgr: the SEF signal-manager callback for (target, sigs). A process
 * RS does not supervise: cleared on a termination signal, else resumed.
 * A service: non-termination signals are forwarded; a termination signal is
 * an exit (RTS_PROC_STOP, status from sys_getproc) or a crash, and goes to
 * rs_service_failed (which restarts it, or records a program as exited and
 * clears it). sys_endksig is called only when the process carries on.
 * Re-arms RS's alarm (a restart may now be due later). Returns OK.
 */
int rs_sig_mgr(endpoint_t target, sigset_t_ sigs)
{
    struct rproc *rp = rs_lookup_ep(target);
    struct rs_cause cause = { 0, 0, 0 };
    struct proc_info pi;
    int kind, sig, stopped = 0, status = 0;

    if (sys_getproc(target, &pi) == OK && (pi.rts_flags & RTS_PROC_STOP)) {
        stopped = 1;
        status = pi.exit_status;
    }
    kind = rs_sig_classify(sigs, stopped, &sig);

    if (rp == NULL && rs_lookup_dead(target) != NULL) {
        /* A previous instance kept for its successor's state transfer: it
         * stays stopped whatever the signal (a resumed one would run its
         * crashed code again; a cleared one takes the state with it), and
         * rs_dead_drop clears it once the successor's init has ended.
         * Found by fuzz/system (regressions/system/signal_to_kept_instance):
         * a signal pending on the old instance, moved to its new endpoint
         * by SYS_UPDATE, had RS clear it as an unknown process. */
        return OK;
    }
    if (rp == NULL || rp->prog == NULL) {
        if (target == RS_PROC_NR)
            return OK;          /* cannot happen: a signal to RS panics */
        if (kind == RS_SIG_CRASH || kind == RS_SIG_EXIT) {
            printf("rs: unknown system process %d stopped (signal %d)\n",
                   target, sig);
            sys_clear(target);
        } else {
            sys_endksig(target);
        }
        return OK;
    }

    switch (kind) {
    case RS_SIG_OTHER:
        forward_signals(rp, target, sigs);
        break;
    case RS_SIG_CRASH:
        cause.kind = RSC_CRASH;
        cause.sig = sig;
        rs_service_failed(rp, &cause);
        break;
    case RS_SIG_EXIT:
        cause.kind = RSC_EXIT;
        cause.status = status;
        rs_service_failed(rp, &cause);
        break;
    default:
        sys_endksig(target);
        break;
    }
    rs_timers_rearm();      /* SEF calls us from inside sef_receive */
    return OK;
}

/* rs_ksig_drain: fetch every pending (process, signals) from the kernel and
 * hand each to rs_sig_mgr. For the boot walk, where RS receives directly
 * instead of through sef_receive; harmless when nothing is pending. */
void rs_ksig_drain(void)
{
    endpoint_t target;
    sigset_t_ sigs;

    while (sys_getksig(&target, &sigs) == OK && target != NONE)
        rs_sig_mgr(target, sigs);
}
