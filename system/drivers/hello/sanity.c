/* The hello driver's invariants, registered with sef_setcb_sanity. */
#include <crucible/syslib.h>
#include "proto.h"
#include "glo.h"

/*
 * Check the driver's invariants: the counter equals what it last stored
 * in DS, and at least this instance has started. Returns OK, or EGENERIC
 * with *invariant naming the broken one.
 */
int hello_sanity(const char **invariant)
{
    if (hello_counter != hello_published) {
        *invariant = "counter equals what it last published";
        return EGENERIC;
    }
    if (hello_starts == 0) {
        *invariant = "driver announced";
        return EGENERIC;
    }
    return OK;
}
