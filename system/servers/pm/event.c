/*
 * Process events (seed 002): system services subscribe with
 * PM_PROCEVENTMASK to events of user processes, and PM tells them, one
 * subscriber after another, before it carries the event out. The one event
 * is PROC_EVENT_EXIT: a user process exits or is killed (no process catches
 * signals here, so PROC_EVENT_SIGNAL has nothing to report and is refused
 * as a mask bit). The exiting process is held (EXITING | EVENT_CALL,
 * mp_eventsub = the subscriber being told) until that subscriber answers
 * PM_PROC_EVENT_REPLY, then the next one is told; after the last, exit_finish
 * (forkexit.c) frees its memory and makes it a zombie. PM never blocks on a
 * subscriber: PROC_EVENT goes out with asynsend.
 *
 * A subscriber that dies is reported by RS (PM_SERVICE_DIED): when a new
 * instance took its endpoint, PM sends it the events the dead one held
 * again; when it is gone for good, it is dropped from the set and its
 * processes move on. A restarted PM sends every held event again (its
 * asynsend table died with the old instance). Delivery is therefore at
 * least once: a subscriber answers every PROC_EVENT, repeats included.
 * Answers that match nothing held are ignored (with a console line).
 */
#include "glo.h"
#include "proto.h"

struct pm_subs pm_subs;

/* event_of: the event rmp is held for. Must be called for an EVENT_CALL
 * process. */
static int event_of(const struct mproc *rmp)
{
    return (rmp->mp_flags & EXITING) ? PROC_EVENT_EXIT : 0;
}

/* tell: send subscriber i the PROC_EVENT for rmp. OK or asynsend's error. */
static int tell(unsigned i, const struct mproc *rmp)
{
    message m;

    memset(&m, 0, sizeof(m));
    m.m_type = PM_PROC_EVENT;
    m.m_pm.endpt = rmp->mp_endpoint;
    m.m_pm.event = event_of(rmp);
    return asynsend(pm_subs.sub[i].endpt, &m);
}

/* resume_event: tell the next subscriber (from index mp_eventsub on) that
 * wants rmp's event, or, when none is left, carry the event out. rmp must be
 * in use with EVENT_CALL set. A subscriber PM cannot send to is skipped
 * with a console line (holding the process for an answer that cannot come
 * would hang it). */
static void resume_event(struct mproc *rmp)
{
    int event = event_of(rmp);
    unsigned i;

    for (i = (unsigned)rmp->mp_eventsub; i < pm_subs.n; i++) {
        rmp->mp_eventsub = (int32_t)i;
        if (!(pm_subs.sub[i].mask & (uint32_t)event))
            continue;
        int r = tell(i, rmp);
        if (r == OK) {
            pm_subs.sub[i].waiting++;
            return;
        }
        printf("pm: cannot tell subscriber %d of %d's event: %d\n",
               (int)pm_subs.sub[i].endpt, (int)rmp->mp_endpoint, r);
    }
    rmp->mp_flags &= ~EVENT_CALL;
    rmp->mp_eventsub = NO_EVENTSUB;
    if (event == PROC_EVENT_EXIT)
        exit_finish(rmp);
}

/* remove_sub: drop subscriber 'slot' from the set. Processes held by it
 * move on to the next subscriber; later ones' indexes shift down, so that
 * nobody is skipped. */
static void remove_sub(unsigned slot)
{
    unsigned i;

    for (i = slot; i + 1 < pm_subs.n; i++)
        pm_subs.sub[i] = pm_subs.sub[i + 1];
    pm_subs.n--;
    for (i = 0; i < NR_PROCS; i++) {
        struct mproc *rmp = &mproc[i];
        if ((rmp->mp_flags & (IN_USE | EVENT_CALL)) != (IN_USE | EVENT_CALL))
            continue;
        if ((unsigned)rmp->mp_eventsub == slot)
            resume_event(rmp);  /* (exit_finish starts no new event) */
        else if ((unsigned)rmp->mp_eventsub > slot)
            rmp->mp_eventsub--;
    }
}

/* sub_done: subscriber i no longer holds rmp (it answered, or cannot be
 * told again). An unsubscribed service that holds nothing more leaves the
 * set (which moves rmp on); otherwise rmp moves on to the next one. */
