/*
 * Crash recovery. A service that crashed, exited, hung or failed its init is
 * restarted as a live update into a fresh instance that keeps the endpoint
 * (docs/os.md, System processes): spawn (or take the replica), sys_update
 * the two slots, keep the dead instance (stopped, in the spare slot) so that
 * the new one can copy its state, allow the service slot, asynsend
 * RS_INIT{SEF_INIT_RESTART, old_ep = the dead instance}, and wait for the
 * answer without blocking; the dead instance is cleared when the init
 * answers, fails or times out (rs_dead_drop). PM learns of every instance
 * that dies (rs_pm_died: a new one took its endpoint, or the service is
 * gone), for its process-event subscribers.
 * Restarts back off (logic.c) and RS gives up after too many failures.
 * Programs that are not restartable are recorded as exited instead.
 */
#include "proto.h"

/* cause_status: the exit status recorded for a program that stopped for
 * 'cause': its sys_exit status, 128 + signal for a crash, 1 when its init
 * failed or could not start, 128 + SIGKILL otherwise. */
static int cause_status(const struct rs_cause *cause)
{
    switch (cause->kind) {
    case RSC_EXIT:
        return cause->status;
    case RSC_CRASH:
        return RS_EXIT_SIGNALLED + cause->sig;
    case RSC_INIT_FAIL:
    case RSC_START_FAIL:
        return 1;
    default:
        return RS_EXIT_SIGNALLED + SIGKILL;
    }
}

/* emit_crashed: the service_crashed event for rp stopping for 'cause':
 * "signal" for a crash, else "cause" (exit, hang, init, start, request). */
static void emit_crashed(const struct rproc *rp, const struct rs_cause *cause)
{
    static const char *const names[] = {
        "?", "crash", "exit", "hang", "init", "init_timeout", "request", "start"
    };
    int k = cause->kind >= 0 && cause->kind <= RSC_START_FAIL ? cause->kind : 0;

    if (cause->kind == RSC_CRASH)
        rs_event("service_crashed", "\"label\":\"%s\",\"ep\":%d,\"signal\":%d",
                 rp->label, (int)rp->ep, cause->sig);
    else
        rs_event("service_crashed", "\"label\":\"%s\",\"ep\":%d,\"cause\":\"%s\"",
                 rp->label, (int)rp->ep, names[k]);
}

/* give_up: rp is not restarted any more: RP_FAILED (RSS_FAILED), the
 * service_failed event with 'reason' ("recovery_off": rs_recovery=0, never
 * restarted; "too_many": the backoff gave up), its slot cleared (callers
 * get EDEADSRCDST), a waiting RS_UP / RS_RESTART caller answered
 * EGENERIC, and an RSU_WAIT waiter answered with the exit status of the
 * last failure (cause_status). */
static void give_up(struct rproc *rp, const char *reason)
{
    rp->phase = RP_FAILED;
    rs_event("service_failed", "\"label\":\"%s\",\"reason\":\"%s\"", rp->label, reason);
    rs_replica_drop(rp);
    sys_clear(rp->ep);
    rs_pm_died(rp->ep, 0);
    rs_reply_to(rp->init_caller, EGENERIC, rp, rp->restarts);
    rp->init_caller = NONE;
    /* A program made restartable (RS_EDIT) after an RS_UP with RSU_WAIT:
     * it has ended for good, so its waiter gets the status of the last
     * failure, as for an exit (found by fuzz/rs, regressions/rs). */
    rs_reply_to(rp->wait_caller, OK, rp, cause_status(&rp->cause));
    rp->wait_caller = NONE;
}

/*
 * rs_service_failed: rp stopped working for 'cause'. An update in flight
 * decides first (a crash of the new instance rolls back and ends there).
 * Programs that are not restartable are recorded as exited. Restartable
 * services are stopped (PRIV_DISALLOW) and restarted now, later (backoff),
 * or given up on: RP_FAILED, slot cleared, one console line. With
 * rs_recovery=0 on the kernel command line (rs_recovery_off) every failure
 * of a restartable service is given up on at once: service_crashed, then
 * service_failed.
 */
