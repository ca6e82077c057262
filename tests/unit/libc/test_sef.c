/*
 * tests/unit/libc test_sef.c: lib/sys SEF against scripted IPC. Fakes of
 * the traps and kernel calls feed messages to sef_startup()/sef_receive()
 * and record what SEF sends: the RS_INIT handshake, pings, live-update
 * prepare (ready, not ready then ready, invalid), signals, signal-manager
 * draining, sanity=1, sef_reply's asynsend fallback, and the state
 * transfer of restart / live update (sef_state_register_xfer: copied from
 * the old instance before the callback; corrupt_state numbers unchanged).
 */
#include <setjmp.h>
#include <crucible/sef.h>
#include "inject.h"
#include "lc.h"

int lc_failures;

/* ---- the fakes ---- */
#define SCRIPT_MAX 16
static message script[SCRIPT_MAX];
static int script_len, script_pos;
static endpoint_t last_receive_src;

static message sent[SCRIPT_MAX];
static endpoint_t sent_to[SCRIPT_MAX];
static int nsent, nnotify, nsenda, sendnb_result = OK;
static endpoint_t notified;
static int exited = -1000;
static int panicked;
static jmp_buf panic_jmp;
static const char *cmdline = "";

static endpoint_t ksig_targets[4];
static int ksig_n, ksig_pos;

/* Queue a message from src with type t. */
static message *push(endpoint_t src, int t)
{
    message *m = &script[script_len++];
    memset(m, 0, sizeof *m);
    m->m_source = src;
    m->m_type = t;
    return m;
}

static void reset(void)
{
    script_len = script_pos = nsent = nnotify = nsenda = 0;
    sendnb_result = OK;
    exited = -1000;
    panicked = 0;
}

static int fire_next;            /* the next receive reports a sef fault */
int ipc_receive(endpoint_t src, message *m)
{
    last_receive_src = src;
    while (script_pos < script_len) {
        message *s = &script[script_pos++];
        if (src == ANY || s->m_source == src) {
            *m = *s;
            if (fire_next) {
                fire_next = 0;
                return INJ_SEF_FIRED;
            }
            return OK;
        }
    }
    return EGENERIC;            /* script exhausted */
}

int ipc_send(endpoint_t dst, message *m)
{
    sent_to[nsent] = dst;
    sent[nsent++] = *m;
    return OK;
}

int ipc_notify(endpoint_t dst)
{
    notified = dst;
    nnotify++;
    return OK;
}

int ipc_sendnb(endpoint_t dst, message *m)
{
    if (sendnb_result == OK)
        ipc_send(dst, m);
    return sendnb_result;
}

int ipc_senda(asynmsg_t *table, size_t count)
{
    (void)table;
    (void)count;
    nsenda++;
    return OK;
}

int sys_whoami(endpoint_t *ep, char name[PROC_NAME_LEN], int *privflags)
{
    *ep = 42;
    strcpy(name, "tsvc");
    (void)privflags;
    return OK;
}

int sys_getkinfo(struct kinfo *ki)
{
    memset(ki, 0, sizeof *ki);
    strcpy(ki->cmdline, cmdline);
    return OK;
}

int sys_getksig(endpoint_t *target, sigset_t_ *sigs)
{
    *target = ksig_pos < ksig_n ? ksig_targets[ksig_pos++] : NONE;
    *sigs = SIGMASK(SIGSEGV);
    return OK;
}

/* sys_getproc: the sender 'waiting_ep' is blocked receiving from us in
 * a SENDREC's reply phase; 'receiving_ep' receives from us in a plain
 * RECEIVE (as a service waiting in sef_startup for RS_INIT does);
 * everyone else is not receiving. */
static endpoint_t waiting_ep = NONE, receiving_ep = NONE;
int sys_getproc(endpoint_t ep, struct proc_info *pi)
{
    memset(pi, 0, sizeof *pi);
    pi->endpoint = ep;
    if (ep == waiting_ep || ep == receiving_ep) {
        pi->rts_flags = RTS_RECEIVING;
        pi->getfrom = sef_self_endpoint;
        pi->reply_pending = ep == waiting_ep;
    } else {
        pi->getfrom = NONE;
    }
    return OK;
}

/* sys_statectl: counts the STATE_CLEAR_IPC_REFS requests SEF makes. */
static int clear_refs_calls;
int sys_statectl(int request)
{
    if (request == STATE_CLEAR_IPC_REFS)
        clear_refs_calls++;
    return OK;
}

