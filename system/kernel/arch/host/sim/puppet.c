/*
 * puppet.c (host platform simulator): puppets, the processes with no code
 * of their own that the caller drives (hostsim.h). A puppet's memory is a
 * slot of HS_PUPPET_MEM bytes (loader.c) that it sees at PUPPET_VBASE;
 * the message of a trap lives at PUPPET_MSG, a SENDA table at
 * PUPPET_SENDA, the caller's buffers from PUPPET_USER. A puppet's trap is
 * performed here in the kernel context; the system then runs (run_loop)
 * until the puppet can continue.
 */
#include "kernel.h"
#include "inject_kern.h"
#include "hs.h"
#include "hs_kernel.h"
#include "hostsim.h"
#include "hs_sched.h"

/* libc of the host (the kernel headers clash with <stdio.h>'s friends only
 * for errno/signal names, which this file does not use) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Host memory of puppet instance i. */
static unsigned char *puppet_host(int i)
{
    return (unsigned char *)(uintptr_t)(HS_PUPPET_BASE +
                                        (uint32_t)hs_insts[i].puppet_slot * HS_PUPPET_MEM);
}

/* See hs_kernel.h. */
void hs_puppet_fork_mem(int ci, int pi)
{
    hs_raw_copy(puppet_host(ci), puppet_host(pi), HS_PUPPET_MEM);   /* no redzones there */
    hs_puppet_note(ci, 0, HS_PUPPET_MEM);
}


/* See hs_sched.h. */
void puppets_boot(void)
{
    init_handed = 0;
    memset(handed, 0, sizeof handed);
}


/* The puppet instance behind endpoint ep, or -1 (not a live puppet). */
static int puppet_inst(endpoint_t ep, struct proc **pp)
{
    struct proc *p = endpoint_lookup(ep);

    if (!booted || !p || !is_puppet(p))
        return -1;
    if (pp)
        *pp = p;
    return inst_of(p);
}

struct wait_arg { struct proc *p; endpoint_t ep; };

/* The puppet can continue: it is not blocked in IPC, or it is gone. */
static int puppet_free(void *arg)
{
    const struct wait_arg *w = arg;

    return w->p->p_endpoint != w->ep || isemptyp(w->p) ||
           !(w->p->p_rts_flags & (RTS_SENDING | RTS_RECEIVING));
}

/* Result of a finished puppet call, reply copied to m. */
static int puppet_result(struct proc *p, endpoint_t ep, int i, message *m)
{
    if (p->p_endpoint != ep || isemptyp(p))
        return EDEADSRCDST;
    if (m)
        memcpy(m, puppet_host(i) + PUPPET_MSG, sizeof *m);
    return p->p_arch.result;
}

/* Performs the trap for puppet p (instance i) and runs the system until
 * it can continue. */
static int puppet_trap(struct proc *p, int i, int kcall, int prim, endpoint_t ep,
                       vir_bytes msg, uint32_t count, message *m)
{
    struct wait_arg w = { p, p->p_endpoint };
    int r;

    if (p->p_rts_flags & (RTS_SENDING | RTS_RECEIVING))
        return HOSTSIM_EINVAL;
    if (!proc_is_runnable(p))
        return HOSTSIM_EINVAL;  /* stopped (signalled, being killed): it cannot trap */
    if (status == 3)
        return HOSTSIM_VIOLATION;
    if (status != 0)
        return HOSTSIM_HALTED;
    ENTER();
    current_proc = p;
    p->p_arch.result_set = 0;
    if (kcall) {
        kc_proc = p;
        kc_msg = msg;
        kernel_call_trap(p, msg);
        kc_proc = NULL;
    } else {
        kernel_ipc_trap(p, prim, ep, msg, count);
    }
    idle_budget = idle_default();
    r = run_loop(call_max_steps(), puppet_free, &w, NULL);
    LEAVE();
    if (r == RUN_DONE)
        return puppet_result(p, w.ep, i, m);
    if (r == RUN_BUDGET)
        r = HOSTSIM_BUSY;
    return r;
}

/* See hostsim.h. */
API int hostsim_ipc(endpoint_t puppet, int primitive, endpoint_t ep, message *m)
{
    struct proc *p;
    int i = puppet_inst(puppet, &p);
    message z;

    if (i < 0)
        return HOSTSIM_EINVAL;
    if (!m) {
        memset(&z, 0, sizeof z);
        m = &z;
    }
    memcpy(puppet_host(i) + PUPPET_MSG, m, sizeof *m);
    hs_puppet_note(i, PUPPET_MSG, sizeof *m);
    return puppet_trap(p, i, 0, primitive, ep, PUPPET_VBASE + PUPPET_MSG, 0, m);
}

/* See hostsim.h. */
API int hostsim_kernel_call(endpoint_t puppet, int call, message *m)
{
    struct proc *p;
    int i = puppet_inst(puppet, &p);

    if (i < 0 || !m)
        return HOSTSIM_EINVAL;
    m->m_type = call;
    memcpy(puppet_host(i) + PUPPET_MSG, m, sizeof *m);
    hs_puppet_note(i, PUPPET_MSG, sizeof *m);
    return puppet_trap(p, i, 1, 0, 0, PUPPET_VBASE + PUPPET_MSG, 0, m);
}