static void sub_done(unsigned i, struct mproc *rmp)
{
    pm_subs.sub[i].waiting--;
    if (pm_subs.sub[i].mask == 0 && pm_subs.sub[i].waiting == 0) {
        remove_sub(i);
    } else {
        rmp->mp_eventsub++;
        resume_event(rmp);
    }
}

/* find_sub: the index of subscriber ep, or -1. */
static int find_sub(endpoint_t ep)
{
    for (unsigned i = 0; i < pm_subs.n; i++)
        if (pm_subs.sub[i].endpt == ep)
            return (int)i;
    return -1;
}

/* do_proceventmask: PM_PROCEVENTMASK(m_pm.mask): the caller's events from
 * now on, replacing its earlier mask; 0 unsubscribes (once it has answered
 * every event it holds). Replies OK, EPERM (a user process), EINVAL (a bit
 * other than PROC_EVENT_EXIT) or ENOMEM (PM_NR_SUBS subscribers already). */
int do_proceventmask(message *reply)
{
    uint32_t mask = m_in.m_pm.mask;
    int i;

    (void)reply;
    if (!(mp->mp_flags & PRIV_PROC))
        return EPERM;
    if (mask & ~(uint32_t)PROC_EVENT_EXIT)
        return EINVAL;
    if ((i = find_sub(who_e)) >= 0) {
        if (mask == 0 && pm_subs.sub[i].waiting == 0)
            remove_sub((unsigned)i);
        else
            pm_subs.sub[i].mask = mask;
        return OK;
    }
    if (mask == 0)
        return OK;
    if (pm_subs.n == PM_NR_SUBS)
        return ENOMEM;
    pm_subs.sub[pm_subs.n].endpt = who_e;
    pm_subs.sub[pm_subs.n].mask = mask;
    pm_subs.sub[pm_subs.n].waiting = 0;
    pm_subs.n++;
    return OK;
}

/* do_proc_event_reply: PM_PROC_EVENT_REPLY(m_pm.endpt, m_pm.event): a
 * subscriber answers the event of process endpt. If it is the answer PM
 * holds that process for, the process moves on. Never answered, except a
 * user process, which gets ENOSYS. */
int do_proc_event_reply(message *reply)
{
    endpoint_t ep = m_in.m_pm.endpt;
    struct mproc *rmp;
    unsigned i;

    (void)reply;
    if (!(mp->mp_flags & PRIV_PROC))
        return ENOSYS;
    rmp = ptab_lookup(mproc, ep);
    if (rmp == NULL || !(rmp->mp_flags & EVENT_CALL)) {
        printf("pm: event answer from %d for %d, which has no event out\n",
               (int)who_e, (int)ep);
        return EDONTREPLY;
    }
    i = (unsigned)rmp->mp_eventsub;
    if (i >= pm_subs.n || pm_subs.sub[i].endpt != who_e ||
        m_in.m_pm.event != event_of(rmp)) {
        printf("pm: event answer from %d for %d (event %d): not the one held\n",
               (int)who_e, (int)ep, (int)m_in.m_pm.event);
        return EDONTREPLY;
    }
    sub_done(i, rmp);
    return EDONTREPLY;
}

/* resend: send subscriber i again every event it holds a
 * process for; a process PM cannot tell again moves on (sub_done). */
static void resend(unsigned i)
{
    endpoint_t ep = pm_subs.sub[i].endpt;

    /* (a subscriber that cannot be told may leave the set: then stop) */
    for (int s = 0; s < NR_PROCS && i < pm_subs.n && pm_subs.sub[i].endpt == ep; s++) {
        struct mproc *rmp = &mproc[s];
        if ((rmp->mp_flags & (IN_USE | EVENT_CALL)) != (IN_USE | EVENT_CALL) ||
            (unsigned)rmp->mp_eventsub != i)
            continue;
        if (tell(i, rmp) != OK) {
            printf("pm: cannot tell subscriber %d of %d's event again\n",
                   (int)pm_subs.sub[i].endpt, (int)rmp->mp_endpoint);
            sub_done(i, rmp);
        }
    }
}

/* do_service_died: PM_SERVICE_DIED(m_pm.endpt, m_pm.options), from RS
 * only: the instance of the system process at endpt died. options
 * SERVICE_RESTARTED: a new instance runs under endpt and is sent the events
 * the dead one held again; else the service is gone and leaves the set.
 * Never answered, except a sender other than RS, which gets EPERM. */