/* Fake kernel call: fault injection's DIAG_INJECT_GET answers a
 * corrupt_state fault on variable inj_var with mask inj_mask while
 * inj_armed; everything else is refused. */
static int inj_armed, inj_var;
static uint32_t inj_mask;
int kernel_call(int type, message *m)
{
    if (type == SYS_DIAGCTL && inj_armed) {
        m->m_i32.i[4] = INJ_ACT_CORRUPT_STATE;
        m->m_i32.i[5] = inj_var;
        m->m_i32.i[6] = (int32_t)inj_mask;
        m->m_i32.i[7] = 1;
        return OK;
    }
    return EBADCALL;
}

/* Fake sys_vircopy: "the old instance" is old_mem, a copy of our memory
 * image for the registered variables: a copy from xfer_old_ep at address a
 * reads the matching old_* buffer. Records the calls; vircopy_result
 * makes the nth call (vircopy_fail_at, 1 = first) fail. */
static int32_t xa, old_xa;                  /* transferable */
static char xb[8], old_xb[8];               /* transferable */
static uint32_t c0 = 0x100, c1 = 0x200;     /* corrupt_state only */
static endpoint_t vircopy_src[8];
static int nvircopy, vircopy_fail_at, vircopy_result = OK;
int sys_vircopy(endpoint_t src, vir_bytes src_addr, endpoint_t dst, vir_bytes dst_addr,
                size_t bytes)
{
    const void *from = NULL;
    void *to = NULL;

    if (nvircopy < 8)
        vircopy_src[nvircopy] = src;
    if (++nvircopy == vircopy_fail_at)
        return vircopy_result;
    if (dst != SELF || src_addr != dst_addr)
        return EINVAL;
    /* vir_bytes is 32 bits: compare truncated, copy through the real
     * pointers (the host's addresses may not fit). */
    if (src_addr == (vir_bytes)(uintptr_t)&xa && bytes == sizeof xa) {
        from = &old_xa;
        to = &xa;
    } else if (src_addr == (vir_bytes)(uintptr_t)xb && bytes == sizeof xb) {
        from = old_xb;
        to = xb;
    }
    if (from == NULL)
        return EFAULT;
    memcpy(to, from, bytes);
    return OK;
}

int sys_exit(int status)
{
    exited = status;
    return OK;
}

void panic(const char *fmt, ...)
{
    (void)fmt;
    panicked = 1;
    longjmp(panic_jmp, 1);
}

/* ---- callbacks ---- */
static int fresh_calls, fresh_type, fresh_restarts;
static int init_fresh(int type, sef_init_info_t *info)
{
    fresh_calls++;
    fresh_type = type;
    fresh_restarts = info->restarts;
    return OK;
}

/* Restart / LU callback for the transfer cases: records what it saw (the
 * transferred xa and info->xfer) and rejects the copy when told to. */
static int again_calls, again_xfer, again_xa, again_reject;
static int init_again(int type, sef_init_info_t *info)
{
    (void)type;
    again_calls++;
    again_xfer = info->xfer;
    again_xa = xa;
    if (again_reject && info->xfer == SEF_XFER_OK) {
        info->xfer = SEF_XFER_REJECTED;
        xa = 0;
    }
    return OK;
}

/* Queue RS_INIT{type, old_ep} for sef_startup. */
static void push_init(int type, endpoint_t old_ep)
{
    message *s = push(RS_PROC_NR, RS_INIT);
    s->m_rs_init.type = type;
    s->m_rs_init.old_ep = old_ep;
}

static int prepare_calls, prepare_not_ready, saves, changes;
static int prepare(int state)
{
    (void)state;
    prepare_calls++;
    return prepare_not_ready-- > 0 ? ENOTREADY : OK;
}
static int save(int state) { (void)state; saves++; return OK; }
static void changed(int o, int n) { (void)o; (void)n; changes++; }

static int managed;
static int manager(endpoint_t target, sigset_t_ sigs)
{
    (void)target;
    (void)sigs;
    managed++;
    return OK;
}

static int sanity_ok = 1;
static int sanity(const char **inv)
{
    *inv = "test.invariant";
    return sanity_ok ? OK : EGENERIC;
}

