/*
 * system: whole-system sequences on the host platform simulator
 * (hostsim.h): several user processes' system calls, exits and signals,
 * service crashes and the restarts RS makes, fault-plan entries
 * (docs/inject.md syntax) and clock ticks, decoded from the input. Booted
 * once per process with sanity=1 (every server checks its invariants
 * after every message it handles); every input starts from the booted
 * checkpoint.
 *
 * Input format (every byte string is valid; missing bytes read as 0;
 * decoded by decode.h, which ./crucible replay-fuzz shares):
 *   steps until the input ends (at most MAX_STEPS), 3 bytes each (op, a,
 *   b) plus the extra bytes some ops take:
 *     op % 10
 *     0 PM call by user puppet a % n: b % 8 selects GETPID, GETPPID,
 *       FORK, EXIT (status b >> 3), WAIT (pid -1, WNOHANG if b & 8),
 *       KILL (pid: one more byte % 12 - 1, sig (b >> 3) % 32),
 *       SIGACTION (sig (b >> 3) % 32, ignore), GETTIME
 *     1 DS call by puppet a % n: b & 1 publish / retrieve (u32, key
 *       "k" + (b >> 1) % 4, overwrite, value b)
 *     2 HELLO_GET by puppet a % n (b & 1: HELLO_CRASH instead)
 *     3 hostsim_crash(LABELS[a % 5]) (never rs: its crash is a panic by
 *       design)
 *     4 hostsim_fault_add: FAULTS[a % NR_FAULTS] with target
 *       LABELS[b % 5], nth = 1 + (b >> 3) % 4 and one more byte as
 *       persistent (bit 0) and type choice (bits 1-2: any, the requests of
 *       the target, HELLO_GET, a notification)
 *     5 hostsim_tick(1 + a % 16)
 *     6 hostsim_run(16 * a + 1)
 *     7 a new user puppet (hostsim_puppet), at most MAX_USERS in all
 *     8 a pending call's result (hostsim_pending) of puppet a % n
 *     9 a subscription, by b % 4: 0 a system puppet's DS subscribe (regex
 *       ".*", initial) then DS_CHECK; 1-3 HELLO_WATCH by puppet a % n,
 *       which makes hello a subscriber to PM's process events: 1 answer
 *       each exit at once, 2 hold the answers, 3 answer and unsubscribe
 *   n is the number of user puppets alive in the harness's table.
 *
 * Oracle after every step: no server's sanity check failed, the kernel
 * did not panic and the system went quiescent within the step budget
 * (hsf_check: HOSTSIM_BUSY is a livelock); replies are OK, a pid or
 * crucible errors; a fault record is refused only once the kernel's table
 * is full. Once hello was told to watch, with no fault in the plan and
 * hello not holding, no exit stays pending in PM (check_exits). The fault
 * actions that break invariants on purpose (corrupt_state) are not used.
 * A shutdown ends the input.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "hs_fuzz.h"
#include "decode.h"
#include "../../system/servers/pm/mproc.h"      /* EXITING */
#include "../../system/servers/pm/pm_info.h"    /* PM_GETSYSINFO's table */

#define MAX_STEPS SYSD_MAX_STEPS
#define MAX_USERS SYSD_MAX_USERS
#define FAIL(...) fz_fail("system", __VA_ARGS__)

/* idle horizon 64 ticks: a call blocked by a hang or delay fault ends as
 * HOSTSIM_STUCK after at most 64 simulated ticks of alarms. At most 20000
 * steps per call or tick (a normal one runs well under 2000): more is a
 * livelock (HOSTSIM_BUSY, a failure), and the default budget, 5,000,000
 * steps, took ~2.5 s to find one under ASan. */
static const struct hsf_setup setup = { 3, 1, NULL, 64, 20000 };

/* The kernel's fault table holds this many entries (inject.h,
 * INJ_MAX_FAULTS); a fired one-shot fault keeps its entry. */
#define MAX_FAULTS 16

static endpoint_t users[MAX_USERS];
static int nr_users, nr_faults;

/* hello as a process-event subscriber, as far as the steps tell: whether
 * it was told to watch in this input (check_exits runs from then on),
 * whether it holds its answers now (until told otherwise or replaced by a
 * new instance, which answers everything), and whether it may hold them
 * for good: a HOLD request left pending (hello down, waiting for a
 * restart) may reach any later instance. */
