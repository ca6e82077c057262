/*
 * rs: RS's message handlers alone, in-process (the pattern of
 * fuzz/ds): RS's own sources (system/servers/rs, main() renamed
 * rs_server_main) linked with the fake libsys of fuzz/common/fakesys.c.
 * RS's real fresh init runs once: the boot walk (sys_getmodules lists the
 * boot modules and the programs, minus fuzzplay; every RS_INIT RS sends is
 * answered OK by the fake's ipc_receive, from the service it was sent to),
 * up to the first sef_receive. Then every message goes through rs_dispatch
 * (and rs_timers_rearm, as RS's main loop does); signals through the
 * signal-manager callback RS registered.
 *
 * State reset: fs_snapshot (fakesys.h) after the boot: every writable
 * object of RS's files (its rs_* globals and its file and function
 * statics: timers.c's alarm_set/alarm_at ...) found in the executable's
 * symbol table; fs_restore at the start of every input.
 *
 * Input format (every byte string is valid; missing bytes read as 0):
 *   steps until the input ends (at most MAX_STEPS), each:
 *     b0 kind  % 8: 0-2 a request; 3 an RS_INIT answer; 4 an RS_LU_PREPARE
 *              answer; 5 signals (signal manager); 6 CLOCK notify; 7 a
 *              notify from the sender (SYSTEM: kernel signals pending)
 *     b1 who   % 16: 0 init, 1 ds, 2 tty, 3 vm, 4 pm, 5 hello, 6 RS, 7 a
 *              user process, 8-11 RS's last four forked children (newest
 *              first), 12 a stale DS endpoint, 13 VFS, 14 SYSTEM, 15 four
 *              more bytes, raw (not ANY or NONE)
 *     kind 0-2: b2 type % 16: 0-8 RS_UP..RS_READY, 9 RS_SIGNAL, 10-15
 *              four more bytes, raw (types <= 0 are replies: SEF drops
 *              them, the step is skipped); b3 label % 24: LABELS[] (16:
 *              16 more bytes, no NUL); b4 flags (bit 7: four more bytes,
 *              raw; else b4 | RSU_WAIT if bit 6); b5 state (signed); b6
 *              timeout (0xff: four more bytes)
 *     kind 3:  b2 result: 0 OK, else -(b2) ; b3 xfer % 4
 *     kind 4:  b2 result: 0 OK, else -(b2)
 *     kind 5:  b2 sigs % 8: SIGKILL, SIGSEGV, SIGTERM, SIGUSR1, SIGKILL|
 *              SIGUSR1, 0, SIGABRT, four more bytes raw; b3: bit 0 the
 *              process is stopped (RTS_PROC_STOP, an exit), the rest its
 *              status; bit 0 of b4: through SYSTEM notify + sys_getksig
 *     kind 6:  b2 ticks to advance (bit 7: (b2 & 0x7f) * 64)
 *     kind 7:  (nothing more)
 *     then     answers: b % 8 bytes for the fake kernel (fakesys.h)
 *
 * Oracle after every step: every reply (sef_reply) goes to an endpoint
 * that made a request in this input (a deferred answer) and is OK or a
 * crucible error; a request of a type RS does not know gets exactly one
 * reply, EBADREQUEST, to its sender; a request from someone RS does not
 * know (not init, not a service) gets EPERM or EBADREQUEST; nothing is
 * sent to NONE or ANY; rs_sanity (sanity.c) holds; no ASan/UBSan report.
 */
#include <stdio.h>
#include <string.h>

#include "fakesys.h"
#include "../../system/servers/rs/proto.h"

#define MAX_STEPS 64
#define FAIL(...) fz_fail("rs", __VA_ARGS__)

int rs_server_main(void);

static const char *const MODULES[] = {
    "ds", "tty", "vm", "pm", "hello", "test_ipc", "test_ds", "test_rs",
    "bench_ipc", "wl_hello", "wl_ds", "wl_mix", NULL };
static const char *const LABELS[24] = {
    "ds", "tty", "vm", "pm", "hello", "rs", "test_ipc", "ipc_peer", "test_ds",
    "test_rs", "bench_ipc", "bench_peer", "wl_hello", "wl_ds", "wl_mix",
    "fuzzplay", NULL /* raw */, "", "nosuch", "init", "DS", "ds ", "t", "test_ipc" };
static const char *const PREFIXES[] = { "rs_", NULL };
static const char *const HARNESS_FILES[] = { "rs.c", NULL };

static int booted;
static clock_t_ boot_ticks;

