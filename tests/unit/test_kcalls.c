/*
 * test_kcalls: host unit tests of the kernel calls (kernel/system.c and
 * kernel/system/do_*.c) on kcore_host. Each case boots a fresh kernel
 * (ktest.h) and makes calls through kernel_call_trap, as a process would.
 * Every assertion is one that fails without the feature it names.
 */
#include <string.h>
#include "ktest.h"
#include "system/system.h"

/* p makes kernel call m (m->m_type = the call); m gets the reply's
 * fields but keeps its m_type, so that it can be made again. Returns the
 * trap result, or KT_BLOCKED when the caller got no reply. */
static int kc(struct proc *p, message *m)
{
    vir_bytes v = host_ualloc(sizeof(message));
    int32_t type = m->m_type;

    memcpy(host_uptr(v), m, sizeof(*m));
    p->p_arch.result_set = 0;
    kernel_call_trap(p, v);
    memcpy(m, host_uptr(v), sizeof(*m));
    m->m_type = type;
    return kt_result(p);
}

static message msg(int type)
{
    message m;
    memset(&m, 0, sizeof(m));
    m.m_type = type;
    return m;
}

static int getinfo(struct proc *p, int req, vir_bytes buf, uint32_t len, endpoint_t ep, int index)
{
    message m = msg(SYS_GETINFO);
    m.m_sys_getinfo.request = req;
    m.m_sys_getinfo.buf = buf;
    m.m_sys_getinfo.len = len;
    m.m_sys_getinfo.ep = ep;
    m.m_sys_getinfo.index = index;
    return kc(p, &m);
}

static int proc_call(struct proc *p, int type, endpoint_t target, int sig, int status)
{
    message m = msg(type);
    m.m_sys_proc.target = target;
    m.m_sys_proc.sig = sig;
    m.m_sys_proc.status = status;
    return kc(p, &m);
}

static int privctl(struct proc *p, endpoint_t target, int req, vir_bytes spec)
{
    message m = msg(SYS_PRIVCTL);
    m.m_sys_privctl.target = target;
    m.m_sys_privctl.request = req;
    m.m_sys_privctl.spec = spec;
    return kc(p, &m);
}

static int update(struct proc *p, endpoint_t src, endpoint_t dst)
{
    message m = msg(SYS_UPDATE);
    m.m_sys_update.src = src;
    m.m_sys_update.dst = dst;
    m.m_sys_update.flags = UPD_SWAP;
    return kc(p, &m);
}

static int schedule(struct proc *p, endpoint_t target, int quantum, int prio, int cpu)
{
    message m = msg(SYS_SCHEDULE);
    m.m_sys_schedule.target = target;
    m.m_sys_schedule.quantum = quantum;
    m.m_sys_schedule.priority = prio;
    m.m_sys_schedule.cpu = cpu;
    return kc(p, &m);
}

static int copy(struct proc *p, int type, endpoint_t s, vir_bytes sa,
                endpoint_t d, vir_bytes da, uint32_t n)
{
    message m = msg(type);
    m.m_sys_copy.src_ep = s;
    m.m_sys_copy.src_addr = sa;
    m.m_sys_copy.dst_ep = d;
    m.m_sys_copy.dst_addr = da;
    m.m_sys_copy.bytes = n;
    return kc(p, &m);
}

static struct proc *rs(void) { return proc_addr(RS_PROC_NR); }

/* A valid system privilege spec in user memory (manager RS). */
static vir_bytes spec_in_user(void)
{
    vir_bytes v = host_ualloc(sizeof(struct priv_spec));
    struct priv_spec *s = host_uptr(v);
    s->flags = PRIV_SYS_PROC | PRIV_PREEMPTIBLE;
    s->trap_mask = TRAP_ALL;
    s->sig_mgr = RS_PROC_NR;
    for (int i = 0; i < PRIV_MAX_IRQ; i++)
        s->irq[i] = -1;
    return v;
}

/* ---------------------------- SYS_GETINFO ---------------------------- */

KTEST(getinfo_size_check)
{
    struct proc *ds = kt_sys(DS_PROC_NR);
    vir_bytes buf = host_ualloc(sizeof(struct proc_info) * NR_ALL_SLOTS);

    /* seed 004: a size mismatch is refused, nothing is copied */
    CHECK_EQ(getinfo(ds, GET_KINFO, buf, sizeof(struct kinfo) - 1, NONE, 0), EINVAL);
    CHECK_EQ(getinfo(ds, GET_KINFO, buf, sizeof(struct kinfo) + 4, NONE, 0), EINVAL);
    CHECK_EQ(((struct kinfo *)host_uptr(buf))->version, 0);
    CHECK_EQ(getinfo(ds, GET_PROC, buf, sizeof(struct proc_info) - 4, SELF, 0), EINVAL);
    CHECK_EQ(getinfo(ds, GET_PROCTAB, buf, sizeof(struct proc_info), NONE, 0), EINVAL);
    CHECK_EQ(getinfo(ds, GET_MODULES, buf, sizeof(struct module_info), NONE, 0), EINVAL);
    CHECK_EQ(getinfo(ds, GET_PRIV, buf, 4, SELF, 0), EINVAL);

    CHECK_EQ(getinfo(ds, GET_KINFO, buf, sizeof(struct kinfo), NONE, 0), OK);
    struct kinfo *ki = host_uptr(buf);
    CHECK_EQ(ki->version, KINFO_VERSION);
    CHECK_EQ(ki->hz, HZ);
    CHECK_EQ(ki->nr_modules, 11);
    CHECK_EQ(ki->free_pages, 1000);

    CHECK_EQ(getinfo(ds, GET_KINFO, 0x10, sizeof(struct kinfo), NONE, 0), EFAULT);
    CHECK_EQ(getinfo(ds, 999, buf, 0, NONE, 0), EINVAL);
}

