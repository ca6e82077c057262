/*
 * SYS_FORK(parent, flags, name) -> child
 *
 * Who: VM (user fork) and RS (FORK_SYSTEM, to get a slot for a new
 * instance), as allowed by their call masks.
 * In:  m_sys_fork.parent  process to copy (SELF allowed; not a kernel task)
 *      m_sys_fork.flags   FORK_SYSTEM or 0
 *      m_sys_fork.name    name for the child; "" keeps the parent's
 * Out: m_sys_fork.child   endpoint of the new process
 *
 * The child is a copy of the parent's contents (address space and registers
 * through arch_proc_fork, priority, quantum, name) in a fresh slot, with:
 *  - RTS_NO_PRIV, so it does not run until PRIV_ALLOW;
 *  - if the parent is in the reply phase of a SENDREC (RECEIVING with
 *    MF_REPLY_PEND), the same receive state: the child too waits for the
 *    reply (from PM, in the user fork protocol);
 *  - the shared user privilege if the parent has it and FORK_SYSTEM is not
 *    given; otherwise no privilege at all (p_priv NULL) until PRIV_SET_SYS
 *    or PRIV_SET_USER;
 *  - no pending signals, times, alarm or SENDA table.
 * Errors: EINVAL bad flags; EDEADSRCDST bad parent; EPERM parent is a kernel
 *   task; EAGAIN no free slot; ENOMEM (and others) from arch_proc_fork.
 */
#include "system.h"

int do_fork(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    mess_sys_fork *f = &m->m_sys_fork;
    struct proc *parent, *child;
    int r;

    if (f->flags & ~(uint32_t)FORK_SYSTEM)
        return EINVAL;
    if ((r = kcall_proc(caller, f->parent, KC_SELF_OK, &parent)) != OK)
        return r;

    child = proc_alloc();
    if (child == NULL)
        return EAGAIN;
    KASSERT(child != parent && !iskerneln(child->p_nr) && isemptyp(child));

    /* proc_setup: empty contents, RTS_NO_PRIV, no privilege; identity
     * (p_nr, p_endpoint, caller queue, pending bitmaps) is the slot's. */
    f->name[PROC_NAME_LEN - 1] = '\0';
    proc_setup(child, child->p_nr, f->name[0] != '\0' ? f->name : parent->p_name);
    if ((r = arch_proc_fork(child, parent)) != OK) {
        proc_clear(child);
        return r;
    }

    int reply_wait = (parent->p_rts_flags & RTS_RECEIVING) &&
                     !(parent->p_rts_flags & RTS_SENDING) &&
                     (parent->p_misc_flags & MF_REPLY_PEND);
    if (reply_wait) {
        child->p_rts_flags |= RTS_RECEIVING;
        child->p_misc_flags |= MF_REPLY_PEND;
        child->p_getfrom_e = parent->p_getfrom_e;
        child->p_recv_buf = parent->p_recv_buf;   /* same address, copied space */
    }

    if (!(f->flags & FORK_SYSTEM) && parent->p_priv != NULL &&
        parent->p_priv->s_id == USER_PRIV_ID)
        child->p_priv = parent->p_priv;

    child->p_priority = parent->p_priority;
    child->p_quantum = parent->p_quantum;
    child->p_ticks_left = parent->p_quantum;
    KASSERT(child->p_rts_flags & RTS_NO_PRIV);

    f->child = child->p_endpoint;
    return OK;
}
