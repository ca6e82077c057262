/*
 * Live update (RS_UPDATE{label, state, timeout}), one at a time
 * (docs/os.md, System processes): RS asynsends RS_LU_PREPARE{state}; when
 * the service answers ready it waits in RECEIVE from RS; RS then starts a new
 * instance, swaps it in with sys_update (the old one keeps running nowhere,
 * parked in the new instance's slot) and sends RS_INIT{SEF_INIT_LU}. Init OK
 * commits (the old instance is cleared); an init error, a timeout or a crash
 * of the new instance rolls back (swap back, clear the new one, RS_LU_CANCEL
 * to the old one, which carries on). The decisions are rs_lu_event's
 * (logic.c); this file carries them out.
 */
#include "proto.h"

static void lu_apply(struct rproc *rp, int action);

/* lu_finish: the update of rp is over: answer its caller with lu.result. */
static void lu_finish(struct rproc *rp)
{
    int result = rp->lu.result;
    endpoint_t caller = rp->lu.caller;

    rs_event(result == OK ? "service_updated" : "service_rolled_back",
             "\"label\":\"%s\",\"state\":%d,\"result\":%d",
             rp->label, (int)rp->lu.state, result);
    rs_lu_reset(&rp->lu);
    if (rs_lu_rp == rp)
        rs_lu_rp = NULL;
    rs_reply_to(caller, result, rp, rp->restarts);
}

/* lu_cancel_msg: asynsend RS_LU_CANCEL to rp's (old) instance. */
static void lu_cancel_msg(struct rproc *rp)
{
    message m;

    memset(&m, 0, sizeof(m));
    m.m_type = RS_LU_CANCEL;
    m.m_rs_lu.state = rp->lu.state;
    if (asynsend(rp->ep, &m) != OK)
        printf("rs: cannot cancel the update of %s\n", rp->label);
}

/* lu_start_new: the old instance is ready: stop it, start the new one, swap
 * them, let the new one run and ask it to initialize (SEF_INIT_LU, old_ep =
 * where the old instance now is). Failures feed back into rs_lu_event. */
static void lu_start_new(struct rproc *rp)
{
    endpoint_t child = NONE;
    int r;

    sys_privctl(rp->ep, PRIV_DISALLOW, NULL);
    r = rs_spawn(rp, &child);
    if (r == OK) {
        r = sys_update(rp->ep, child, UPD_SWAP);
        if (r != OK)
            sys_clear(child);
    }
    if (r != OK) {
        printf("rs: cannot start the new instance of %s: %d\n", rp->label, r);
        sys_privctl(rp->ep, PRIV_ALLOW, NULL);
        lu_apply(rp, rs_lu_event(&rp->lu, LUE_START_FAILED, r, getticks()));
        return;
    }
    rp->lu.other = child;
    r = sys_privctl(rp->ep, PRIV_ALLOW, NULL);
    if (r == OK)
        r = rs_send_init(rp, SEF_INIT_LU, child);
    if (r != OK)
        lu_apply(rp, rs_lu_event(&rp->lu, LUE_INIT_REPLY, r, getticks()));
}

/* lu_rollback: the new instance (in rp's slot) failed: swap the old one
 * back, clear the new one, let the old one carry on (RS_LU_CANCEL). If the
 * swap back fails, the old instance is lost: clear it and recover. */
static void lu_rollback(struct rproc *rp)
{
    struct rs_cause fail = { RSC_START_FAIL, 0, 0 };
    endpoint_t other = rp->lu.other;
    int r;

    printf("rs: update of %s rolled back: %d\n", rp->label, rp->lu.result);
    sys_privctl(rp->ep, PRIV_DISALLOW, NULL);
    r = sys_update(rp->ep, other, UPD_SWAP);
    sys_clear(other);           /* the new instance, or the lost old one */
    if (r == OK) {
        sys_privctl(rp->ep, PRIV_ALLOW, NULL);
        lu_cancel_msg(rp);
        lu_finish(rp);
        return;
    }
    printf("rs: cannot swap %s back: %d\n", rp->label, r);
    fail.status = r;
    lu_finish(rp);
    rs_service_failed(rp, &fail);
}