KTEST(getinfo_answers)
{
    struct proc *ds = kt_sys(DS_PROC_NR);
    vir_bytes buf = host_ualloc(sizeof(struct proc_info) * NR_ALL_SLOTS);
    message m = msg(SYS_GETINFO);

    m.m_sys_getinfo.request = GET_WHOAMI;
    CHECK_EQ(kc(ds, &m), OK);
    CHECK_EQ(m.m_sys_getinfo.out_ep, ds->p_endpoint);
    CHECK(strcmp(m.m_sys_getinfo.out_name, "ds") == 0);
    CHECK_EQ(m.m_sys_getinfo.out_privflags, PRIV_SYS_PROC | PRIV_PREEMPTIBLE);

    m = msg(SYS_GETINFO);
    m.m_sys_getinfo.request = GET_HZ;
    CHECK_EQ(kc(ds, &m), OK);
    CHECK_EQ(m.m_sys_getinfo.out_value, HZ);

    struct proc_info *pi = host_uptr(buf);
    CHECK_EQ(getinfo(ds, GET_PROC, buf, sizeof(*pi), RS_PROC_NR, 0), OK);
    CHECK_EQ(pi->endpoint, RS_PROC_NR);
    CHECK(strcmp(pi->name, "rs") == 0);
    CHECK_EQ(pi->rts_flags, 0);
    CHECK(pi->priv_flags & PRIV_ROOT_SYS);
    /* by slot when ep == NONE, free slots too */
    CHECK_EQ(getinfo(ds, GET_PROC, buf, sizeof(*pi), NONE, 40), OK);
    CHECK_EQ(pi->slot, 40);
    CHECK_EQ(pi->rts_flags, RTS_SLOT_FREE);
    CHECK_EQ(getinfo(ds, GET_PROC, buf, sizeof(*pi), NONE, NR_PROCS), EINVAL);
    CHECK_EQ(getinfo(ds, GET_PROC, buf, sizeof(*pi), NONE, -NR_TASKS - 1), EINVAL);
    CHECK_EQ(getinfo(ds, GET_PROC, buf, sizeof(*pi), ENDPOINT(3, 40), 0), EDEADSRCDST);

    CHECK_EQ(getinfo(ds, GET_PROCTAB, buf, sizeof(*pi) * NR_ALL_SLOTS, NONE, 0), OK);
    CHECK_EQ(pi[SLOT_INDEX(RS_PROC_NR)].endpoint, RS_PROC_NR);
    CHECK_EQ(pi[SLOT_INDEX(CLOCK)].slot, ENDPOINT_SLOT(CLOCK));

    CHECK_EQ(getinfo(ds, GET_MODULES, buf, sizeof(boot_modules), NONE, 0), OK);
    CHECK(strcmp(((struct module_info *)host_uptr(buf))[10].name, "prog") == 0);

    CHECK_EQ(getinfo(ds, GET_PRIV, buf, sizeof(struct priv_spec), SELF, 0), OK);
    CHECK_EQ(((struct priv_spec *)host_uptr(buf))->sig_mgr, RS_PROC_NR);
    /* VM has no privilege yet */
    CHECK_EQ(getinfo(ds, GET_PRIV, buf, sizeof(struct priv_spec), VM_PROC_NR, 0), ESRCH);
}

/* ---------------------------- dispatch ---------------------------- */

KTEST(dispatch_unknown_call)
{
    struct proc *ds = kt_sys(DS_PROC_NR);
    message m = msg(KERNEL_CALL + NR_SYS_CALLS);
    CHECK_EQ(do_kernel_call(ds, &m), EBADCALL);
    m = msg(KERNEL_CALL - 1);
    CHECK_EQ(do_kernel_call(ds, &m), EBADCALL);
    m = msg(0x7fffffff);
    CHECK_EQ(do_kernel_call(ds, &m), EBADCALL);
    m = msg(KERNEL_CALL + 55);
    CHECK_EQ(kc(ds, &m), EBADCALL);
}

/* ---------------------------- SYS_PRIVCTL ---------------------------- */

