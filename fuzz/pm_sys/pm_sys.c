/*
 * pm_sys: the process manager (servers/pm) driven by byte strings on the host
 * platform simulator (hostsim.h), booted once per process with sanity=1
 * (PM checks its invariants after every message); every input starts from
 * the booted checkpoint.
 *
 * The single-handler harness of the same server is fuzz/pm (its
 * sources alone with the fake libsys: much faster, no kernel); this one
 * drives it through the real kernel core, among every other server.
 *
 * Callers: four puppets, three user processes (init, pid 1, and two of its
 * children) and one system process (PM does not know it).
 *
 * Input format (every byte string is valid; missing bytes read as 0):
 *   steps until the input ends (at most MAX_STEPS), 4 bytes each, plus the
 *   extra bytes some choices take (in field order):
 *     b0 caller   % 4: init, child1, child2, system puppet; bit 7: instead
 *                 of a request, hostsim_tick((b0 >> 2) & 7)
 *     b1 type     % 16: 0-13 PM_FORK .. PM_GETPPID; 14 PM_PROC_EVENT;
 *                 15 PM_BASE + one more byte
 *     b2 pid      % 8: -1, 0, 1, 2 + (b2 >> 3) % 8, four more bytes raw,
 *                 INT32_MIN, the caller's own endpoint, 99999
 *     b3 arg      sig = b3 % 40 (also exit status, options = b3 >> 6,
 *                 sigaction handler = b3 & 1);
 *                 getsysinfo: what = (b3 >> 3) % 4, len = LENS[b3 % 8]
 *                 (7: four more bytes), ptr = the caller's buffer unless
 *                 b3 bit 6 (0xdeadbeef);
 *                 exec: name = NAMES[b3 % 4], what = (b3 >> 2) % 8 - 1,
 *                 args = the caller's buffer, len (b3 >> 5) * 40;
 *                 process events: mask = b3, event = b3 & 3, endpt =
 *                 caller b3 >> 6
 *
 * Oracle after every step: no sanity violation, no panic; a call finishes
 * (OK, or a crucible error when the caller is gone) or, only for the
 * requests PM may leave unanswered (wait, exit, exec, kill, reboot, and
 * the system puppet's process-event answers), stays pending (the system
 * puppet may subscribe to exits and never answer: exits then stay held);
 * a reply's type is OK, an error or (getpid/ppid/fork/wait) a pid;
 * unknown types get EBADREQUEST; a system caller is refused (EPERM) for
 * the user-only requests. A shutdown (init's PM_REBOOT) ends the input.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "hs_fuzz.h"

#define MAX_STEPS 32
#define FAIL(...) fz_fail("pm_sys", __VA_ARGS__)

/* at most 20000 scheduling steps per call or tick, as in fuzz/system:
 * more is a livelock (HOSTSIM_BUSY) */
static const struct hsf_setup setup = { 3, 1, NULL, 0, 20000 };
static const char *const NAMES[4] = { "hello", "nosuch", "", "0123456789abcdefX" };

/* The endpoint of caller c (0-3). */
static endpoint_t caller_ep(int c)
{
    return c < 3 ? hsf_user[c] : hsf_sys[0];
}

/* Decodes a request for caller ep into *m. */
static void decode(struct fz_in *in, endpoint_t ep, uint8_t b1, message *m)
{
    static const uint32_t LENS[8] = { 0, 1, 4, 64, 0xffffffffu, 0x7fffffffu, 4096, 0 };
    uint8_t b2 = fz_u8(in), b3 = fz_u8(in);
    size_t memlen = hsf_puppet_len;
    uint8_t *mem = hostsim_puppet_span(ep, 0, 12);     /* written: the exec args */
    vir_bytes va = hostsim_puppet_vaddr(ep);

    memset(m, 0, sizeof *m);
    switch (b1 % 16) {
    case 14: m->m_type = PM_PROC_EVENT; break;
    case 15: m->m_type = PM_BASE + fz_u8(in); break;
    default: m->m_type = PM_BASE + b1 % 16; break;
    }
    switch (b2 % 8) {
    case 0: m->m_pm.pid = -1; break;
    case 1: m->m_pm.pid = 0; break;
    case 2: m->m_pm.pid = 1; break;
    case 3: m->m_pm.pid = 2 + (b2 >> 3) % 8; break;
    case 4: m->m_pm.pid = (int32_t)fz_u32(in); break;
    case 5: m->m_pm.pid = INT32_MIN; break;
    case 6: m->m_pm.pid = ep; break;
    default: m->m_pm.pid = 99999; break;
    }
    m->m_pm.sig = b3 % 40;
    m->m_pm.status = b3;
    m->m_pm.options = b3 >> 6;
    if (m->m_type == PM_SIGACTION)
        m->m_pm.options = b3 & 1;
    m->m_pm.endpt = caller_ep(b3 >> 6);
    m->m_pm.event = b3 & 3;
    m->m_pm.mask = b3;
    if (m->m_type == PM_GETSYSINFO) {
        m->m_pm.what = (b3 >> 3) % 4;
        m->m_pm.len = (b3 % 8) == 7 ? fz_u32(in) : LENS[b3 % 8];
        m->m_pm.ptr = (b3 & 0x40) ? 0xdeadbeefu : va;
    } else if (m->m_type == PM_EXEC) {
        snprintf(m->m_pm.name, sizeof m->m_pm.name, "%s", NAMES[b3 % 4]);
        if (b3 % 4 == 3)
            memcpy(m->m_pm.name, NAMES[3], sizeof m->m_pm.name);
        m->m_pm.what = (b3 >> 2) % 8 - 1;
        m->m_pm.ptr = va;
        m->m_pm.len = (uint32_t)(b3 >> 5) * 40;
        if (mem && memlen > 300)
            memcpy(mem, "arg1\0arg2\0\0x", 12);
    }
}

