/*
 * SYS_PRIVCTL(target, request, spec): privileges.
 *
 * In:  m_sys_privctl.target   not a kernel task (SELF allowed, see below)
 *      m_sys_privctl.request  PRIV_*
 *      m_sys_privctl.spec     PRIV_SET_SYS: struct priv_spec in the caller
 * Requests:
 *   PRIV_SET_SYS   caller must have PRIV_ROOT_SYS (RS). The target must be
 *                  stopped with RTS_NO_PRIV. The spec is copied from the
 *                  caller and validated (known flags, trap bits, io ranges
 *                  inside the port space, irqs -1 or 0..15, the signal
 *                  manager a live process); the target gets its own
 *                  priv_table entry (reused if it has one) holding it.
 *                  The target stays RTS_NO_PRIV until PRIV_ALLOW.
 *   PRIV_SET_USER  caller must have PRIV_ROOT_SYS; target RTS_NO_PRIV; it
 *                  gets the shared user privilege (its own is freed).
 *   PRIV_ALLOW     clear RTS_NO_PRIV (the target may run); the target must
 *                  have a privilege.
 *   PRIV_DISALLOW  set RTS_NO_PRIV (not on the caller itself).
 * Errors: EINVAL unknown request or bad spec; EDEADSRCDST bad target;
 *   EPERM kernel task, caller not root, target not stopped (SET_*), no
 *   privilege (ALLOW), self (DISALLOW); EFAULT spec unreadable; ENOSPC no
 *   free privilege structure.
 */
#include "system.h"

#define PRIV_ALL_FLAGS (PRIV_SYS_PROC | PRIV_PREEMPTIBLE | PRIV_CHECK_IPC | \
                        PRIV_CHECK_CALL | PRIV_ROOT_SYS)

static int is_root(const struct proc *p)
{
    return p->p_priv != NULL && (p->p_priv->s_spec.flags & PRIV_ROOT_SYS);
}

static int check_spec(struct proc *caller, struct priv_spec *s)
{
    struct proc *mgr;

    if (s->flags & ~(uint32_t)PRIV_ALL_FLAGS)
        return EINVAL;
    if (s->trap_mask & ~(uint32_t)TRAP_ALL)
        return EINVAL;
    for (int i = 0; i < PRIV_MAX_IO; i++)
        if ((uint32_t)s->io[i].base + s->io[i].len > 0x10000u)
            return EINVAL;
    for (int i = 0; i < PRIV_MAX_IRQ; i++)
        if (s->irq[i] != -1 && (s->irq[i] < 0 || s->irq[i] >= NR_IRQ_LINES))
            return EINVAL;
    if (s->sig_mgr == SELF || kcall_proc(caller, s->sig_mgr, 0, &mgr) != OK)
        return EINVAL;
    /* Bits past the last slot / call mean nothing: drop them. */
    for (int i = NR_ALL_SLOTS; i < 32 * BITMAP_WORDS(NR_ALL_SLOTS); i++)
        BIT_UNSET(s->ipc_to, i);
    for (int i = NR_SYS_CALLS; i < 32 * BITMAP_WORDS(NR_SYS_CALLS); i++)
        BIT_UNSET(s->k_call_mask, i);
    s->flags |= PRIV_SYS_PROC;
    return OK;
}

static int set_sys(struct proc *caller, struct proc *target, vir_bytes spec_addr)
{
    struct priv_spec spec;
    struct priv *pr;
    int r;

    if ((r = arch_copy_from_proc(caller, spec_addr, &spec, sizeof(spec))) != OK)
        return r;
    if ((r = check_spec(caller, &spec)) != OK)
        return r;
    pr = target->p_priv;
    if (pr == NULL || pr->s_id == USER_PRIV_ID) {
        if ((pr = priv_alloc()) == NULL)
            return ENOSPC;
        KASSERT(pr->s_id != USER_PRIV_ID);
    }
    pr->s_spec = spec;
    target->p_priv = pr;
    return OK;
}

int do_privctl(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    mess_sys_privctl *pc = &m->m_sys_privctl;
    struct proc *target;
    int r;

    if ((r = kcall_proc(caller, pc->target, KC_SELF_OK, &target)) != OK)
        return r;

    switch (pc->request) {
    case PRIV_SET_SYS:
    case PRIV_SET_USER:
        if (!is_root(caller))
            return EPERM;
        if (!(target->p_rts_flags & RTS_NO_PRIV))
            return EPERM;
        if (pc->request == PRIV_SET_SYS)
            return set_sys(caller, target, pc->spec);
        if (target->p_priv != NULL && target->p_priv->s_id != USER_PRIV_ID)
            priv_free(target->p_priv);
        target->p_priv = &priv_table[USER_PRIV_ID];
        return OK;

    case PRIV_ALLOW:
        if (target->p_priv == NULL)
            return EPERM;
        if (target->p_rts_flags & RTS_NO_PRIV)
            rts_clear(target, RTS_NO_PRIV);
        return OK;

    case PRIV_DISALLOW:
        if (target == caller)
            return EPERM;
        rts_set(target, RTS_NO_PRIV);
        return OK;

    default:
        return EINVAL;
    }
}