/* See hostsim.h. */
API int hostsim_senda(endpoint_t puppet, const asynmsg_t *table, size_t count)
{
    struct proc *p;
    int i = puppet_inst(puppet, &p);

    if (i < 0 || count * sizeof(asynmsg_t) > HS_PUPPET_MEM - PUPPET_SENDA)
        return HOSTSIM_EINVAL;
    memcpy(puppet_host(i) + PUPPET_SENDA, table, count * sizeof *table);
    hs_puppet_note(i, PUPPET_SENDA, count * sizeof *table);
    return puppet_trap(p, i, 0, IPC_SENDA, 0, PUPPET_VBASE + PUPPET_SENDA,
                       (uint32_t)count, NULL);
}

/* See hostsim.h. */
API int hostsim_pending(endpoint_t puppet, message *m)
{
    struct proc *p = endpoint_lookup(puppet);
    int i = inst_of(p);

    if (!p || i < 0 || hs_insts[i].kind != HS_I_PUPPET)
        return HOSTSIM_EINVAL;
    if (p->p_rts_flags & (RTS_SENDING | RTS_RECEIVING))
        return HOSTSIM_PENDING;
    return puppet_result(p, puppet, i, m);
}

/* See hostsim.h. */
API void *hostsim_puppet_mem(endpoint_t puppet, size_t *len)
{
    int i = puppet_inst(puppet, NULL);

    if (i < 0)
        return NULL;
    if (len)
        *len = PUPPET_SENDA - PUPPET_USER;
    hs_puppet_note(i, PUPPET_USER, PUPPET_SENDA - PUPPET_USER);
    return puppet_host(i) + PUPPET_USER;
}

/* See hostsim.h. */
API void *hostsim_puppet_span(endpoint_t puppet, size_t off, size_t len)
{
    int i = puppet_inst(puppet, NULL);

    if (i < 0 || off > PUPPET_SENDA - PUPPET_USER || len > PUPPET_SENDA - PUPPET_USER - off)
        return NULL;
    hs_puppet_note(i, PUPPET_USER + off, len);
    return puppet_host(i) + PUPPET_USER + off;
}

/* See hostsim.h. */
API vir_bytes hostsim_puppet_vaddr(endpoint_t puppet)
{
    return puppet_inst(puppet, NULL) < 0 ? 0 : PUPPET_VBASE + PUPPET_USER;
}

/* A system puppet: a fresh slot with a full system privilege, its own
 * signal manager, priority just above idle. */
static endpoint_t new_system_puppet(void)
{
    struct proc *p = proc_alloc();
    struct priv *pr;
    struct priv_spec *s;
    int i, k, mod = hs_mod_find("init");

    if (!p || mod < 0)
        return HOSTSIM_ENOSPC;
    pr = priv_alloc();
    if (!pr)
        return HOSTSIM_ENOSPC;
    i = hs_inst_alloc(HS_I_PUPPET, mod);
    if (i < 0) {
        priv_free(pr);
        return HOSTSIM_ENOSPC;
    }
    proc_setup(p, p->p_nr, "puppet");
    p->p_arch.inst = i + 1;
    p->p_arch.pages = hs_inst_pages(i);
    p->p_priority = IDLE_Q - 1;
    s = &pr->s_spec;
    s->flags = PRIV_SYS_PROC;
    s->trap_mask = TRAP_ALL;
    for (k = 0; k < NR_ALL_SLOTS; k++)
        BIT_SET(s->ipc_to, k);
    for (k = 0; k < NR_SYS_CALLS; k++)
        BIT_SET(s->k_call_mask, k);
    for (k = 0; k < PRIV_MAX_IRQ; k++)
        s->irq[k] = -1;
    s->sig_mgr = p->p_nr;
    p->p_priv = pr;
    rts_clear(p, RTS_NO_PRIV);
    handed[i] = p->p_endpoint;
    return p->p_endpoint;
}

/* See hostsim.h. */
API endpoint_t hostsim_puppet(int kind)
{
    struct proc *ip = proc_addr(INIT_PROC_NR);
    message m;
    int r, i;

    if (!booted)
        return HOSTSIM_EINVAL;
    if (kind == HOSTSIM_PUPPET_SYSTEM)
        return new_system_puppet();
    if (kind != HOSTSIM_PUPPET_USER || isemptyp(ip) || !is_puppet(ip))
        return HOSTSIM_EINVAL;
    if (!init_handed) {
        init_handed = 1;
        handed[inst_of(ip)] = ip->p_endpoint;
        return ip->p_endpoint;
    }
    memset(&m, 0, sizeof m);
    m.m_type = PM_FORK;
    r = hostsim_ipc(ip->p_endpoint, IPC_SENDREC, PM_PROC_NR, &m);
    if (r != OK)
        return r;
    if (m.m_type < 0)
        return m.m_type;
    for (i = 0; i < HS_MAX_INST; i++) {
        int idx;

        if (hs_insts[i].kind != HS_I_PUPPET)
            continue;
        for (idx = 0; idx < NR_ALL_SLOTS; idx++)
            if (!isemptyp(&proc_table[idx]) && inst_of(&proc_table[idx]) == i &&
                handed[i] != proc_table[idx].p_endpoint) {
                struct wait_arg w = { &proc_table[idx], proc_table[idx].p_endpoint };

                handed[i] = w.ep;
                /* the child waits for PM's reply (0) too */
                ENTER();
                idle_budget = idle_default();
                r = run_loop(call_max_steps(), puppet_free, &w, NULL);
                LEAVE();
                if (r == RUN_BUDGET)
                    return HOSTSIM_BUSY;
                if (r != RUN_DONE && r != HOSTSIM_STUCK)
                    return r;
                return w.ep;
            }
    }
    return HOSTSIM_ENOSPC;
}

