/*
 * test_priv: what a user process may not do, and that servers survive bad
 * requests. Talks the ABI directly (<crucible/syslib.h>): IPC primitives
 * outside the user trap mask, targets outside the user IPC mask, kernel
 * calls, bad message pointers and endpoints, garbage requests to PM, VM, DS
 * and TTY (error replies, and the servers still answer afterwards), VM
 * calls outside the shared user call mask, PM_REBOOT from a non-init
 * process. Every probe is chosen so that a broken check fails the case
 * without wrecking the machine (invalid modules, invalid calls).
 */
#include <crucible/syslib.h>
#include "utest.h"

#define BAD_PTR_LOW   ((message *)0x10)
#define BAD_PTR_HIGH  ((message *)0xFFFFF000u)

/* call: sendrec a message of type to ep with the payload already in *m.
 * Returns the IPC result; the reply (if any) is in *m. */
static int call(endpoint_t ep, int type, message *m)
{
    m->m_type = type;
    return ipc_sendrec(ep, m);
}

static void test_traps(void)
{
    message m;
    memset(&m, 0, sizeof(m));
    m.m_type = PM_GETPID;
    int s = ipc_send(PM_PROC_NR, &m);
    int n = ipc_notify(PM_PROC_NR);
    int nb = ipc_sendnb(PM_PROC_NR, &m);
    ut_check("trap_denied", s == ETRAPDENIED && n == ETRAPDENIED && nb == ETRAPDENIED,
             "send %d notify %d sendnb %d", s, n, nb);
}

/* Targets outside the user IPC mask: kernel tasks (always alive) must give
 * ECALLDENIED; SCHED and IPC may not run in this image, so a dead-target
 * EDEADSRCDST is accepted for them (the kernel checks liveness first). */
static void test_targets(void)
{
    message m;
    memset(&m, 0, sizeof(m));
    int a = call(SCHED_PROC_NR, 0, &m);
    memset(&m, 0, sizeof(m));
    int b = call(IPC_PROC_NR, 0, &m);
    memset(&m, 0, sizeof(m));
    int c = call(CLOCK, 0, &m);
    memset(&m, 0, sizeof(m));
    int d = call(SYSTEM, 0, &m);
    ut_check("target_denied", (a == ECALLDENIED || a == EDEADSRCDST) &&
             (b == ECALLDENIED || b == EDEADSRCDST) && c == ECALLDENIED && d == ECALLDENIED,
             "sched %d ipc %d clock %d system %d", a, b, c, d);
}

static void test_kcalls(void)
{
    message m;
    memset(&m, 0, sizeof(m));
    m.m_sys_getinfo.request = GET_WHOAMI;
    int a = kernel_call(SYS_GETINFO, &m);
    memset(&m, 0, sizeof(m));
    m.m_sys_times.target = NONE;
    int b = kernel_call(SYS_TIMES, &m);
    ut_check("kcall_denied", a == ECALLDENIED && b == ECALLDENIED, "getinfo %d times %d", a, b);
}

static void test_bad_ipc(void)
{
    int a = ipc_sendrec(PM_PROC_NR, BAD_PTR_LOW);
    int b = ipc_sendrec(PM_PROC_NR, BAD_PTR_HIGH);
    ut_check("bad_msg_ptr", a == EFAULT && b == EFAULT, "low %d high %d", a, b);

    message m;
    memset(&m, 0, sizeof(m));
    int c = call(ENDPOINT(7, 50), PM_GETPID, &m);
    memset(&m, 0, sizeof(m));
    int d = call((endpoint_t)0x12345678, PM_GETPID, &m);
    memset(&m, 0, sizeof(m));
    int e = call(ENDPOINT(3, PM_PROC_NR), PM_GETPID, &m);   /* stale PM */
    ut_check("bad_endpoint",
             (c == EDEADSRCDST || c == ECALLDENIED) && d < 0 &&
             (e == EDEADSRCDST || e == ECALLDENIED),
             "unused slot %d, garbage %d, stale %d", c, d, e);
}

