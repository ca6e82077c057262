/*
 * SYS_KILL(target, sig): raise a signal in the kernel for target's signal
 * manager (cause_sig: the target stops with RTS_SIGNALED|RTS_SIG_PENDING
 * and its manager is notified by SYSTEM).
 *
 * Who: PM (user signals), RS (stopping services), as their masks allow.
 * In:  m_sys_proc.target  (SELF allowed), m_sys_proc.sig  1 .. NSIG-1
 * Errors: EINVAL bad signal; EDEADSRCDST bad target or its signal manager
 *   is dead; EPERM kernel task or a process that is its own signal manager
 *   (RS): cause_sig would panic in those cases.
 */
#include "system.h"

int do_kill(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    struct proc *target;
    int sig = m->m_sys_proc.sig;
    int r;

    if (sig <= 0 || sig >= NSIG)
        return EINVAL;
    if ((r = kcall_proc(caller, m->m_sys_proc.target, KC_SELF_OK, &target)) != OK)
        return r;
    if ((r = kcall_sig_ok(target)) != OK)
        return r;
    cause_sig(target, sig);
    return OK;
}