KTEST(privctl)
{
    struct proc *ds = kt_sys(DS_PROC_NR);
    struct proc *vm = proc_addr(VM_PROC_NR);
    vir_bytes spec = spec_in_user();

    CHECK(vm->p_rts_flags & RTS_NO_PRIV);
    CHECK(vm->p_priv == NULL);
    /* only a PRIV_ROOT_SYS caller may hand out privileges */
    CHECK_EQ(privctl(ds, VM_PROC_NR, PRIV_SET_SYS, spec), EPERM);
    CHECK_EQ(privctl(ds, VM_PROC_NR, PRIV_SET_USER, 0), EPERM);
    CHECK(vm->p_priv == NULL);
    /* no privilege: may not be allowed to run */
    CHECK_EQ(privctl(rs(), VM_PROC_NR, PRIV_ALLOW, 0), EPERM);

    /* bad specs */
    CHECK_EQ(privctl(rs(), VM_PROC_NR, PRIV_SET_SYS, 0x10), EFAULT);
    ((struct priv_spec *)host_uptr(spec))->irq[0] = 99;
    CHECK_EQ(privctl(rs(), VM_PROC_NR, PRIV_SET_SYS, spec), EINVAL);
    ((struct priv_spec *)host_uptr(spec))->irq[0] = -1;
    ((struct priv_spec *)host_uptr(spec))->sig_mgr = ENDPOINT(7, 50);
    CHECK_EQ(privctl(rs(), VM_PROC_NR, PRIV_SET_SYS, spec), EINVAL);
    ((struct priv_spec *)host_uptr(spec))->sig_mgr = RS_PROC_NR;
    ((struct priv_spec *)host_uptr(spec))->flags |= 0x8000;
    CHECK_EQ(privctl(rs(), VM_PROC_NR, PRIV_SET_SYS, spec), EINVAL);
    ((struct priv_spec *)host_uptr(spec))->flags &= ~0x8000u;
    ((struct priv_spec *)host_uptr(spec))->io[0].base = 0xfff0;
    ((struct priv_spec *)host_uptr(spec))->io[0].len = 0x20;
    CHECK_EQ(privctl(rs(), VM_PROC_NR, PRIV_SET_SYS, spec), EINVAL);
    ((struct priv_spec *)host_uptr(spec))->io[0].len = 0x10;
    CHECK(vm->p_priv == NULL);

    CHECK_EQ(privctl(rs(), VM_PROC_NR, PRIV_SET_SYS, spec), OK);
    CHECK(vm->p_priv != NULL && vm->p_priv->s_id != USER_PRIV_ID);
    CHECK_EQ(vm->p_priv->s_spec.trap_mask, TRAP_ALL);
    CHECK(vm->p_rts_flags & RTS_NO_PRIV);           /* still stopped */
    CHECK_EQ(privctl(rs(), VM_PROC_NR, PRIV_SET_SYS, 0), EFAULT);
    CHECK_EQ(privctl(rs(), VM_PROC_NR, PRIV_ALLOW, 0), OK);
    CHECK(proc_is_runnable(vm));
    /* a running process's privilege cannot be replaced */
    CHECK_EQ(privctl(rs(), VM_PROC_NR, PRIV_SET_SYS, spec), EPERM);
    CHECK_EQ(privctl(rs(), VM_PROC_NR, PRIV_DISALLOW, 0), OK);
    CHECK(vm->p_rts_flags & RTS_NO_PRIV);
    CHECK_EQ(privctl(rs(), SELF, PRIV_DISALLOW, 0), EPERM);
    CHECK_EQ(privctl(rs(), CLOCK, PRIV_ALLOW, 0), EPERM);
    CHECK_EQ(privctl(rs(), ENDPOINT(2, VM_PROC_NR), PRIV_ALLOW, 0), EDEADSRCDST);
    CHECK_EQ(privctl(rs(), VM_PROC_NR, 42, 0), EINVAL);

    /* SET_USER frees the system privilege */
    struct priv *old = vm->p_priv;
    CHECK_EQ(privctl(rs(), VM_PROC_NR, PRIV_SET_USER, 0), OK);
    CHECK(vm->p_priv == &priv_table[USER_PRIV_ID]);
    CHECK_EQ(old->s_in_use, 0);
}

/* ---------------------------- SYS_UPDATE ---------------------------- */

KTEST(update_swap)
{
    struct proc *ds = kt_sys(DS_PROC_NR);
    struct proc *vm = proc_addr(VM_PROC_NR), *tty = proc_addr(TTY_PROC_NR);
    vir_bytes spec = spec_in_user();

    CHECK_EQ(privctl(rs(), VM_PROC_NR, PRIV_SET_SYS, spec), OK);
    struct priv *vm_priv = vm->p_priv;
    vm->p_priority = 3;
    tty->p_priority = 7;
    int vm_mod = vm->p_arch.module, tty_mod = tty->p_arch.module;
    CHECK(vm_mod != tty_mod);

    /* runnable processes are refused */
    CHECK_EQ(update(rs(), DS_PROC_NR, VM_PROC_NR), EBUSY);
    CHECK_EQ(update(rs(), VM_PROC_NR, DS_PROC_NR), EBUSY);
    CHECK_EQ(update(rs(), SELF, VM_PROC_NR), EBUSY);
    /* one blocked sending leaves the receiver's queue first, its send
     * aborted; the instance swapped out keeps its other flags */
    struct proc *hello = kt_sys(HELLO_PROC_NR);
    CHECK_EQ(kt_ipc(hello, IPC_SEND, DS_PROC_NR, kt_msg(1, 2), 0), KT_BLOCKED);
    CHECK(hello->p_rts_flags & RTS_SENDING);
    CHECK(ds->p_caller_q == hello);
    rts_set(hello, RTS_NO_PRIV);
    CHECK_EQ(update(rs(), HELLO_PROC_NR, VM_PROC_NR), OK);
    CHECK(ds->p_caller_q == NULL);
    CHECK_EQ(vm->p_rts_flags & (RTS_SENDING | RTS_NO_PRIV), RTS_NO_PRIV);
    CHECK(strcmp(vm->p_name, "hello") == 0);
    CHECK_EQ(update(rs(), HELLO_PROC_NR, VM_PROC_NR), OK);     /* back */
    CHECK(strcmp(vm->p_name, "vm") == 0);
    CHECK_EQ(update(rs(), VM_PROC_NR, VM_PROC_NR), EINVAL);
    CHECK_EQ(update(rs(), VM_PROC_NR, ENDPOINT(1, TTY_PROC_NR)), EDEADSRCDST);
    CHECK_EQ(update(rs(), VM_PROC_NR, IDLE), EPERM);
    message m = msg(SYS_UPDATE);
    m.m_sys_update.src = VM_PROC_NR;
    m.m_sys_update.dst = TTY_PROC_NR;
    m.m_sys_update.flags = 7;
    CHECK_EQ(kc(rs(), &m), EINVAL);

    /* the swap: contents move, endpoints stay */
    CHECK_EQ(update(rs(), VM_PROC_NR, TTY_PROC_NR), OK);
    CHECK_EQ(vm->p_endpoint, VM_PROC_NR);
    CHECK_EQ(tty->p_endpoint, TTY_PROC_NR);
    CHECK(strcmp(vm->p_name, "tty") == 0);
    CHECK(strcmp(tty->p_name, "vm") == 0);
    CHECK_EQ(vm->p_arch.module, tty_mod);
    CHECK_EQ(tty->p_arch.module, vm_mod);
    CHECK_EQ(vm->p_priority, 7);
    CHECK_EQ(tty->p_priority, 3);
    CHECK(tty->p_priv == vm_priv);
    CHECK(vm->p_priv == NULL);
    CHECK(!proc_is_runnable(vm) && !proc_is_runnable(tty));
    CHECK_EQ(endpoint_lookup(VM_PROC_NR), vm);

    /* and back */
    CHECK_EQ(update(rs(), TTY_PROC_NR, VM_PROC_NR), OK);
    CHECK(strcmp(vm->p_name, "vm") == 0);
    CHECK(vm->p_priv == vm_priv);
}