int do_service_died(message *reply)
{
    int i;

    (void)reply;
    if (who_e != RS_PROC_NR)
        return EPERM;
    if ((i = find_sub(m_in.m_pm.endpt)) < 0)
        return EDONTREPLY;
    if (m_in.m_pm.options == SERVICE_RESTARTED)
        resend((unsigned)i);
    else
        remove_sub((unsigned)i);
    return EDONTREPLY;
}

/* pm_event_publish: rmp's event (EXITING: its exit) begins: tell the
 * first subscriber that wants it, or carry it out now. rmp must be in use
 * and hold no event yet. */
void pm_event_publish(struct mproc *rmp)
{
    rmp->mp_flags |= EVENT_CALL;
    rmp->mp_eventsub = 0;
    resume_event(rmp);
}

/* pm_event_forget: rmp's entry is freed without its exit taking effect
 * (its process is gone: utility.c, forget_gone); the subscriber holding
 * it, if any, stops waiting for it. */
void pm_event_forget(struct mproc *rmp)
{
    if ((rmp->mp_flags & EVENT_CALL) && rmp->mp_eventsub >= 0 &&
        (unsigned)rmp->mp_eventsub < pm_subs.n && pm_subs.sub[rmp->mp_eventsub].waiting > 0)
        pm_subs.sub[rmp->mp_eventsub].waiting--;
}

/* pm_events_adopt: after PM restarted with the set and the table of the
 * previous instance: drop the subscribers that are gone or left (their
 * processes move on), and send every event held again (the asynsends of
 * the previous instance died with it). */
void pm_events_adopt(void)
{
    unsigned i = 0;

    while (i < pm_subs.n) {
        const struct pm_sub *sp = &pm_subs.sub[i];
        endpoint_t ep = sp->endpt;
        if (ptab_lookup(mproc, ep) == NULL || (sp->mask == 0 && sp->waiting == 0)) {
            remove_sub(i);
            continue;
        }
        resend(i);
        if (i < pm_subs.n && pm_subs.sub[i].endpt == ep)
            i++;                /* (else it left the set: i is the next one) */
    }
}

/* pm_events_check: the subscriber set's invariants over mproc: at most
 * PM_NR_SUBS distinct subscribers, each with a mask of known events (0 only
 * while it still holds events); every EVENT_CALL process is exiting and held
 * by an existing subscriber; each subscriber's waiting count is the number
 * of processes it holds. OK or EINVAL with *invariant set. */
int pm_events_check(const char **invariant)
{
    uint32_t held[PM_NR_SUBS] = { 0 };
    unsigned i, j;

    if (pm_subs.n > PM_NR_SUBS) {
        *invariant = "at most PM_NR_SUBS subscribers"; return EINVAL;
    }
    for (int s = 0; s < NR_PROCS; s++) {
        const struct mproc *rmp = &mproc[s];
        if (!(rmp->mp_flags & EVENT_CALL))
            continue;
        if (!(rmp->mp_flags & EXITING)) {
            *invariant = "an EVENT_CALL process is exiting"; return EINVAL;
        }
        if (rmp->mp_eventsub < 0 || (unsigned)rmp->mp_eventsub >= pm_subs.n) {
            *invariant = "an EVENT_CALL process has a valid subscriber index";
            return EINVAL;
        }
        held[rmp->mp_eventsub]++;
    }
    for (i = 0; i < pm_subs.n; i++) {
        const struct pm_sub *sp = &pm_subs.sub[i];
        if (sp->mask & ~(uint32_t)PROC_EVENT_EXIT) {
            *invariant = "a subscriber's mask has known events only"; return EINVAL;
        }
        if (sp->mask == 0 && sp->waiting == 0) {
            *invariant = "an unsubscribed service leaves once it holds nothing";
            return EINVAL;
        }
        if (sp->waiting != held[i]) {
            *invariant = "a subscriber's waiting count is the processes it holds";
            return EINVAL;
        }
        for (j = i + 1; j < pm_subs.n; j++)
            if (pm_subs.sub[j].endpt == sp->endpt) {
                *invariant = "subscribers unique"; return EINVAL;
            }
    }
    return OK;
}
