/*
 * sched.c (host platform simulator): the deterministic scheduler, the
 * traps, puppets, the trace and the hostsim.h API.
 *
 * Who runs: the kernel's own choice (kernel_pick_proc). The platform's
 * only freedom is when a clock tick arrives; that is a seeded choice: a
 * tick after every K..K+K/2 steps (K = tick_every, jitter from the seed).
 * When nothing but puppets is runnable the system is idle: time jumps to
 * the next alarm if it is within the call's idle budget (idle_ticks),
 * otherwise the system is quiescent. One step = one process runs from
 * where it was until its next trap.
 *
 * Contexts: the kernel core always runs on the caller's stack (the
 * "kernel context"); a process runs on its own coroutine stack in its
 * module window; a trap (lib/sys/arch/host/ipc.c -> hs_trap) saves the
 * coroutine and switches back here, where kernel_ipc_trap /
 * kernel_call_trap runs for it with current_proc set.
 *
 * Sanity: servers booted with sanity=1 check their invariants after every
 * message and print "crucible: sanity FAIL <label> <invariant>" on a
 * violation (lib/sys/sef_sanity.c). The traps that carry console output
 * (SENDNB of TTY_WRITE_INLINE to TTY, SYS_DIAGCTL DIAG_PRINT) are read
 * here line by line; such a line stops the run with HOSTSIM_VIOLATION
 * before the server goes on to panic.
 */
#include "kernel.h"
#include "inject_kern.h"
#include "hs.h"
#include "hs_kernel.h"
#include "hostsim.h"
#include "../../../../lib/sys/arch/host/hostsim_abi.h"

/* libc of the host (the kernel headers clash with <stdio.h>'s friends only
 * for errno/signal names, which this file does not use) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API __attribute__((visibility("default")))

#define TRACE_RING      4096
#define CONSOLE_MAX     (256u * 1024)
#define PUPPET_VBASE    HS_PUPPET_VBASE
#define PUPPET_MSG      0u              /* offset of the trap message */
#define PUPPET_SENDA    (HS_PUPPET_MEM - 16384u)
#define PUPPET_USER     4096u           /* hostsim_puppet_mem: from here */
#define BOOT_MAX_STEPS  2000000L
#define CALL_MAX_STEPS  5000000L

/* State that is not part of the system (survives hostsim_restore): the
 * trace ring and console text (their lengths are system state), the
 * checkpoint. Allocated once. */
struct persist {
    struct hostsim_trace_entry ring[TRACE_RING];
    char console[CONSOLE_MAX + 1];
    unsigned char *ck_self, *ck_mem;
    size_t ck_self_len, ck_mem_len, ck_mem_cap;
    int ck_valid;
};
static struct persist *ps;

/* ---- system state (in our writable segments: checkpointed) ---- */
static struct hostsim_config cfg;
static char cmdline_buf[CMDLINE_MAX];
static uint64_t rng;                    /* xorshift64* state */
static long since_tick, tick_at;
static int status;                      /* 0 run, 1 halt, 2 panic, 3 violation */
static char status_detail[256];
static struct hostsim_violation violation;
static uint64_t trace_count, trace_digest;
static size_t console_len;
static int booted;
static int init_handed;                 /* init puppet given out */
static int handed[HS_MAX_INST];         /* puppet instance given out */
static long idle_budget;
/* probe detection (hs_note_copy_*) and kernel-call reply exclusion */
static struct proc *last_from_p;
static vir_bytes last_from_v;
static message last_from_m;
static struct proc *kc_proc;
static vir_bytes kc_msg;

/* ---- kernel context (not state: valid only inside an API call) ---- */
static uint64_t sched_rsp;
static int cur_inst = -1;
static sigjmp_buf halt_jmp;
static int halt_armed;

/* Returns the next seeded random number. */
static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1DULL;
}

/* Chooses the number of steps before the next clock tick. */
static void next_tick_at(void)
{
    long k = cfg.tick_every ? (long)cfg.tick_every : 64;

    tick_at = k + (long)(rnd() % (uint64_t)(k / 2 + 1));
}

/* FNV-1a of n bytes. */
static uint32_t fnv(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint32_t h = 2166136261u;

    while (n--)
        h = (h ^ *b++) * 16777619u;
    return h;
}

/* ================= console and sanity lines ================= */

