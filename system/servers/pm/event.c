/*
 * Process events (seed 002), not implemented yet: services will subscribe
 * with PM_PROCEVENTMASK and PM will hold an exiting or signalled process
 * (EVENT_CALL, mp_eventsub = the subscriber being told) until every
 * subscriber answered PM_PROC_EVENT_REPLY.
 */
#include "glo.h"
#include "proto.h"

/* do_proceventmask: PM_PROCEVENTMASK. ENOSYS for now. */
int do_proceventmask(message *reply)
{
    (void)reply;
    return ENOSYS;
}

/* do_proc_event_reply: PM_PROC_EVENT_REPLY. ENOSYS for now. */
int do_proc_event_reply(message *reply)
{
    (void)reply;
    return ENOSYS;
}