static int watched, hello_holds, hold_unsure;

/* A reply type that is OK, a pid or a crucible error. */
static int sane_reply(int32_t t)
{
    return t >= 0 || hsf_is_errno(t);
}

/* Sends request *m from puppet ep to dst; checks and returns the result. */
static int call(endpoint_t ep, endpoint_t dst, message *m, int step)
{
    int r = hsf_check("system", hostsim_ipc(ep, IPC_SENDREC, dst, m), "call");

    FZ_TRACE("  -> %d reply %d", r, m->m_type);
    if (r == OK && !sane_reply(m->m_type))
        FAIL("step %d: reply %d from %d", step, m->m_type, dst);
    return r;
}

/* Ticks past RS's longest restart backoff (80 ticks before the fifth
 * restart, servers/rs/logic.h): a subscriber down for that long is
 * restarted or given up on, and PM has been told either way. */
#define RESTART_TICKS 100

/*
 * The first process PM has EXITING, read from PM's table (PM_GETSYSINFO
 * by the system puppet): its slot, -1 if none, or -2 if PM does not
 * answer now (it waits for a restart beyond the idle horizon; the call
 * stays pending, and so do the next ones) or is gone (RS gave up on it:
 * then no exit can happen either). *tab gets the table.
 */
static int exiting(int step, struct pm_proc_info *tab, size_t len)
{
    endpoint_t sys = hsf_sys[0];
    vir_bytes va = hostsim_puppet_vaddr(sys);
    const void *buf;
    message m;
    int i, r;

    if (hostsim_lookup("pm") < 0)
        return -2;
    memset(&m, 0, sizeof m);
    m.m_type = PM_GETSYSINFO;
    m.m_pm.what = SI_PROC_TAB;
    m.m_pm.ptr = va;
    m.m_pm.len = (uint32_t)len;
    r = hsf_check("system", hostsim_ipc(sys, IPC_SENDREC, PM_PROC_NR, &m), "getsysinfo");
    if (r == HOSTSIM_HALTED || r == HOSTSIM_STUCK || r == HOSTSIM_EINVAL)
        return -2;
    if (r != OK || m.m_type != OK || (buf = hostsim_mem(sys, va, len)) == NULL)
        FAIL("step %d: PM's table: call %d reply %d", step, r, m.m_type);
    memcpy(tab, buf, len);
    for (i = 0; i < NR_PROCS; i++)
        if (tab[i].flags & EXITING)
            return i;
    return -1;
}

/*
 * No lost exit (process events, seed 002): called after a step once hello
 * was told to watch, while no fault is in the plan and hello does not
 * hold. Once the system is quiescent every subscriber was told of every
 * exit and answered, or its death is being handled (a new instance is
 * told again, a gone one is dropped): after at most RESTART_TICKS more
 * ticks no process may still be EXITING in PM. Runs the system to
 * quiescence first (a call step returns as soon as its puppet can go on;
 * the whole budget used is a livelock, as for a call); ticks only when an
 * exit is still held then.
 */
static void check_exits(int step)
{
    static struct pm_proc_info tab[NR_PROCS];
    long n = hostsim_run((long)setup.call_steps);
    int r = n < 0 ? (int)n : n >= (long)setup.call_steps ? HOSTSIM_BUSY : OK;
    int i;

    if (hsf_check("system", r, "run to quiescence") == HOSTSIM_HALTED ||
        exiting(step, tab, sizeof tab) < 0)
        return;
    if (hsf_check("system", (int)hostsim_tick(RESTART_TICKS), "restart ticks") == HOSTSIM_HALTED)
        return;
    if ((i = exiting(step, tab, sizeof tab)) >= 0)
        FAIL("step %d: lost exit: pid %d (endpoint %d) still EXITING %d ticks on, "
             "hello answering", step, tab[i].pid, tab[i].endpoint, RESTART_TICKS);
}

/* Runs one step (decoded by decode.h); returns nonzero if the input must
 * end (shutdown). */