/* See hs.h: appends to the console (and stdout if asked). */
void hs_console_out(const char *s, size_t len)
{
    size_t n = len;

    if (cfg.console)
        fwrite(s, 1, len, stdout);
    if (!ps)
        return;
    if (n > CONSOLE_MAX - console_len)
        n = CONSOLE_MAX - console_len;
    memcpy(ps->console + console_len, s, n);
    console_len += n;
    ps->console[console_len] = '\0';
}

/* A complete console line of instance i: a sanity failure stops the run. */
static void console_line(const char *line)
{
    static const char tag[] = "crucible: sanity FAIL ";
    const char *l, *sp;

    if (strncmp(line, tag, sizeof tag - 1) != 0 || status != 0)
        return;
    l = line + sizeof tag - 1;
    sp = strchr(l, ' ');
    memset(&violation, 0, sizeof violation);
    snprintf(violation.label, sizeof violation.label, "%.*s",
             (int)(sp ? (size_t)(sp - l) : strlen(l)), l);
    snprintf(violation.invariant, sizeof violation.invariant, "%s", sp ? sp + 1 : "?");
    violation.message_index = trace_count;
    status = 3;
    snprintf(status_detail, sizeof status_detail, "sanity violation: %s: %s (after message %llu)",
             violation.label, violation.invariant, (unsigned long long)trace_count);
}

/* Feeds n bytes of console output of instance i to its line buffer. */
static void console_bytes(int i, const char *s, size_t n)
{
    struct hs_inst *in = &hs_insts[i];

    while (n--) {
        char c = *s++;

        if (c == '\n' || in->line_len >= sizeof in->line - 1) {
            in->line[in->line_len] = '\0';
            console_line(in->line);
            in->line_len = 0;
            if (c == '\n')
                continue;
        }
        in->line[in->line_len++] = c;
    }
}

/* Looks at a trap of instance i for console output (see file comment). */
static void watch_trap(int i, struct proc *p)
{
    struct hs_inst *in = &hs_insts[i];
    const message *m;

    if (in->trap_kind == HOSTSIM_TRAP_IPC) {
        if ((in->trap_prim != IPC_SENDNB && in->trap_prim != IPC_SEND) ||
            in->trap_ep != TTY_PROC_NR)
            return;
        m = hs_uptr(i, in->trap_msg, sizeof *m, 0);
        if (m && m->m_type == TTY_WRITE_INLINE && m->m_tty.len <= sizeof m->m_tty.data)
            console_bytes(i, m->m_tty.data, m->m_tty.len);
    } else {
        const char *b;

        m = hs_uptr(i, in->trap_msg, sizeof *m, 0);
        if (!m || m->m_type != SYS_DIAGCTL || m->m_sys_diagctl.code != DIAG_PRINT ||
            m->m_sys_diagctl.len > 4096)
            return;
        b = hs_uptr(i, m->m_sys_diagctl.buf, m->m_sys_diagctl.len, 0);
        if (b)
            console_bytes(i, b, m->m_sys_diagctl.len);
    }
    (void)p;
}

/* ================= trace ================= */

/* Records one delivered message m to p. */
static void trace_add(struct proc *p, const message *m)
{
    struct hostsim_trace_entry e;

    e.index = trace_count;
    e.tick = kernel_ticks;
    e.src = m->m_source;
    e.dst = p->p_endpoint;
    e.type = m->m_type;
    e.hash = fnv(m, sizeof *m);
    trace_digest ^= ((uint64_t)e.hash << 32) ^ (uint32_t)e.src ^ ((uint64_t)(uint32_t)e.dst << 16) ^
                    ((uint64_t)(uint32_t)e.type << 8) ^ ((uint64_t)e.tick << 40);
    trace_digest *= 0x100000001B3ULL;
    trace_count++;
    if (cfg.trace && ps)
        ps->ring[e.index % TRACE_RING] = e;
}

/* See hs_kernel.h. */
void hs_note_copy_from(struct proc *p, vir_bytes src, const void *k, size_t len)
{
    if (len != sizeof(message))
        return;
    last_from_p = p;
    last_from_v = src;
    memcpy(&last_from_m, k, sizeof last_from_m);
}

