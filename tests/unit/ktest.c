/*
 * ktest.c: the unit-test harness and kernel fixtures (ktest.h).
 */
#include <string.h>
#include <stdlib.h>
#include "ktest.h"

int kt_failures;

/* See ktest.h. */
int ktest_main(int argc, char **argv, const struct ktest_case *table, size_t n)
{
    size_t i;
    int ran = 0;

    for (i = 0; i < n; i++) {
        if (argc > 1 && strcmp(argv[1], table[i].name) != 0)
            continue;
        kt_boot();
        table[i].fn();
        printf("ktest: %s %s\n", table[i].name, kt_failures ? "FAIL" : "ok");
        ran++;
    }
    if (!ran) {
        fprintf(stderr, "ktest: no case named %s\n", argc > 1 ? argv[1] : "");
        return 2;
    }
    return kt_failures ? 1 : 0;
}

/* See ktest.h. */
void kt_boot(void)
{
    static const char *const names[] = { "pm", "vfs", "rs", "ds", "vm", "tty",
                                         "sched", "ipc", "hello", "init", "prog" };
    size_t i;

    host_reset();
    memset(boot_modules, 0, sizeof(boot_modules));
    memset(&kernel_info, 0, sizeof(kernel_info));
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        strcpy(boot_modules[i].name, names[i]);
        boot_modules[i].start = 0x100000 + (phys_bytes)i * 0x10000;
        boot_modules[i].size = 0x1000;
    }
    kernel_main();
}

/* See ktest.h. */
struct proc *kt_sys(int slot)
{
    struct proc *p = proc_addr(slot);
    struct priv *pr = priv_alloc();
    int i;

    if (!pr || isemptyp(p)) {
        fprintf(stderr, "kt_sys: cannot set up slot %d\n", slot);
        abort();
    }
    pr->s_spec.flags = PRIV_SYS_PROC | PRIV_PREEMPTIBLE;
    pr->s_spec.trap_mask = TRAP_ALL;
    for (i = 0; i < NR_ALL_SLOTS; i++)
        BIT_SET(pr->s_spec.ipc_to, i);
    pr->s_spec.sig_mgr = RS_PROC_NR;
    p->p_priv = pr;
    rts_clear(p, RTS_NO_PRIV);
    return p;
}

/* See ktest.h. */
struct proc *kt_user(const char *name)
{
    struct proc *p = proc_alloc();

    if (!p) {
        fprintf(stderr, "kt_user: table full\n");
        abort();
    }
    proc_setup(p, p->p_nr, name);
    p->p_priv = &priv_table[USER_PRIV_ID];
    rts_clear(p, RTS_NO_PRIV);
    return p;
}

/* See ktest.h. */
vir_bytes kt_msg(int type, int val)
{
    vir_bytes v = host_ualloc(sizeof(message));

    kt_m(v)->m_type = type;
    kt_m(v)->m_i32.i[0] = val;
    kt_m(v)->m_source = 0x5ca1ab1e;     /* the kernel must overwrite it */
    return v;
}

/* See ktest.h. */
message *kt_m(vir_bytes v)
{
    return host_uptr(v);
}

/* See ktest.h. */
int kt_ipc(struct proc *p, int prim, endpoint_t ep, vir_bytes msg, uint32_t count)
{
    p->p_arch.result_set = 0;
    kernel_ipc_trap(p, prim, ep, msg, count);
    return kt_result(p);
}

/* See ktest.h. */
int kt_result(struct proc *p)
{
    return p->p_arch.result_set ? p->p_arch.result : KT_BLOCKED;
}

/* See ktest.h. */
int kt_panics(void (*fn)(void *), void *arg)
{
    if (setjmp(host_shutdown_jmp)) {
        host_shutdown_armed = 0;
        return host_shutdown_value == PANIC_EXIT_VALUE;
    }
    host_shutdown_armed = 1;
    fn(arg);
    host_shutdown_armed = 0;
    return 0;
}