static int do_step(struct fz_in *in, int step)
{
    struct sysd_step s;
    endpoint_t ep, dst;
    message m;
    char rec[160];
    int r = OK;

    sysd_next(in, &s);
    ep = users[sysd_puppet(&s, nr_users)];
    dst = sysd_request(&s, &m);
    switch (s.op) {
    case SYSD_PM:
        FZ_TRACE("step %d: %d pm %#x pid %d sig %d", step, ep, (unsigned)m.m_type, m.m_pm.pid,
                 m.m_pm.sig);
        r = call(ep, dst, &m, step);
        break;
    case SYSD_DS:
        FZ_TRACE("step %d: %d ds %#x %s", step, ep, (unsigned)m.m_type, m.m_ds.key);
        r = call(ep, dst, &m, step);
        break;
    case SYSD_HELLO:
        FZ_TRACE("step %d: %d hello %#x", step, ep, (unsigned)m.m_type);
        r = call(ep, dst, &m, step);
        if (r == ERESTART)
            hello_holds = 0;    /* a new instance (it answers all) failed the call */
        break;
    case SYSD_CRASH:
        FZ_TRACE("step %d: crash %s", step, sysd_label(s.a));
        r = hsf_check("system", hostsim_crash(sysd_label(s.a)), "crash");
        if (r == HOSTSIM_OK && strcmp(sysd_label(s.a), "hello") == 0)
            hello_holds = 0;            /* a new instance answers all */
        break;
    case SYSD_FAULT:
        sysd_fault_record(&s, rec, sizeof rec);
        FZ_TRACE("step %d: fault add %s", step, rec);
        /* refused: a record the parser does not take (a failure), or
         * the table is full (not one: the input simply has more fault
         * steps than the kernel holds faults) */
        if (hostsim_fault_add(rec) >= 0)
            nr_faults++;
        else if (nr_faults < MAX_FAULTS)
            FAIL("step %d: fault record refused: %s", step, rec);
        break;
    case SYSD_TICK:
        FZ_TRACE("step %d: tick %d", step, sysd_ticks(&s));
        r = hsf_check("system", (int)hostsim_tick(sysd_ticks(&s)), "tick");
        break;
    case SYSD_RUN:
        FZ_TRACE("step %d: run %ld", step, sysd_run_steps(&s));
        r = hsf_check("system", (int)hostsim_run(sysd_run_steps(&s)), "run");
        break;
    case SYSD_PUPPET:
        if (nr_users < MAX_USERS) {
            endpoint_t n = hostsim_puppet(HOSTSIM_PUPPET_USER);

            FZ_TRACE("step %d: new user puppet -> %d", step, n);
            r = hsf_check("system", n, "puppet");
            if (n >= 0)
                users[nr_users++] = n;
        }
        break;
    case SYSD_PENDING:
        r = hsf_check("system", hostsim_pending(ep, &m), "pending");
        FZ_TRACE("step %d: pending %d -> %d", step, ep, r);
        if (r == OK && !sane_reply(m.m_type))
            FAIL("step %d: pending reply %d", step, m.m_type);
        break;
    default:
        if (dst == HELLO_PROC_NR) {
            int32_t mode = m.m_hello.value;

            FZ_TRACE("step %d: %d hello watch %d", step, ep, mode);
            watched = 1;
            r = call(ep, dst, &m, step);
            if (r == OK && (mode != HELLO_WATCH_HOLD || m.m_type == OK))
                hello_holds = mode == HELLO_WATCH_HOLD;     /* as do_watch */
            else if (r != OK && mode == HELLO_WATCH_HOLD)
                hold_unsure = 1;    /* a later instance may take it */
            break;
        }
        FZ_TRACE("step %d: %d ds subscribe", step, hsf_sys[0]);
        r = call(hsf_sys[0], dst, &m, step);
        sysd_check_request(&m);
        if (r == OK)
            r = call(hsf_sys[0], DS_PROC_NR, &m, step);
        break;
    }
    if (r != HOSTSIM_HALTED && watched && !hello_holds && !hold_unsure && nr_faults == 0)
        check_exits(step);
    return r == HOSTSIM_HALTED;
}

/* See fuzz_common.h: runs one input (format: the comment at the top). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in;
    int step;

    hsf_begin("system", &setup);
    memcpy(users, hsf_user, sizeof(endpoint_t) * 3);
    nr_users = 3;
    nr_faults = 0;
    watched = hello_holds = hold_unsure = 0;
    fz_init(&in, data, size);
    for (step = 0; step < MAX_STEPS && !fz_done(&in); step++)
        if (do_step(&in, step))
            break;
    return 0;
}

/* libFuzzer / AFL++ driver hook: boot before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    hsf_boot_once("system", &setup);
    return 0;
}
