/*
 * lib/sys sef_signal.c: signals. RS_SIGNAL{m_pm.sig} from RS is a signal
 * for us: the handler callback gets it (default: SIGTERM exits, the rest
 * are ignored). A notify from SYSTEM means processes we manage have
 * pending signals: with a manager callback set, SEF drains sys_getksig
 * and calls it once per process (it ends with sys_endksig or removes the
 * process). A SYSTEM notify that carried no signal goes to the server.
 */
#include "sef_priv.h"

/* Default handler: SIGTERM ends us cleanly, others are ignored. */
static void default_signal_handler(int sig)
{
    if (sig == SIGTERM)
        sys_exit(0);
}

static void (*cb_handler)(int sig) = default_signal_handler;
static int (*cb_manager)(endpoint_t target, sigset_t_ sigs);

/* sef_setcb_signal_handler: replace the handler (gets every signal,
 * SIGTERM included; NULL restores the default). */
void sef_setcb_signal_handler(void (*cb)(int sig))
{
    cb_handler = cb ? cb : default_signal_handler;
}

/* sef_setcb_signal_manager: set the manager callback (NULL: none). */
void sef_setcb_signal_manager(int (*cb)(endpoint_t target, sigset_t_ sigs))
{
    cb_manager = cb;
}

/* sef_signal_deliver: run the handler for sig. */
void sef_signal_deliver(int sig)
{
    cb_handler(sig);
}

/* sef_signal_drain: see sef_priv.h. */
int sef_signal_drain(void)
{
    endpoint_t target;
    sigset_t_ sigs;
    int found = 0;

    if (!cb_manager)
        return 0;
    while (sys_getksig(&target, &sigs) == OK && target != NONE) {
        found = 1;
        cb_manager(target, sigs);
    }
    return found;
}

/* sef_signal_handle: consume RS_SIGNAL from RS and signal notifications
 * from SYSTEM (when we are a manager and there was a signal). */
int sef_signal_handle(message *m)
{
    if (m->m_source == RS_PROC_NR && m->m_type == RS_SIGNAL
        && sef_self_endpoint != RS_PROC_NR) {
        sef_signal_deliver(m->m_pm.sig);
        return 1;
    }
    if (m->m_source != SYSTEM || !IS_NOTIFY(m) || !cb_manager)
        return 0;
    return sef_signal_drain();
}