/* lu_apply: carry out one LUA_* action for rp's update. */
static void lu_apply(struct rproc *rp, int action)
{
    switch (action) {
    case LUA_START_NEW:
        lu_start_new(rp);
        break;
    case LUA_CANCEL:
        lu_cancel_msg(rp);
        lu_finish(rp);
        break;
    case LUA_ROLLBACK:
        lu_rollback(rp);
        break;
    case LUA_COMMIT:
        sys_clear(rp->lu.other);        /* the old instance */
        rs_pm_died(rp->ep, SERVICE_RESTARTED);
        rs_hb_start(rp, getticks());
        if (rp->ep == VM_PROC_NR)
            rs_vm_callmask_all();       /* the new VM knows no masks */
        lu_finish(rp);
        break;
    case LUA_ABORT:
        lu_finish(rp);
        break;
    default:
        break;
    }
}

/*
 * rs_do_update: RS_UPDATE{label, state, timeout}. EINVAL for a bad label,
 * RS itself, a bad state or timeout; ENOENT for an unknown label; EBUSY when
 * the service is not running or an update is in flight. Otherwise sends
 * RS_LU_PREPARE and answers later (EDONTREPLY) with the update's result.
 */
int rs_do_update(message *m)
{
    struct rproc *rp;
    message prep;
    int r;

    if (!rs_label_ok(m->m_rs_req.label))
        return EINVAL;
    if ((rp = rs_lookup_label(m->m_rs_req.label)) == NULL)
        return ENOENT;
    if (rp->prog == NULL)
        return EINVAL;
    if (rp->phase != RP_RUNNING)
        return EBUSY;
    r = rs_lu_begin(&rp->lu, rs_lu_rp != NULL, m->m_rs_req.state,
                    m->m_rs_req.timeout, getticks());
    if (r != OK)
        return r;

    memset(&prep, 0, sizeof(prep));
    prep.m_type = RS_LU_PREPARE;
    prep.m_rs_lu.state = rp->lu.state;
    r = asynsend(rp->ep, &prep);
    if (r != OK) {
        rs_lu_reset(&rp->lu);
        return r;
    }
    rp->lu.caller = m->m_source;
    rs_lu_rp = rp;
    return EDONTREPLY;
}

/* rs_lu_prepare_reply: m is an RS_LU_PREPARE answer (m_rs_lu.result) from
 * a service; it counts only from the service being updated. */
void rs_lu_prepare_reply(message *m)
{
    struct rproc *rp = rs_lookup_ep(m->m_source);

    if (rp == NULL || rp != rs_lu_rp)
        return;
    lu_apply(rp, rs_lu_event(&rp->lu, LUE_PREPARE_REPLY, m->m_rs_lu.result,
                             getticks()));
}

/* rs_lu_init_reply: the new instance of rp answered RS_INIT with result:
 * commit or roll back. Returns the action taken (LUA_*). */
int rs_lu_init_reply(struct rproc *rp, int result)
{
    int action = rs_lu_event(&rp->lu, LUE_INIT_REPLY, result, getticks());

    lu_apply(rp, action);
    return action;
}

/* rs_lu_crash: rp died while being updated. Returns nonzero when the update
 * dealt with it (the new instance died: rolled back to the old one), zero
 * when the caller must recover rp as usual (the old instance died: the
 * update is aborted and its caller answered ERESTART). */
int rs_lu_crash(struct rproc *rp)
{
    int action = rs_lu_event(&rp->lu, LUE_CRASH, 0, getticks());

    lu_apply(rp, action);
    return action == LUA_ROLLBACK;
}

/* rs_lu_expire: at tick 'now', time out the update in flight if due. */
void rs_lu_expire(clock_t_ now)
{
    struct rproc *rp = rs_lu_rp;

    if (rp != NULL && rs_lu_expired(&rp->lu, now))
        lu_apply(rp, rs_lu_event(&rp->lu, LUE_TIMEOUT, 0, now));
}
