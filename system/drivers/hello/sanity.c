/* The hello driver's invariants, registered with sef_setcb_sanity. */
#include <crucible/syslib.h>
#include "proto.h"
#include "glo.h"

/*
 * Check the driver's invariants: what it last stored in DS is never ahead
 * of the counter, and this instance has started. The store may lag: when
 * DS refuses it (DS crashed, or a fault), the main loop stores again on
 * the next message; that is DS's failure, not a broken invariant of ours
 * (the system fuzzer found the old "equal" check firing on it). The
 * process events held back (events.c) are at most those received, one per
 * process. Returns OK, or EGENERIC with *invariant naming the broken one.
 */
int hello_sanity(const char **invariant)
{
    int i, j;

    if (hello_published > hello_counter) {
        *invariant = "stored counter never ahead of the counter";
        return EGENERIC;
    }
    if (hello_starts == 0) {
        *invariant = "driver announced";
        return EGENERIC;
    }
    if (hello_nr_held < 0 || hello_nr_held > HELLO_MAX_HELD ||
        hello_nr_held > hello_events) {
        *invariant = "held events counted and at most those received";
        return EGENERIC;
    }
    for (i = 0; i < hello_nr_held; i++) {
        for (j = 0; j < i; j++) {
            if (hello_held[j].endpt == hello_held[i].endpt) {
                *invariant = "one held event per process";
                return EGENERIC;
            }
        }
    }
    return OK;
}
