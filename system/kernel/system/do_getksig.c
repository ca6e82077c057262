/*
 * SYS_GETKSIG: the next process with pending kernel signals whose signal
 * manager is the caller.
 *
 * Who: signal managers (RS, PM), through SEF after a SYSTEM notification.
 * Out: m_sys_getksig.target  that process, or NONE when there is none
 *      m_sys_getksig.sigs    its pending signals (now cleared in the kernel)
 * The process keeps RTS_SIG_PENDING (it stays stopped) until the manager
 * answers with SYS_ENDKSIG (signal.c: sig_next_pending). Always OK.
 */
#include "system.h"

int do_getksig(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    sigset_t_ sigs = 0;
    struct proc *p = sig_next_pending(caller->p_endpoint, &sigs);

    m->m_sys_getksig.target = p != NULL ? p->p_endpoint : NONE;
    m->m_sys_getksig.sigs = p != NULL ? sigs : 0;
    return OK;
}
