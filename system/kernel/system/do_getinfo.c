/*
 * SYS_GETINFO(request, buf, len, ep, index): kernel information.
 *
 * Who: every system process (a basic call).
 * Requests (m_sys_getinfo.request):
 *   GET_WHOAMI   out_ep, out_name, out_privflags of the caller (in the message)
 *   GET_HZ       out_value = clock ticks per second
 *   GET_PROC     struct proc_info of ep (SELF allowed), or of slot 'index'
 *                (-NR_TASKS .. NR_PROCS-1, free slots too) when ep == NONE
 *   GET_PROCTAB  struct proc_info[NR_ALL_SLOTS], in slot order
 *   GET_PRIV     struct priv_spec of ep (SELF allowed)
 *   GET_MODULES  struct module_info[MAX_BOOT_MODULES]
 *   GET_KINFO    struct kinfo (memory and free pages filled in now)
 * Copied answers go to buf in the caller, and len must be exactly the size
 * of the structure (seed 004), else EINVAL and nothing is copied.
 * Errors: EINVAL unknown request, size mismatch, bad index; EDEADSRCDST bad
 *   ep; ESRCH GET_PRIV of a process without privilege; EFAULT bad buf.
 */
#include "system.h"

static struct proc_info info_tab[NR_ALL_SLOTS];

static void fill_proc_info(const struct proc *p, struct proc_info *pi)
{
    kmemset(pi, 0, sizeof(*pi));
    pi->endpoint = p->p_endpoint;
    pi->slot = p->p_nr;
    pi->rts_flags = p->p_rts_flags;
    if (isemptyp(p))
        return;
    kstrlcpy(pi->name, p->p_name, PROC_NAME_LEN);
    pi->priv_flags = p->p_priv != NULL ? p->p_priv->s_spec.flags : 0;
    pi->priority = p->p_priority;
    pi->quantum = p->p_quantum;
    pi->sendto = (p->p_rts_flags & RTS_SENDING) ? p->p_sendto_e : NONE;
    pi->getfrom = (p->p_rts_flags & RTS_RECEIVING) ? p->p_getfrom_e : NONE;
    pi->user_time = p->p_user_time;
    pi->sys_time = p->p_sys_time;
    pi->pending_sigs = p->p_pending;
    pi->pages = iskerneln(p->p_nr) ? 0 : arch_proc_pages(p);
    pi->exit_status = p->p_exit_status;
    pi->reply_pending = (p->p_misc_flags & MF_REPLY_PEND) != 0;
}

static int copy_out(struct proc *caller, const mess_sys_getinfo *g,
                    const void *what, size_t size)
{
    if (g->len != size)
        return EINVAL;
    return arch_copy_to_proc(caller, g->buf, what, size);
}

int do_getinfo(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    mess_sys_getinfo *g = &m->m_sys_getinfo;
    struct proc *p;
    int r;

    switch (g->request) {
    case GET_WHOAMI:
        g->out_ep = caller->p_endpoint;
        kstrlcpy(g->out_name, caller->p_name, PROC_NAME_LEN);
        g->out_privflags = caller->p_priv != NULL ?
                           (int32_t)caller->p_priv->s_spec.flags : 0;
        return OK;

    case GET_HZ:
        g->out_value = kernel_info.hz != 0 ? kernel_info.hz : HZ;
        return OK;

    case GET_PROC: {
        struct proc_info pi;
        if (g->len != sizeof(pi))
            return EINVAL;
        if (g->ep == NONE) {
            if (!proc_slot_ok(g->index))
                return EINVAL;
            p = proc_addr(g->index);
        } else if ((r = kcall_proc(caller, g->ep, KC_SELF_OK | KC_TASK_OK, &p)) != OK) {
            return r;
        }
        fill_proc_info(p, &pi);
        return copy_out(caller, g, &pi, sizeof(pi));
    }

    case GET_PROCTAB:
        if (g->len != sizeof(info_tab))
            return EINVAL;
        for (int i = 0; i < NR_ALL_SLOTS; i++)
            fill_proc_info(&proc_table[i], &info_tab[i]);
        return copy_out(caller, g, info_tab, sizeof(info_tab));

    case GET_PRIV:
        if (g->len != sizeof(struct priv_spec))
            return EINVAL;
        if ((r = kcall_proc(caller, g->ep, KC_SELF_OK | KC_TASK_OK, &p)) != OK)
            return r;
        if (p->p_priv == NULL)
            return ESRCH;
        return copy_out(caller, g, &p->p_priv->s_spec, sizeof(struct priv_spec));

    case GET_MODULES:
        return copy_out(caller, g, boot_modules, sizeof(boot_modules));

    case GET_KINFO: {
        struct kinfo ki = kernel_info;
        ki.cmdline[CMDLINE_MAX - 1] = '\0';
        ki.hz = ki.hz != 0 ? ki.hz : HZ;
        ki.mem_bytes = arch_mem_bytes();
        ki.free_pages = arch_free_pages();
        ki.version = KINFO_VERSION;
        return copy_out(caller, g, &ki, sizeof(ki));
    }

    default:
        return EINVAL;
    }
}
