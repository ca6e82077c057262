/* PM's invariants (run by SEF after every message with sanity=1). */
#include "glo.h"
#include "proto.h"

/* pm_sanity: OK if the process table is consistent (see ptab_check), pid
 * allocation is in range and the process-event subscribers agree with the
 * table (pm_events_check); else EINVAL with *invariant set. */
int pm_sanity(const char **invariant)
{
    if (next_pid < 2 || next_pid > PID_MAX) {
        *invariant = "next pid in range";
        return EINVAL;
    }
    if (pm_hz == 0) {
        *invariant = "clock rate known";
        return EINVAL;
    }
    if (ptab_check(mproc, invariant) != OK)
        return EINVAL;
    return pm_events_check(invariant);
}