/* See hs_kernel.h. */
void hs_note_copy_to(struct proc *p, vir_bytes dst, const void *k, size_t len)
{
    if (len != sizeof(message))
        return;
    if (p == last_from_p && dst == last_from_v && memcmp(k, &last_from_m, len) == 0) {
        last_from_p = NULL;             /* probe_msg_buf writing back */
        return;
    }
    last_from_p = NULL;
    if (p == kc_proc && dst == kc_msg)
        return;                         /* a kernel call's reply */
    if (dst != p->p_recv_buf)
        return;
    trace_add(p, k);
}

/* ================= processes ================= */

/* Instance index of p or -1. */
static int inst_of(const struct proc *p)
{
    return p ? p->p_arch.inst - 1 : -1;
}

/* Nonzero if p is a puppet (driven by the caller). */
static int is_puppet(const struct proc *p)
{
    int i = inst_of(p);

    return i >= 0 && hs_insts[i].kind == HS_I_PUPPET;
}

/* Host memory of puppet instance i. */
static unsigned char *puppet_host(int i)
{
    return (unsigned char *)(uintptr_t)(HS_PUPPET_BASE +
                                        (uint32_t)hs_insts[i].puppet_slot * HS_PUPPET_MEM);
}

/* See hs_kernel.h. */
void hs_puppet_fork_mem(int ci, int pi)
{
    memcpy(puppet_host(ci), puppet_host(pi), HS_PUPPET_MEM);
    hs_puppet_note(ci, 0, HS_PUPPET_MEM);
}

/* See hs_kernel.h. */
void hs_halt(int value)
{
    if (status == 0) {
        status = value == PANIC_EXIT_VALUE ? 2 : 1;
        snprintf(status_detail, sizeof status_detail, "%s (value %d)",
                 status == 2 ? "kernel panic" : "shutdown", value);
    }
    if (halt_armed)
        siglongjmp(halt_jmp, 1);
    fprintf(stderr, "hostsim: shutdown outside a run (value %d)\n", value);
    abort();
}

/* See hs.h: the trap of the running coroutine. */
int hs_trap(int kind, int primitive, int32_t ep, uint32_t msg, uint32_t count)
{
    struct hs_inst *in = &hs_insts[cur_inst];

    in->trap_kind = kind;
    in->trap_prim = primitive;
    in->trap_ep = ep;
    in->trap_msg = msg;
    in->trap_count = count;
    hs_in_proc = 0;
    hs_ctx_switch(&in->rsp, sched_rsp);
    return in->ret;
}

/* Builds the first frame of instance i's coroutine (module entry with the
 * boot arguments, argv from the exec arguments). */
static void ctx_new(int i)
{
    struct hs_inst *in = &hs_insts[i];
    struct hs_mod *m = &hs_mods[in->mod];
    uint64_t *frame;
    char *top = (char *)(uintptr_t)m->stack_top;
    struct hostsim_boot_args *a;
    char **argv, *s;
    int argc = 0;
    uint32_t off;

    /* strings */
    top -= 160;
    s = top;
    snprintf(s, 16, "%s", m->name);
    memcpy(s + 16, in->args, in->args_len < 128 ? in->args_len : 128);
    s[16 + 127] = '\0';
    top -= 64;                                  /* argv[] */
    argv = (char **)top;
    argv[argc++] = s;
    for (off = 0; off < in->args_len && argc < 6; ) {
        char *w = s + 16 + off;

        if (*w)
            argv[argc++] = w;
        off += (uint32_t)strlen(w) + 1;
    }
    argv[argc] = NULL;
    top -= sizeof *a;
    a = (struct hostsim_boot_args *)((uintptr_t)top & ~(uintptr_t)15);
    a->trap = hs_trap;
    a->heap_base = m->heap_base;
    a->heap_size = HS_HEAP_SIZE;
    a->argc = argc;
    a->argv = argv;
    frame = (uint64_t *)((uintptr_t)a - 64) - 7;
    frame = (uint64_t *)((uintptr_t)frame & ~(uintptr_t)15);
    frame[0] = 0;                               /* r15 */
    frame[1] = 0;                               /* r14 */
    frame[2] = (uint64_t)(uintptr_t)a;          /* r13: argument */
    frame[3] = m->entry;                        /* r12: function */
    frame[4] = 0;                               /* rbx */
    frame[5] = 0;                               /* rbp */
    frame[6] = (uint64_t)(uintptr_t)hs_ctx_start;
    in->rsp = (uint64_t)(uintptr_t)frame;
    in->cstate = HS_C_LIVE;
    in->line_len = 0;
}

