/*
 * Kernel call dispatch. The core's kernel_call_trap() copies the caller's
 * message in, checks the caller's call mask (ECALLDENIED) and calls
 * do_kernel_call(); the result becomes the reply's m_type, except
 * EDONTREPLY (no reply). Unknown call numbers fail with EBADCALL.
 * Also holds the helpers the handlers share (system/system.h).
 */
#include "kernel.h"
#include "system/system.h"

static const kcall_handler_t kcall_table[NR_SYS_CALLS] = {
    [KCALL_INDEX(SYS_FORK)]     = do_fork,
    [KCALL_INDEX(SYS_EXEC)]     = do_exec,
    [KCALL_INDEX(SYS_EXIT)]     = do_exit,
    [KCALL_INDEX(SYS_CLEAR)]    = do_clear,
    [KCALL_INDEX(SYS_KILL)]     = do_kill,
    [KCALL_INDEX(SYS_GETKSIG)]  = do_getksig,
    [KCALL_INDEX(SYS_ENDKSIG)]  = do_endksig,
    [KCALL_INDEX(SYS_GETINFO)]  = do_getinfo,
    [KCALL_INDEX(SYS_VIRCOPY)]  = do_vircopy,
    [KCALL_INDEX(SYS_PHYSCOPY)] = do_physcopy,
    [KCALL_INDEX(SYS_PRIVCTL)]  = do_privctl,
    [KCALL_INDEX(SYS_UPDATE)]   = do_update,
    [KCALL_INDEX(SYS_STATECTL)] = do_statectl,
    [KCALL_INDEX(SYS_SCHEDULE)] = do_schedule,
    [KCALL_INDEX(SYS_TIMES)]    = do_times,
    [KCALL_INDEX(SYS_SETALARM)] = do_setalarm,
    [KCALL_INDEX(SYS_DIAGCTL)]  = do_diagctl,
    [KCALL_INDEX(SYS_DEVIO)]    = do_devio,
    [KCALL_INDEX(SYS_IRQCTL)]   = do_irqctl,
    [KCALL_INDEX(SYS_SHUTDOWN)] = do_shutdown,
};

int do_kernel_call(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    int32_t type = m->m_type;
    if (type < KERNEL_CALL || type >= KERNEL_CALL + NR_SYS_CALLS)
        return EBADCALL;
    kcall_handler_t h = kcall_table[KCALL_INDEX(type)];
    if (h == NULL)
        return EBADCALL;
    return h(caller, m);
}

int kcall_proc(struct proc *caller, endpoint_t ep, int how, struct proc **pp)
{
    KASSERT(caller != NULL && pp != NULL);
    struct proc *p;

    *pp = NULL;
    if (ep == SELF) {
        if (!(how & KC_SELF_OK))
            return EDEADSRCDST;
        p = caller;
    } else {
        if (ep == ANY || ep == NONE)
            return EDEADSRCDST;
        p = endpoint_lookup(ep);
        if (p == NULL || isemptyp(p) || p->p_endpoint != ep)
            return EDEADSRCDST;
    }
    if (iskerneln(p->p_nr) && !(how & KC_TASK_OK))
        return EPERM;
    *pp = p;
    return OK;
}

int kcall_sig_ok(const struct proc *p)
{
    KASSERT(p != NULL);
    if (isemptyp(p) || iskerneln(p->p_nr))
        return EPERM;
    endpoint_t mgr_e = priv_sig_mgr(p);
    if (mgr_e == p->p_endpoint)
        return EPERM;
    struct proc *mgr = endpoint_lookup(mgr_e);
    if (mgr == NULL || iskerneln(mgr->p_nr))
        return EDEADSRCDST;
    return OK;
}