/* The boot walk's receive: RS waits for the RS_INIT it just sent. */
static int boot_receive(message *m)
{
    int i;

    for (i = (fs_nout < FS_MAX_OUT ? fs_nout : FS_MAX_OUT) - 1; i >= 0; i--) {
        if (fs_out[i].m.m_type != RS_INIT)
            continue;
        memset(m, 0, sizeof(*m));
        m->m_source = fs_out[i].dst;
        m->m_type = RS_INIT;
        m->m_rs_init.result = OK;
        fs_clear_out();
        fs_ticks++;
        return OK;
    }
    FAIL("boot: RS receives with no RS_INIT outstanding");
}

static void boot(void)
{
    sef_self_endpoint = RS_PROC_NR;
    strcpy(sef_self_name, "rs");
    fs_modules = MODULES;
    fs_receive_cb = boot_receive;
    fs_ticks = 10;
    fs_boot(rs_server_main);
    fs_receive_cb = NULL;       /* after the boot RS never receives itself */
    fs_clear_out();
    boot_ticks = fs_ticks;
    fs_snapshot(PREFIXES, HARNESS_FILES);
    if (rs_lookup_label("pm") == NULL || rs_lookup_label("pm")->phase != RP_RUNNING)
        FAIL("boot: pm is not running after the boot walk");
    booted = 1;
}

static endpoint_t who(struct fz_in *in)
{
    static const endpoint_t FIXED[8] = {
        INIT_PROC_NR, DS_PROC_NR, TTY_PROC_NR, VM_PROC_NR, PM_PROC_NR,
        HELLO_PROC_NR, RS_PROC_NR, ENDPOINT(0, 40) };
    uint8_t b = fz_u8(in) % 16;
    int k;

    if (b < 8)
        return FIXED[b];
    if (b < 12) {
        k = fs_forks - 1 - (b - 8);
        return k >= 0 ? fs_children[k % 8] : fs_child_ep(b - 8);
    }
    if (b == 12)
        return ENDPOINT(1, DS_PROC_NR);
    if (b == 13)
        return VFS_PROC_NR;
    if (b == 14)
        return SYSTEM;
    /* raw; ANY and NONE are never a message's source */
    k = (int)fz_u32(in);
    return k == ANY || k == NONE ? ENDPOINT(3, 40) : (endpoint_t)k;
}

static void decode_request(struct fz_in *in, message *m)
{
    uint8_t b = fz_u8(in) % 16;
    const char *l;

    m->m_type = b < 9 ? RS_UP + b : b == 9 ? RS_SIGNAL : (int32_t)fz_u32(in);
    b = fz_u8(in) % 24;
    if ((l = LABELS[b]) != NULL)
        strlcpy(m->m_rs_req.label, l, sizeof(m->m_rs_req.label));
    else
        fz_bytes(in, m->m_rs_req.label, sizeof(m->m_rs_req.label));
    b = fz_u8(in);
    m->m_rs_req.flags = (b & 0x80) ? (int32_t)fz_u32(in)
                      : (b & 0x3f) | ((b & 0x40) ? RSU_WAIT : 0);
    m->m_rs_req.state = (int8_t)fz_u8(in);
    b = fz_u8(in);
    m->m_rs_req.timeout = b == 0xff ? (int32_t)fz_u32(in) : b;
}

/* Endpoints that made a request in this input (deferred answers go there). */
static endpoint_t askers[MAX_STEPS];
static int naskers;

static int asked(endpoint_t ep)
{
    int i;

    for (i = 0; i < naskers; i++)
        if (askers[i] == ep)
            return 1;
    return 0;
}

static int known_type(int32_t t)
{
    return t >= RS_UP && t < RS_UP + rs_call_vec_len && rs_call_vec[t - RS_UP] != NULL;
}

static void check(int step, int is_req, const message *req, int may_ask)
{
    int i, n = fs_nout < FS_MAX_OUT ? fs_nout : FS_MAX_OUT, to_src = 0;
    const char *what = "?";

    for (i = 0; i < n; i++) {
        const struct fs_out *o = &fs_out[i];

        if (o->dst == NONE || o->dst == ANY)
            FAIL("step %d: message %#x sent to %s", step, (unsigned)o->m.m_type,
                 o->dst == NONE ? "NONE" : "ANY");
        if (o->kind != FS_OUT_REPLY)
            continue;
        if (o->m.m_type != OK && (o->m.m_type > -1 || o->m.m_type < EGENERIC))
            FAIL("step %d: reply type %d is neither OK nor an error", step, o->m.m_type);
        if (!asked(o->dst))
            FAIL("step %d: reply %d to %d, which asked nothing", step, o->m.m_type, o->dst);
        if (is_req && o->dst == req->m_source) {
            to_src++;
            if (!known_type(req->m_type) && o->m.m_type != EBADREQUEST)
                FAIL("step %d: unknown type %#x answered %d", step,
                     (unsigned)req->m_type, o->m.m_type);
            if (known_type(req->m_type) && !may_ask && o->m.m_type != EPERM)
                FAIL("step %d: request from stranger %d answered %d", step,
                     req->m_source, o->m.m_type);
            if (o->m.m_type == OK && req->m_type == RS_LOOKUP &&
                memchr(o->m.m_rs_req.label, '\0', sizeof(o->m.m_rs_req.label)) == NULL)
                FAIL("step %d: RS_LOOKUP reply label not NUL-terminated", step);
        }
    }
    if (is_req && !known_type(req->m_type) && to_src != 1)
        FAIL("step %d: unknown type %#x: %d replies to the sender", step,
             (unsigned)req->m_type, to_src);
    /* The sanity check asks the kernel too (sys_getproc: is every running
     * service alive?): it gets the truth, not the input's answers. */
    fs_answers = NULL;
    fs_proc_rts = 0;
    fs_proc_status = 0;
    if (rs_sanity(&what) != OK)
        FAIL("step %d: sanity: %s", step, what);
}