void rs_service_failed(struct rproc *rp, const struct rs_cause *cause)
{
    clock_t_ now, delay;

    if (rp->lu.phase != LU_IDLE && rs_lu_crash(rp))
        return;
    /* A new instance that fails during its init may have taken bad state
     * from its predecessor: the next one starts without any. */
    rp->xfer_off = (rp->phase == RP_INIT_WAIT);
    rs_dead_drop(rp);
    if (rp->cause.kind == 0) {
        rp->cause = *cause;     /* keep the first cause until it runs again */
        rp->crash_tick = getticks();
        if (rp->flags & SF_RESTARTABLE)
            emit_crashed(rp, cause);
    }

    if (!(rp->flags & SF_RESTARTABLE)) {
        rs_service_exited(rp, cause_status(cause));
        return;
    }

    sys_privctl(rp->ep, PRIV_DISALLOW, NULL);   /* a hung one must not run */
    rp->ping_pending = 0;
    if (rs_recovery_off) {
        printf("rs: %s stopped, not restarted (rs_recovery=0)\n", rp->label);
        give_up(rp, "recovery_off");
        return;
    }
    now = getticks();
    if (rs_backoff_failure(&rp->backoff, now, &delay) == RS_BO_GIVE_UP) {
        printf("rs: giving up on %s\n", rp->label);
        give_up(rp, "too_many");
        return;
    }
    if (delay == 0) {
        rs_restart_now(rp);
    } else {
        rp->phase = RP_BACKOFF;
        rp->deadline = now + delay;
    }
}

/*
 * restart_reset: the fallback when the dead instance cannot be swapped out
 * (sys_update says EBUSY: one of the two is runnable). Clear it and let
 * 'child' be the service under its own, new endpoint, published in DS
 * (which hands it the old endpoint's keys). Returns OK.
 */
static int restart_reset(struct rproc *rp, endpoint_t child)
{
    sys_clear(rp->ep);
    rs_pm_died(rp->ep, 0);
    rp->ep = rp->first_ep = child;
    rp->reset = 1;
    rs_publish_label(rp);
    rs_vm_callmask(rp);
    return OK;
}

/*
 * rs_restart_now: replace rp's stopped instance with a fresh one under the
 * same endpoint and ask it to initialize (SEF_INIT_RESTART). After the swap
 * the dead instance sits stopped under the spare endpoint; it is kept in
 * rp->dead_ep and named in RS_INIT (old_ep) so that the new instance copies
 * its state, unless the dead one failed during its own init (xfer_off:
 * cleared at once, old_ep NONE). rp ends in RP_INIT_WAIT; if a step fails,
 * the failure goes through rs_service_failed (and so through the backoff).
 * If the old instance cannot be swapped out, the new one takes over under
 * a new endpoint (no state).
 */
void rs_restart_now(struct rproc *rp)
{
    struct rs_cause fail = { RSC_START_FAIL, 0, 0 };
    endpoint_t child;
    int r, swapped;

    rs_dead_drop(rp);               /* never two kept instances */
    rp->restarts++;
    rp->reset = 0;
    if (rp->repl_ep != NONE) {
        child = rp->repl_ep;            /* hot swap: the replica is ready */
        rp->repl_ep = NONE;
        r = OK;
    } else {
        r = rs_spawn(rp, &child);
    }
    if (r == OK) {
        r = sys_update(rp->ep, child, UPD_SWAP);
        if (r == OK)
            rs_pm_died(rp->ep, SERVICE_RESTARTED);
        if (r == OK && !rp->xfer_off)
            rp->dead_ep = child;        /* now the dead instance: kept */
        else if (r == OK)
            sys_clear(child);           /* now the dead instance */
        else if (r == EBUSY)
            r = restart_reset(rp, child);
        else
            sys_clear(child);           /* the unused fresh one */
    }
    swapped = (r == OK);
    if (r == OK)
        r = sys_privctl(rp->ep, PRIV_ALLOW, NULL);
    if (r == OK)
        r = rs_send_init(rp, SEF_INIT_RESTART, rp->dead_ep);
    if (r != OK) {
        printf("rs: cannot restart %s: %d\n", rp->label, r);
        fail.status = r;
        if (swapped)    /* a never-initialized instance holds no state */
            rp->phase = RP_INIT_WAIT;
        rs_service_failed(rp, &fail);
        return;
    }
    rs_await_init(rp, SEF_INIT_RESTART);
}

/*
 * rs_service_exited: rp is over (not restartable, or brought down): clear
 * its slot, record RP_EXITED with 'status', and answer whoever waits: the
 * RS_UP caller still waiting for the init gets EGENERIC, the RSU_WAIT
 * caller gets OK with the status in m_rs_req.value.
 */
void rs_service_exited(struct rproc *rp, int status)
{
    rs_replica_drop(rp);
    rs_dead_drop(rp);
    if (rp->lu.phase != LU_IDLE) {
        rs_reply_to(rp->lu.caller, ESRCH, rp, 0);
        if (rs_lu_rp == rp)
            rs_lu_rp = NULL;
        rs_lu_reset(&rp->lu);
    }
    if (rp->ep != NONE) {
        sys_clear(rp->ep);
        rs_pm_died(rp->ep, 0);
    }
    rp->phase = RP_EXITED;
    rp->exit_status = status;
    rs_event("program_exit", "\"label\":\"%s\",\"status\":%d", rp->label, status);
    rp->ping_pending = 0;
    rs_reply_to(rp->init_caller, EGENERIC, rp, status);
    rp->init_caller = NONE;
    rs_reply_to(rp->wait_caller, OK, rp, status);
    rp->wait_caller = NONE;
}

