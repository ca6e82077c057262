/*
 * system: whole-system sequences on the host platform simulator
 * (hostsim.h): several user processes' system calls, exits and signals,
 * service crashes and the restarts RS makes, fault-plan entries
 * (docs/inject.md syntax) and clock ticks, decoded from the input. Booted
 * once per process with sanity=1 (every server checks its invariants
 * after every message it handles); every input starts from the booted
 * checkpoint.
 *
 * Input format (every byte string is valid; missing bytes read as 0):
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
 * Oracle after every step: no server's sanity check failed and the kernel
 * did not panic (hsf_check); replies are OK, a pid or crucible errors. The
 * fault actions that break invariants on purpose (corrupt_state) are not
 * used. A shutdown ends the input.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "hs_fuzz.h"

#define MAX_STEPS 48
#define MAX_USERS 6
#define FAIL(...) fz_fail("system", __VA_ARGS__)

/* idle horizon 64 ticks: a call blocked by a hang or delay fault ends as
 * HOSTSIM_STUCK after at most 64 simulated ticks of alarms */
static const struct hsf_setup setup = { 3, 1, NULL, 64 };
static const char *const LABELS[5] = { "ds", "pm", "vm", "tty", "hello" };
static const char *const FAULTS[] = {
    "site=sef action=crash", "site=sef action=panic", "site=sef action=exit",
    "site=sef action=hang", "site=sef action=reply_error arg=-5",
    "site=ipc action=drop", "site=ipc action=delay arg=3", "site=ipc action=duplicate",
    "site=ipc action=corrupt arg=8 mask=255", "site=ipc action=reorder",
    "site=kcall action=fail arg=-5",
};
#define NR_FAULTS (sizeof FAULTS / sizeof FAULTS[0])

static endpoint_t users[MAX_USERS];
static int nr_users;

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

/* Runs one op; returns nonzero if the input must end (shutdown). */
static int do_step(struct fz_in *in, int step)
{
    uint8_t op = fz_u8(in), a = fz_u8(in), b = fz_u8(in);
    endpoint_t ep = users[nr_users ? a % nr_users : 0];
    message m;
    char rec[160];
    int r = OK;

    memset(&m, 0, sizeof m);
    switch (op % 10) {
    case 0: {
        static const int32_t types[8] = { PM_GETPID, PM_GETPPID, PM_FORK, PM_EXIT, PM_WAIT,
                                          PM_KILL, PM_SIGACTION, PM_GETTIME };
        m.m_type = types[b % 8];
        m.m_pm.status = b >> 3;
        m.m_pm.pid = -1;
        m.m_pm.options = (b & 8) ? WNOHANG : 0;
        m.m_pm.sig = (b >> 3) % 32;
        if (m.m_type == PM_KILL)
            m.m_pm.pid = fz_u8(in) % 12 - 1;
        if (m.m_type == PM_SIGACTION)
            m.m_pm.options = 1;
        FZ_TRACE("step %d: %d pm %#x pid %d sig %d", step, ep, (unsigned)m.m_type, m.m_pm.pid,
                 m.m_pm.sig);
        r = call(ep, PM_PROC_NR, &m, step);
        break;
    }
    case 1:
        m.m_type = (b & 1) ? DS_RETRIEVE : DS_PUBLISH;
        snprintf(m.m_ds.key, sizeof m.m_ds.key, "k%d", (b >> 1) % 4);
        m.m_ds.flags = DSF_TYPE_U32 | ((b & 1) ? 0 : DSF_OVERWRITE);
        m.m_ds.value = b;
        FZ_TRACE("step %d: %d ds %#x %s", step, ep, (unsigned)m.m_type, m.m_ds.key);
        r = call(ep, DS_PROC_NR, &m, step);
        break;
    case 2:
        m.m_type = (b & 1) ? HELLO_CRASH : HELLO_GET;
        FZ_TRACE("step %d: %d hello %#x", step, ep, (unsigned)m.m_type);
        r = call(ep, HELLO_PROC_NR, &m, step);
        break;
    case 3:
        FZ_TRACE("step %d: crash %s", step, LABELS[a % 5]);
        r = hsf_check("system", hostsim_crash(LABELS[a % 5]), "crash");
        break;
    case 4: {
        uint8_t x = fz_u8(in);
        const char *type = "";
        char tbuf[32];

        switch ((x >> 1) & 3) {
        case 1:
            snprintf(tbuf, sizeof tbuf, " type=%#x",
                     b % 5 == 0 ? DS_PUBLISH : b % 5 == 1 ? PM_GETPID : HELLO_GET);
            type = tbuf;
            break;
        case 2: type = " type=0xc00"; break;
        case 3: type = " type=0x1000"; break;
        }
        snprintf(rec, sizeof rec, "%s target=%s nth=%d persistent=%d%s", FAULTS[a % NR_FAULTS],
                 LABELS[b % 5], 1 + (b >> 3) % 4, x & 1, type);
        FZ_TRACE("step %d: fault add %s", step, rec);
        r = hostsim_fault_add(rec);
        if (r < 0)
            FAIL("step %d: fault record refused: %s", step, rec);
        r = OK;
        break;
    }
    case 5:
        FZ_TRACE("step %d: tick %d", step, 1 + a % 16);
        r = hsf_check("system", (int)hostsim_tick(1 + a % 16), "tick");
        break;
    case 6:
        FZ_TRACE("step %d: run %d", step, 16 * a + 1);
        r = hsf_check("system", (int)hostsim_run(16 * a + 1), "run");
        break;
    case 7:
        if (nr_users < MAX_USERS) {
            endpoint_t n = hostsim_puppet(HOSTSIM_PUPPET_USER);

            FZ_TRACE("step %d: new user puppet -> %d", step, n);
            r = hsf_check("system", n, "puppet");
            if (n >= 0)
                users[nr_users++] = n;
        }
        break;
    case 8:
        r = hsf_check("system", hostsim_pending(ep, &m), "pending");
        FZ_TRACE("step %d: pending %d -> %d", step, ep, r);
        if (r == OK && !sane_reply(m.m_type))
            FAIL("step %d: pending reply %d", step, m.m_type);
        break;
    default:
        m.m_type = DS_SUBSCRIBE;
        snprintf(m.m_ds.key, sizeof m.m_ds.key, ".*");
        m.m_ds.flags = DSF_INITIAL;
        FZ_TRACE("step %d: %d ds subscribe", step, hsf_sys[0]);
        r = call(hsf_sys[0], DS_PROC_NR, &m, step);
        memset(&m, 0, sizeof m);
        m.m_type = DS_CHECK;
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