static const sigset_t_ SIGS[7] = {
    SIGMASK(SIGKILL), SIGMASK(SIGSEGV), SIGMASK(SIGTERM), SIGMASK(10),
    SIGMASK(SIGKILL) | SIGMASK(10), 0, SIGMASK(6) };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in, ans;
    message m, req;
    int step, kind, is_req, may_ask;
    uint8_t b;
    char top;

    if (!booted)
        boot();
    fs_stack_top = &top;
    fs_restore();
    fs_ticks = boot_ticks;
    fs_forks = 0;
    fs_ksig_target = NONE;
    naskers = 0;
    fz_init(&in, data, size);
    for (step = 0; step < MAX_STEPS && !fz_done(&in); step++) {
        memset(&m, 0, sizeof(m));
        kind = fz_u8(&in) % 8;
        m.m_source = who(&in);
        is_req = kind <= 2;
        may_ask = 0;
        sigset_t_ sigs = 0;
        int via_system = 0;
        switch (kind) {
        case 0: case 1: case 2:
            decode_request(&in, &m);
            break;
        case 3:
            m.m_type = RS_INIT;
            m.m_rs_init.result = -(int32_t)fz_u8(&in);
            m.m_rs_init.xfer = fz_u8(&in) % 4;
            break;
        case 4:
            m.m_type = RS_LU_PREPARE;
            m.m_rs_lu.result = -(int32_t)fz_u8(&in);
            break;
        case 5:
            b = fz_u8(&in) % 8;
            sigs = b < 7 ? SIGS[b] : (sigset_t_)fz_u32(&in);
            b = fz_u8(&in);
            fs_proc_rts = (b & 1) ? RTS_PROC_STOP : 0;
            fs_proc_status = b >> 1;
            via_system = fz_u8(&in) & 1;
            break;
        case 6:
            b = fz_u8(&in);
            fs_ticks += (b & 0x80) ? (clock_t_)(b & 0x7f) * 64 : b;
            m.m_source = CLOCK;
            m.m_type = NOTIFY_MESSAGE;
            break;
        default:
            m.m_type = NOTIFY_MESSAGE;
            break;
        }
        fs_take_answers(&in, &ans);
        req = m;
        FZ_TRACE("step %d: kind %d from %d type %#x label \"%.16s\" flags %#x state %d timeout %d sigs %#x answers %zu",
                 step, kind, m.m_source, (unsigned)m.m_type, m.m_rs_req.label,
                 (unsigned)m.m_rs_req.flags, m.m_rs_req.state, m.m_rs_req.timeout,
                 (unsigned)sigs, ans.n);
        if (kind == 5) {
            if (via_system) {
                fs_ksig_target = m.m_source;
                fs_ksig_sigs = sigs;
                m.m_source = SYSTEM;
                m.m_type = NOTIFY_MESSAGE;
                rs_dispatch(&m);
                fs_ksig_target = NONE;
                rs_timers_rearm();
            } else if (fs_sig_mgr_cb != NULL && m.m_source != SYSTEM) {
                fs_sig_mgr_cb(m.m_source, sigs);
            }
        } else {
            if (!IS_NOTIFY(&m) && m.m_type <= 0)
                continue;       /* a reply: SEF drops it */
            if (is_req) {
                may_ask = rs_may_request(m.m_source);
                if (naskers < MAX_STEPS && m.m_source != NONE)
                    askers[naskers++] = m.m_source;
            }
            rs_dispatch(&m);
            rs_timers_rearm();
        }
        FZ_TRACE("  -> %d messages, %d notifications", fs_nout, fs_nnotified);
        check(step, is_req && req.m_type != RS_INIT && req.m_type != RS_LU_PREPARE &&
              !IS_NOTIFY(&req), &req, may_ask);
    }
    fs_answers = NULL;
    return 0;
}
