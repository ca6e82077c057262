/*
 * Signals of user processes. PM_KILL raises a signal through the kernel
 * (sys_kill), which stops the target and hands the signal back to PM, the
 * signal manager of user processes (pm_signal_manager, called by SEF). Only
 * the default and ignore dispositions exist: a signal either terminates the
 * process (status: signalled) or is dropped.
 */
#include "glo.h"
#include "proto.h"

/* ignored: nonzero if sig is set to SIG_IGN in rmp. */
static int ignored(const struct mproc *rmp, int sig)
{
    return (rmp->mp_ignore & SIGMASK(sig)) != 0;
}

/* from_fault: nonzero for signals a CPU exception raises; those terminate
 * even when ignored (resuming would fault again at once). */
static int from_fault(int sig)
{
    return sig == SIGSEGV || sig == SIGILL || sig == SIGFPE || sig == SIGBUS ||
           sig == SIGTRAP;
}

/* do_kill: PM_KILL(m_pm.pid, m_pm.sig). pid > 0 names a user process;
 * sig 0 only probes. Replies OK, EINVAL (bad pid or sig), ESRCH (no such
 * process), EPERM (a system process). Ignored and default-ignored signals
 * are dropped here; others go through the kernel. */
int do_kill(message *reply)
{
    (void)reply;
    int pid = m_in.m_pm.pid;
    int sig = m_in.m_pm.sig;

    if (sig < 0 || sig >= NSIG || pid <= 0)
        return EINVAL;
    int slot = ptab_find_pid(mproc, pid);
    if (slot == NO_SLOT)
        return ESRCH;
    struct mproc *rmp = &mproc[slot];
    if (rmp->mp_flags & PRIV_PROC)
        return EPERM;
    if (sig == 0 || (rmp->mp_flags & (ZOMBIE | EXITING)))
        return OK;
    if (sig >= SIGKSTOP || !SIG_TERMINATES(sig) ||
        (ignored(rmp, sig) && sig != SIGKILL))
        return OK;
    return sys_kill(rmp->mp_endpoint, sig);
}

/* do_sigaction: PM_SIGACTION(m_pm.sig, m_pm.options = SIG_DFL_ / SIG_IGN_).
 * Reply OK with the previous disposition in m_pm.options, or EINVAL (bad
 * signal, SIGKILL / SIGSTOP, or a disposition other than those two). */
int do_sigaction(message *reply)
{
    int sig = m_in.m_pm.sig;
    int how = m_in.m_pm.options;

    if (sig <= 0 || sig >= SIGKSTOP || sig == SIGKILL || sig == SIGSTOP)
        return EINVAL;
    if (how != SIG_DFL_ && how != SIG_IGN_)
        return EINVAL;
    reply->m_pm.options = ignored(mp, sig) ? SIG_IGN_ : SIG_DFL_;
    if (how == SIG_IGN_)
        mp->mp_ignore |= SIGMASK(sig);
    else
        mp->mp_ignore &= ~SIGMASK(sig);
    return OK;
}

/* pm_signal_manager: SEF's signal-manager callback for target, which the
 * kernel stopped with the pending signals sigs. Terminates it on the first
 * terminating signal (SIGKILL first); otherwise lets it run on with
 * sys_endksig. A dying process stays stopped. Returns OK or endksig's error. */
int pm_signal_manager(endpoint_t target, sigset_t_ sigs)
{
    struct mproc *rmp = ptab_lookup(mproc, target);
    if (rmp == NULL || (rmp->mp_flags & PRIV_PROC)) {
        printf("pm: signals 0x%x for %d, not a user process\n",
               (unsigned)sigs, (int)target);
        return sys_endksig(target);
    }
    if (rmp->mp_flags & (ZOMBIE | EXITING))
        return OK;

    int term = 0;
    if (sigs & SIGMASK(SIGKILL))
        term = SIGKILL;
    for (int sig = 1; sig < SIGKSTOP && term == 0; sig++) {
        if (!(sigs & SIGMASK(sig)))
            continue;
        if (from_fault(sig) || (SIG_TERMINATES(sig) && !ignored(rmp, sig)))
            term = sig;
    }
    /* seed 002: a PROC_EVENT_SIGNAL to subscribers goes here. */
    if (term != 0) {
        exit_proc(rmp, 0, term);
        return OK;
    }
    return sys_endksig(target);
}
