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
 *     9 a system puppet's DS subscribe (regex ".*", initial) then DS_CHECK
 *   n is the number of user puppets alive in the harness's table.
 *
 * Oracle after every step: no server's sanity check failed, the kernel
 * did not panic and the system went quiescent within the step budget
 * (hsf_check: HOSTSIM_BUSY is a livelock); replies are OK, a pid or
 * crucible errors; a fault record is refused only once the kernel's table
 * is full. The fault actions that break invariants on purpose
 * (corrupt_state) are not used. A shutdown ends the input.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "hs_fuzz.h"
#include "decode.h"

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
        break;
    case SYSD_CRASH:
        FZ_TRACE("step %d: crash %s", step, sysd_label(s.a));
        r = hsf_check("system", hostsim_crash(sysd_label(s.a)), "crash");
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
        FZ_TRACE("step %d: %d ds subscribe", step, hsf_sys[0]);
        r = call(hsf_sys[0], dst, &m, step);
        sysd_check_request(&m);
        if (r == OK)
            r = call(hsf_sys[0], DS_PROC_NR, &m, step);
        break;
    }
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
