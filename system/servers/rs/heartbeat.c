/*
 * Heartbeats. Every running service with a period is pinged (a notify from
 * RS) once per period; SEF answers with a notify back (the pong). A service
 * that has not answered by the time of its next ping has hung and is
 * recovered like a crashed one. No pings while an update is in flight.
 */
#include "proto.h"

/* rs_hb_start: rp (just running) gets its first ping one period from now. */
void rs_hb_start(struct rproc *rp, clock_t_ now)
{
    rp->ping_pending = 0;
    if (rp->prog != NULL && rp->prog->period > 0)
        rp->next_ping = now + rp->prog->period;
}

/* rs_hb_expire: at tick 'now', for every running service whose ping is due:
 * unanswered previous ping -> hang (recover); else ping it. */
void rs_hb_expire(clock_t_ now)
{
    struct rs_cause hang = { RSC_HANG, 0, 0 };
    int i;

    for (i = 0; i < NR_RS_SLOTS; i++) {
        struct rproc *rp = &rs_rproc[i];
        if (rp->phase != RP_RUNNING || rp->prog == NULL ||
            rp->prog->period == 0 || rp->lu.phase != LU_IDLE)
            continue;
        if (!rs_ticks_due(now, rp->next_ping))
            continue;
        if (rp->ping_pending) {
            printf("rs: %s does not answer heartbeats\n", rp->label);
            rs_service_failed(rp, &hang);
            continue;
        }
        rp->ping_pending = 1;
        rp->next_ping = now + rp->prog->period;
        if (ipc_notify(rp->ep) != OK)
            printf("rs: cannot ping %s\n", rp->label);
    }
}

/* rs_hb_pong: a notification from src: if src is a service we supervise,
 * its last ping is answered. */
void rs_hb_pong(endpoint_t src)
{
    struct rproc *rp = rs_lookup_ep(src);

    if (rp != NULL)
        rp->ping_pending = 0;
}
