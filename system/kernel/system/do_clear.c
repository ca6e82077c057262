/*
 * SYS_CLEAR(target): free a process slot (PM for exited user processes, RS
 * for dead service instances).
 *
 * In:  m_sys_proc.target  the process to remove (not SELF, not the caller,
 *                         not a kernel task)
 * proc_clear() releases the address space and system privilege and frees
 * the slot: the generation advances so the old endpoint is stale, and
 * processes blocked on it get EDEADSRCDST.
 * Errors: EDEADSRCDST bad or stale target; EPERM self or kernel task.
 */
#include "system.h"

int do_clear(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    struct proc *target;
    int r;

    if (m->m_sys_proc.target == SELF)
        return EPERM;
    if ((r = kcall_proc(caller, m->m_sys_proc.target, 0, &target)) != OK)
        return r;
    if (target == caller)
        return EPERM;

    proc_clear(target);
    KASSERT(isemptyp(target));
    return OK;
}