/* ------------------------ signals: kill, getksig, endksig ------------------------ */

KTEST(getksig_endksig_round_trip)
{
    struct proc *ds = kt_sys(DS_PROC_NR);
    struct proc *pm = kt_sys(PM_PROC_NR);
    message m;

    CHECK_EQ(proc_call(pm, SYS_KILL, DS_PROC_NR, 0, 0), EINVAL);
    CHECK_EQ(proc_call(pm, SYS_KILL, DS_PROC_NR, NSIG, 0), EINVAL);
    CHECK_EQ(proc_call(pm, SYS_KILL, ENDPOINT(4, 30), SIGTERM, 0), EDEADSRCDST);
    CHECK_EQ(proc_call(pm, SYS_KILL, SYSTEM, SIGTERM, 0), EPERM);
    /* RS is its own manager: a signal to it would panic the kernel */
    CHECK_EQ(proc_call(pm, SYS_KILL, RS_PROC_NR, SIGTERM, 0), EPERM);

    CHECK_EQ(proc_call(pm, SYS_KILL, DS_PROC_NR, SIGTERM, 0), OK);
    CHECK_EQ(proc_call(pm, SYS_KILL, DS_PROC_NR, SIGUSR1, 0), OK);
    CHECK(ds->p_rts_flags & RTS_SIGNALED);
    CHECK(ds->p_rts_flags & RTS_SIG_PENDING);
    CHECK(!proc_is_runnable(ds));

    /* PM is not DS's manager: sees nothing, may not end it */
    m = msg(SYS_GETKSIG);
    CHECK_EQ(kc(pm, &m), OK);
    CHECK_EQ(m.m_sys_getksig.target, NONE);
    CHECK_EQ(proc_call(pm, SYS_ENDKSIG, DS_PROC_NR, 0, 0), EPERM);

    m = msg(SYS_GETKSIG);
    CHECK_EQ(kc(rs(), &m), OK);
    CHECK_EQ(m.m_sys_getksig.target, DS_PROC_NR);
    CHECK_EQ(m.m_sys_getksig.sigs, SIGMASK(SIGTERM) | SIGMASK(SIGUSR1));
    CHECK_EQ(ds->p_pending, 0);
    CHECK(ds->p_rts_flags & RTS_SIG_PENDING);       /* still stopped */
    CHECK(!proc_is_runnable(ds));
    m = msg(SYS_GETKSIG);
    CHECK_EQ(kc(rs(), &m), OK);
    CHECK_EQ(m.m_sys_getksig.target, NONE);

    CHECK_EQ(proc_call(rs(), SYS_ENDKSIG, DS_PROC_NR, 0, 0), OK);
    CHECK(proc_is_runnable(ds));
    CHECK_EQ(proc_call(rs(), SYS_ENDKSIG, DS_PROC_NR, 0, 0), EINVAL);
}

KTEST(exit_stops_and_signals_manager)
{
    struct proc *ds = kt_sys(DS_PROC_NR);
    message m;

    CHECK_EQ(proc_call(ds, SYS_EXIT, NONE, 0, 7), KT_BLOCKED);  /* no reply */
    CHECK(ds->p_rts_flags & RTS_PROC_STOP);
    CHECK(!proc_is_runnable(ds));
    CHECK_EQ(ds->p_exit_status, 7);

    m = msg(SYS_GETKSIG);
    CHECK_EQ(kc(rs(), &m), OK);
    CHECK_EQ(m.m_sys_getksig.target, DS_PROC_NR);
    CHECK_EQ(m.m_sys_getksig.sigs, SIGMASK(SIGKILL));
    /* endksig does not make an exited process run */
    CHECK_EQ(proc_call(rs(), SYS_ENDKSIG, DS_PROC_NR, 0, 0), OK);
    CHECK(ds->p_rts_flags & RTS_PROC_STOP);

    /* GET_PROC shows the status */
    vir_bytes buf = host_ualloc(sizeof(struct proc_info));
    CHECK_EQ(getinfo(rs(), GET_PROC, buf, sizeof(struct proc_info), DS_PROC_NR, 0), OK);
    CHECK_EQ(((struct proc_info *)host_uptr(buf))->exit_status, 7);

    /* RS is its own manager: refused instead of a kernel panic */
    CHECK_EQ(proc_call(rs(), SYS_EXIT, NONE, 0, 1), EPERM);
    CHECK(proc_is_runnable(rs()));
}

