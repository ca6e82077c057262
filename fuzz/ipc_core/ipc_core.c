/*
 * ipc_core: the kernel's IPC core (kcore_host) driven by byte strings.
 *
 * Six simulated processes ("actors") trap into the kernel as the unit tests
 * do (tests/unit/ktest.c), one primitive per step; after every step the
 * kernel's invariants (kernel_sanity, kernel/sanity.c) and this file's
 * result oracle are checked, and a violation abort()s (fz_fail).
 *
 *   actor 0  RS   slot 2  root system privilege (from boot); never cleared
 *   actor 1  DS   slot 3  system, every primitive and target
 *   actor 2  VM   slot 4  system, trap mask and IPC targets from the header
 *   actor 3  PM   slot 0  system, trap mask from the header, all targets
 *   actor 4  u1   slot 10 user privilege (SENDREC to PM VM DS RS TTY HELLO)
 *   actor 5  u2   slot 11 user privilege
 *
 * Input format (every byte string is valid; missing bytes read as 0):
 *
 *   header  3 bytes
 *     h0  VM's trap mask: TRAP_BIT(p) set iff bit p-1 of h0 (p = 1..6)
 *     h1  VM's IPC targets: bit i (0..5) allows actor i's slot; bit 6 allows
 *         the kernel tasks; bit 7 turns the target check off
 *     h2  PM's trap mask, as h0 (0 means "all": PM must be able to work)
 *   steps   until the input ends (at most MAX_STEPS), 4 bytes each
 *     op    % NR_OPS selects the operation (table below)
 *     actor % 6 selects who acts; an IPC step by an actor that is not
 *           runnable goes to the next runnable one (none: the step is void)
 *     tgt   an endpoint choice (pick_endpoint): tgt % 16 is
 *             0-5 actor i's current endpoint, 6-9 a stale endpoint (the
 *             last cleared ones; a future generation if none), 10 ANY,
 *             11 NONE, 12 SELF, 13 a kernel task ((tgt >> 4) % 4),
 *             14 the endpoint of a free slot, 15 four more input bytes
 *             taken as a raw endpoint
 *     mflag message choice: bits 0-2 type (1, 2, 3, 0x100, NOTIFY_MESSAGE,
 *           a kernel-call number, 0, or two more input bytes), bit 3 a bad
 *           buffer (address 0), bits 4-7 the payload word
 *
 *   operations (op % NR_OPS)
 *     0 SEND  1 RECEIVE  2 SENDREC  3 NOTIFY  4 SENDNB    IPC to tgt
 *     5 SENDA     count = tgt % 9 entries, each 3 more bytes (flags & 0x1F
 *                 | AMF_VALID unless bit 7, endpoint choice, message type
 *                 choice); mflag bit 3: table address 0; bit 7: 257 entries
 *     6 CLEAR     actor (not RS) is cleared (sys_clear) and a new process
 *                 takes its slot with the same privilege: its old
 *                 endpoint goes stale
 *     7 TICK      (tgt % 4) + 1 clock ticks with actor current; mflag bit 0
 *                 also sets actor's alarm to the next tick
 *     8 SIGNAL    cause_sig(actor, tgt % 31 + 1) if its manager is alive
 *     9 GETKSIG   actor as signal manager: sig_next_pending + sig_endksig
 *    10 CLEARREFS ipc_clear_reply_refs(actor) (STATE_CLEAR_IPC_REFS)
 *    11 TAMPER    actor rewrites entry tgt % 8 of its SENDA table (flags =
 *                 mflag, destination = endpoint choice of one more byte)
 *    12 BADPRIM   a primitive number outside 1..6 (mflag): EBADCALL
 */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "host_platform.h"
#include "fuzz_common.h"

#define NR_ACTORS   6
#define MAX_STEPS   256
#define TAB_ENTRIES 8
#define NR_STALE    4
#define NR_OPS      13
#define BLOCKED     0x7e57b10c

#define FAIL(...) fz_fail("ipc_core", __VA_ARGS__)

enum { OP_SEND, OP_RECEIVE, OP_SENDREC, OP_NOTIFY, OP_SENDNB, OP_SENDA, OP_CLEAR,
       OP_TICK, OP_SIGNAL, OP_GETKSIG, OP_CLEARREFS, OP_TAMPER, OP_BADPRIM };