/* Runs process p (kernel_pick_proc's choice, not a puppet) until it traps,
 * then performs the trap; a CPU exception becomes kernel_exception. */
static void run_proc(struct proc *p)
{
    volatile int i = inst_of(p);
    struct hs_inst *in;

    if (i < 0 || hs_insts[i].kind != HS_I_MODULE || hs_insts[i].cstate == HS_C_DEAD) {
        kernel_exception(p, 6, 0, 0, 0);        /* nothing to run */
        return;
    }
    in = &hs_insts[i];
    hs_make_resident(i);
    if (in->cstate == HS_C_NEW)
        ctx_new(i);
    cur_inst = i;
    if (sigsetjmp(hs_fault_jmp, 0) != 0) {
        in = &hs_insts[i];
        cur_inst = -1;
        in->cstate = HS_C_DEAD;
        current_proc = p;
        kernel_exception(p, hs_fault_vector(), 0, (vir_bytes)hs_fault_addr,
                         (vir_bytes)hs_fault_pc);
        return;
    }
    hs_in_proc = 1;
    hs_ctx_switch(&sched_rsp, in->rsp);
    hs_in_proc = 0;
    cur_inst = -1;
    current_proc = p;
    watch_trap(i, p);
    if (in->trap_kind == HOSTSIM_TRAP_IPC) {
        kernel_ipc_trap(p, in->trap_prim, in->trap_ep, in->trap_msg, in->trap_count);
    } else {
        kc_proc = p;
        kc_msg = in->trap_msg;
        kernel_call_trap(p, in->trap_msg);
        kc_proc = NULL;
    }
}

/* The earliest pending alarm, or 0. */
static clock_t_ next_alarm(void)
{
    clock_t_ t = 0;
    int idx;

    for (idx = NR_TASKS; idx < NR_ALL_SLOTS; idx++) {
        const struct proc *q = &proc_table[idx];

        if (!isemptyp(q) && q->p_alarm && (t == 0 || q->p_alarm < t))
            t = q->p_alarm;
    }
    return t;
}

/* Run-loop results besides HOSTSIM_* codes. */
#define RUN_DONE    1       /* the condition holds */
#define RUN_BUDGET  2       /* max_steps ran */

/* Runs the system until done(arg) (RUN_DONE), max_steps steps
 * (RUN_BUDGET), quiescence (HOSTSIM_STUCK), a halt (HOSTSIM_HALTED) or a
 * sanity violation (HOSTSIM_VIOLATION). Must be called with halt_jmp
 * armed. *steps (if not NULL) counts the steps run. */
static int run_loop(long max_steps, int (*done)(void *), void *arg, long *steps)
{
    long n = 0;
    int r;

    for (;;) {
        struct proc *p;

        if (status == 3) { r = HOSTSIM_VIOLATION; break; }
        if (status != 0) { r = HOSTSIM_HALTED; break; }
        if (done && done(arg)) { r = RUN_DONE; break; }
        if (n >= max_steps) { r = RUN_BUDGET; break; }
        p = kernel_pick_proc();
        if (!p || is_puppet(p)) {
            clock_t_ t = next_alarm();

            if (t == 0 || (long)(t - kernel_ticks) > idle_budget) {
                r = HOSTSIM_STUCK;
                break;
            }
            idle_budget -= (long)(t - kernel_ticks);
            current_proc = NULL;
            while (kernel_ticks < t && status == 0)
                kernel_clock_tick();
            since_tick = 0;
            continue;
        }
        if (++since_tick >= tick_at) {
            since_tick = 0;
            next_tick_at();
            kernel_clock_tick();
            continue;
        }
        run_proc(p);
        n++;
    }
    if (steps)
        *steps = n;
    return r;
}

/* Arms halt_jmp for the calling API function; returns nonzero after a halt. */
#define ENTER()                                         \
    do {                                                \
        if (sigsetjmp(halt_jmp, 0) != 0) {              \
            halt_armed = 0;                             \
            return status == 3 ? HOSTSIM_VIOLATION : HOSTSIM_HALTED; \
        }                                               \
        halt_armed = 1;                                 \
    } while (0)
#define LEAVE() (halt_armed = 0)

/* ================= boot ================= */

