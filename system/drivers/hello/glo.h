/* The hello driver's globals. */
#ifndef HELLO_GLO_H
#define HELLO_GLO_H

#include <crucible/types.h>

extern uint32_t hello_counter;      /* answers given, across restarts */
extern uint32_t hello_published;    /* the counter as last stored in DS */
extern int hello_restarts;          /* restarts, as RS told us at init */
extern uint32_t hello_starts;       /* instances started, incl. this one */

/* Process events (events.c): the answers held back, while holding or
 * when asynsend refused them. */
#define HELLO_MAX_HELD 8
struct hello_event {
    endpoint_t endpt;
    int32_t event;
};
extern struct hello_event hello_held[HELLO_MAX_HELD];
extern int hello_nr_held;           /* entries of hello_held in use */
extern int hello_holding;           /* HELLO_WATCH_HOLD: answer nothing */
extern int32_t hello_events;        /* PM_PROC_EVENTs this instance got */

#endif
