/*
 * rs_sys: the reincarnation server (servers/rs) driven by byte strings on the
 * host platform simulator (hostsim.h), booted once per process with
 * sanity=1 (RS and every service check their invariants after every
 * message); every input starts from the booted checkpoint.
 *
 * The single-handler harness of the same server is fuzz/rs (its
 * sources alone with the fake libsys: much faster, no kernel); this one
 * drives it through the real kernel core, among every other server.
 *
 * Senders: four puppets: init (the one user process RS takes requests
 * from), a child of init, and two system processes. RS refuses requests
 * from everyone but init and the services it supervises (EPERM), and
 * ignores RS_INIT / RS_LU_PREPARE answers from processes that are not the
 * service it waits for: the puppets forge both, at any time, while the
 * real services send theirs when RS asks (restarts, updates).
 *
 * Input format (every byte string is valid; missing bytes read as 0):
 *   steps until the input ends (at most MAX_STEPS): 2 bytes (b0, b1), 2
 *   more (b2, b3) for a message to RS, plus the extra bytes some choices
 *   take (in field order):
 *     b0 what     bits 0-1 sender (init, child, sys0, sys1); bits 2-4:
 *                 0-4 a SENDREC to RS, 5 the same message by SENDNB (no
 *                 wait for the answer), 6 hostsim_crash(SERVICES[b1 % 5]),
 *                 7 hostsim_tick(1 + b1 % 32)
 *     b1 type     % 12: 0-8 RS_UP .. RS_READY, 9 RS_INIT (a forged
 *                 init answer), 10 RS_LU_PREPARE (a forged prepare
 *                 answer), 11 RS_BASE + one more byte
 *     b2 label    % 16: 0-4 SERVICES[], 5 "rs", 6 "test_ipc" (a program
 *                 with no image here), 7 "wl_hello", 8 "", 9 16 bytes with
 *                 no NUL, 10 "nosuch", 11 "ds" + 14 NULs then junk, 12-15
 *                 one length byte (% 17) then that many label bytes
 *     b3 args     requests: flags = (b3 & 7) | RSU_WAIT if b3 & 8,
 *                 state = STATES[(b3 >> 4) % 8], timeout = TIMEOUTS[b3 >> 5
 *                 & 7] (state and timeout share bits, as inputs do);
 *                 RS_INIT: type = b3 % 4, result = OK unless b3 & 4
 *                 (EGENERIC), xfer = b3 >> 4;
 *                 RS_LU_PREPARE: state = STATES[b3 % 8], result = OK
 *                 unless b3 & 8 (EBUSY)
 *
 * Oracle after every step: no sanity violation in any server and no panic
 * (RS's own crash is a panic by design: a finding); a SENDREC finishes
 * (never HOSTSIM_STUCK) except for the requests RS answers later (UP,
 * RESTART, UPDATE); an answer comes from RS and is OK, a count or a
 * crucible error; unknown types get EBADREQUEST; callers other than init
 * get EPERM; a forged RS_INIT / RS_LU_PREPARE gets no answer (RS never
 * answers them), so its SENDREC stays pending. A shutdown ends the input.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "hs_fuzz.h"

#define MAX_STEPS 32
#define FAIL(...) fz_fail("rs_sys", __VA_ARGS__)

/* idle horizon 64 ticks (hs_fuzz.h): updates and restarts that wait on
 * a longer timer end the call as HOSTSIM_STUCK; tick steps move on. At
 * most 20000 scheduling steps per call or tick, as in fuzz/system: more
 * is a livelock (HOSTSIM_BUSY) */
static const struct hsf_setup setup = { 2, 2, NULL, 64, 20000 };
static const char *const SERVICES[5] = { "ds", "tty", "vm", "pm", "hello" };
static const char *const LABELS[4] = { "rs", "test_ipc", "wl_hello", "" };
static const int32_t STATES[8] = { SEF_LU_STATE_NULL, SEF_LU_STATE_WORK_FREE,
                                   SEF_LU_STATE_REQUEST_FREE, SEF_LU_STATE_PROTOCOL_FREE,
                                   SEF_LU_STATE_CUSTOM, 99, -1, INT32_MIN };
static const int32_t TIMEOUTS[8] = { 0, 1, 2, 5, 30, 1000, -1, INT32_MAX };

/* The endpoint of sender s (0-3). */
static endpoint_t sender(int s)
{
    return s < 2 ? hsf_user[s] : hsf_sys[s - 2];
}

/* Decodes label choice b2 into m->m_rs_req.label. */
static void decode_label(struct fz_in *in, uint8_t b2, message *m)
{
    char *l = m->m_rs_req.label;

    switch (b2 % 16) {
    case 0: case 1: case 2: case 3: case 4:
        snprintf(l, sizeof m->m_rs_req.label, "%s", SERVICES[b2 % 16]);
        break;
    case 5: case 6: case 7: case 8:
        snprintf(l, sizeof m->m_rs_req.label, "%s", LABELS[b2 % 16 - 5]);
        break;
    case 9:  memset(l, 'x', sizeof m->m_rs_req.label); break;
    case 10: snprintf(l, sizeof m->m_rs_req.label, "nosuch"); break;
    case 11:
        memcpy(l, "ds", 2);
        l[sizeof m->m_rs_req.label - 1] = '?';
        break;
    default:
        fz_bytes(in, l, fz_u8(in) % (sizeof m->m_rs_req.label + 1));
        break;
    }
}

