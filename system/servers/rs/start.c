/*
 * Starting instances: a new process from a boot module with a service's
 * privilege (used by RS_UP, by recovery, by live update), and replicas kept
 * ready for services flagged SF_USE_REPL.
 */
#include "proto.h"

/*
 * rs_spawn: make a new, stopped instance of rp: sys_fork(RS, FORK_SYSTEM)
 * for an empty slot, sys_exec of rp's module with its arguments, then
 * sys_privctl(PRIV_SET_SYS, rp's spec), its table priority. The child does not run (no
 * PRIV_ALLOW). Returns OK with *child set, or the failing call's error with
 * nothing left behind.
 */
int rs_spawn(struct rproc *rp, endpoint_t *child)
{
    char args[RS_ARGS_MAX];
    size_t len;
    int r;

    len = rs_args_build(args, sizeof(args), rp->prog->module, rp->prog->args, rp->xargs);
    if (len == 0)
        return E2BIG;
    r = sys_fork(RS_PROC_NR, FORK_SYSTEM, rp->label, child);
    if (r != OK) {
        *child = NONE;
        return r;
    }
    r = sys_exec(*child, rp->module, RS_PROC_NR, (vir_bytes)(uintptr_t)args, len);
    if (r == OK)
        r = sys_privctl(*child, PRIV_SET_SYS, &rp->spec);
    if (r == OK)
        r = sys_schedule(*child, -1, rp->prog->priority, -1);
    if (r != OK) {
        sys_clear(*child);
        *child = NONE;
    }
    return r;
}

/*
 * rs_start_program: start rp (prog, module and spec already set) as a new
 * process: spawn it, let it run, send RS_INIT{FRESH}. On OK rp is in
 * RP_INIT_WAIT with its endpoint; on error nothing is left running.
 */
int rs_start_program(struct rproc *rp)
{
    endpoint_t child;
    int r;

    r = rs_spawn(rp, &child);
    if (r != OK)
        return r;
    rp->ep = rp->first_ep = child;
    r = sys_privctl(child, PRIV_ALLOW, NULL);
    if (r == OK)
        r = rs_send_init(rp, SEF_INIT_FRESH, NONE);
    if (r == OK)
        rs_await_init(rp, SEF_INIT_FRESH);
    if (r != OK) {
        sys_clear(child);
        rp->ep = NONE;
        return r;
    }
    return OK;
}

/* rs_replica_make: if rp wants a replica (SF_USE_REPL) and has none, spawn
 * one now so that the next recovery need not fork and exec. A failure only
 * costs the next recovery a spawn. */
void rs_replica_make(struct rproc *rp)
{
    if (!(rp->flags & SF_USE_REPL) || rp->repl_ep != NONE || rp->prog == NULL)
        return;
    if (rs_spawn(rp, &rp->repl_ep) != OK)
        rp->repl_ep = NONE;
}

/* rs_replica_drop: clear rp's replica, if any. */
void rs_replica_drop(struct rproc *rp)
{
    if (rp->repl_ep != NONE) {
        sys_clear(rp->repl_ep);
        rp->repl_ep = NONE;
    }
}
