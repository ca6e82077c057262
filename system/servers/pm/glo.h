/* PM's globals: the process table and the request being handled. */
#ifndef PM_GLO_H
#define PM_GLO_H

#include <crucible/sef.h>
#include "mproc.h"

extern struct mproc mproc[NR_PROCS];

/* Process-event subscribers (event.c), in subscription order: the order in
 * which they are told of an event. */
#define PM_NR_SUBS 4
struct pm_sub {
    endpoint_t endpt;
    uint32_t   mask;            /* PROC_EVENT_* wanted; 0: leaving */
    uint32_t   waiting;         /* processes held for its answer */
};
struct pm_subs {
    uint32_t      n;
    struct pm_sub sub[PM_NR_SUBS];
};
extern struct pm_subs pm_subs;
extern int next_pid;            /* where pid allocation resumes */
extern uint32_t pm_hz;          /* clock ticks per second (kernel's) */

/* The request in progress (set by the main loop before each handler). */
extern message m_in;            /* the request */
extern endpoint_t who_e;        /* its sender */
extern struct mproc *mp;        /* the sender's entry (never NULL in handlers) */

#endif
