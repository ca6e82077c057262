/*
 * signal.c: signals raised in the kernel (exceptions, SYS_KILL, SYS_EXIT)
 * go to the process's signal manager (its privilege's sig_mgr: PM for user
 * processes, RS for system processes). The process stops (RTS_SIGNALED |
 * RTS_SIG_PENDING), the manager gets a notification from SYSTEM and fetches
 * the signals with SYS_GETKSIG, then releases the process with SYS_ENDKSIG.
 */
#include "kernel.h"

/* Must be called with p a live process (not a kernel task) and sig in
 * 1 .. NSIG-1. Adds sig to p's pending set; the first pending signal stops
 * p and notifies its manager from SYSTEM. Panics if p is its own signal
 * manager (a signal to RS: nobody can recover it) or the manager is dead. */
void cause_sig(struct proc *p, int sig)
{
    endpoint_t mgr_e;
    struct proc *mgr;

    KASSERT(p != NULL && !isemptyp(p));
    KASSERT(sig > 0 && sig < NSIG);
    if (iskerneln(p->p_nr))
        kernel_panic("signal %d for kernel task %s", sig, p->p_name);

    mgr_e = priv_sig_mgr(p);
    if (mgr_e == p->p_endpoint)
        kernel_panic("signal %d for %s (ep %d), its own signal manager",
                     sig, p->p_name, p->p_endpoint);
    mgr = endpoint_lookup(mgr_e);
    if (!mgr || iskerneln(mgr->p_nr))
        kernel_panic("signal %d for %s (ep %d): signal manager %d is dead",
                     sig, p->p_name, p->p_endpoint, mgr_e);

    p->p_pending |= SIGMASK(sig);
    if (!(p->p_rts_flags & RTS_SIGNALED)) {
        rts_set(p, RTS_SIGNALED | RTS_SIG_PENDING);
        notify_from_task(SYSTEM, mgr);
    }
}

/* SYS_GETKSIG (proto.h): returns the live process with the lowest slot that
 * has RTS_SIGNALED and whose signal manager is mgr, with its pending
 * signals moved to *sigs and RTS_SIGNALED cleared (RTS_SIG_PENDING stays:
 * it remains stopped until sig_endksig); or NULL, *sigs = 0. */
struct proc *sig_next_pending(endpoint_t mgr, sigset_t_ *sigs)
{
    int idx;

    KASSERT(sigs != NULL);
    for (idx = NR_TASKS; idx < NR_ALL_SLOTS; idx++) {
        struct proc *p = &proc_table[idx];

        if (isemptyp(p) || !(p->p_rts_flags & RTS_SIGNALED))
            continue;
        if (priv_sig_mgr(p) != mgr)
            continue;
        *sigs = p->p_pending;
        p->p_pending = 0;
        p->p_rts_flags &= ~RTS_SIGNALED;    /* RTS_SIG_PENDING still set */
        return p;
    }
    *sigs = 0;
    return NULL;
}

/* SYS_ENDKSIG (proto.h): must be called with p live. The manager has
 * handled p's signals: p may run again (RTS_SIG_PENDING cleared), unless
 * new signals arrived since SYS_GETKSIG (RTS_SIGNALED set again: the
 * manager was notified and will fetch them). */
void sig_endksig(struct proc *p)
{
    KASSERT(p != NULL && !isemptyp(p));
    if (!(p->p_rts_flags & RTS_SIGNALED))
        rts_clear(p, RTS_SIG_PENDING);
}
