/* DS's invariants, registered with sef_setcb_sanity. */
#include <crucible/syslib.h>
#include "proto.h"
#include "glo.h"

/*
 * Check DS's invariants (see ds_store_invariants: no duplicate keys, valid
 * types and lengths, labels owned by RS, consistent subscriber slots with
 * changed bits only for matching keys). Returns OK, or EGENERIC with
 * *invariant naming the broken one.
 */
int ds_sanity(const char **invariant)
{
    return ds_store_invariants(&ds_store, invariant);
}
