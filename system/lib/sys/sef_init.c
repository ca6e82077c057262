/*
 * lib/sys sef_init.c: sef_startup() and the init callbacks. The RS_INIT
 * handshake: RS asynsends RS_INIT{type, old_ep, restarts}; we run the
 * matching callback and SEND RS_INIT{type, result} back.
 */
#include <string.h>
#include "sef_priv.h"

int sef_sanity_enabled;

/* Default init: nothing to set up. */
static int default_init(int type, sef_init_info_t *info)
{
    (void)type;
    (void)info;
    return OK;
}

static sef_cb_init_t cb_fresh = default_init;
static sef_cb_init_t cb_restart;        /* NULL: use cb_fresh */
static sef_cb_init_t cb_lu;             /* NULL: use cb_fresh */

/* sef_setcb_init_fresh: the callback for a first start (NULL: default). */
void sef_setcb_init_fresh(sef_cb_init_t cb)   { cb_fresh = cb ? cb : default_init; }
/* sef_setcb_init_restart: after a crash (NULL: the fresh callback). */
void sef_setcb_init_restart(sef_cb_init_t cb) { cb_restart = cb; }
/* sef_setcb_init_lu: as the new instance of a live update (NULL: fresh). */
void sef_setcb_init_lu(sef_cb_init_t cb)      { cb_lu = cb; }

/* 1 if the command line holds the word `word` (space separated). */
static int cmdline_has(const char *cmdline, const char *word)
{
    size_t wl = strlen(word);
    const char *p = cmdline;

    while (*p) {
        size_t tl;
        while (*p == ' ')
            p++;
        tl = strcspn(p, " ");
        if (tl == wl && strncmp(p, word, wl) == 0)
            return 1;
        p += tl;
    }
    return 0;
}

/* Read what SEF needs from the kernel: who we are, the command line. */
static void learn_self(void)
{
    static struct kinfo ki;     /* 280 bytes: keep it off small stacks */

    if (sys_whoami(&sef_self_endpoint, sef_self_name, NULL) != OK) {
        sef_self_endpoint = NONE;
        sef_self_name[0] = '\0';
    }
    if (sys_getkinfo(&ki) == OK) {
        ki.cmdline[sizeof ki.cmdline - 1] = '\0';
        sef_sanity_enabled = cmdline_has(ki.cmdline, "sanity=1");
    }
}

/*
 * Run the callback for init type `type`. A restarted or live-updated
 * instance first fails, with ERESTART, every caller still waiting for a
 * reply from its predecessor (sys_statectl(STATE_CLEAR_IPC_REFS)): the new
 * instance cannot answer requests it never saw, and a caller left waiting
 * would hang forever. Callers retry or report the error; queued requests
 * not yet taken stay queued for the new instance. Every service gets this,
 * so no server can forget it. Then, if RS named the old instance
 * (info->old_endpoint), the transferable state variables are copied from it
 * (sef_state_xfer) and info->xfer says how that went; a failed copy is
 * reported on the console and the callback must start fresh.
 */
static int run_init(int type, sef_init_info_t *info)
{
    sef_cb_init_t cb = cb_fresh;
    int r;

    info->xfer = SEF_XFER_NONE;
    info->xfer_error = OK;
    if (type == SEF_INIT_RESTART || type == SEF_INIT_LU) {
        if ((r = sys_statectl(STATE_CLEAR_IPC_REFS)) != OK)
            return r;
        info->xfer = sef_state_xfer(info->old_endpoint, &info->xfer_error);
        if (info->xfer == SEF_XFER_FAILED)
            printf("%s: state transfer from %d failed: %d, starting fresh\n",
                   sef_self_name, (int)info->old_endpoint, info->xfer_error);
    }
    if (type == SEF_INIT_RESTART && cb_restart)
        cb = cb_restart;
    else if (type == SEF_INIT_LU && cb_lu)
        cb = cb_lu;
    return cb(type, info);
}

/* sef_startup: learn who we are, then (RS) run the fresh init at once or
 * (everyone else) wait for RS_INIT from RS, run the callback and SEND
 * the result to RS. If the callback fails, wait for RS's next RS_INIT
 * (RS clears us or tries again). Returns once an init succeeded. RS's own
 * failing init is a panic. */
void sef_startup(void)
{
    sef_init_info_t info;
    message m;
    int r;

    learn_self();
    if (sef_self_endpoint == RS_PROC_NR) {
        memset(&info, 0, sizeof info);
        info.type = SEF_INIT_FRESH;
        info.old_endpoint = NONE;
        r = run_init(SEF_INIT_FRESH, &info);
        if (r != OK)
            panic("init failed: %d", r);
        return;
    }
    for (;;) {
        r = sef_ipc_receive(RS_PROC_NR, &m);
        if (r != OK)
            panic("sef_startup: receive from RS failed: %d", r);
        if (IS_NOTIFY(&m)) {
            sef_ping_answer(m.m_source);
            continue;
        }
        if (m.m_type != RS_INIT)
            continue;           /* nothing else from RS makes sense yet */
        memset(&info, 0, sizeof info);
        info.type = m.m_rs_init.type;
        info.old_endpoint = m.m_rs_init.old_ep;
        info.restarts = m.m_rs_init.restarts;
        r = run_init(info.type, &info);

        memset(&m, 0, sizeof m);
        m.m_type = RS_INIT;
        m.m_rs_init.type = info.type;
        m.m_rs_init.result = r;
        m.m_rs_init.xfer = info.xfer;
        ipc_send(RS_PROC_NR, &m);
        if (r == OK) {
            /* Signals raised for the processes we manage while we were
             * down notified the old instance: fetch them now. */
            if (info.type != SEF_INIT_FRESH)
                (void)sef_signal_drain();
            return;
        }
    }
}