/* ---------------------------- SYS_CLEAR ---------------------------- */

KTEST(clear_makes_endpoint_stale)
{
    struct proc *ds = kt_sys(DS_PROC_NR);
    struct proc *pm = kt_sys(PM_PROC_NR);
    endpoint_t old = ds->p_endpoint;

    CHECK_EQ(proc_call(pm, SYS_CLEAR, SELF, 0, 0), EPERM);
    CHECK_EQ(proc_call(pm, SYS_CLEAR, PM_PROC_NR, 0, 0), EPERM);
    CHECK_EQ(proc_call(pm, SYS_CLEAR, HARDWARE, 0, 0), EPERM);
    CHECK_EQ(proc_call(pm, SYS_CLEAR, NONE, 0, 0), EDEADSRCDST);

    CHECK_EQ(proc_call(pm, SYS_CLEAR, old, 0, 0), OK);
    CHECK(isemptyp(ds));
    CHECK(ds->p_endpoint != old);
    CHECK(endpoint_lookup(old) == NULL);
    CHECK_EQ(proc_call(pm, SYS_CLEAR, old, 0, 0), EDEADSRCDST);
    CHECK_EQ(proc_call(pm, SYS_KILL, old, SIGTERM, 0), EDEADSRCDST);
    vir_bytes buf = host_ualloc(sizeof(struct proc_info));
    CHECK_EQ(getinfo(pm, GET_PROC, buf, sizeof(struct proc_info), old, 0), EDEADSRCDST);
    CHECK_EQ(kt_ipc(pm, IPC_SEND, old, kt_msg(1, 1), 0), EDEADSRCDST);
}

/* ---------------------------- SYS_SCHEDULE ---------------------------- */

KTEST(schedule_minus_one_keeps)
{
    struct proc *ds = kt_sys(DS_PROC_NR);
    int q0 = ds->p_quantum;

    CHECK_EQ(schedule(rs(), DS_PROC_NR, -1, 3, -1), OK);
    CHECK_EQ(ds->p_priority, 3);
    CHECK_EQ(ds->p_quantum, q0);
    CHECK_EQ(schedule(rs(), DS_PROC_NR, 50, -1, -1), OK);
    CHECK_EQ(ds->p_priority, 3);
    CHECK_EQ(ds->p_quantum, 50);
    CHECK_EQ(schedule(rs(), DS_PROC_NR, -1, -1, 0), OK);
    CHECK_EQ(ds->p_priority, 3);
    CHECK_EQ(ds->p_quantum, 50);

    CHECK_EQ(schedule(rs(), DS_PROC_NR, -1, NR_SCHED_QUEUES, -1), EINVAL);
    CHECK_EQ(schedule(rs(), DS_PROC_NR, -1, -2, -1), EINVAL);
    CHECK_EQ(schedule(rs(), DS_PROC_NR, 0, -1, -1), EINVAL);
    CHECK_EQ(schedule(rs(), DS_PROC_NR, -1, -1, 1), EINVAL);
    CHECK_EQ(schedule(rs(), ENDPOINT(9, 12), -1, 1, -1), EDEADSRCDST);
    CHECK_EQ(ds->p_priority, 3);

    /* a runnable process is requeued: the scheduler picks it by priority */
    CHECK_EQ(schedule(rs(), DS_PROC_NR, -1, 0, -1), OK);
    CHECK(kernel_pick_proc() == ds);
    /* a stopped one is only updated */
    CHECK_EQ(schedule(rs(), VM_PROC_NR, -1, 9, -1), OK);
    CHECK_EQ(proc_addr(VM_PROC_NR)->p_priority, 9);
}

/* ------------------------- SYS_VIRCOPY / SYS_PHYSCOPY ------------------------- */

KTEST(vircopy_physcopy)
{
    struct proc *ds = kt_sys(DS_PROC_NR);
    vir_bytes a = host_ualloc(64), b = host_ualloc(64);

    strcpy(host_uptr(a), "hello kernel");
    CHECK_EQ(copy(ds, SYS_VIRCOPY, SELF, 0x10, SELF, b, 8), EFAULT);
    CHECK_EQ(copy(ds, SYS_VIRCOPY, SELF, a, SELF, 0x10, 8), EFAULT);
    CHECK_EQ(copy(ds, SYS_VIRCOPY, SELF, 0xFFFFFFF0u, SELF, b, 0x20), EFAULT);
    CHECK_EQ(((char *)host_uptr(b))[0], 0);
    CHECK_EQ(copy(ds, SYS_VIRCOPY, NONE, a, SELF, b, 8), EDEADSRCDST);
    CHECK_EQ(copy(ds, SYS_VIRCOPY, SELF, a, ENDPOINT(5, 20), b, 8), EDEADSRCDST);
    CHECK_EQ(copy(ds, SYS_VIRCOPY, SELF, a, SYSTEM, b, 8), EDEADSRCDST);
    CHECK_EQ(copy(ds, SYS_VIRCOPY, SELF, a, SELF, b, KCOPY_MAX_BYTES + 1), EINVAL);
    CHECK_EQ(copy(ds, SYS_VIRCOPY, SELF, a, SELF, b, 0), OK);

    CHECK_EQ(copy(ds, SYS_VIRCOPY, SELF, a, RS_PROC_NR, b, 13), OK);
    CHECK(strcmp(host_uptr(b), "hello kernel") == 0);
    /* seed 004: NONE means physical, for SYS_PHYSCOPY only */
    memset(host_uptr(b), 0, 64);
    CHECK_EQ(copy(ds, SYS_PHYSCOPY, NONE, a, SELF, b, 5), OK);
    CHECK(memcmp(host_uptr(b), "hello", 5) == 0);
    CHECK_EQ(copy(ds, SYS_PHYSCOPY, NONE, 0x10, SELF, b, 5), EFAULT);
}

