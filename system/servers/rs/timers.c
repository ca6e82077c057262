/*
 * RS's timers: one kernel alarm (sys_setalarm) set for the earliest of
 * every deadline RS keeps: heartbeat pings, restart backoffs, init answers
 * due, the update in flight. The CLOCK notification runs everything due.
 */
#include "proto.h"

static int alarm_set;           /* an alarm is pending in the kernel */
static clock_t_ alarm_at;       /* for this tick */

/* rs_timers_expire: the alarm went off (or may have): run every timer that
 * is due now. */
void rs_timers_expire(void)
{
    clock_t_ now = getticks();

    alarm_set = 0;
    rs_lu_expire(now);
    rs_recovery_expire(now);
    rs_hb_expire(now);
}

/* earliest: fold deadline t into (*have, *best). */
static void earliest(int *have, clock_t_ *best, clock_t_ t)
{
    if (!*have || rs_ticks_due(*best, t)) {
        *best = t;
        *have = 1;
    }
}

/* rs_timers_rearm: set the kernel alarm for the earliest deadline, if it is
 * not set for that tick already; cancel it when nothing is pending. Call
 * after every message RS handles. */
void rs_timers_rearm(void)
{
    clock_t_ best = 0, now;
    int have = 0, i;

    for (i = 0; i < NR_RS_SLOTS; i++) {
        const struct rproc *rp = &rs_rproc[i];

        switch (rp->phase) {
        case RP_FREE:
            continue;           /* most slots: one switch, no test per phase */
        case RP_INIT_WAIT:
        case RP_BACKOFF:
            earliest(&have, &best, rp->deadline);
            break;
        case RP_RUNNING:
            if (rp->lu.phase == LU_IDLE && rp->prog != NULL && rp->prog->period > 0)
                earliest(&have, &best, rp->next_ping);
            break;
        default:
            break;
        }
        if (rp->lu.phase != LU_IDLE)
            earliest(&have, &best, rp->lu.deadline);
    }
    if (!have) {
        if (alarm_set)
            sys_setalarm(0, 0);
        alarm_set = 0;
        return;
    }
    if (alarm_set && alarm_at == best)
        return;
    now = getticks();
    if (sys_setalarm(rs_ticks_due(now, best) ? 1 : best - now, 0) == OK) {
        alarm_set = 1;
        alarm_at = best;
    }
}
