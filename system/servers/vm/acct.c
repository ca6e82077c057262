/* VM's per-process page accounting. Pure functions over struct vm_acct. */
#include <crucible/errno.h>
#include "vmproc.h"

/* vm_slot_of: the accounting slot of ep (0 .. NR_PROCS-1), or -1. */
int vm_slot_of(endpoint_t ep)
{
    if (ep == ANY || ep == NONE || ep == SELF)
        return -1;
    int slot = ENDPOINT_SLOT(ep);
    return (slot >= 0 && slot < NR_PROCS) ? slot : -1;
}

/* vm_acct_init: no process accounted, total 0. */
void vm_acct_init(struct vm_acct *a)
{
    for (int i = 0; i < NR_PROCS; i++) {
        a->proc[i].vm_flags = 0;
        a->proc[i].vm_endpoint = NONE;
        a->proc[i].vm_pages = 0;
    }
    a->total_pages = 0;
}

/* vm_acct_set: account ep with pages (adding it, or replacing a previous
 * record in its slot, whoever that was). Returns OK or EINVAL. */
int vm_acct_set(struct vm_acct *a, endpoint_t ep, uint32_t pages)
{
    int slot = vm_slot_of(ep);
    if (slot < 0)
        return EINVAL;
    struct vmproc *vmp = &a->proc[slot];
    if (vmp->vm_flags & VMF_INUSE)
        a->total_pages -= vmp->vm_pages;
    vmp->vm_flags = VMF_INUSE;
    vmp->vm_endpoint = ep;
    vmp->vm_pages = pages;
    a->total_pages += pages;
    return OK;
}

/* vm_acct_forget: stop accounting ep. Returns OK (also when ep was not
 * accounted: forgetting is idempotent) or EINVAL for an endpoint out of
 * range. A record of another endpoint in the same slot is left alone. */
int vm_acct_forget(struct vm_acct *a, endpoint_t ep)
{
    int slot = vm_slot_of(ep);
    if (slot < 0)
        return EINVAL;
    struct vmproc *vmp = &a->proc[slot];
    if (!(vmp->vm_flags & VMF_INUSE) || vmp->vm_endpoint != ep)
        return OK;
    a->total_pages -= vmp->vm_pages;
    vmp->vm_flags = 0;
    vmp->vm_endpoint = NONE;
    vmp->vm_pages = 0;
    return OK;
}

/* vm_acct_check: OK if the total equals the sum of the records and every
 * record sits in its endpoint's slot; else EINVAL with *invariant. */
int vm_acct_check(const struct vm_acct *a, const char **invariant)
{
    uint32_t sum = 0;
    for (int i = 0; i < NR_PROCS; i++) {
        const struct vmproc *vmp = &a->proc[i];
        if (!(vmp->vm_flags & VMF_INUSE)) {
            if (vmp->vm_pages != 0 || vmp->vm_endpoint != NONE) {
                *invariant = "a free accounting slot is empty";
                return EINVAL;
            }
            continue;
        }
        if (vm_slot_of(vmp->vm_endpoint) != i) {
            *invariant = "an accounted process sits in its slot";
            return EINVAL;
        }
        sum += vmp->vm_pages;
    }
    if (sum != a->total_pages) {
        *invariant = "total pages equal the sum per process";
        return EINVAL;
    }
    return OK;
}
