/*
 * SYS_ENDKSIG(target): the signal manager has handled target's signals.
 *
 * Who: only target's signal manager.
 * In:  m_sys_proc.target
 * Clears RTS_SIG_PENDING unless new signals arrived meanwhile (signal.c:
 * sig_endksig; the manager then sees them on its next SYS_GETKSIG); with
 * nothing else holding it the target runs again.
 * Errors: EDEADSRCDST bad target; EPERM kernel task or caller is not the
 *   manager; EINVAL the target has no signals being handled.
 */
#include "system.h"

int do_endksig(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    struct proc *target;
    int r;

    if ((r = kcall_proc(caller, m->m_sys_proc.target, 0, &target)) != OK)
        return r;
    if (priv_sig_mgr(target) != caller->p_endpoint)
        return EPERM;
    if (!(target->p_rts_flags & RTS_SIG_PENDING))
        return EINVAL;
    sig_endksig(target);
    return OK;
}
