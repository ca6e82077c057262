/*
 * RS's invariants, checked after every message when the kernel command line
 * has sanity=1 and on request (SEF sanity callback). Each check has the name
 * the report uses.
 */
#include "proto.h"

/* check_entry: the invariants of one entry; returns the broken one's name
 * or NULL. */
static const char *check_entry(const struct rproc *rp, clock_t_ now)
{
    struct proc_info pi;

    if (!rs_label_ok(rp->label))
        return "rs.label_terminated";
    if (rp->restarts < 0)
        return "rs.restarts_nonnegative";
    /* A restarted service keeps its endpoint. */
    if ((rp->phase == RP_RUNNING || rp->phase == RP_INIT_WAIT ||
         rp->phase == RP_BACKOFF) && rp->ep != rp->first_ep)
        return "rs.endpoint_kept";
    /* Backoff state consistent. */
    if (!rs_backoff_consistent(&rp->backoff, now))
        return "rs.backoff_consistent";
    if (rp->phase == RP_BACKOFF && rp->backoff.nfail < 2)
        return "rs.backoff_only_after_repeated_failure";
    if (rp->phase == RP_FAILED && rp->backoff.nfail <= RS_MAX_FAILURES &&
        rp->prog != NULL && rp->restarts > 0)
        return "rs.failed_only_after_too_many_failures";
    /* Only running services are updated, and only the one in flight. */
    if (rp->lu.phase != LU_IDLE &&
        (rp->phase != RP_RUNNING || rs_lu_rp != rp))
        return "rs.update_only_running";
    /* A previous instance is kept only while its successor initializes,
     * and it is still there (not leaked, not freed behind RS's back). */
    if (rp->dead_ep != NONE) {
        if (rp->phase != RP_INIT_WAIT || rp->lu.phase != LU_IDLE)
            return "rs.dead_instance_only_during_init";
        if (rp->dead_ep == rp->ep || sys_getproc(rp->dead_ep, &pi) != OK ||
            (pi.rts_flags & RTS_SLOT_FREE) || pi.endpoint != rp->dead_ep)
            return "rs.dead_instance_alive";
    }
    /* Callers wait only on services that can still answer them. */
    if ((rp->phase == RP_EXITED || rp->phase == RP_FAILED) &&
        (rp->init_caller != NONE || rp->wait_caller != NONE))
        return "rs.no_waiters_on_dead";
    /* Every running service's slot is alive. */
    if (rp->phase == RP_RUNNING && rp->prog != NULL) {
        if (sys_getproc(rp->ep, &pi) != OK || (pi.rts_flags & RTS_SLOT_FREE) ||
            pi.endpoint != rp->ep)
            return "rs.running_slot_alive";
    }
    return NULL;
}

/* rs_sanity: OK when every invariant holds; else EGENERIC with *invariant
 * naming the first broken one. Invariants: at most one update in flight; a
 * restarted service keeps its endpoint; every running service's slot is
 * alive; a dead instance is kept only while its successor initializes,
 * and is still there; backoff state consistent; labels unique; RS itself
 * running. */
int rs_sanity(const char **invariant)
{
    clock_t_ now = getticks();
    const char *bad = NULL;
    const struct rproc *live[NR_RS_SLOTS];
    int i, j, n = 0, updating = 0;

    /* The entries in use first: the checks and the label pairs below
     * then read only those. */
    for (i = 0; i < NR_RS_SLOTS; i++)
        if (rs_rproc[i].phase != RP_FREE)
            live[n++] = &rs_rproc[i];
    for (i = 0; i < n && bad == NULL; i++) {
        const struct rproc *rp = live[i];
        if (rp->lu.phase != LU_IDLE)
            updating++;
        bad = check_entry(rp, now);
        /* (first bytes first: most pairs differ there) */
        for (j = i + 1; j < n && bad == NULL; j++) {
            if (rp->label[0] == live[j]->label[0] &&
                rs_name_eq(rp->label, live[j]->label, RS_LABEL_LEN))
                bad = "rs.labels_unique";
        }
    }
    if (bad == NULL && (updating > 1 || (updating == 1) != (rs_lu_rp != NULL)))
        bad = "rs.one_update_in_flight";
    for (i = 0; bad == NULL && i < NR_RS_SLOTS; i++)
        if (rs_rproc[i].phase != RP_FREE && rs_name_eq(rs_rproc[i].label, "rs", RS_LABEL_LEN))
            break;
    if (bad == NULL && (i == NR_RS_SLOTS || rs_rproc[i].phase != RP_RUNNING))
        bad = "rs.self_running";
    if (bad != NULL) {
        if (invariant != NULL)
            *invariant = bad;
        return EGENERIC;
    }
    return OK;
}
