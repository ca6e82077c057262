/*
 * RS, the reincarnation server: the first process to run (PRIV_ROOT_SYS),
 * it starts every system service from its boot table and every system
 * program from its program table, gives them their privileges, and keeps
 * them alive:
 *   - it is the signal manager of every system process (signal.c): a crash
 *     or an exit of a service is recovered, a program's exit is recorded;
 *   - it pings services and treats a missing answer as a hang (heartbeat.c);
 *   - it recovers a service as a live update into a fresh instance that
 *     keeps the endpoint, with backoff and a give-up rule (recovery.c);
 *   - it live-updates services on request with prepare, timeout and
 *     rollback, one update at a time (update.c);
 *   - it answers RS_UP/DOWN/RESTART/UPDATE/EDIT/LOOKUP/COUNT/CRASH
 *     (request.c, table.c).
 * RS never blocks on a service: to services it only asynsends, notifies or
 * replies with SENDNB (sef_reply). The one exception is the boot walk,
 * which waits for each service's init answer before starting the next.
 *
 * SEF callbacks: init fresh (boot.c), signal manager (signal.c), sanity
 * (sanity.c). RS's own signals are a kernel panic; RS is never restarted or
 * updated.
 */
#include "proto.h"

/* rs_dispatch: handle one message, from the main loop or the boot walk:
 * CLOCK -> timers, SYSTEM -> pending kernel signals, any other notification
 * -> a heartbeat answer, RS_INIT and RS_LU_PREPARE answers from services ->
 * recovery and update, requests -> rs_handle_request. Answers to RS's own
 * asynchronous requests (types <= 0, e.g. from DS and VM) are dropped. */
void rs_dispatch(message *m)
{
    if (IS_NOTIFY(m)) {
        if (m->m_source == CLOCK)
            rs_timers_expire();
        else if (m->m_source == SYSTEM) {
            rs_ksig_drain();
            rs_ctl_poll();      /* a control request (NOTIFY_REASON_CONTROL) */
        }
        else
            rs_hb_pong(m->m_source);
        return;
    }
    switch (m->m_type) {
    case RS_INIT:
        rs_init_reply(m);
        return;
    case RS_LU_PREPARE:
        rs_lu_prepare_reply(m);
        return;
    default:
        break;
    }
    rs_handle_request(m);       /* replies (type <= 0) never get here: SEF drops them */
}

/* sef_local_startup: register RS's callbacks and run SEF's startup, which
 * runs rs_init_fresh (the boot walk). */
static void sef_local_startup(void)
{
    sef_setcb_init_fresh(rs_init_fresh);
    sef_setcb_signal_manager(rs_sig_mgr);
    sef_setcb_sanity(rs_sanity);
    sef_startup();
}

/* main: start up, then the one receive loop. Timers are re-armed after
 * every message. */
int main(void)
{
    message m;
    int r;

    sef_local_startup();
    for (;;) {
        r = sef_receive(&m);
        if (r != OK) {
            printf("rs: receive failed: %d\n", r);
            continue;
        }
        rs_dispatch(&m);
        rs_timers_rearm();
    }
    return 0;
}