/* Boot done: RS let init run (init has its privilege and no RTS_NO_PRIV). */
static int boot_done(void *arg)
{
    const struct proc *ip = proc_addr(INIT_PROC_NR);

    (void)arg;
    return !isemptyp(ip) && ip->p_priv && !(ip->p_rts_flags & RTS_NO_PRIV);
}

/* Nonzero if module name is selected by cfg.modules. */
static int selected(const char *name)
{
    int k;

    if (!cfg.modules || strcmp(name, "rs") == 0 || strcmp(name, "init") == 0)
        return 1;
    for (k = 0; cfg.modules[k]; k++)
        if (strcmp(cfg.modules[k], name) == 0)
            return 1;
    return 0;
}

/* See hostsim.h. */
API int hostsim_boot(const struct hostsim_config *c)
{
    int k, n = 0, r;
    long steps;

    if (!ps) {
        ps = calloc(1, sizeof *ps);
        if (!ps)
            return HOSTSIM_ENOSPC;
    }
    hs_sig_init();
    if (hs_loader_init() != 0)
        return HOSTSIM_EINVAL;
    {
        /* what our own snapshot leaves out: the instance table (saved
         * with process memory, only the part in use) and the control
         * channel's buffers (nothing reads them here; their lengths are
         * state and stay in) */
        uintptr_t lo, hi, b[4];

        hs_mem_exclude(&lo, &hi);
        hs_self_exclude(lo, hi);
        host_ctl_buffers(b);
        hs_self_exclude(b[0], b[1]);
        hs_self_exclude(b[2], b[3]);
    }
    hs_mem_all_dirty();
    /* reset the system state */
    memset(&cfg, 0, sizeof cfg);
    if (c)
        cfg = *c;
    snprintf(cmdline_buf, sizeof cmdline_buf, "%s", cfg.cmdline ? cfg.cmdline : "sanity=1");
    cfg.cmdline = cmdline_buf;
    cfg.modules = NULL;                 /* only used below */
    rng = (c ? c->seed : 0) * 0x9E3779B97F4A7C15ULL + 0x1234567ULL;
    if (!rng)
        rng = 1;
    next_tick_at();
    since_tick = 0;
    status = 0;
    status_detail[0] = '\0';
    memset(&violation, 0, sizeof violation);
    trace_count = 0;
    trace_digest = 0xcbf29ce484222325ULL;
    console_len = 0;
    ps->console[0] = '\0';
    ps->ck_valid = 0;
    init_handed = 0;
    memset(handed, 0, sizeof handed);
    for (k = 0; k < HS_MAX_INST; k++)
        hs_inst_free(k);
    for (k = 0; k < hs_nmods; k++)
        hs_mods[k].owner = -1;
    memset(boot_modules, 0, sizeof boot_modules);
    memset(&kernel_info, 0, sizeof kernel_info);
    for (k = 0; k < hs_nmods && n < MAX_BOOT_MODULES; k++) {
        const char *name = hs_mods[k].name;
        int keep;

        cfg.modules = c ? c->modules : NULL;
        keep = selected(name);
        cfg.modules = NULL;
        if (!keep)
            continue;
        snprintf(boot_modules[n].name, sizeof boot_modules[n].name, "%.15s", name);
        boot_modules[n].start = hs_mods[k].base;
        boot_modules[n].size = hs_mods[k].is_puppet ? 4096 : hs_mods[k].img_end - hs_mods[k].base;
        n++;
    }
    snprintf(kernel_info.cmdline, sizeof kernel_info.cmdline, "%s", cmdline_buf);
    booted = 0;
    ENTER();
    kernel_main();
    idle_budget = cfg.idle_ticks ? (long)cfg.idle_ticks : 2000;
    r = run_loop(BOOT_MAX_STEPS, boot_done, NULL, &steps);
    if (r == RUN_DONE) {
        /* let the boot settle: run until nothing but idle alarms is left */
        idle_budget = 0;
        r = run_loop(BOOT_MAX_STEPS, NULL, NULL, &steps);
        if (r == HOSTSIM_STUCK || r == RUN_BUDGET)
            r = HOSTSIM_OK;
    } else if (r == RUN_BUDGET) {
        r = HOSTSIM_STUCK;
    }
    LEAVE();
    booted = (r == HOSTSIM_OK);
    return r;
}