/* Whether PM has a handler for request type t (servers/pm/table.c). */
static int pm_known(int32_t t)
{
    return t >= PM_FORK && t <= PM_SERVICE_DIED;
}

/* Whether PM may leave request type t unanswered (the caller blocks, goes
 * away or becomes another program). */
static int may_block(int32_t t, endpoint_t ep)
{
    return t == PM_WAIT || t == PM_EXIT || t == PM_EXEC || t == PM_KILL || t == PM_REBOOT ||
           (t == PM_PROC_EVENT_REPLY && ep == hsf_sys[0]);
}

/* See fuzz_common.h: runs one input (format: the comment at the top). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in;
    int step;

    hsf_begin("pm_sys", &setup);
    fz_init(&in, data, size);
    for (step = 0; step < MAX_STEPS && !fz_done(&in); step++) {
        uint8_t b0 = fz_u8(&in), b1 = fz_u8(&in);
        endpoint_t ep = caller_ep(b0 % 4);
        message m, req;
        int r;

        if (b0 & 0x80) {
            long n = (b0 >> 2) & 7;

            FZ_TRACE("step %d: tick %ld", step, n);
            if (hsf_check("pm_sys", (int)hostsim_tick(n), "tick") == HOSTSIM_HALTED)
                break;
            continue;
        }
        decode(&in, ep, b1, &m);
        req = m;
        FZ_TRACE("step %d: %d type %#x pid %d sig %d what %d len %u ptr %#x", step, ep,
                 (unsigned)m.m_type, m.m_pm.pid, m.m_pm.sig, m.m_pm.what, m.m_pm.len,
                 (unsigned)m.m_pm.ptr);
        r = hsf_check("pm_sys", hostsim_ipc(ep, IPC_SENDREC, PM_PROC_NR, &m), "request");
        FZ_TRACE("  -> %d reply %d pid %d status %#x", r, m.m_type, m.m_pm.pid, m.m_pm.status);
        if (r == HOSTSIM_HALTED)
            break;                      /* init rebooted the machine */
        if (r == HOSTSIM_EINVAL || r == EDEADSRCDST)
            continue;                   /* the caller is blocked or gone */
        if (r == HOSTSIM_STUCK) {
            if (!may_block(req.m_type, ep))
                FAIL("step %d: PM never answered %#x from %d", step, (unsigned)req.m_type, ep);
            continue;
        }
        if (r != OK)
            FAIL("step %d: sendrec to PM by %d: %d", step, ep, r);
        if (m.m_source != PM_PROC_NR)
            FAIL("step %d: reply from %d, not PM", step, m.m_source);
        if (m.m_type < 0 && !hsf_is_errno(m.m_type))
            FAIL("step %d: reply type %d is neither OK, a pid nor an error", step, m.m_type);
        if (m.m_type > 0 && req.m_type != PM_GETPID && req.m_type != PM_GETPPID &&
            req.m_type != PM_FORK && req.m_type != PM_WAIT && req.m_type != PM_GETTIME &&
            req.m_type != PM_GETRES)
            FAIL("step %d: request %#x answered %d", step, (unsigned)req.m_type, m.m_type);
        if (!pm_known(req.m_type) && m.m_type != EBADREQUEST)
            FAIL("step %d: unknown request %#x answered %d", step, (unsigned)req.m_type,
                 m.m_type);
        if (ep == hsf_sys[0] && m.m_type == OK &&
            (req.m_type == PM_FORK || req.m_type == PM_EXIT || req.m_type == PM_WAIT ||
             req.m_type == PM_EXEC || req.m_type == PM_SIGACTION))
            FAIL("step %d: system process got OK for user-only request %#x", step,
                 (unsigned)req.m_type);
    }
    return 0;
}

/* libFuzzer / AFL++ driver hook: boot before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    hsf_boot_once("pm_sys", &setup);
    return 0;
}
