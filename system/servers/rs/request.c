/*
 * Requests to RS (m_rs_req): who may ask, and one handler per request type
 * (table.c maps types to these). A handler gets the request, fills the reply
 * payload in the same message and returns the result, or EDONTREPLY when the
 * answer comes later (RS_UP, RS_RESTART, RS_UPDATE). Bad input is an error
 * reply, never a crash.
 */
#include "proto.h"

/* rs_may_request: nonzero when src may make requests: init, or a system
 * process RS supervises (alive). */
int rs_may_request(endpoint_t src)
{
    return src == INIT_PROC_NR || rs_lookup_ep(src) != NULL;
}

/* rs_handle_request: look m's type up in rs_call_vec, check the caller, run
 * the handler and answer unless it said EDONTREPLY. Unknown types get
 * EBADREQUEST, unknown callers EPERM. */
void rs_handle_request(message *m)
{
    endpoint_t src = m->m_source;
    int idx = m->m_type - RS_UP, r;

    if (idx < 0 || idx >= rs_call_vec_len || rs_call_vec[idx] == NULL)
        r = EBADREQUEST;
    else if (!rs_may_request(src))
        r = EPERM;
    else
        r = rs_call_vec[idx](m);
    if (r != EDONTREPLY)
        sef_reply(src, m, r);
}

/* req_service: the entry named by m's label, or NULL with *err set (EINVAL
 * for an empty or unterminated label, ENOENT for an unknown one). */
static struct rproc *req_service(const message *m, int *err)
{
    struct rproc *rp;

    if (!rs_label_ok(m->m_rs_req.label)) {
        *err = EINVAL;
        return NULL;
    }
    if ((rp = rs_lookup_label(m->m_rs_req.label)) == NULL) {
        *err = ENOENT;
        return NULL;
    }
    *err = OK;
    return rp;
}

/* prog_lookup: the program table entry for label, or NULL. */
static const struct rs_prog *prog_lookup(const char *label)
{
    int i;

    for (i = 0; i < rs_prog_table_len; i++) {
        if (rs_name_eq(rs_prog_table[i].label, label, RS_LABEL_LEN))
            return &rs_prog_table[i];
    }
    return NULL;
}

/*
 * rs_do_up: RS_UP{label, flags}: start the program table's entry for label.
 * EINVAL (bad label), ENOENT (not in the program table or no such module),
 * EBUSY (already running), ENOSPC (table full), or the start's error.
 * Answers when its init ends (OK, m_rs_req.ep = its endpoint) or, with
 * RSU_WAIT, when it exits (OK, m_rs_req.value = its exit status).
 */
int rs_do_up(message *m)
{
    return rs_up(m, NULL);
}

/* rs_up: rs_do_up with extra arguments for the program (xargs: the words
 * of the control channel's `run PROGRAM ARGS`, or NULL); E2BIG if they are
 * longer than CTL_RUN_ARGS_MAX - 1. */
int rs_up(message *m, const char *xargs)
{
    const struct rs_prog *prog;
    struct rproc *rp;
    int module, r;

    if (!rs_label_ok(m->m_rs_req.label))
        return EINVAL;
    if ((prog = prog_lookup(m->m_rs_req.label)) == NULL)
        return ENOENT;
    rp = rs_lookup_label(prog->label);
    if (rp != NULL && rp->phase != RP_EXITED)
        return EBUSY;
    if ((module = rs_find_module(prog->module)) < 0)
        return ENOENT;
    if (xargs != NULL && strlen(xargs) >= sizeof(rp->xargs))
        return E2BIG;
    if ((rp = rs_alloc(prog->label)) == NULL)
        return ENOSPC;
    if (xargs != NULL)
        strlcpy(rp->xargs, xargs, sizeof(rp->xargs));
    rp->prog = prog;
    rp->module = module;
    rp->flags = prog->sf_flags;
    rs_build_priv(prog->priv, &rp->spec);
    if ((r = rs_start_program(rp)) != OK) {
        printf("rs: cannot start %s: %d\n", rp->label, r);
        rp->phase = RP_FREE;
        return r;
    }
    rs_publish_label(rp);
    rs_vm_callmask(rp);
    if (m->m_rs_req.flags & RSU_WAIT)
        rp->wait_caller = m->m_source;
    else
        rp->init_caller = m->m_source;
    return EDONTREPLY;
}

/* rs_do_down: RS_DOWN{label}: stop and clear the service now (RSS_EXITED).
 * EINVAL for RS and core services, EBUSY while it is being updated; OK if
 * it was already down. */