/* ================= puppets ================= */

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
    idle_budget = cfg.idle_ticks ? (long)cfg.idle_ticks : 2000;
    r = run_loop(CALL_MAX_STEPS, puppet_free, &w, NULL);
    LEAVE();
    if (r == RUN_DONE)
        return puppet_result(p, w.ep, i, m);
    if (r == RUN_BUDGET)
        r = HOSTSIM_STUCK;
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
    handed[i] = 1;
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
        handed[inst_of(ip)] = 1;
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

        if (hs_insts[i].kind != HS_I_PUPPET || handed[i])
            continue;
        for (idx = 0; idx < NR_ALL_SLOTS; idx++)
            if (!isemptyp(&proc_table[idx]) && inst_of(&proc_table[idx]) == i) {
                struct wait_arg w = { &proc_table[idx], proc_table[idx].p_endpoint };

                handed[i] = 1;
                /* the child waits for PM's reply (0) too */
                ENTER();
                idle_budget = cfg.idle_ticks ? (long)cfg.idle_ticks : 2000;
                r = run_loop(CALL_MAX_STEPS, puppet_free, &w, NULL);
                LEAVE();
                if (r != RUN_DONE && r != HOSTSIM_STUCK)
                    return r;
                return w.ep;
            }
    }
    return HOSTSIM_ENOSPC;
}

/* ================= running, faults ================= */

/* See hostsim.h. */
API long hostsim_run(long max_steps)
{
    long steps = 0;
    int r;

    if (!booted)
        return HOSTSIM_EINVAL;
    ENTER();
    idle_budget = cfg.idle_ticks ? (long)cfg.idle_ticks : 2000;
    r = run_loop(max_steps, NULL, NULL, &steps);
    LEAVE();
    if (r == HOSTSIM_HALTED || r == HOSTSIM_VIOLATION)
        return r;
    return steps;
}

/* See hostsim.h. */
API long hostsim_tick(long n_)
{
    volatile long n = n_, steps = 0;
    long s;
    int r = 0;

    if (!booted)
        return HOSTSIM_EINVAL;
    ENTER();
    while (n-- > 0 && status == 0) {
        current_proc = NULL;
        kernel_clock_tick();
        idle_budget = 0;
        r = run_loop(CALL_MAX_STEPS, NULL, NULL, &s);
        steps += s;
        if (r == HOSTSIM_HALTED || r == HOSTSIM_VIOLATION)
            break;
    }
    LEAVE();
    if (r == HOSTSIM_HALTED || r == HOSTSIM_VIOLATION)
        return r;
    return steps;
}

/* The live process named label, or NULL. */
static struct proc *by_label(const char *label)
{
    int idx;

    for (idx = NR_TASKS; idx < NR_ALL_SLOTS; idx++) {
        struct proc *p = &proc_table[idx];

        if (!isemptyp(p) && strncmp(p->p_name, label, PROC_NAME_LEN) == 0 &&
            !(p->p_rts_flags & RTS_PROC_STOP))
            return p;
    }
    return NULL;
}

/* See hostsim.h. */
API endpoint_t hostsim_lookup(const char *label)
{
    struct proc *p = booted ? by_label(label) : NULL;

    return p ? p->p_endpoint : HOSTSIM_EINVAL;
}

/* See hostsim.h. */
API int hostsim_crash(const char *label)
{
    struct proc *p = booted ? by_label(label) : NULL;
    int i = inst_of(p), r;

    if (!p || i < 0 || is_puppet(p))
        return HOSTSIM_EINVAL;
    ENTER();
    hs_insts[i].cstate = HS_C_DEAD;
    current_proc = p;
    kernel_exception(p, 14, 0, 0, 0);
    idle_budget = cfg.idle_ticks ? (long)cfg.idle_ticks : 2000;
    r = run_loop(CALL_MAX_STEPS, NULL, NULL, NULL);
    LEAVE();
    return r == HOSTSIM_HALTED || r == HOSTSIM_VIOLATION ? r : HOSTSIM_OK;
}

/* See hostsim.h. Parses the record with the injection engine's parser
 * and adds it to the kernel's fault table. */
