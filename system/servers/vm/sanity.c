/* VM's invariants (run by SEF after every message with sanity=1). */
#include "glo.h"
#include "proto.h"

/* vm_sanity: OK if the masks are sane and the accounting adds up (see
 * vm_masks_check, vm_acct_check) and the class cache is filed by slot;
 * else EINVAL with *invariant set. */
int vm_sanity(const char **invariant)
{
    int r = vm_masks_check(&vm_masks, invariant);
    if (r != OK)
        return r;
    for (int i = 0; i < NR_PROCS; i++) {
        if (cls_ep[i] != NONE && vm_slot_of(cls_ep[i]) != i) {
            *invariant = "class cache filed by slot";
            return EINVAL;
        }
    }
    return vm_acct_check(&vm_acct, invariant);
}