static const char *const op_names[NR_OPS] = {
    "send", "receive", "sendrec", "notify", "sendnb", "senda", "clear", "tick",
    "signal", "getksig", "clearrefs", "tamper", "badprim" };

struct actor {
    const char *name;
    int slot;
    int sys;                    /* system privilege (own struct priv) */
    uint32_t trap_mask;
    uint32_t ipc_to[BITMAP_WORDS(NR_ALL_SLOTS)];
    int check_ipc;
    vir_bytes buf;              /* its message buffer */
    vir_bytes tab;              /* its SENDA table (TAB_ENTRIES) */
    vir_bytes last_buf;         /* where its last receive goes */
};

static struct actor actors[NR_ACTORS] = {
    { "rs", RS_PROC_NR, 1, 0, {0}, 0, 0, 0, 0 },
    { "ds", DS_PROC_NR, 1, 0, {0}, 0, 0, 0, 0 },
    { "vm", VM_PROC_NR, 1, 0, {0}, 0, 0, 0, 0 },
    { "pm", PM_PROC_NR, 1, 0, {0}, 0, 0, 0, 0 },
    { "u1", NR_BOOT_PROCS, 0, 0, {0}, 0, 0, 0, 0 },
    { "u2", NR_BOOT_PROCS + 1, 0, 0, {0}, 0, 0, 0, 0 },
};

static endpoint_t stale[NR_STALE];
static int nr_stale;
static int steps;

#define P(a) proc_addr(actors[a].slot)
#define M(v) ((message *)(uintptr_t)(v))
#define T(a) ((asynmsg_t *)(uintptr_t)actors[a].tab)

static uint32_t trap_mask_of(uint8_t h)
{
    return ((uint32_t)h << 1) & TRAP_ALL;
}

/* Gives actor a's (just set up) process its privilege and lets it run. */
static void grant(int a)
{
    struct actor *ac = &actors[a];
    struct proc *p = P(a);

    if (ac->sys) {
        struct priv *pr = priv_alloc();
        int i;

        if (!pr)
            FAIL("no free privilege for %s", ac->name);
        pr->s_spec.flags = PRIV_SYS_PROC | PRIV_PREEMPTIBLE |
                           (ac->check_ipc ? PRIV_CHECK_IPC : 0);
        pr->s_spec.trap_mask = ac->trap_mask;
        for (i = 0; i < BITMAP_WORDS(NR_ALL_SLOTS); i++)
            pr->s_spec.ipc_to[i] = ac->ipc_to[i];
        pr->s_spec.sig_mgr = RS_PROC_NR;
        p->p_priv = pr;
    } else {
        p->p_priv = &priv_table[USER_PRIV_ID];
    }
    p->p_arch.result = OK;
    p->p_arch.result_set = 1;
    rts_clear(p, RTS_NO_PRIV);
}

/* One-time setup: the arena and the actors' buffers. */
static void setup_once(void)
{
    static int done;
    int a;

    if (done)
        return;
    done = 1;
    host_reset();
    for (a = 0; a < NR_ACTORS; a++) {
        actors[a].buf = host_ualloc(sizeof(message));
        actors[a].tab = host_ualloc(TAB_ENTRIES * sizeof(asynmsg_t));
    }
}

