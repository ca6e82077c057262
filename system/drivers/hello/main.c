/*
 * The hello driver: the smallest driver that survives crashes and live
 * updates. HELLO_GET answers an ever-growing counter; HELLO_CRASH takes a
 * CPU exception so that RS recovers it. The counter lives in DS (key
 * hello.counter, stored after every increment and at live-update state
 * save), so a restarted or updated instance carries on from it; callers
 * left waiting on a crashed instance get ERESTART (SEF does that for every
 * restarted service). Every
 * start publishes the driver-up key drv.up.hello = number of starts.
 * HELLO_WATCH makes it a subscriber to PM's process events (events.c).
 */
#include <crucible/sef.h>
#include "proto.h"
#include "glo.h"

uint32_t hello_counter;
uint32_t hello_published;
int hello_restarts;
uint32_t hello_starts;

/* SEF init, fresh start: counter 0, announce. Returns DS's result. */
static int hello_init_fresh(int type, sef_init_info_t *info)
{
    (void)type;
    hello_counter = 0;
    hello_published = 0;
    hello_restarts = info != NULL ? info->restarts : 0;
    return hello_announce(1);
}

/*
 * SEF init after a crash or for a live update: take the counter back from
 * DS and announce (SEF has already failed the previous instance's callers).
 * Returns OK or the error that makes RS retry (restart) or roll back (LU).
 */
static int hello_init_again(int type, sef_init_info_t *info)
{
    int r;

    (void)type;
    hello_restarts = info != NULL ? info->restarts : 0;
    if ((r = hello_restore()) != OK)
        return r;
    return hello_announce(0);
}

/* The hello driver: start under SEF, then answer requests forever. */
int main(void)
{
    message m;
    int r;

    sef_setcb_init_fresh(hello_init_fresh);
    sef_setcb_init_restart(hello_init_again);
    sef_setcb_init_lu(hello_init_again);
    sef_setcb_lu_state_save(hello_state_save);
    sef_setcb_sanity(hello_sanity);
    /* State for corrupt_state faults: 0 = the counter. */
    (void)sef_state_register("counter", &hello_counter, sizeof(hello_counter));
    sef_startup();

    for (;;) {
        if (sef_receive(&m) != OK)
            continue;
        if (hello_counter != hello_published)
            (void)hello_save();     /* DS refused the last store: retry */
        hello_answer_held();        /* asynsend refused some: retry */
        if (IS_NOTIFY(&m))
            continue;
        if (m.m_source == PM_PROC_NR && m.m_type == PM_PROC_EVENT) {
            hello_proc_event(&m);   /* never answered with a reply */
            continue;
        }
        r = hello_dispatch(&m);
        if (r != EDONTREPLY)
            sef_reply(m.m_source, &m, r);
    }
}