int rs_do_down(message *m)
{
    struct rproc *rp;
    int r;

    if ((rp = req_service(m, &r)) == NULL)
        return r;
    if (rp->prog == NULL || (rp->flags & SF_CORE))
        return EINVAL;
    if (rp->lu.phase != LU_IDLE)
        return EBUSY;
    if (rp->phase == RP_EXITED || rp->phase == RP_FAILED)
        return OK;
    rs_service_exited(rp, RS_EXIT_SIGNALLED + SIGKILL);
    m->m_rs_req.ep = rp->ep;
    m->m_rs_req.state = rs_state(rp);
    return OK;
}

/* rs_do_restart: RS_RESTART{label}: replace the running instance with a
 * fresh one under the same endpoint, as recovery does (no backoff). EINVAL
 * for RS or a service that is not restartable, EBUSY if it is not running
 * or being updated. Answers when the new instance's init ends. */
int rs_do_restart(message *m)
{
    struct rproc *rp;
    int r;

    if ((rp = req_service(m, &r)) == NULL)
        return r;
    if (rp->prog == NULL || !(rp->flags & SF_RESTARTABLE))
        return EINVAL;
    if (rp->phase != RP_RUNNING || rp->lu.phase != LU_IDLE)
        return EBUSY;
    sys_privctl(rp->ep, PRIV_DISALLOW, NULL);
    rp->cause.kind = RSC_REQUEST;
    rp->cause.sig = 0;
    rp->cause.status = 0;
    rp->init_caller = m->m_source;
    rs_restart_now(rp);
    return EDONTREPLY;
}

/* rs_do_edit: RS_EDIT{label, flags}: set SF_RESTARTABLE and SF_USE_REPL
 * (SF_CORE stays as it is). EINVAL for RS or unknown flag bits. Keeps or
 * drops the replica to match. */
int rs_do_edit(message *m)
{
    const uint32_t editable = SF_RESTARTABLE | SF_USE_REPL;
    struct rproc *rp;
    uint32_t flags = (uint32_t)m->m_rs_req.flags;
    int r;

    if ((rp = req_service(m, &r)) == NULL)
        return r;
    if (rp->prog == NULL || (flags & ~(editable | SF_CORE)) != 0)
        return EINVAL;
    rp->flags = (rp->flags & SF_CORE) | (flags & editable);
    if (!(rp->flags & SF_USE_REPL))
        rs_replica_drop(rp);
    else if (rp->phase == RP_RUNNING)
        rs_replica_make(rp);
    m->m_rs_req.flags = (int32_t)rp->flags;
    return OK;
}

/* rs_do_lookup: RS_LOOKUP{label} -> m_rs_req.ep, .value = restarts,
 * .state = RSS_*, .flags = SF_*. EINVAL / ENOENT for bad or unknown labels. */
int rs_do_lookup(message *m)
{
    struct rproc *rp;
    int r;

    if ((rp = req_service(m, &r)) == NULL)
        return r;
    m->m_rs_req.ep = rp->ep;
    m->m_rs_req.value = rp->restarts;
    m->m_rs_req.state = rs_state(rp);
    m->m_rs_req.flags = (int32_t)rp->flags;
    return OK;
}

/* rs_do_count: RS_COUNT -> m_rs_req.value = services in state RSS_RUNNING
 * (RS itself included). */
int rs_do_count(message *m)
{
    int i, n = 0;

    for (i = 0; i < NR_RS_SLOTS; i++) {
        if (rs_rproc[i].phase != RP_FREE && rs_state(&rs_rproc[i]) == RSS_RUNNING)
            n++;
    }
    m->m_rs_req.value = n;
    return OK;
}

/* rs_do_ready: RS_READY (init, boot done): answers as RS_COUNT and emits
 * the control channel's `ready` event with the count. */
int rs_do_ready(message *m)
{
    int r = rs_do_count(m);

    rs_event("ready", "\"services\":%d", (int)m->m_rs_req.value);
    return r;
}

/* rs_do_crash: RS_CRASH{label} (test hook): sys_kill(service, SIGSEGV), so
 * that recovery runs exactly as for a real crash. EINVAL for RS, EBUSY if
 * the service is not running. */
int rs_do_crash(message *m)
{
    struct rproc *rp;
    int r;

    if ((rp = req_service(m, &r)) == NULL)
        return r;
    if (rp->prog == NULL)
        return EINVAL;
    if (rp->phase != RP_RUNNING)
        return EBUSY;
    return sys_kill(rp->ep, SIGSEGV);
}
