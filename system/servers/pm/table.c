/* PM's request table: request number -> handler. */
#include "proto.h"

#define CALL(t) [(t) - PM_BASE]

static const pm_handler_t pm_calls[] = {
    CALL(PM_FORK)             = do_fork,
    CALL(PM_EXIT)             = do_exit,
    CALL(PM_WAIT)             = do_wait,
    CALL(PM_KILL)             = do_kill,
    CALL(PM_GETPID)           = do_getpid,
    CALL(PM_SIGACTION)        = do_sigaction,
    CALL(PM_GETSYSINFO)       = do_getsysinfo,
    CALL(PM_EXEC)             = do_exec,
    CALL(PM_REBOOT)           = do_reboot,
    CALL(PM_PROCEVENTMASK)    = do_proceventmask,
    CALL(PM_PROC_EVENT_REPLY) = do_proc_event_reply,
    CALL(PM_GETTIME)          = do_gettime,
    CALL(PM_GETRES)           = do_getres,
    CALL(PM_GETPPID)          = do_getppid,
    CALL(PM_SERVICE_DIED)     = do_service_died,
};

/* pm_call_handler: the handler of request type, or NULL if PM has none. */
pm_handler_t pm_call_handler(int type)
{
    if (type < PM_BASE)
        return NULL;
    unsigned idx = (unsigned)(type - PM_BASE);
    if (idx >= sizeof(pm_calls) / sizeof(pm_calls[0]))
        return NULL;
    return pm_calls[idx];
}

/* pm_call_needs_user: nonzero for requests only user processes may make
 * (system processes are created and ended by RS, not by PM). */
int pm_call_needs_user(int type)
{
    return type == PM_FORK || type == PM_EXIT || type == PM_WAIT ||
           type == PM_EXEC || type == PM_SIGACTION;
}
