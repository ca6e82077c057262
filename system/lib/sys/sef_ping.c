/* lib/sys sef_ping.c: heartbeats. RS notifies every service each period;
 * the ping callback answers (default: a notify back to RS). */
#include "sef_priv.h"

/* Default ping answer: notify RS that we are alive. */
static void default_ping_reply(endpoint_t rs)
{
    ipc_notify(rs);
}

static void (*cb_ping)(endpoint_t rs) = default_ping_reply;

/* sef_setcb_ping_reply: replace the ping answer (NULL: default). */
void sef_setcb_ping_reply(void (*cb)(endpoint_t rs))
{
    cb_ping = cb ? cb : default_ping_reply;
}

/* sef_ping_answer: run the ping callback for RS endpoint rs. */
void sef_ping_answer(endpoint_t rs)
{
    cb_ping(rs);
}

/* sef_ping_handle: a notify from RS is a ping: answer it, consume it. */
int sef_ping_handle(message *m)
{
    if (m->m_source != RS_PROC_NR || !IS_NOTIFY(m) || sef_self_endpoint == RS_PROC_NR)
        return 0;
    sef_ping_answer(m->m_source);
    return 1;
}