/* Boots a fresh kernel and sets the actors up from the header. */
static void boot(struct fz_in *in)
{
    static const char *const names[] = { "pm", "vfs", "rs", "ds", "vm", "tty",
                                         "sched", "ipc", "hello", "init" };
    static const int user_targets[] = { PM_PROC_NR, VM_PROC_NR, DS_PROC_NR,
                                        RS_PROC_NR, TTY_PROC_NR, HELLO_PROC_NR };
    uint8_t h0 = fz_u8(in), h1 = fz_u8(in), h2 = fz_u8(in);
    size_t i;
    int a;

    memset(boot_modules, 0, sizeof(boot_modules));
    memset(&kernel_info, 0, sizeof(kernel_info));
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        strcpy(boot_modules[i].name, names[i]);
        boot_modules[i].start = 0x100000 + (phys_bytes)i * 0x10000;
        boot_modules[i].size = 0x1000;
    }
    kernel_main();

    for (a = 0; a < NR_ACTORS; a++) {
        struct actor *ac = &actors[a];
        memset(M(ac->buf), 0, sizeof(message));
        memset(T(a), 0, TAB_ENTRIES * sizeof(asynmsg_t));
        ac->last_buf = ac->buf;
        memset(ac->ipc_to, 0, sizeof(ac->ipc_to));
        ac->trap_mask = TRAP_ALL;
        ac->check_ipc = 0;
    }
    /* VM: restricted by the header. */
    actors[2].trap_mask = trap_mask_of(h0);
    actors[2].check_ipc = !(h1 & 0x80);
    for (a = 0; a < NR_ACTORS; a++)
        if (h1 & (1u << a))
            BIT_SET(actors[2].ipc_to, SLOT_INDEX(actors[a].slot));
    if (h1 & 0x40)
        for (i = 0; i < NR_TASKS; i++)
            BIT_SET(actors[2].ipc_to, i);
    /* PM: trap mask from the header. */
    actors[3].trap_mask = h2 ? trap_mask_of(h2) : TRAP_ALL;
    /* Users: the shared user privilege. */
    for (a = 4; a < NR_ACTORS; a++) {
        actors[a].trap_mask = TRAP_USER;
        actors[a].check_ipc = 1;
        for (i = 0; i < sizeof(user_targets) / sizeof(user_targets[0]); i++)
            BIT_SET(actors[a].ipc_to, SLOT_INDEX(user_targets[i]));
    }
    actors[0].trap_mask = TRAP_ALL;     /* RS keeps its boot privilege */

    for (a = 1; a < NR_ACTORS; a++) {
        struct proc *p = P(a);
        if (!actors[a].sys)
            proc_setup(p, actors[a].slot, actors[a].name);
        grant(a);
    }
    P(0)->p_arch.result = OK;
    P(0)->p_arch.result_set = 1;
    nr_stale = 0;
    steps = 0;
}

/* The endpoint choice 'sel' (see the header comment). */
static endpoint_t pick_endpoint(struct fz_in *in, uint8_t sel)
{
    static const endpoint_t tasks[4] = { IDLE, CLOCK, SYSTEM, HARDWARE };
    int k = sel % 16;

    if (k < NR_ACTORS)
        return P(k)->p_endpoint;
    if (k < 10) {
        if (nr_stale)
            return stale[(k - 6) % nr_stale];
        return ENDPOINT(ENDPOINT_GEN(P(k - 6)->p_endpoint) + 1, actors[k - 6].slot);
    }
    switch (k) {
    case 10: return ANY;
    case 11: return NONE;
    case 12: return SELF;
    case 13: return tasks[(sel >> 4) % 4];
    case 14: return proc_addr(NR_PROCS - 1)->p_endpoint;
    default: return (endpoint_t)fz_u32(in);
    }
}

/* The message type choice (bits 0-2 of 'sel'). */
static int pick_type(struct fz_in *in, uint8_t sel)
{
    static const int types[7] = { 1, 2, 3, 0x100, NOTIFY_MESSAGE, KERNEL_CALL, 0 };
    int k = sel & 7;

    return k < 7 ? types[k] : (int)(int16_t)fz_u16(in);
}

static int blocked_ipc(const struct proc *p)
{
    return (p->p_rts_flags & (RTS_SENDING | RTS_RECEIVING)) != 0;
}

static int result_of(const struct proc *p)
{
    return p->p_arch.result_set ? p->p_arch.result : BLOCKED;
}

/* The actor that takes an IPC step chosen for 'a': a itself if runnable,
 * else the next runnable one; -1 if none is. */
static int runnable_actor(int a)
{
    int k;

    for (k = 0; k < NR_ACTORS; k++) {
        int b = (a + k) % NR_ACTORS;
        if (proc_is_runnable(P(b)))
            return b;
    }
    return -1;
}

/* Independent deadlock oracle: would caller blocking on dst close a cycle
 * of waits (sender -> its destination, specific receiver -> its source)? */
static int would_deadlock(const struct proc *caller, const struct proc *dst)
{
    const struct proc *x = dst;
    int n;

    for (n = 0; n < NR_ALL_SLOTS && x; n++) {
        endpoint_t next;

        if (x->p_rts_flags & RTS_SENDING)
            next = x->p_sendto_e;
        else if ((x->p_rts_flags & RTS_RECEIVING) && x->p_getfrom_e != ANY)
            next = x->p_getfrom_e;
        else
            return 0;
        if (next == caller->p_endpoint)
            return 1;
        x = endpoint_lookup(next);
    }
    return 0;
}