/* garbage: send each junk request type to ep; every one must get an error
 * reply. Types at or above NOTIFY_MESSAGE are notifications by the ABI and
 * a server may drop them unanswered (DS does), which would block us for
 * good; they are sent only when all_types is set (PM and VM answer them).
 * Returns the first bad result (IPC error or a reply >= 0) or OK. */
static int garbage(endpoint_t ep, int base, int all_types, int *bad_type)
{
    const int types[] = { 0, -1, (int)0x80000000u, base + 99, base - 1,
                          KERNEL_CALL, RS_INIT, RS_LU_PREPARE, PM_FORK + 0x100,
                          VM_CALLMASK + 0x100, DS_BASE + 77,
                          NOTIFY_MESSAGE - 1, NOTIFY_MESSAGE + 1, 0x7fffffff };
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (types[i] == base || (!all_types && types[i] >= NOTIFY_MESSAGE))
            continue;
        message m;
        memset(&m, 0xA5, sizeof(m));
        int r = call(ep, types[i], &m);
        if (r != OK || m.m_type >= 0) {
            *bad_type = types[i];
            return r != OK ? r : m.m_type;
        }
    }
    return OK;
}

/* alive_pm .. alive_tty: one well-formed request each; nonzero if the
 * server answered it. */
static int alive_pm(void)
{
    message m;
    memset(&m, 0, sizeof(m));
    return call(PM_PROC_NR, PM_GETPID, &m) == OK && m.m_type == OK && m.m_pm.pid > 1;
}

static int alive_vm(void)
{
    message m;
    memset(&m, 0, sizeof(m));
    m.m_vm.ep = SELF;
    return call(VM_PROC_NR, VM_INFO, &m) == OK && m.m_type == OK;
}

static int alive_ds(void)
{
    message m;
    memset(&m, 0, sizeof(m));
    strlcpy(m.m_ds.key, "test_priv.none", sizeof(m.m_ds.key));
    m.m_ds.flags = DSF_TYPE_U32;
    return call(DS_PROC_NR, DS_RETRIEVE, &m) == OK;
}

/* TTY: an empty TTY_WRITE (TTY_WRITE_INLINE is fire-and-forget: never
 * answered). */
static int alive_tty(void)
{
    static char nothing[1];
    message m;
    memset(&m, 0, sizeof(m));
    m.m_tty.ptr = (vir_bytes)(uintptr_t)nothing;
    m.m_tty.len = 0;
    return call(TTY_PROC_NR, TTY_WRITE, &m) == OK && m.m_type >= 0;
}

static void test_garbage(void)
{
    static const struct {
        const char *name;
        endpoint_t ep;
        int base;
        int all_types;
        int (*alive)(void);
    } servers[] = {
        { "garbage_pm", PM_PROC_NR, PM_BASE, 1, alive_pm },
        { "garbage_vm", VM_PROC_NR, VM_BASE, 1, alive_vm },
        { "garbage_ds", DS_PROC_NR, DS_BASE, 0, alive_ds },
        { "garbage_tty", TTY_PROC_NR, TTY_BASE, 0, alive_tty },
    };
    for (unsigned i = 0; i < sizeof(servers) / sizeof(servers[0]); i++) {
        int type = 0;
        int r = garbage(servers[i].ep, servers[i].base, servers[i].all_types, &type);
        int alive = servers[i].alive();
        ut_check(servers[i].name, r == OK && alive,
                 "type 0x%x answered %d; alive afterwards %d", (unsigned)type, r, alive);
    }
}

