/* PM's globals: the process table and the request being handled. */
#ifndef PM_GLO_H
#define PM_GLO_H

#include <crucible/sef.h>
#include "mproc.h"

extern struct mproc mproc[NR_PROCS];
extern int next_pid;            /* where pid allocation resumes */
extern uint32_t pm_hz;          /* clock ticks per second (kernel's) */

/* The request in progress (set by the main loop before each handler). */
extern message m_in;            /* the request */
extern endpoint_t who_e;        /* its sender */
extern struct mproc *mp;        /* the sender's entry (never NULL in handlers) */

#endif