static int receiving_from(const struct proc *dst, endpoint_t src)
{
    return (dst->p_rts_flags & (RTS_RECEIVING | RTS_SENDING)) == RTS_RECEIVING &&
           (dst->p_getfrom_e == ANY || dst->p_getfrom_e == src);
}

/* Checks a message just received by actor a from 'from' (ANY or one). */
static void check_received(int a, endpoint_t from, const char *how)
{
    const message *m = M(actors[a].last_buf);
    endpoint_t src = m->m_source;

    if (!endpoint_lookup(src))
        FAIL("%s (%s) got a message from dead or bogus endpoint %d (type %d)",
             actors[a].name, how, src, m->m_type);
    if (from != ANY && src != from)
        FAIL("%s (%s) receiving from %d got a message from %d", actors[a].name, how,
             from, src);
}

/* The expected result of an IPC primitive, as a verdict on the actual one;
 * everything is read before the trap. */
struct expect {
    int exact;          /* nonzero: must equal 'value' */
    int value;
    int may_block, may_ok, may_locked, may_notready;
};

static int ipc_allowed(int a, const struct proc *dst)
{
    if (iskerneln(dst->p_nr))
        return 0;
    if (!actors[a].check_ipc)
        return 1;
    return BIT_ISSET(actors[a].ipc_to, SLOT_INDEX(dst->p_nr)) != 0;
}

static struct expect expect_ipc(int a, int prim, endpoint_t ep, vir_bytes buf, int type)
{
    struct proc *me = P(a), *dst = NULL;
    struct expect e = { 0, 0, 0, 0, 0, 0 };

    e.exact = 1;
    if (!(actors[a].trap_mask & TRAP_BIT(prim))) {
        e.value = ETRAPDENIED;
        return e;
    }
    if (ep == SELF)
        ep = me->p_endpoint;
    if (!(prim == IPC_RECEIVE && ep == ANY)) {
        dst = endpoint_lookup(ep);
        if (!dst) {
            e.value = EDEADSRCDST;
            return e;
        }
    }
    if (prim != IPC_RECEIVE && !ipc_allowed(a, dst)) {
        e.value = ECALLDENIED;
        return e;
    }
    if (prim == IPC_NOTIFY) {
        e.value = OK;
        return e;
    }
    if (buf == 0) {
        e.value = EFAULT;
        return e;
    }
    if (prim != IPC_RECEIVE && type == NOTIFY_MESSAGE) {
        e.value = EINVAL;
        return e;
    }
    if (prim != IPC_RECEIVE && dst == me) {
        e.value = ELOCKED;
        return e;
    }
    e.exact = 0;
    switch (prim) {
    case IPC_RECEIVE:
        e.may_ok = e.may_block = 1;
        break;
    case IPC_SENDNB:
        e.exact = 1;
        e.value = receiving_from(dst, me->p_endpoint) ? OK : ENOTREADY;
        break;
    case IPC_SEND:
    case IPC_SENDREC:
        if (receiving_from(dst, me->p_endpoint)) {
            e.may_ok = 1;
            e.may_block = prim == IPC_SENDREC;
        } else if (would_deadlock(me, dst)) {
            e.exact = 1;
            e.value = ELOCKED;
        } else {
            e.may_block = 1;
        }
        break;
    }
    return e;
}

static void check_expect(int a, const char *what, const struct expect *e, int r)
{
    if (e->exact) {
        if (r != e->value)
            FAIL("%s %s: result %d, expected %d", actors[a].name, what, r, e->value);
        return;
    }
    if ((r == BLOCKED && e->may_block) || (r == OK && e->may_ok))
        return;
    FAIL("%s %s: result %d, expected%s%s", actors[a].name, what, r,
         e->may_ok ? " OK" : "", e->may_block ? " or blocking" : "");
}

static void trap(int a, int prim, endpoint_t ep, vir_bytes msg, uint32_t count)
{
    struct proc *p = P(a);

    p->p_arch.result_set = 0;
    current_proc = p;
    kernel_ipc_trap(p, prim, ep, msg, count);
}

