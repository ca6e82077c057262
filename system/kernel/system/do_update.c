/*
 * SYS_UPDATE(src, dst, flags): live update / recovery. Swaps the contents of
 * two process slots (proc.h: everything but the identity fields) so that
 * the instance in dst takes over src's endpoint and the callers queued on
 * it, and the old instance ends up under dst's endpoint.
 *
 * Who: RS.
 * In:  m_sys_update.src, .dst  two different live processes, no kernel tasks
 *      m_sys_update.flags      UPD_SWAP (0)
 * Both must be stopped: EBUSY if either is runnable (rts_flags == 0). One
 * blocked sending (linked into another process's caller queue, which
 * points at its slot) has that send aborted first, with ERESTART: an
 * instance being replaced sends nothing any more. (A hung service stuck
 * sending to another hung one: the `hang` campaign found that refusing
 * the swap brought it back under a new endpoint its clients could not
 * reach.) Both stay as not runnable as they were (each slot takes the
 * other's flags). The address spaces (p_arch) and privileges move with
 * the contents; nothing else points at a slot's contents (run queues hold
 * only runnable processes, struct priv has no back pointer).
 * Errors: EINVAL bad flags or src == dst; EDEADSRCDST bad endpoint; EPERM
 *   kernel task; EBUSY as above, or src or dst is the caller.
 */
#include "system.h"

#define SWAP(a, b) do { __typeof__(a) t_ = (a); (a) = (b); (b) = t_; } while (0)

static void swap_contents(struct proc *a, struct proc *b)
{
    SWAP(a->p_arch, b->p_arch);
    SWAP(a->p_rts_flags, b->p_rts_flags);
    SWAP(a->p_misc_flags, b->p_misc_flags);
    SWAP(a->p_priv, b->p_priv);
    char name[PROC_NAME_LEN];
    kmemcpy(name, a->p_name, PROC_NAME_LEN);
    kmemcpy(a->p_name, b->p_name, PROC_NAME_LEN);
    kmemcpy(b->p_name, name, PROC_NAME_LEN);
    SWAP(a->p_priority, b->p_priority);
    SWAP(a->p_quantum, b->p_quantum);
    SWAP(a->p_ticks_left, b->p_ticks_left);
    SWAP(a->p_nextready, b->p_nextready);
    SWAP(a->p_sendto_e, b->p_sendto_e);
    SWAP(a->p_getfrom_e, b->p_getfrom_e);
    SWAP(a->p_q_link, b->p_q_link);
    SWAP(a->p_sendmsg, b->p_sendmsg);
    SWAP(a->p_recv_buf, b->p_recv_buf);
    SWAP(a->p_asyntab, b->p_asyntab);
    SWAP(a->p_asynsize, b->p_asynsize);
    SWAP(a->p_pending, b->p_pending);
    SWAP(a->p_user_time, b->p_user_time);
    SWAP(a->p_sys_time, b->p_sys_time);
    SWAP(a->p_alarm, b->p_alarm);
    SWAP(a->p_exit_status, b->p_exit_status);
}

int do_update(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    mess_sys_update *u = &m->m_sys_update;
    struct proc *src, *dst;
    int r;

    if (u->flags != UPD_SWAP)
        return EINVAL;
    if ((r = kcall_proc(caller, u->src, KC_SELF_OK, &src)) != OK)
        return r;
    if ((r = kcall_proc(caller, u->dst, KC_SELF_OK, &dst)) != OK)
        return r;
    if (src == dst)
        return EINVAL;
    if (src == caller || dst == caller)
        return EBUSY;
    if (proc_is_runnable(src) || proc_is_runnable(dst))
        return EBUSY;
    if (src->p_rts_flags & RTS_SENDING)
        ipc_abort(src, ERESTART);
    if (dst->p_rts_flags & RTS_SENDING)
        ipc_abort(dst, ERESTART);

    swap_contents(src, dst);
    src->p_restarts++;          /* the slot got a new instance (ps) */
    KASSERT(!proc_is_runnable(src) && !proc_is_runnable(dst));
    return OK;
}
