/*
 * SYS_EXIT(status): a system process ends itself (seed 004: exit for system
 * processes; SYS_CLEAR is what frees a slot).
 *
 * Who: any system process (a basic call), about itself only.
 * In:  m_sys_proc.status  exit status (kept in p_exit_status, GET_PROC shows
 *                         it); m_sys_proc.target is ignored.
 * The caller is stopped (RTS_PROC_STOP) and SIGKILL is raised for its
 * signal manager (cause_sig), which learns of the exit through
 * SYS_GETKSIG and decides (RS: restart or clean up with SYS_CLEAR).
 * No reply: EDONTREPLY. Errors (the caller goes on): EPERM when the caller
 * is its own signal manager (RS) or a kernel task; EDEADSRCDST when its
 * manager is dead (cause_sig would panic).
 */
#include "system.h"

int do_exit(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    KASSERT(!isemptyp(caller));

    int r = kcall_sig_ok(caller);
    if (r != OK)
        return r;
    caller->p_exit_status = m->m_sys_proc.status;
    rts_set(caller, RTS_PROC_STOP);
    cause_sig(caller, SIGKILL);
    return EDONTREPLY;
}