int main(void)
{
    message m;
    message *s;

    /* startup: a ping before init is answered; RESTART with no restart
     * callback runs the fresh one; RS gets RS_INIT{result OK} */
    reset();
    cmdline = "run=smoke sanity=1 halt=1";
    sef_setcb_init_fresh(init_fresh);
    push(RS_PROC_NR, NOTIFY_MESSAGE);
    s = push(RS_PROC_NR, RS_INIT);
    s->m_rs_init.type = SEF_INIT_RESTART;
    s->m_rs_init.restarts = 3;
    sef_startup();
    CHECK(last_receive_src == RS_PROC_NR);
    CHECK(sef_self_endpoint == 42 && strcmp(sef_self_name, "tsvc") == 0);
    CHECK(fresh_calls == 1 && fresh_type == SEF_INIT_RESTART && fresh_restarts == 3);
    /* a restarted instance fails its predecessor's waiting callers first */
    CHECK(clear_refs_calls == 1);
    CHECK(nnotify == 1 && notified == RS_PROC_NR);
    CHECK(nsent == 1 && sent_to[0] == RS_PROC_NR && sent[0].m_type == RS_INIT
          && sent[0].m_rs_init.result == OK);

    /* receive: pings are swallowed, a normal message comes out */
    reset();
    push(RS_PROC_NR, NOTIFY_MESSAGE);
    push(77, 5);
    CHECK(sef_receive(&m) == OK && m.m_source == 77 && m.m_type == 5);
    CHECK(nnotify == 1);
    CHECK(sef_receive(&m) == EGENERIC);     /* IPC errors come out too */

    /* reply types: a stray reply (sender not waiting for us) is dropped,
     * also from a sender that receives from us outside a SENDREC; a
     * SENDREC with a bad type (sender waiting) still reaches the server
     * so that it gets its error answer */
    reset();
    waiting_ep = 88;
    receiving_ep = 89;
    push(77, OK);                           /* stray: dropped */
    push(77, EBADREQUEST);                  /* stray error: dropped */
    push(89, -5);                           /* not in a SENDREC: dropped */
    push(88, -5);                           /* waiting caller: delivered */
    CHECK(sef_receive(&m) == OK && m.m_source == 88 && m.m_type == -5);
    waiting_ep = receiving_ep = NONE;

    /* live update: not ready once, then ready after the next message */
    reset();
    sef_setcb_lu_prepare(prepare);
    sef_setcb_lu_state_save(save);
    sef_setcb_lu_state_changed(changed);
    prepare_not_ready = 1;
    s = push(RS_PROC_NR, RS_LU_PREPARE);
    s->m_rs_lu.state = SEF_LU_STATE_REQUEST_FREE;
    push(77, 6);                            /* handed out, then retry */
    push(RS_PROC_NR, RS_LU_CANCEL);         /* what the frozen instance gets */
    push(78, 7);
    CHECK(sef_receive(&m) == OK && m.m_type == 6);
    CHECK(prepare_calls == 1 && nsent == 0);
    CHECK(sef_lu_state() == SEF_LU_STATE_REQUEST_FREE);
    CHECK(sef_receive(&m) == OK && m.m_type == 7 && m.m_source == 78);
    CHECK(prepare_calls == 2 && saves == 1);
    CHECK(nsent == 1 && sent[0].m_type == RS_LU_PREPARE && sent[0].m_rs_lu.result == OK);
    CHECK(sef_lu_state() == SEF_LU_STATE_NULL);
    CHECK(changes == 2);                    /* NULL -> REQUEST_FREE -> NULL */

    /* an invalid prepare state is refused */
    reset();
    s = push(RS_PROC_NR, RS_LU_PREPARE);
    s->m_rs_lu.state = 77;
    push(77, 8);
    CHECK(sef_receive(&m) == OK && m.m_type == 8);
    CHECK(nsent == 1 && sent[0].m_rs_lu.result == EINVAL);

    /* RS_SIGNAL: SIGUSR1 ignored, SIGTERM exits (defaults) */
    reset();
    s = push(RS_PROC_NR, RS_SIGNAL);
    s->m_pm.sig = SIGUSR1;
    s = push(RS_PROC_NR, RS_SIGNAL);
    s->m_pm.sig = SIGTERM;
    push(77, 9);
    CHECK(sef_receive(&m) == OK && m.m_type == 9);
    CHECK(exited == 0);

    /* signal manager: a SYSTEM notify drains getksig; one with no signal
     * is handed to the server */
    reset();
    sef_setcb_signal_manager(manager);
    ksig_targets[0] = 50;
    ksig_targets[1] = 51;
    ksig_n = 2;
    ksig_pos = 0;
    push(SYSTEM, NOTIFY_MESSAGE);
    push(SYSTEM, NOTIFY_MESSAGE);
    CHECK(sef_receive(&m) == OK && m.m_source == SYSTEM);
    CHECK(managed == 2);

    /* sef_reply: SENDNB first, asynsend when not ready, EDONTREPLY: none */
    reset();
    memset(&m, 0, sizeof m);
    CHECK(sef_reply(77, &m, 12) == OK && nsent == 1 && sent[0].m_type == 12);
    sendnb_result = ENOTREADY;
    CHECK(sef_reply(77, &m, 13) == OK && nsenda == 1);
    CHECK(sef_reply(77, &m, EDONTREPLY) == OK && nsenda == 1 && nsent == 1);

    /* sanity=1: a violation after a message is a panic */
    reset();
    sef_setcb_sanity(sanity);
    CHECK(sef_run_sanity() == OK);
    push(77, 10);
    push(77, 11);
    CHECK(sef_receive(&m) == OK && m.m_type == 10);
    sanity_ok = 0;
    if (setjmp(panic_jmp) == 0)
        sef_receive(&m);
    CHECK(panicked);
    CHECK(sef_run_sanity() == EGENERIC);

    /* state transfer: numbering. Transferable variables take no
     * corrupt_state number: c0 is 0, c1 is 1 */
    reset();
    sanity_ok = 1;
    CHECK(sef_state_register("c0", &c0, sizeof c0) == 0);
    CHECK(sef_state_register_xfer("xa", &xa, sizeof xa) == OK);
    CHECK(sef_state_register_xfer("xb", xb, sizeof xb) == OK);
    CHECK(sef_state_register("c1", &c1, sizeof c1) == 1);
    CHECK(sef_state_register_xfer("null", NULL, 4) == ENOSPC);
    CHECK(sef_state_register_xfer("empty", &xa, 0) == ENOSPC);
    /* corrupt_state 1 flips c1, not a transferable variable */
    inj_armed = 1;
    inj_var = 1;
    inj_mask = 0x3;
    script_len = 1;
    script[0].m_source = 77;
    script[0].m_type = 20;
    fire_next = 1;
    CHECK(sef_receive(&m) == OK && m.m_type == 20);
    CHECK(c1 == 0x203 && c0 == 0x100 && xa == 0);
    inj_armed = 0;

    /* restart with the old instance named: copied before the callback */
    reset();
    sef_setcb_init_restart(init_again);
    sef_setcb_init_lu(init_again);
    old_xa = 1234;
    strcpy(old_xb, "kept");
    nvircopy = 0;
    push_init(SEF_INIT_RESTART, 99);
    sef_startup();
    CHECK(again_calls == 1 && again_xfer == SEF_XFER_OK && again_xa == 1234);
    CHECK(strcmp(xb, "kept") == 0);
    CHECK(nvircopy == 2 && vircopy_src[0] == 99 && vircopy_src[1] == 99);
    CHECK(nsent == 1 && sent[0].m_rs_init.result == OK &&
          sent[0].m_rs_init.xfer == SEF_XFER_OK);

    /* no old instance (NONE): nothing copied, SEF_XFER_NONE */
    reset();
    xa = 5;
    nvircopy = 0;
    push_init(SEF_INIT_RESTART, NONE);
    sef_startup();
    CHECK(again_calls == 2 && again_xfer == SEF_XFER_NONE && xa == 5 && nvircopy == 0);
    CHECK(sent[0].m_rs_init.xfer == SEF_XFER_NONE);

    /* a fresh start never copies, whatever old_ep says */
    reset();
    nvircopy = 0;
    push_init(SEF_INIT_FRESH, 99);
    sef_startup();
    CHECK(nvircopy == 0 && sent[0].m_rs_init.xfer == SEF_XFER_NONE && xa == 5);

    /* the copy fails (old instance gone): FAILED, reported, init still runs */
    reset();
    nvircopy = 0;
    vircopy_fail_at = 1;
    vircopy_result = EDEADSRCDST;
    push_init(SEF_INIT_RESTART, 99);
    sef_startup();
    CHECK(again_calls == 3 && again_xfer == SEF_XFER_FAILED);
    CHECK(nvircopy == 1 && sent[0].m_rs_init.result == OK &&
          sent[0].m_rs_init.xfer == SEF_XFER_FAILED);
    vircopy_fail_at = 0;

    /* live update: copied too; a callback that rejects it is reported */
    reset();
    old_xa = 77;
    again_reject = 1;
    push_init(SEF_INIT_LU, 98);
    sef_startup();
    CHECK(again_calls == 4 && again_xfer == SEF_XFER_OK && again_xa == 77 && xa == 0);
    CHECK(sent[0].m_rs_init.xfer == SEF_XFER_REJECTED);
    again_reject = 0;

    printf("test_sef: %s\n", lc_failures ? "FAILED" : "ok");
    return lc_failures != 0;
}
