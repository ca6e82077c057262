/* TTY's invariants, registered with sef_setcb_sanity. */
#include <crucible/syslib.h>
#include "proto.h"
#include "glo.h"

/*
 * Check TTY's invariants between requests: the console port is COM1 and
 * no write is half done. Returns OK, or EGENERIC with *invariant naming
 * the broken one.
 */
int tty_sanity(const char **invariant)
{
    if (tty_port != COM1_BASE) {
        *invariant = "console port is COM1";
        return EGENERIC;
    }
    if (tty_busy != 0) {
        *invariant = "no write in progress between requests";
        return EGENERIC;
    }
    return OK;
}