API int hostsim_fault_add(const char *record)
{
    struct inj_fault f;
    char err[128];
    const char *s = record;
    int id;

    if (!booted || !record)
        return HOSTSIM_EINVAL;
    while (*s == ' ')
        s++;
    if (strncmp(s, "fault add ", 10) == 0)
        s += 10;
    memset(&f, 0, sizeof f);
    if (inj_parse_fault(s, strlen(s), ' ', '=', &f, err, sizeof err) != 0)
        return HOSTSIM_EINVAL;
    id = inj_add(&inj_faults, &f);
    inj_rearm();
    return id < 0 ? HOSTSIM_EINVAL : id;
}

/* See hostsim.h. */
API int hostsim_sanity(struct hostsim_violation *v)
{
    if (status == 3) {
        if (v)
            *v = violation;
        return 1;
    }
    return 0;
}

/* ================= checkpoint ================= */

/* See hostsim.h. */
API int hostsim_checkpoint(void)
{
    size_t self, mem;

    if (!booted)
        return HOSTSIM_EINVAL;
    self = hs_self_size();
    mem = hs_mem_save_size();
    if (!ps->ck_self) {
        ps->ck_self = malloc(self);
        ps->ck_self_len = self;
    }
    if (mem > ps->ck_mem_cap) {
        free(ps->ck_mem);
        ps->ck_mem = malloc(mem);
        ps->ck_mem_cap = mem;
    }
    if (!ps->ck_self || !ps->ck_mem)
        return HOSTSIM_ENOSPC;
    ps->ck_mem_len = mem;
    ps->ck_valid = 1;
    hs_mem_save(ps->ck_mem);
    hs_self_save(ps->ck_self);
    return HOSTSIM_OK;
}

/* See hostsim.h. */
API int hostsim_restore(void)
{
    if (!ps || !ps->ck_valid)
        return HOSTSIM_EINVAL;
    hs_self_restore(ps->ck_self);
    hs_mem_restore(ps->ck_mem);
    return HOSTSIM_OK;
}

/* ================= trace and status ================= */

/* See hostsim.h. */
API uint64_t hostsim_trace_digest(void)
{
    uint64_t d = trace_digest;

    d = (d ^ trace_count) * 0x100000001B3ULL;
    d = (d ^ kernel_ticks) * 0x100000001B3ULL;
    return d;
}

/* See hostsim.h. */
API uint64_t hostsim_trace_count(void)
{
    return trace_count;
}

/* See hostsim.h. */
API size_t hostsim_trace_last(struct hostsim_trace_entry *out, size_t n)
{
    uint64_t have = trace_count < TRACE_RING ? trace_count : TRACE_RING, k;

    if (!ps || !cfg.trace)
        return 0;
    if (n > have)
        n = (size_t)have;
    for (k = 0; k < n; k++)
        out[k] = ps->ring[(trace_count - n + k) % TRACE_RING];
    return n;
}

/* See hostsim.h. */
API void hostsim_trace_dump(FILE *f)
{
    /* on the heap: a static buffer would be part of every checkpoint */
    struct hostsim_trace_entry *buf = malloc(TRACE_RING * sizeof *buf);
    size_t n = buf ? hostsim_trace_last(buf, TRACE_RING) : 0, k;

    fprintf(f, "# hostsim trace: %llu messages, digest %016llx\n",
            (unsigned long long)trace_count, (unsigned long long)hostsim_trace_digest());
    for (k = 0; k < n; k++)
        fprintf(f, "%llu tick=%u src=%d dst=%d type=%#x hash=%08x\n",
                (unsigned long long)buf[k].index, buf[k].tick, buf[k].src, buf[k].dst,
                (unsigned)buf[k].type, buf[k].hash);
    free(buf);
}

/* See hostsim.h. */
API int hostsim_status(const char **detail)
{
    if (detail)
        *detail = status_detail;
    return status;
}

/* See hostsim.h. */
API const char *hostsim_console(void)
{
    return ps ? ps->console : "";
}

/* See hostsim.h. */
API uint32_t hostsim_ticks(void)
{
    return kernel_ticks;
}

/* See hostsim.h. */
API void *hostsim_mem(endpoint_t ep, vir_bytes v, size_t len)
{
    struct proc *p = booted ? endpoint_lookup(ep) : NULL;

    return p ? hs_uptr(inst_of(p), v, len, 1) : NULL;
}

/* See hostsim.h. */
API vir_bytes hostsim_symbol(const char *module, const char *symbol)
{
    int k = hs_mod_find(module);

    return k < 0 || hs_mods[k].is_puppet ? 0 : hs_symbol(k, symbol);
}