/* Decodes a message to RS: type b1, label b2, arguments b3. */
static void decode(struct fz_in *in, uint8_t b1, message *m)
{
    uint8_t b2 = fz_u8(in), b3 = fz_u8(in);

    memset(m, 0, sizeof *m);
    switch (b1 % 12) {
    case 9:  m->m_type = RS_INIT; break;
    case 10: m->m_type = RS_LU_PREPARE; break;
    case 11: m->m_type = RS_BASE + fz_u8(in); break;
    default: m->m_type = RS_UP + b1 % 12; break;
    }
    if (m->m_type == RS_INIT) {
        m->m_rs_init.type = b3 % 4;
        m->m_rs_init.result = (b3 & 4) ? EGENERIC : OK;
        m->m_rs_init.old_ep = NONE;
        m->m_rs_init.xfer = b3 >> 4;
        return;
    }
    if (m->m_type == RS_LU_PREPARE) {
        m->m_rs_lu.state = STATES[b3 % 8];
        m->m_rs_lu.result = (b3 & 8) ? EBUSY : OK;
        return;
    }
    decode_label(in, b2, m);
    m->m_rs_req.flags = (b3 & 7) | ((b3 & 8) ? RSU_WAIT : 0);
    m->m_rs_req.state = STATES[(b3 >> 4) % 8];
    m->m_rs_req.timeout = TIMEOUTS[(b3 >> 5) & 7];
}

/* Whether RS may answer request type t later (EDONTREPLY). */
static int deferred(int32_t t)
{
    return t == RS_UP || t == RS_RESTART || t == RS_UPDATE;
}

/* Checks RS's answer *rep to request *req from 'from' (result r of the
 * SENDREC). */
static void check_answer(int step, const message *req, const message *rep, endpoint_t from,
                         int r)
{
    int32_t t = req->m_type;

    if (r == HOSTSIM_STUCK) {
        if (!deferred(t) && t != RS_INIT && t != RS_LU_PREPARE)
            FAIL("step %d: RS never answered request %#x from %d", step, (unsigned)t, from);
        return;
    }
    if (r == EINVAL && t == NOTIFY_MESSAGE)
        return;
    if (r != OK)
        FAIL("step %d: sendrec to RS by %d: %d", step, from, r);
    if (t == RS_INIT || t == RS_LU_PREPARE)
        FAIL("step %d: RS answered a forged %#x from %d", step, (unsigned)t, from);
    if (rep->m_source != RS_PROC_NR)
        FAIL("step %d: reply from %d, not RS", step, rep->m_source);
    if (rep->m_type != OK && !hsf_is_errno(rep->m_type))
        FAIL("step %d: reply type %d is neither OK nor an error", step, rep->m_type);
    if ((t < RS_UP || t > RS_READY) && rep->m_type != EBADREQUEST)
        FAIL("step %d: unknown request %#x answered %d", step, (unsigned)t, rep->m_type);
    if (t >= RS_UP && t <= RS_READY && from != INIT_PROC_NR && rep->m_type != EPERM)
        FAIL("step %d: request %#x from %d (not init) answered %d", step, (unsigned)t, from,
             rep->m_type);
    if ((t == RS_COUNT || t == RS_READY) && rep->m_type == OK &&
        (rep->m_rs_req.value < 0 || rep->m_rs_req.value > 64))
        FAIL("step %d: count %d", step, rep->m_rs_req.value);
}

/* See fuzz_common.h: runs one input (format: the comment at the top). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in;
    int step;

    hsf_begin("rs_sys", &setup);
    fz_init(&in, data, size);
    for (step = 0; step < MAX_STEPS && !fz_done(&in); step++) {
        uint8_t b0 = fz_u8(&in), b1 = fz_u8(&in);
        endpoint_t from = sender(b0 & 3);
        int kind = (b0 >> 2) & 7, r;
        message m, req;

        if (kind == 6) {
            FZ_TRACE("step %d: crash %s", step, SERVICES[b1 % 5]);
            r = hsf_check("rs_sys", hostsim_crash(SERVICES[b1 % 5]), "crash");
        } else if (kind == 7) {
            FZ_TRACE("step %d: tick %d", step, 1 + b1 % 32);
            r = hsf_check("rs_sys", (int)hostsim_tick(1 + b1 % 32), "tick");
        } else {
            decode(&in, b1, &m);
            req = m;
            if (hostsim_pending(from, NULL) == HOSTSIM_PENDING)
                continue;               /* still waiting for an earlier answer */
            FZ_TRACE("step %d: %d %s %#x label '%.16s' flags %#x state %d timeout %d", step,
                     from, kind == 5 ? "sendnb" : "sendrec", (unsigned)m.m_type,
                     m.m_rs_req.label, (unsigned)m.m_rs_req.flags, m.m_rs_req.state,
                     m.m_rs_req.timeout);
            r = hsf_check("rs_sys", hostsim_ipc(from, kind == 5 ? IPC_SENDNB : IPC_SENDREC,
                                            RS_PROC_NR, &m), "request");
            FZ_TRACE("  -> %d reply %d value %d ep %d", r, m.m_type, m.m_rs_req.value,
                     m.m_rs_req.ep);
            if (r != HOSTSIM_HALTED && kind != 5)
                check_answer(step, &req, &m, from, r);
        }
        if (r == HOSTSIM_HALTED)
            break;
    }
    return 0;
}

/* libFuzzer / AFL++ driver hook: boot before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    hsf_boot_once("rs_sys", &setup);
    return 0;
}