/* Valid request types with bad arguments: error replies, no crash. */
static void test_bad_args(void)
{
    message m;
    int bad = 0;
    const char *what = "";

    memset(&m, 0, sizeof(m));
    m.m_pm.what = SI_KINFO;
    m.m_pm.ptr = 0xFFFFF000u;
    m.m_pm.len = sizeof(struct kinfo);
    if (call(PM_PROC_NR, PM_GETSYSINFO, &m) != OK || m.m_type >= 0)
        bad = 1, what = "getsysinfo to a kernel address";

    memset(&m, 0, sizeof(m));
    memset(m.m_pm.name, 'A', sizeof(m.m_pm.name));   /* not terminated */
    m.m_pm.len = 0x7fffffff;
    if (call(PM_PROC_NR, PM_EXEC, &m) != OK || m.m_type >= 0)
        bad = 1, what = "exec with huge args";

    memset(&m, 0, sizeof(m));
    memset(m.m_pm.name, 'A', sizeof(m.m_pm.name));
    if (call(PM_PROC_NR, PM_EXEC, &m) != OK || m.m_type != ENOENT)
        bad = 1, what = "exec of an unterminated name";

    memset(&m, 0, sizeof(m));
    strlcpy(m.m_pm.name, "pm", sizeof(m.m_pm.name));      /* a server, not a program */
    if (call(PM_PROC_NR, PM_EXEC, &m) != OK || m.m_type >= 0)
        bad = 1, what = "exec of a server module";

    memset(&m, 0, sizeof(m));
    m.m_pm.sig = -5;
    m.m_pm.options = 7;
    if (call(PM_PROC_NR, PM_SIGACTION, &m) != OK || m.m_type != EINVAL)
        bad = 1, what = "sigaction of a bad signal";

    memset(&m, 0, sizeof(m));
    m.m_pm.what = 99;
    if (call(PM_PROC_NR, PM_GETTIME, &m) != OK || m.m_type != EINVAL)
        bad = 1, what = "gettime of a bad clock";

    memset(&m, 0, sizeof(m));
    m.m_vm.ep = (endpoint_t)0x7fff0000;
    if (call(VM_PROC_NR, VM_INFO, &m) != OK || m.m_type >= 0)
        bad = 1, what = "VM_INFO of a garbage endpoint";

    ut_check("bad_args", !bad && alive_pm() && alive_vm(), "%s", bad ? what : "server died");
}

static void test_vm_mask(void)
{
    message m;
    endpoint_t self;
    memset(&m, 0, sizeof(m));
    call(PM_PROC_NR, PM_GETPID, &m);
    self = m.m_pm.endpt;

    memset(&m, 0, sizeof(m));
    m.m_vm.parent = self;
    m.m_vm.ep = self;
    int f = call(VM_PROC_NR, VM_FORK, &m) == OK ? m.m_type : -9999;
    memset(&m, 0, sizeof(m));
    m.m_vm.ep = self;
    m.m_vm.module = -1;                                   /* never a module */
    int e = call(VM_PROC_NR, VM_EXEC, &m) == OK ? m.m_type : -9999;
    memset(&m, 0, sizeof(m));
    m.m_vm.ep = ENDPOINT(9, 60);
    int x = call(VM_PROC_NR, VM_EXIT, &m) == OK ? m.m_type : -9999;
    memset(&m, 0, sizeof(m));
    m.m_vm.ep = NONE;
    m.m_vm.call = VM_BASE + 50;                           /* never a call */
    m.m_vm.allow = 1;
    int c = call(VM_PROC_NR, VM_CALLMASK, &m) == OK ? m.m_type : -9999;
    ut_check("vm_mask_denied", f == EPERM && e == EPERM && x == EPERM && c == EPERM,
             "fork %d exec %d exit %d callmask %d", f, e, x, c);

    memset(&m, 0, sizeof(m));
    m.m_vm.ep = SELF;
    int i = call(VM_PROC_NR, VM_INFO, &m) == OK ? m.m_type : -9999;
    ut_check("vm_info_allowed", i == OK && m.m_vm.value > 0, "info %d pages %u",
             i, (unsigned)m.m_vm.value);
}

static void test_reboot(void)
{
    message m;
    memset(&m, 0, sizeof(m));
    m.m_pm.status = 3;
    int r = call(PM_PROC_NR, PM_REBOOT, &m);
    ut_check("reboot_denied", r == OK && m.m_type == EPERM, "ipc %d reply %d", r, (int)m.m_type);
}

/* main: run every case; exit 0 iff all passed. */
int main(void)
{
    ut_begin("test_priv");
    test_traps();
    test_targets();
    test_kcalls();
    test_bad_ipc();
    test_garbage();
    test_bad_args();
    test_vm_mask();
    test_reboot();
    return ut_done();
}
