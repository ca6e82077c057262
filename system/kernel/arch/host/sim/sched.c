/*
 * sched.c (host platform simulator): the deterministic scheduler, the
 * traps of processes, boot, checkpoint/restore and the hostsim.h API for
 * running the system (the rest of the API: puppet.c, ticks.c, trace.c;
 * hs_sched.h lists who does what).
 *
 * Who runs: the kernel's own choice (kernel_pick_proc). The platform's
 * only freedom is when a clock tick arrives (ticks.c). One step = one
 * process runs from where it was until its next trap.
 *
 * Contexts: the kernel core always runs on the caller's stack (the
 * "kernel context"); a process runs on its own coroutine stack in its
 * module window; a trap (lib/sys/arch/host/ipc.c -> hs_trap) saves the
 * coroutine and switches back here, where kernel_ipc_trap /
 * kernel_call_trap runs for it with current_proc set.
 */
#include "kernel.h"
#include "inject_kern.h"
#include "hs.h"
#include "hs_kernel.h"
#include "hostsim.h"
#include "hs_sched.h"
#include "../../../../lib/sys/arch/host/hostsim_abi.h"

/* libc of the host (the kernel headers clash with <stdio.h>'s friends only
 * for errno/signal names, which this file does not use) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* State that is not part of the system (survives hostsim_restore): see
 * struct persist. Allocated once. */
struct persist *ps;

/* ---- system state (in our writable segments: checkpointed) ---- */
struct hostsim_config cfg;
static char cmdline_buf[CMDLINE_MAX];
int status;
char status_detail[256];
struct hostsim_violation violation;
uint64_t trace_count, trace_digest;
int booted;
int init_handed;
int handed[HS_MAX_INST];
long idle_budget;
struct proc *kc_proc;
vir_bytes kc_msg;

/* ---- kernel context (not state: valid only inside an API call) ---- */
#define sched_rsp hs_fault_rsp           /* shared with on_fault (sig.c) */
static int cur_inst = -1;
sigjmp_buf halt_jmp;
int halt_armed;

/* See hs_sched.h. */
long idle_default(void)
{
    return cfg.idle_ticks ? (long)cfg.idle_ticks : IDLE_DEFAULT;
}

/* See hs_sched.h. */
long call_max_steps(void)
{
    return cfg.call_steps ? (long)cfg.call_steps : CALL_MAX_STEPS;
}

/* ================= processes ================= */

/* See hs_sched.h. */
int inst_of(const struct proc *p)
{
    return p ? p->p_arch.inst - 1 : -1;
}

/* See hs_sched.h. */
int is_puppet(const struct proc *p)
{
    int i = inst_of(p);

    return i >= 0 && hs_insts[i].kind == HS_I_PUPPET;
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
    /* A fault while the process runs returns here from the switch, with
     * hs_fault_sig set (on_fault, sig.c, resumes at sched_rsp). */
    hs_fault_sig = 0;
    hs_in_proc = 1;
    hs_ctx_switch(&sched_rsp, in->rsp);
    hs_in_proc = 0;
    if (hs_fault_sig != 0) {
        in = &hs_insts[i];
        cur_inst = -1;
        in->cstate = HS_C_DEAD;
        current_proc = p;
        kernel_exception(p, hs_fault_vector(), 0, (vir_bytes)hs_fault_addr,
                         (vir_bytes)hs_fault_pc);
        return;
    }
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

/* See hs_sched.h. */
int run_loop(long max_steps, int (*done)(void *), void *arg, long *steps)
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
            if ((r = ticks_idle()) != 0)
                break;
            continue;
        }
        if (ticks_step())
            continue;
        run_proc(p);
        n++;
    }
    if (steps)
        *steps = n;
    return r;
}

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
    ticks_boot(c ? c->seed : 0);
    status = 0;
    status_detail[0] = '\0';
    memset(&violation, 0, sizeof violation);
    trace_boot();
    ps->ck_valid = 0;
    puppets_boot();
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
    /* The control channel's output has no reader here (ctl.c's buffer
     * is not part of the API): the kernel need not format events. */
    ctl_events_off = 1;
    ENTER();
    kernel_main();
    idle_budget = idle_default();
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

/* ================= running, faults ================= */

/* See hostsim.h. */
API long hostsim_run(long max_steps)
{
    long steps = 0;
    int r;

    if (!booted)
        return HOSTSIM_EINVAL;
    ENTER();
    idle_budget = idle_default();
    r = run_loop(max_steps, NULL, NULL, &steps);
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
    idle_budget = idle_default();
    r = run_loop(call_max_steps(), NULL, NULL, NULL);
    LEAVE();
    if (r == RUN_BUDGET)
        return HOSTSIM_BUSY;
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

/* See hostsim.h. */
API int hostsim_status(const char **detail)
{
    if (detail)
        *detail = status_detail;
    return status;
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
