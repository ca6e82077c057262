/*
 * hello as a subscriber to PM's process events (seed 002, docs/os.md).
 * HELLO_WATCH subscribes to exits and then either answers every
 * PM_PROC_EVENT at once or holds the answers until told otherwise. The
 * tests (host_hello_watch, test_events) and the `system` fuzzer use it to
 * keep an exit pending in PM, to crash hello while it holds one, and to
 * see PM send the event again to the restarted instance.
 *
 * What is held lives in this instance only: a restarted or updated
 * instance answers every event it gets, and PM sends it again every event
 * the old instance held.
 */
#include <string.h>
#include <crucible/syslib.h>
#include "proto.h"
#include "glo.h"

struct hello_event hello_held[HELLO_MAX_HELD];
int hello_nr_held;
int hello_holding;
int32_t hello_events;

/*
 * Answers PM's event (endpt, event) with a PM_PROC_EVENT_REPLY. An
 * asynsend: PM never answers it, and hello must never wait for PM while
 * PM may be sending to hello. Returns asynsend's result.
 */
static int answer(endpoint_t endpt, int32_t event)
{
    message m;

    memset(&m, 0, sizeof m);
    m.m_type = PM_PROC_EVENT_REPLY;
    m.m_pm.endpt = endpt;
    m.m_pm.event = event;
    return asynsend(PM_PROC_NR, &m);
}

/*
 * Keeps event (endpt, event) for a later answer. PM tells a process's
 * event again after a restart: a repeat is kept once. Returns 0, or -1 if
 * every entry is taken.
 */
static int hold(endpoint_t endpt, int32_t event)
{
    int i;

    for (i = 0; i < hello_nr_held; i++) {
        if (hello_held[i].endpt == endpt) {
            hello_held[i].event = event;
            return 0;
        }
    }
    if (hello_nr_held == HELLO_MAX_HELD)
        return -1;
    hello_held[hello_nr_held].endpt = endpt;
    hello_held[hello_nr_held].event = event;
    hello_nr_held++;
    return 0;
}

/*
 * Answers every held event unless hello is holding. The answers asynsend
 * refuses stay held; the main loop calls this again after every message.
 */
void hello_answer_held(void)
{
    int i, kept = 0;

    if (hello_holding)
        return;
    for (i = 0; i < hello_nr_held; i++)
        if (answer(hello_held[i].endpt, hello_held[i].event) != OK)
            hello_held[kept++] = hello_held[i];
    hello_nr_held = kept;
}

/*
 * PM_PROC_EVENT{endpt, event} from PM (the caller has checked the
 * source): answers it at once, or keeps it while holding (or when
 * asynsend refuses). With every entry taken it is answered all the same:
 * holding is a test's wish, never a reason to lose an event.
 */
void hello_proc_event(const message *m)
{
    hello_events++;
    if (!hello_holding && answer(m->m_pm.endpt, m->m_pm.event) == OK)
        return;
    if (hold(m->m_pm.endpt, m->m_pm.event) != 0 &&
        answer(m->m_pm.endpt, m->m_pm.event) != OK)
        printf("hello: cannot answer the event of %d\n", (int)m->m_pm.endpt);
}

/*
 * HELLO_WATCH(m_hello.value = HELLO_WATCH_STOP, _ANSWER or _HOLD): sets
 * PM's mask for hello (exits, or 0 for STOP). STOP and ANSWER first stop
 * holding and answer what is held (whatever PM then says); HOLD holds from
 * the moment PM has taken the mask. Returns EINVAL for another mode, else
 * PM's answer to PM_PROCEVENTMASK (OK or its error; the caller may try
 * again). Answer: m_hello.value = the events this instance got,
 * m_hello.restarts = our restarts.
 */
int do_watch(message *m)
{
    int32_t mode = m->m_hello.value;
    message req;
    int r;

    if (mode != HELLO_WATCH_STOP && mode != HELLO_WATCH_ANSWER && mode != HELLO_WATCH_HOLD)
        return EINVAL;
    if (mode != HELLO_WATCH_HOLD) {
        hello_holding = 0;
        hello_answer_held();
    }
    memset(&req, 0, sizeof req);
    req.m_type = PM_PROCEVENTMASK;
    req.m_pm.mask = mode == HELLO_WATCH_STOP ? 0 : PROC_EVENT_EXIT;
    r = ipc_sendrec(PM_PROC_NR, &req);
    if (r == OK)
        r = req.m_type;
    if (r == OK && mode == HELLO_WATCH_HOLD)
        hello_holding = 1;
    m->m_hello.value = hello_events;
    m->m_hello.restarts = hello_restarts;
    return r;
}
