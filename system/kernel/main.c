/*
 * main.c: the kernel's globals (glo.h) and kernel_main(), which turns the
 * boot modules into the boot processes. RS runs first with full privilege;
 * every other boot process waits (RTS_NO_PRIV) until RS gives it one.
 */
#include "kernel.h"
#include "inject_kern.h"

struct proc proc_table[NR_ALL_SLOTS];
struct priv priv_table[NR_SYS_PROCS];
struct proc *current_proc;
clock_t_ kernel_ticks;
uint32_t kernel_boottime;
struct kinfo kernel_info;
struct module_info boot_modules[MAX_BOOT_MODULES];

/* Fills in the privilege every user process shares: SENDREC only, to PM,
 * VM, DS, RS, TTY and HELLO, no kernel calls, PM as signal manager. */
static void init_user_priv(void)
{
    static const int targets[] = { PM_PROC_NR, VM_PROC_NR, DS_PROC_NR,
                                   RS_PROC_NR, TTY_PROC_NR, HELLO_PROC_NR };
    struct priv_spec *s = &priv_table[USER_PRIV_ID].s_spec;
    size_t i;

    kmemset(s, 0, sizeof(*s));
    s->flags = PRIV_CHECK_IPC | PRIV_CHECK_CALL | PRIV_PREEMPTIBLE;
    s->trap_mask = TRAP_USER;
    for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
        BIT_SET(s->ipc_to, SLOT_INDEX(targets[i]));
    s->sig_mgr = PM_PROC_NR;
    for (i = 0; i < PRIV_MAX_IRQ; i++)
        s->irq[i] = -1;
}

/* Returns a new system privilege for RS: every primitive, every target,
 * every kernel call, and RS as its own signal manager (so a signal to RS
 * is a kernel panic). */
static struct priv *make_rs_priv(void)
{
    struct priv *pr = priv_alloc();
    struct priv_spec *s;
    int i;

    KASSERT(pr != NULL);
    s = &pr->s_spec;
    s->flags = PRIV_ROOT_SYS | PRIV_SYS_PROC;
    s->trap_mask = TRAP_ALL;
    for (i = 0; i < NR_ALL_SLOTS; i++)
        BIT_SET(s->ipc_to, i);
    for (i = 0; i < NR_SYS_CALLS; i++)
        BIT_SET(s->k_call_mask, i);
    s->sig_mgr = RS_PROC_NR;
    return pr;
}

/* The platform calls this once, after filling boot_modules[] and
 * kernel_info.cmdline. Sets up the tables and the user privilege, creates
 * one process per boot module named in the boot table (the first module of
 * each name; boot_slot of every module is filled in), lets RS run, and
 * returns. Panics, naming the module, if "rs" is missing or a module is
 * not a valid executable. */
void kernel_main(void)
{
    struct proc *rs = NULL;
    uint32_t n = 0;
    int i;

    current_proc = NULL;
    kernel_ticks = 0;
    kernel_boottime = arch_read_rtc();
    proc_init();
    priv_init();
    init_user_priv();

    for (i = 0; i < MAX_BOOT_MODULES; i++)
        if (boot_modules[i].name[0] != '\0')
            n = (uint32_t)i + 1;
    kernel_info.nr_modules = n;
    kernel_info.hz = HZ;
    kernel_info.mem_bytes = arch_mem_bytes();
    kernel_info.version = KINFO_VERSION;

    for (i = 0; i < (int)n; i++) {
        struct module_info *mod = &boot_modules[i];
        const struct boot_entry *be;
        struct proc *p;
        int r;

        mod->boot_slot = -1;
        if (mod->name[0] == '\0' || (be = boot_table_lookup(mod->name)) == NULL)
            continue;
        p = proc_addr(be->slot);
        if (!isemptyp(p))
            continue;               /* a second module of the same name */
        mod->boot_slot = be->slot;
        proc_setup(p, be->slot, mod->name);
        p->p_priority = be->priority;
        p->p_quantum = be->quantum;
        p->p_ticks_left = be->quantum;
        r = arch_proc_exec(p, i, "", 0);
        if (r != OK)
            kernel_panic("boot: module %s: cannot start it (%s, error %d)",
                         mod->name, r == ENOEXEC ? "bad ELF" : "exec failed", r);
        if (be->slot == RS_PROC_NR)
            rs = p;
    }
    if (!rs)
        kernel_panic("boot: no \"rs\" module among the %u boot modules", n);

    inj_boot_faults(kernel_info.cmdline);  /* inject= (docs/inject.md) */
    rs->p_priv = make_rs_priv();
    rts_clear(rs, RTS_NO_PRIV);
    kernel_info.free_pages = arch_free_pages();
}
