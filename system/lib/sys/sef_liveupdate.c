/*
 * lib/sys sef_liveupdate.c: the old instance's side of a live update.
 * RS_LU_PREPARE{state}: check the state is valid, ask the prepare callback:
 *   OK        -> state_save, SEND RS_LU_PREPARE{result OK} to RS, then
 *                block in RECEIVE from RS until RS_LU_CANCEL (if the update
 *                goes through, this instance never runs again);
 *   ENOTREADY -> remember the state; ask again after every message handed
 *                to the server;
 *   error     -> SEND RS_LU_PREPARE{result = error}, forget the state.
 * RS_LU_CANCEL from RS drops a pending state.
 */
#include "sef_priv.h"

/* Default prepare: always ready. */
static int default_prepare(int state)
{
    (void)state;
    return OK;
}

/* Default validity: the standard states (work, request, protocol free). */
static int default_isvalid(int state)
{
    return state >= SEF_LU_STATE_WORK_FREE && state <= SEF_LU_STATE_PROTOCOL_FREE;
}

/* Default state change: nothing. */
static void default_changed(int old_state, int state)
{
    (void)old_state;
    (void)state;
}

/* Default state save: nothing to save (state lives in DS or is rebuilt). */
static int default_save(int state)
{
    (void)state;
    return OK;
}

static int (*cb_prepare)(int) = default_prepare;
static int (*cb_isvalid)(int) = default_isvalid;
static void (*cb_changed)(int, int) = default_changed;
static int (*cb_save)(int) = default_save;

static int lu_state = SEF_LU_STATE_NULL;
static int lu_pending;                  /* prepare said ENOTREADY */

/* Setters: NULL restores the default. */
void sef_setcb_lu_prepare(int (*cb)(int state))        { cb_prepare = cb ? cb : default_prepare; }
void sef_setcb_lu_state_isvalid(int (*cb)(int state))  { cb_isvalid = cb ? cb : default_isvalid; }
void sef_setcb_lu_state_changed(void (*cb)(int, int))  { cb_changed = cb ? cb : default_changed; }
void sef_setcb_lu_state_save(int (*cb)(int state))     { cb_save = cb ? cb : default_save; }

/* sef_lu_state: the prepare state in progress, SEF_LU_STATE_NULL if none. */
int sef_lu_state(void)
{
    return lu_state;
}

/* Move to state s, telling the callback about a change. */
static void set_state(int s)
{
    int old = lu_state;
    lu_state = s;
    if (old != s)
        cb_changed(old, s);
}

/* SEND RS_LU_PREPARE{state, result} to RS. */
static void answer(int state, int result)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_type = RS_LU_PREPARE;
    m.m_rs_lu.state = state;
    m.m_rs_lu.result = result;
    ipc_send(RS_PROC_NR, &m);
}

/* Ready and reported: wait for RS only, until it cancels the update. Pings
 * and signals from RS are still served; a repeated prepare is answered
 * ready again. */
static void wait_for_cancel(void)
{
    message m;

    for (;;) {
        if (sef_ipc_receive(RS_PROC_NR, &m) != OK)
            break;              /* RS unreachable: carry on */
        if (IS_NOTIFY(&m))
            sef_ping_answer(m.m_source);
        else if (m.m_type == RS_LU_CANCEL)
            break;
        else if (m.m_type == RS_LU_PREPARE)
            answer(m.m_rs_lu.state, OK);
        else if (m.m_type == RS_SIGNAL)
            sef_signal_deliver(m.m_pm.sig);
    }
    set_state(SEF_LU_STATE_NULL);
}

/* Ask the prepare callback about lu_state and act on its answer. */
static void try_prepare(void)
{
    int state = lu_state;
    int r = cb_prepare(state);

    if (r == ENOTREADY) {
        lu_pending = 1;
        return;
    }
    lu_pending = 0;
    if (r == OK)
        r = cb_save(state);
    if (r != OK) {
        answer(state, r);
        set_state(SEF_LU_STATE_NULL);
        return;
    }
    answer(state, OK);
    wait_for_cancel();
}

/* sef_lu_handle: consume RS_LU_PREPARE and RS_LU_CANCEL from RS. */
int sef_lu_handle(message *m)
{
    if (m->m_source != RS_PROC_NR || sef_self_endpoint == RS_PROC_NR)
        return 0;
    if (m->m_type == RS_LU_CANCEL) {
        lu_pending = 0;
        set_state(SEF_LU_STATE_NULL);
        return 1;
    }
    if (m->m_type != RS_LU_PREPARE)
        return 0;
    if (!cb_isvalid(m->m_rs_lu.state)) {
        answer(m->m_rs_lu.state, EINVAL);
        return 1;
    }
    set_state(m->m_rs_lu.state);
    try_prepare();
    return 1;
}

/* sef_lu_after_message: retry a prepare that was not ready. */
void sef_lu_after_message(void)
{
    if (lu_pending)
        try_prepare();
}
