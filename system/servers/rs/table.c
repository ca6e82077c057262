/*
 * RS's tables: request type -> handler, the privilege classes, the boot
 * table (the services RS brings up at boot, in order) and the program table
 * (the system programs RS_UP may start by label).
 */
#include "proto.h"

#define SYS_PRIV_FLAGS  (PRIV_SYS_PROC | PRIV_CHECK_IPC | PRIV_CHECK_CALL | \
                         PRIV_PREEMPTIBLE)

/* ---- request type (RS_UP + i) -> handler ---- */
const rs_handler_t rs_call_vec[] = {
    [RS_UP - RS_UP]      = rs_do_up,
    [RS_DOWN - RS_UP]    = rs_do_down,
    [RS_RESTART - RS_UP] = rs_do_restart,
    [RS_UPDATE - RS_UP]  = rs_do_update,
    [RS_EDIT - RS_UP]    = rs_do_edit,
    [RS_LOOKUP - RS_UP]  = rs_do_lookup,
    [RS_COUNT - RS_UP]   = rs_do_count,
    [RS_CRASH - RS_UP]   = rs_do_crash,
    [RS_READY - RS_UP]   = rs_do_ready,
};
const int rs_call_vec_len = sizeof(rs_call_vec) / sizeof(rs_call_vec[0]);

/* ---- kernel calls beyond SYS_BASIC_CALLS, per class (ended by 0) ---- */
static const int ds_calls[]    = { SYS_VIRCOPY, 0 };
static const int tty_calls[]   = { SYS_DEVIO, 0 };
static const int vm_calls[]    = { SYS_FORK, SYS_EXEC, SYS_CLEAR, SYS_PRIVCTL, 0 };
static const int pm_calls[]    = { SYS_CLEAR, SYS_KILL, SYS_GETKSIG, SYS_ENDKSIG,
                                   SYS_PRIVCTL, SYS_SHUTDOWN, SYS_VIRCOPY,
                                   SYS_TIMES, 0 };
static const int hello_calls[] = { SYS_STATECTL, 0 };
static const int test_calls[]  = { SYS_VIRCOPY, SYS_SHUTDOWN, SYS_KILL, 0 };

/* ---- VM requests per class (ended by 0) ---- */
static const int vm_none[]     = { VM_INFO, 0 };
static const int vm_pm[]       = { VM_FORK, VM_EXEC, VM_EXIT, VM_INFO, 0 };

/*
 * Privilege classes. Every service here answers user processes (whose
 * endpoints are dynamic) or notifies subscribers, so it may send to every
 * process slot; the kernel-call masks are what sets them apart.
 */
static const struct rs_priv_class priv_ds = {
    .name = "ds", .flags = SYS_PRIV_FLAGS, .trap_mask = TRAP_ALL,
    .ipc_all = 1, .calls = ds_calls, .vm_calls = vm_none,
};
static const struct rs_priv_class priv_tty = {
    .name = "tty", .flags = SYS_PRIV_FLAGS, .trap_mask = TRAP_ALL,
    .ipc_all = 1, .calls = tty_calls, .vm_calls = vm_none,
    .io = { { 0x3f8, 8 } },             /* COM1 */
};
static const struct rs_priv_class priv_vm = {
    .name = "vm", .flags = SYS_PRIV_FLAGS, .trap_mask = TRAP_ALL,
    .ipc_all = 1, .calls = vm_calls, .vm_calls = vm_none,
};
static const struct rs_priv_class priv_pm = {
    .name = "pm", .flags = SYS_PRIV_FLAGS, .trap_mask = TRAP_ALL,
    .ipc_all = 1, .calls = pm_calls, .vm_calls = vm_pm,
};
static const struct rs_priv_class priv_hello = {
    .name = "hello", .flags = SYS_PRIV_FLAGS, .trap_mask = TRAP_ALL,
    .ipc_all = 1, .calls = hello_calls, .vm_calls = vm_none,
};
/* System test programs: every primitive and target, few kernel calls. */
static const struct rs_priv_class priv_test = {
    .name = "test", .flags = SYS_PRIV_FLAGS, .trap_mask = TRAP_ALL,
    .ipc_all = 1, .calls = test_calls, .vm_calls = vm_none,
};

/*
 * Boot table: RS brings these up in this order at boot (docs/os.md, Boot).
 * Endpoint = boot slot. All are core, restartable and pinged every 500 ticks.
 */
#define BOOT_SF     (SF_RESTARTABLE | SF_CORE)
#define BOOT_PERIOD 500
const struct rs_prog rs_boot_table[] = {
    { "ds",    "ds",    NULL, DS_PROC_NR,    BOOT_SF, BOOT_PERIOD, &priv_ds, SERVER_Q },
    { "tty",   "tty",   NULL, TTY_PROC_NR,   BOOT_SF, BOOT_PERIOD, &priv_tty, SERVER_Q },
    { "vm",    "vm",    NULL, VM_PROC_NR,    BOOT_SF, BOOT_PERIOD, &priv_vm, SERVER_Q },
    { "pm",    "pm",    NULL, PM_PROC_NR,    BOOT_SF, BOOT_PERIOD, &priv_pm, SERVER_Q },
    { "hello", "hello", NULL, HELLO_PROC_NR, BOOT_SF, BOOT_PERIOD, &priv_hello, SERVER_Q + 1 },
};
const int rs_boot_table_len = sizeof(rs_boot_table) / sizeof(rs_boot_table[0]);

/*
 * Program table: what RS_UP may start. Label -> module, arguments,
 * privilege. None is restartable or pinged: a test that crashes has failed.
 * Programs run at USER_Q, below every server, so a busy test or benchmark
 * cannot starve the services it exercises.
 */
const struct rs_prog rs_prog_table[] = {
    { "test_ipc",   "test_ipc",  NULL,   -1, 0, 0, &priv_test, USER_Q },
    { "ipc_peer",   "test_ipc",  "peer", -1, 0, 0, &priv_test, USER_Q },
    { "test_ds",    "test_ds",   NULL,   -1, 0, 0, &priv_test, USER_Q },
    { "test_rs",    "test_rs",   NULL,   -1, 0, 0, &priv_test, USER_Q },
    { "bench_ipc",  "bench_ipc", NULL,   -1, 0, 0, &priv_test, USER_Q },
    { "bench_peer", "bench_ipc", "peer", -1, 0, 0, &priv_test, USER_Q },
    /* campaign workloads (docs/inject.md) */
    { "wl_hello",   "wl_hello",  NULL,   -1, 0, 0, &priv_test, USER_Q },
    { "wl_ds",      "wl_ds",     NULL,   -1, 0, 0, &priv_test, USER_Q },
    { "wl_mix",     "wl_mix",    NULL,   -1, 0, 0, &priv_test, USER_Q },
    /* ./crucible replay-fuzz: `run fuzzplay HEX...` (docs/fuzzing.md) */
    { "fuzzplay",   "fuzzplay",  NULL,   -1, 0, 0, &priv_test, USER_Q },
};
const int rs_prog_table_len = sizeof(rs_prog_table) / sizeof(rs_prog_table[0]);