/* An IPC step by actor a (already runnable). */
static void step_ipc(struct fz_in *in, int a, int prim, uint8_t tgt, uint8_t mflag)
{
    endpoint_t ep = pick_endpoint(in, tgt);
    int type = pick_type(in, mflag);
    vir_bytes buf = (mflag & 8) ? 0 : actors[a].buf;
    struct expect e;
    int r;

    if (buf) {
        message *m = M(buf);
        memset(m, 0, sizeof(*m));
        m->m_source = 0x5ca1ab1e;
        m->m_type = type;
        m->m_i32.i[0] = mflag >> 4;
        m->m_i32.i[13] = steps;
    }
    e = expect_ipc(a, prim, ep, buf, type);
    actors[a].last_buf = buf;
    trap(a, prim, ep, buf, 0);
    r = result_of(P(a));
    FZ_TRACE("  %s %s ep=%d type=%d buf=%s -> %d%s", actors[a].name, op_names[prim - 1],
             ep, type, buf ? "ok" : "bad", r == BLOCKED ? 0 : r, r == BLOCKED ? " (blocked)" : "");
    check_expect(a, op_names[prim - 1], &e, r);
    if (r == OK && (prim == IPC_RECEIVE || prim == IPC_SENDREC))
        check_received(a, ep == SELF ? P(a)->p_endpoint : ep, op_names[prim - 1]);
}

/* Fills entry i of actor a's SENDA table from the input. */
static void fill_entry(struct fz_in *in, int a, int i)
{
    asynmsg_t *t = &T(a)[i];
    uint8_t f = fz_u8(in), d = fz_u8(in), ty = fz_u8(in);

    memset(t, 0, sizeof(*t));
    t->flags = (f & 0x80) ? (uint32_t)(f & 0x7F) : ((f & AMF_ALL_FLAGS) | AMF_VALID);
    t->flags &= ~(uint32_t)AMF_DONE;
    t->dst = pick_endpoint(in, d);
    t->msg.m_type = pick_type(in, ty);
    t->msg.m_source = 0x5ca1ab1e;
    t->msg.m_i32.i[0] = i;
}

static void step_senda(struct fz_in *in, int a, uint8_t tgt, uint8_t mflag)
{
    uint32_t count = tgt % (TAB_ENTRIES + 1), i;
    vir_bytes table = actors[a].tab;
    int r, want;

    for (i = 0; i < count; i++)
        fill_entry(in, a, (int)i);
    if (mflag & 0x80)
        count = SENDA_MAX_ENTRIES + 1;
    if ((mflag & 8) && count)
        table = 0;
    if (!(actors[a].trap_mask & TRAP_BIT(IPC_SENDA)))
        want = ETRAPDENIED;
    else if (count > SENDA_MAX_ENTRIES)
        want = EINVAL;
    else if (count && table == 0)
        want = EFAULT;
    else
        want = OK;
    trap(a, IPC_SENDA, NONE, table, count);
    r = result_of(P(a));
    FZ_TRACE("  %s senda count=%u table=%s -> %d", actors[a].name, count,
             table ? "ok" : "bad", r);
    if (r != want)
        FAIL("%s senda: result %d, expected %d", actors[a].name, r, want);
}

/* Clears actor a and starts a new process in its slot. */
static void step_clear(int a)
{
    struct proc *p = P(a);
    endpoint_t old = p->p_endpoint;
    int waiting[NR_ACTORS], b;

    if (a == 0)
        return;             /* RS is never cleared (nobody would recover it) */
    for (b = 0; b < NR_ACTORS; b++) {
        struct proc *q = P(b);
        waiting[b] = b != a &&
            (((q->p_rts_flags & RTS_SENDING) && q->p_sendto_e == old) ||
             ((q->p_rts_flags & RTS_RECEIVING) && q->p_getfrom_e == old));
    }
    proc_clear(p);
    if (p->p_endpoint == old || endpoint_lookup(old))
        FAIL("cleared %s: endpoint %d still valid", actors[a].name, old);
    stale[nr_stale < NR_STALE ? nr_stale++ : (steps % NR_STALE)] = old;
    proc_setup(p, actors[a].slot, actors[a].name);
    grant(a);
    FZ_TRACE("  clear %s: %d -> %d", actors[a].name, old, p->p_endpoint);
    for (b = 0; b < NR_ACTORS; b++) {
        if (!waiting[b])
            continue;
        if (result_of(P(b)) != EDEADSRCDST)
            FAIL("%s was blocked on cleared %s (%d): result %d, expected EDEADSRCDST",
                 actors[b].name, actors[a].name, old, result_of(P(b)));
        if (blocked_ipc(P(b)) &&
            (P(b)->p_sendto_e == old || P(b)->p_getfrom_e == old))
            FAIL("%s still blocked on cleared %s", actors[b].name, actors[a].name);
    }
}