/* ---------------------------- SYS_FORK / SYS_EXEC ---------------------------- */

KTEST(fork_child_waits_for_reply)
{
    struct proc *pm = kt_sys(PM_PROC_NR);
    struct proc *vm = kt_sys(VM_PROC_NR);
    struct proc *u = kt_user("sh");
    message m;

    /* u is in the reply phase of a SENDREC to PM */
    CHECK_EQ(kt_ipc(pm, IPC_RECEIVE, ANY, kt_msg(0, 0), 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(u, IPC_SENDREC, PM_PROC_NR, kt_msg(PM_FORK, 0), 0), KT_BLOCKED);
    CHECK_EQ(kt_result(pm), OK);

    m = msg(SYS_FORK);
    m.m_sys_fork.parent = u->p_endpoint;
    m.m_sys_fork.flags = 0x80;
    CHECK_EQ(kc(vm, &m), EINVAL);
    m.m_sys_fork.flags = 0;
    m.m_sys_fork.parent = ENDPOINT(6, 33);
    CHECK_EQ(kc(vm, &m), EDEADSRCDST);
    m.m_sys_fork.parent = u->p_endpoint;
    CHECK_EQ(kc(vm, &m), OK);
    struct proc *c = endpoint_lookup(m.m_sys_fork.child);
    CHECK(c != NULL && c != u);
    if (!c)
        return;
    CHECK(strcmp(c->p_name, "sh") == 0);
    CHECK_EQ(c->p_rts_flags, RTS_NO_PRIV | RTS_RECEIVING);
    CHECK(c->p_misc_flags & MF_REPLY_PEND);
    CHECK_EQ(c->p_getfrom_e, PM_PROC_NR);
    CHECK(c->p_priv == &priv_table[USER_PRIV_ID]);
    CHECK_EQ(c->p_priority, u->p_priority);
    CHECK_EQ(kt_result(c), 0);                      /* arch_proc_fork: 0 in the child */

    /* PM lets it run and answers both */
    CHECK_EQ(privctl(pm, c->p_endpoint, PRIV_ALLOW, 0), OK);
    CHECK(!proc_is_runnable(c));                    /* still waiting for PM */
    c->p_arch.result_set = 0;
    CHECK_EQ(kt_ipc(pm, IPC_SEND, c->p_endpoint, kt_msg(0, 0), 0), OK);
    CHECK(proc_is_runnable(c));
    CHECK_EQ(kt_result(c), OK);
    CHECK_EQ(kt_ipc(pm, IPC_SEND, u->p_endpoint, kt_msg(0, 1), 0), OK);
    CHECK(proc_is_runnable(u));

    /* a running parent: the child does not wait for anything */
    m = msg(SYS_FORK);
    m.m_sys_fork.parent = SELF;
    m.m_sys_fork.flags = FORK_SYSTEM;
    strcpy(m.m_sys_fork.name, "newrs");
    CHECK_EQ(kc(rs(), &m), OK);
    c = endpoint_lookup(m.m_sys_fork.child);
    CHECK(c != NULL);
    if (!c)
        return;
    CHECK_EQ(c->p_rts_flags, RTS_NO_PRIV);
    CHECK(c->p_priv == NULL);                       /* FORK_SYSTEM: none */
    CHECK(strcmp(c->p_name, "newrs") == 0);
    CHECK_EQ(privctl(rs(), c->p_endpoint, PRIV_ALLOW, 0), EPERM);
}

KTEST(exec_drops_reply_wait)
{
    struct proc *pm = kt_sys(PM_PROC_NR);
    struct proc *vm = kt_sys(VM_PROC_NR);
    struct proc *u = kt_user("sh");
    vir_bytes args = host_ualloc(KEXEC_ARGS_MAX + 8);
    message m;

    CHECK_EQ(kt_ipc(pm, IPC_RECEIVE, ANY, kt_msg(0, 0), 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(u, IPC_SENDREC, PM_PROC_NR, kt_msg(PM_EXEC, 0), 0), KT_BLOCKED);
    CHECK(u->p_rts_flags & RTS_RECEIVING);

    memcpy(host_uptr(args), "prog\0-x\0", 8);
    m = msg(SYS_EXEC);
    m.m_sys_exec.target = u->p_endpoint;
    m.m_sys_exec.module = 10;
    m.m_sys_exec.args_ep = u->p_endpoint;
    m.m_sys_exec.args_ptr = args;
    m.m_sys_exec.args_len = KEXEC_ARGS_MAX + 1;
    CHECK_EQ(kc(vm, &m), E2BIG);
    m.m_sys_exec.args_len = 7;                      /* no final NUL */
    CHECK_EQ(kc(vm, &m), EINVAL);
    m.m_sys_exec.args_ptr = 0x10;
    m.m_sys_exec.args_len = 8;
    CHECK_EQ(kc(vm, &m), EFAULT);
    m.m_sys_exec.args_ptr = args;
    m.m_sys_exec.module = 11;                       /* past the last module */
    CHECK_EQ(kc(vm, &m), EINVAL);
    m.m_sys_exec.module = -1;
    CHECK_EQ(kc(vm, &m), EINVAL);
    m.m_sys_exec.module = 10;
    m.m_sys_exec.args_ep = ENDPOINT(3, 44);
    CHECK_EQ(kc(vm, &m), EDEADSRCDST);
    CHECK(u->p_rts_flags & RTS_RECEIVING);          /* failures change nothing */

    m.m_sys_exec.args_ep = u->p_endpoint;
    CHECK_EQ(kc(vm, &m), OK);
    CHECK_EQ(u->p_arch.module, 10);
    CHECK(strcmp(u->p_name, "prog") == 0);
    CHECK(!(u->p_misc_flags & MF_REPLY_PEND));
    CHECK(proc_is_runnable(u));                     /* starts afresh */
    /* PM's reply to the old image finds nobody waiting */
    CHECK_EQ(kt_ipc(pm, IPC_SENDNB, u->p_endpoint, kt_msg(0, 0), 0), ENOTREADY);
}

/* ---------------------------- clocks ---------------------------- */

KTEST(times_and_alarm)
{
    struct proc *ds = kt_sys(DS_PROC_NR);
    message m = msg(SYS_TIMES);

    kernel_ticks = 500;
    m.m_sys_times.target = NONE;
    CHECK_EQ(kc(ds, &m), OK);
    CHECK_EQ(m.m_sys_times.ticks, 500);
    CHECK_EQ(m.m_sys_times.boottime, 1700000000u);
    ds->p_user_time = 12;
    m = msg(SYS_TIMES);
    m.m_sys_times.target = SELF;
    CHECK_EQ(kc(ds, &m), OK);
    CHECK_EQ(m.m_sys_times.user_time, 12);
    m.m_sys_times.target = ENDPOINT(2, 50);
    CHECK_EQ(kc(ds, &m), EDEADSRCDST);

    m = msg(SYS_SETALARM);
    m.m_sys_setalarm.exp_time = 100;
    CHECK_EQ(kc(ds, &m), OK);
    CHECK_EQ(m.m_sys_setalarm.time_left, 0);
    CHECK_EQ(ds->p_alarm, 600);
    kernel_ticks = 530;
    m = msg(SYS_SETALARM);
    m.m_sys_setalarm.exp_time = 1000;
    m.m_sys_setalarm.abs_time = 1;
    CHECK_EQ(kc(ds, &m), OK);
    CHECK_EQ(m.m_sys_setalarm.time_left, 70);
    CHECK_EQ(ds->p_alarm, 1000);
    m = msg(SYS_SETALARM);                          /* cancel */
    CHECK_EQ(kc(ds, &m), OK);
    CHECK_EQ(m.m_sys_setalarm.time_left, 470);
    CHECK_EQ(ds->p_alarm, 0);
}

/* ------------------------ diagctl, devio, irqctl, shutdown ------------------------ */

KTEST(diagctl_prints)
{
    struct proc *ds = kt_sys(DS_PROC_NR);
    vir_bytes s = host_ualloc(KDIAG_MAX + 8);
    message m = msg(SYS_DIAGCTL);

    strcpy(host_uptr(s), "diag says hi\n");
    m.m_sys_diagctl.code = DIAG_PRINT;
    m.m_sys_diagctl.buf = s;
    m.m_sys_diagctl.len = 13;
    CHECK_EQ(kc(ds, &m), OK);
    CHECK(strstr(host_console(), "diag says hi\n") != NULL);
    m.m_sys_diagctl.len = KDIAG_MAX + 1;
    CHECK_EQ(kc(ds, &m), E2BIG);
    m.m_sys_diagctl.len = 4;
    m.m_sys_diagctl.buf = 0x10;
    CHECK_EQ(kc(ds, &m), EFAULT);
    m.m_sys_diagctl.code = 9;
    CHECK_EQ(kc(ds, &m), EINVAL);
}

KTEST(devio_ranges)
{
    struct proc *tty = kt_sys(TTY_PROC_NR);
    message m = msg(SYS_DEVIO);

    m.m_sys_devio.request = DIO_INB;
    m.m_sys_devio.port = 0x3f8;
    CHECK_EQ(kc(tty, &m), EPERM);                   /* no ranges */
    tty->p_priv->s_spec.io[1].base = 0x3f8;
    tty->p_priv->s_spec.io[1].len = 8;
    CHECK_EQ(kc(tty, &m), OK);
    CHECK_EQ(m.m_sys_devio.value, 0xFF);
    m.m_sys_devio.port = 0x3ff;
    CHECK_EQ(kc(tty, &m), OK);
    m.m_sys_devio.request = DIO_INL;                /* 0x3ff..0x402: outside */
    CHECK_EQ(kc(tty, &m), EPERM);
    m.m_sys_devio.port = 0x3f8;
    CHECK_EQ(kc(tty, &m), OK);
    m.m_sys_devio.request = DIO_OUTB;
    m.m_sys_devio.value = 0x100;
    CHECK_EQ(kc(tty, &m), EINVAL);
    m.m_sys_devio.request = DIO_INW;
    CHECK_EQ(kc(tty, &m), EINVAL);
    m.m_sys_devio.request = 0;
    CHECK_EQ(kc(tty, &m), EINVAL);
    m.m_sys_devio.request = DIO_INB;
    m.m_sys_devio.port = 0xFFFFFFFFu;
    CHECK_EQ(kc(tty, &m), EPERM);
}

KTEST(irqctl_hooks)
{
    struct proc *tty = kt_sys(TTY_PROC_NR);
    message m = msg(SYS_IRQCTL);

    irq_hooks_reset();
    m.m_sys_irqctl.request = IRQ_SETPOLICY;
    m.m_sys_irqctl.irq = 4;
    m.m_sys_irqctl.hook_id = 5;
    CHECK_EQ(kc(tty, &m), EPERM);                   /* not in its list */
    tty->p_priv->s_spec.irq[0] = 4;
    m.m_sys_irqctl.hook_id = 32;
    CHECK_EQ(kc(tty, &m), EINVAL);
    m.m_sys_irqctl.irq = 16;
    CHECK_EQ(kc(tty, &m), EINVAL);
    m.m_sys_irqctl.irq = 4;
    m.m_sys_irqctl.hook_id = 5;
    CHECK_EQ(kc(tty, &m), OK);

    kernel_irq(4);
    kernel_irq(3);                                  /* nobody: nothing */
    vir_bytes r = kt_msg(0, 0);
    CHECK_EQ(kt_ipc(tty, IPC_RECEIVE, ANY, r, 0), OK);
    CHECK_EQ(kt_m(r)->m_source, HARDWARE);
    CHECK_EQ(kt_m(r)->m_type, NOTIFY_MESSAGE);
    CHECK_EQ(kt_m(r)->m_notify.interrupts, 1u << 5);

    m = msg(SYS_IRQCTL);
    m.m_sys_irqctl.request = IRQ_RMPOLICY;
    m.m_sys_irqctl.irq = 4;
    CHECK_EQ(kc(tty, &m), OK);
    CHECK_EQ(kc(tty, &m), ENOENT);
    kernel_irq(4);
    CHECK_EQ(kt_ipc(tty, IPC_RECEIVE, HARDWARE, r, 0), KT_BLOCKED);
    m.m_sys_irqctl.request = 99;
    CHECK_EQ(do_kernel_call(proc_addr(DS_PROC_NR), &m), EINVAL);
}

KTEST(shutdown_status)
{
    struct proc *pm = kt_sys(PM_PROC_NR);
    message m = msg(SYS_SHUTDOWN);

    m.m_sys_shutdown.status = 256;
    CHECK_EQ(kc(pm, &m), EINVAL);
    m.m_sys_shutdown.status = -1;
    CHECK_EQ(kc(pm, &m), EINVAL);
    /* the panic value is the kernel's alone: a program must not end the
     * machine looking like a panic */
    m.m_sys_shutdown.status = PANIC_EXIT_VALUE;
    CHECK_EQ(kc(pm, &m), EINVAL);
    m.m_sys_shutdown.status = 3;
    if (setjmp(host_shutdown_jmp) == 0) {
        host_shutdown_armed = 1;
        kc(pm, &m);
        CHECK(!"arch_shutdown did not run");
    }
    CHECK_EQ(host_shutdown_value, 3);
}

KTEST(statectl)
{
    struct proc *hello = kt_sys(HELLO_PROC_NR);
    struct proc *u = kt_user("client");
    message m = msg(SYS_STATECTL);

    /* u waits for a reply from hello, which took its request */
    CHECK_EQ(kt_ipc(hello, IPC_RECEIVE, ANY, kt_msg(0, 0), 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(u, IPC_SENDREC, HELLO_PROC_NR, kt_msg(HELLO_GET, 0), 0), KT_BLOCKED);
    m.m_sys_statectl.request = 5;
    CHECK_EQ(kc(hello, &m), EINVAL);
    CHECK_EQ(kt_result(u), KT_BLOCKED);
    m.m_sys_statectl.request = STATE_CLEAR_IPC_REFS;
    CHECK_EQ(kc(hello, &m), OK);
    CHECK_EQ(kt_result(u), ERESTART);
    CHECK(proc_is_runnable(u));
}

static const struct ktest_case cases[] = {
    KTEST_ENTRY(getinfo_size_check),
    KTEST_ENTRY(getinfo_answers),
    KTEST_ENTRY(dispatch_unknown_call),
    KTEST_ENTRY(privctl),
    KTEST_ENTRY(update_swap),
    KTEST_ENTRY(getksig_endksig_round_trip),
    KTEST_ENTRY(exit_stops_and_signals_manager),
    KTEST_ENTRY(clear_makes_endpoint_stale),
    KTEST_ENTRY(schedule_minus_one_keeps),
    KTEST_ENTRY(vircopy_physcopy),
    KTEST_ENTRY(fork_child_waits_for_reply),
    KTEST_ENTRY(exec_drops_reply_wait),
    KTEST_ENTRY(times_and_alarm),
    KTEST_ENTRY(diagctl_prints),
    KTEST_ENTRY(devio_ranges),
    KTEST_ENTRY(irqctl_hooks),
    KTEST_ENTRY(shutdown_status),
    KTEST_ENTRY(statectl),
};

int main(int argc, char **argv)
{
    return ktest_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