/*
 * rs_init_reply: m is an RS_INIT answer (m_rs_init.result) from a service.
 * A live update in its init phase takes it; otherwise, if rp waits for an
 * init: the kept previous instance is cleared (its state was taken or
 * refused), OK makes it RP_RUNNING (recording the recovery if it was a
 * restart, with the state transfer result m_rs_init.xfer, and answering
 * the waiting caller), an error is a failure. Answers nobody waits for are
 * ignored.
 */
void rs_init_reply(message *m)
{
    struct rproc *rp = rs_lookup_ep(m->m_source);
    struct rs_cause fail = { RSC_INIT_FAIL, 0, 0 };
    int result = m->m_rs_init.result;

    if (rp == NULL)
        return;
    if (rp->lu.phase == LU_INIT) {
        rs_lu_init_reply(rp, result);
        return;
    }
    if (rp->phase != RP_INIT_WAIT)
        return;
    rs_dead_drop(rp);
    rp->xfer = m->m_rs_init.xfer;
    if (result != OK) {
        printf("rs: %s failed to initialize: %d\n", rp->label, result);
        fail.status = result;
        rs_service_failed(rp, &fail);
        return;
    }
    rp->phase = RP_RUNNING;
    rs_hb_start(rp, getticks());
    if (rp->init_type == SEF_INIT_RESTART)
        rs_record_recovery(rp);
    if (rp->ep == VM_PROC_NR && rp->init_type != SEF_INIT_FRESH)
        rs_vm_callmask_all();       /* a fresh VM knows no masks */
    rp->cause.kind = 0;
    rs_reply_to(rp->init_caller, OK, rp, rp->restarts);
    rp->init_caller = NONE;
    rs_replica_make(rp);
}

/*
 * rs_record_recovery: the one place a completed recovery is recorded: one
 * console line now (events for the host orchestrator hook in here).
 * rp->cause is what stopped the previous instance; rp->xfer what became of
 * its state (service_restarted "state": none, kept, failed, rejected).
 */
void rs_record_recovery(struct rproc *rp)
{
    const char *kept = rp->reset ? "new endpoint" : "endpoint";
    const char *tail = rp->reset ? "" : " kept";
    clock_t_ now = getticks();

    static const char *const xfer_names[] = { "none", "kept", "failed", "rejected" };
    int x = rp->xfer >= SEF_XFER_NONE && rp->xfer <= SEF_XFER_REJECTED ? rp->xfer : 0;

    rs_event("service_restarted",
             "\"label\":\"%s\",\"ep\":%d,\"restarts\":%d,\"latency\":%u,\"same_ep\":%s,\"state\":\"%s\"",
             rp->label, (int)rp->ep, rp->restarts,
             (unsigned)(rp->crash_tick ? now - rp->crash_tick : 0),
             rp->reset ? "false" : "true", xfer_names[x]);
    rp->crash_tick = 0;

    switch (rp->cause.kind) {
    case RSC_CRASH:
        printf("rs: %s crashed (signal %d), restarted, %s %d%s\n",
               rp->label, rp->cause.sig, kept, rp->ep, tail);
        break;
    case RSC_EXIT:
        printf("rs: %s exited (status %d), restarted, %s %d%s\n",
               rp->label, rp->cause.status, kept, rp->ep, tail);
        break;
    case RSC_HANG:
        printf("rs: %s hung, restarted, %s %d%s\n", rp->label, kept, rp->ep, tail);
        break;
    case RSC_REQUEST:
        printf("rs: %s restarted on request, %s %d%s\n",
               rp->label, kept, rp->ep, tail);
        break;
    default:
        printf("rs: %s failed (%d), restarted, %s %d%s\n",
               rp->label, rp->cause.kind, kept, rp->ep, tail);
        break;
    }
}

/* rs_recovery_expire: at tick 'now', restart services whose backoff is over
 * and fail those whose init answer is overdue. */
void rs_recovery_expire(clock_t_ now)
{
    struct rs_cause late = { RSC_INIT_TIMEOUT, 0, 0 };
    int i;

    for (i = 0; i < NR_RS_SLOTS; i++) {
        struct rproc *rp = &rs_rproc[i];
        if (rp->phase == RP_BACKOFF && rs_ticks_due(now, rp->deadline)) {
            rs_restart_now(rp);
        } else if (rp->phase == RP_INIT_WAIT &&
                   rs_ticks_due(now, rp->deadline)) {
            printf("rs: %s did not answer its init in time\n", rp->label);
            rs_service_failed(rp, &late);
        }
    }
}