static void step_tick(int a, uint8_t tgt, uint8_t mflag)
{
    int n = tgt % 4 + 1;

    if (mflag & 1)
        P(a)->p_alarm = kernel_ticks + 1;
    current_proc = proc_is_runnable(P(a)) ? P(a) : NULL;
    FZ_TRACE("  tick x%d current=%s alarm=%d", n, current_proc ? actors[a].name : "-",
             mflag & 1);
    while (n--)
        kernel_clock_tick();
}

static void step_signal(int a, uint8_t tgt)
{
    struct proc *p = P(a), *mgr;
    endpoint_t mgr_e;

    if (a == 0)
        return;             /* a signal to RS is a panic by design */
    mgr_e = priv_sig_mgr(p);
    mgr = endpoint_lookup(mgr_e);
    if (!mgr || mgr == p || iskerneln(mgr->p_nr))
        return;             /* a dead manager is a panic by design */
    FZ_TRACE("  signal %s sig %d (manager %d)", actors[a].name, tgt % 31 + 1, mgr_e);
    cause_sig(p, tgt % 31 + 1);
    if (!(p->p_rts_flags & RTS_SIGNALED))
        FAIL("%s signalled but not RTS_SIGNALED", actors[a].name);
}

static void step_getksig(int a)
{
    sigset_t_ sigs;
    struct proc *p = sig_next_pending(P(a)->p_endpoint, &sigs);

    FZ_TRACE("  getksig by %s -> %s sigs %x", actors[a].name, p ? p->p_name : "none",
             (unsigned)sigs);
    if (!p)
        return;
    if (!sigs)
        FAIL("getksig by %s: %s with no signals", actors[a].name, p->p_name);
    if (priv_sig_mgr(p) != P(a)->p_endpoint)
        FAIL("getksig by %s returned %s, managed by %d", actors[a].name, p->p_name,
             priv_sig_mgr(p));
    sig_endksig(p);
}

static void step_clearrefs(int a)
{
    struct proc *p = P(a);
    int hit[NR_ACTORS], b;

    for (b = 0; b < NR_ACTORS; b++) {
        struct proc *q = P(b);
        hit[b] = b != a && (q->p_misc_flags & MF_REPLY_PEND) &&
                 (q->p_rts_flags & (RTS_SENDING | RTS_RECEIVING)) == RTS_RECEIVING &&
                 q->p_getfrom_e == p->p_endpoint;
    }
    FZ_TRACE("  clear reply refs of %s", actors[a].name);
    ipc_clear_reply_refs(p);
    for (b = 0; b < NR_ACTORS; b++)
        if (hit[b] && (result_of(P(b)) != ERESTART || blocked_ipc(P(b))))
            FAIL("%s waiting for a reply from %s: result %d after clear_reply_refs",
                 actors[b].name, actors[a].name, result_of(P(b)));
}

static void step_tamper(struct fz_in *in, int a, uint8_t tgt, uint8_t mflag)
{
    asynmsg_t *t = &T(a)[tgt % TAB_ENTRIES];

    t->flags = mflag;
    t->dst = pick_endpoint(in, fz_u8(in));
    FZ_TRACE("  tamper %s entry %d flags %x dst %d", actors[a].name, tgt % TAB_ENTRIES,
             mflag, t->dst);
}

/* After every step: the kernel's invariants, the actors' wake-up results,
 * the SENDA results written back. */
