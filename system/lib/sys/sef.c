/*
 * lib/sys sef.c: the SEF receive loop and reply helper. sef_receive()
 * hands the server every message except SEF's own events (ping, live
 * update, signals), which the other sef_*.c files consume; after each
 * message handed out it runs the sanity check (sanity=1) and retries a
 * pending live-update prepare.
 */
#include "sef_priv.h"

endpoint_t sef_self_endpoint = NONE;    /* NONE until sef_startup() */
char sef_self_name[PROC_NAME_LEN];

static int handed_out;                  /* the caller holds a message */

/*
 * sef_ipc_receive: every receive SEF makes (the loop below, startup's wait
 * for RS_INIT, a prepared live update's wait for RS) goes through here,
 * because here is the sef fault site: when the kernel says a sef fault
 * fired on the message (INJ_SEF_FIRED), inject_sef_fire() carries it out
 * (crash, panic, exit, hang, reply_error, corrupt_state). Returns OK with
 * a message for the caller, or an IPC error (m undefined).
 */
int sef_ipc_receive(endpoint_t src, message *m)
{
    int r;

    for (;;) {
        r = ipc_receive(src, m);
        if (r != INJ_SEF_FIRED)
            return r;
        if (inject_sef_fire(r, m))
            return OK;          /* the fault let the message through */
    }
}

/* sef_answer_due: see sef_priv.h. A reply-typed message's sender must be
 * in the reply phase of a SENDREC to us; receiving from us is not enough:
 * a service in sef_startup receives from RS, waiting for RS_INIT, and a
 * `sef reply_error` fault there answered RS's "unknown request" to its
 * error with another error, forever (found by the system fuzzer: RS and a
 * restarted DS exchanged 800 messages a tick). One kernel call, and only
 * for the rare messages of a reply type. */
int sef_answer_due(const message *m)
{
    struct proc_info pi;

    if (m->m_type > 0)
        return 1;
    return sys_getproc(m->m_source, &pi) == OK && (pi.rts_flags & RTS_RECEIVING) &&
           pi.getfrom == sef_self_endpoint && pi.reply_pending;
}

/* sef_receive: the next non-SEF message into m; OK or the IPC error of
 * ipc_receive (then m is undefined). */
int sef_receive(message *m)
{
    int r;

    for (;;) {
        if (handed_out) {
            handed_out = 0;
            /* The flag tested here: the call did nothing but test it on
             * every message of a system without sanity=1. */
            if (sef_sanity_enabled)
                sef_sanity_after_message();
            sef_lu_after_message();
        }
        if ((r = sef_ipc_receive(ANY, m)) != OK)
            return r;
        /* A reply type (OK or an error) from a sender that does not wait
         * for our answer is a stray or duplicated reply: our own SENDRECs
         * take their replies directly. Answering it ("unknown request")
         * would let two servers answer each other's errors forever (the
         * system fuzzer found DS and hello doing so after a duplicated
         * message), so it is dropped here, for every server. A caller
         * that does wait (a SENDREC with a bad type) still gets its error. */
        if (!IS_NOTIFY(m) && !sef_answer_due(m))
            continue;
        /* Every SEF event is a notification or comes from RS (reasons and
         * ping: notifications; live update: RS; signals: RS or a SYSTEM
         * notification), so anything else is the server's at once: the
         * handlers below cost ~55 instructions per message saying so. */
        if (!IS_NOTIFY(m) && m->m_source != RS_PROC_NR) {
            handed_out = 1;
            return OK;
        }
        if (sef_reasons_handle(m))
            continue;
        if (sef_ping_handle(m) || sef_lu_handle(m) || sef_signal_handle(m))
            continue;
        handed_out = 1;
        return OK;
    }
}

/* sef_reply: m->m_type = result, then SENDNB to dst, or asynsend if dst
 * is not receiving yet. result EDONTREPLY sends nothing (OK). Returns the
 * send's result. */
int sef_reply(endpoint_t dst, message *m, int result)
{
    int r;

    if (result == EDONTREPLY)
        return OK;
    m->m_type = result;
    r = ipc_sendnb(dst, m);
    if (r == ENOTREADY)
        r = asynsend(dst, m);
    return r;
}
