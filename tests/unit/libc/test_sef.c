/*
 * tests/unit/libc test_sef.c: lib/sys SEF against scripted IPC. Fakes of
 * the traps and kernel calls feed messages to sef_startup()/sef_receive()
 * and record what SEF sends: the RS_INIT handshake, pings, live-update
 * prepare (ready, not ready then ready, invalid), signals, signal-manager
 * draining, sanity=1, and sef_reply's asynsend fallback.
 */
#include <setjmp.h>
#include <crucible/sef.h>
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

int ipc_receive(endpoint_t src, message *m)
{
    last_receive_src = src;
    while (script_pos < script_len) {
        message *s = &script[script_pos++];
        if (src == ANY || s->m_source == src) {
            *m = *s;
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

/* sys_statectl: counts the STATE_CLEAR_IPC_REFS requests SEF makes. */
static int clear_refs_calls;
int sys_statectl(int request)
{
    if (request == STATE_CLEAR_IPC_REFS)
        clear_refs_calls++;
    return OK;
}

/* Fake kernel call (fault injection's DIAG_* requests): refused. */
int kernel_call(int type, message *m)
{
    (void)type;
    (void)m;
    return EBADCALL;
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

    printf("test_sef: %s\n", lc_failures ? "FAILED" : "ok");
    return lc_failures != 0;
}