static __attribute__((noinline)) void check_after(const int *was_blocked, const endpoint_t *was_from,
                        const endpoint_t *was_ep)
{
    char why[200];
    int a, i;

    if (kernel_sanity(why, sizeof(why)) != OK)
        FAIL("kernel_sanity: %s", why);
    for (a = 0; a < NR_ACTORS; a++) {
        struct proc *p = P(a);
        int r = result_of(p);

        if (blocked_ipc(p) != (r == BLOCKED))
            FAIL("%s: rts %x but result %d", actors[a].name, p->p_rts_flags, r);
        if (was_blocked[a] && r != BLOCKED && was_ep[a] == p->p_endpoint) {
            if (r != OK && r != EDEADSRCDST && r != ERESTART && r != EFAULT)
                FAIL("%s woke with unexpected result %d", actors[a].name, r);
            if (r == OK && was_from[a] != NONE)
                check_received(a, was_from[a], "woken");
        }
        for (i = 0; i < TAB_ENTRIES; i++) {
            const asynmsg_t *t = &T(a)[i];
            if ((t->flags & AMF_DONE) && t->result != OK && t->result != EINVAL &&
                t->result != EDEADSRCDST && t->result != ECALLDENIED)
                FAIL("%s SENDA entry %d: result %d", actors[a].name, i, t->result);
        }
    }
}

static void run_steps(struct fz_in *in)
{
    while (!fz_done(in) && steps < MAX_STEPS) {
        uint8_t op = fz_u8(in) % NR_OPS, sel = fz_u8(in), tgt = fz_u8(in), mflag = fz_u8(in);
        int a = sel % NR_ACTORS, was_blocked[NR_ACTORS], b;
        endpoint_t was_from[NR_ACTORS], was_ep[NR_ACTORS];

        for (b = 0; b < NR_ACTORS; b++) {
            struct proc *q = P(b);
            was_blocked[b] = blocked_ipc(q);
            was_ep[b] = q->p_endpoint;
            was_from[b] = (q->p_rts_flags & RTS_RECEIVING) ? q->p_getfrom_e : NONE;
        }
        FZ_TRACE("step %d: %s actor %d tgt %u mflag %#x", steps, op_names[op], a, tgt, mflag);
        steps++;
        if (op <= OP_SENDA || op == OP_BADPRIM) {
            a = runnable_actor(a);
            if (a < 0) {
                FZ_TRACE("  nobody runnable");
                continue;
            }
        }
        switch (op) {
        case OP_SEND:    step_ipc(in, a, IPC_SEND, tgt, mflag); break;
        case OP_RECEIVE: step_ipc(in, a, IPC_RECEIVE, tgt, mflag); break;
        case OP_SENDREC: step_ipc(in, a, IPC_SENDREC, tgt, mflag); break;
        case OP_NOTIFY:  step_ipc(in, a, IPC_NOTIFY, tgt, mflag); break;
        case OP_SENDNB:  step_ipc(in, a, IPC_SENDNB, tgt, mflag); break;
        case OP_SENDA:   step_senda(in, a, tgt, mflag); break;
        case OP_CLEAR:   step_clear(a); break;
        case OP_TICK:    step_tick(a, tgt, mflag); break;
        case OP_SIGNAL:  step_signal(a, tgt); break;
        case OP_GETKSIG: step_getksig(a); break;
        case OP_CLEARREFS: step_clearrefs(a); break;
        case OP_TAMPER:  step_tamper(in, a, tgt, mflag); break;
        case OP_BADPRIM: {
            int prim = (mflag % 2) ? IPC_NR_PRIMITIVES + mflag : 0;
            trap(a, prim, pick_endpoint(in, tgt), actors[a].buf, 0);
            FZ_TRACE("  %s primitive %d -> %d", actors[a].name, prim, result_of(P(a)));
            if (result_of(P(a)) != EBADCALL)
                FAIL("primitive %d: result %d, expected EBADCALL", prim, result_of(P(a)));
            break;
        }
        }
        check_after(was_blocked, was_from, was_ep);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in;

    setup_once();
    fz_init(&in, data, size);
    if (setjmp(host_shutdown_jmp)) {
        host_shutdown_armed = 0;
        FAIL("kernel panic (shutdown value %d) at step %d: %s", host_shutdown_value,
             steps, host_console());
    }
    host_shutdown_armed = 1;
    boot(&in);
    run_steps(&in);
    host_shutdown_armed = 0;
    return 0;
}
