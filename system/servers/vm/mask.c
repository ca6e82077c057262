/*
 * VM call masks (seed 004). Every VM request is checked against the
 * caller's mask: the one mask shared by all user processes, or the mask of
 * that system process. A system process's mask belongs to its endpoint; a
 * new process in the slot (new endpoint) starts from the slot's default:
 * PM may fork/exec/exit/info, RS may set masks and ask info, other system
 * processes nothing. Users may only ask VM_INFO by default. Pure functions.
 */
#include <crucible/errno.h>
#include "vmproc.h"

/* vm_masks_init: the boot masks: users VM_USER_DEFAULT, no system process
 * has a mask of its own yet (slot defaults apply). */
void vm_masks_init(struct vm_masks *vm)
{
    vm->user = VM_USER_DEFAULT;
    for (int i = 0; i < NR_PROCS; i++) {
        vm->sys[i] = 0;
        vm->sys_ep[i] = NONE;
    }
}

/* vm_default_sys_mask: the mask of a system process at slot that nobody
 * has set: PM's and RS's boot slots get theirs, everyone else none. */
uint32_t vm_default_sys_mask(int slot)
{
    if (slot == PM_PROC_NR)
        return VM_PM_DEFAULT;
    if (slot == RS_PROC_NR)
        return VM_RS_DEFAULT;
    return 0;
}

/* vm_mask_of: the mask that applies to ep (is_sys: ep is a system
 * process). Kernel tasks and special endpoints get 0. */
uint32_t vm_mask_of(const struct vm_masks *vm, endpoint_t ep, int is_sys)
{
    if (ep == ANY || ep == NONE || ep == SELF)
        return 0;
    int slot = ENDPOINT_SLOT(ep);
    if (slot < 0 || slot >= NR_PROCS)
        return 0;
    if (!is_sys)
        return vm->user;
    return vm->sys_ep[slot] == ep ? vm->sys[slot] : vm_default_sys_mask(slot);
}

/* vm_mask_allows: nonzero if ep may make VM request type. */
int vm_mask_allows(const struct vm_masks *vm, endpoint_t ep, int is_sys, int type)
{
    uint32_t bit = VM_CALL_BIT(type);
    return bit != 0 && (vm_mask_of(vm, ep, is_sys) & bit) != 0;
}

/* vm_mask_set: allow (allow != 0) or deny VM request call for target: for
 * a user process (is_sys == 0, or target NONE) the shared user mask
 * changes, so every user process is affected; for a system process its own
 * mask, starting from its slot's default. Returns OK, or EINVAL for a call
 * that is not a VM request or a target out of range. */
int vm_mask_set(struct vm_masks *vm, endpoint_t target, int is_sys, int call, int allow)
{
    uint32_t bit = VM_CALL_BIT(call);
    if (bit == 0)
        return EINVAL;
    uint32_t *mask;
    if (target == NONE || !is_sys) {
        mask = &vm->user;
    } else {
        if (target == ANY || target == SELF)
            return EINVAL;
        int slot = ENDPOINT_SLOT(target);
        if (slot < 0 || slot >= NR_PROCS)
            return EINVAL;
        if (vm->sys_ep[slot] != target) {
            vm->sys[slot] = vm_default_sys_mask(slot);
            vm->sys_ep[slot] = target;
        }
        mask = &vm->sys[slot];
    }
    if (allow)
        *mask |= bit;
    else
        *mask &= ~bit;
    return OK;
}

/* vm_masks_check: OK if every mask holds only VM request bits and every
 * per-process mask is filed under its endpoint's slot; else EINVAL with
 * *invariant naming the broken rule. */
int vm_masks_check(const struct vm_masks *vm, const char **invariant)
{
    if (vm->user & ~VM_ALL_CALLS) {
        *invariant = "user mask holds VM calls only";
        return EINVAL;
    }
    for (int i = 0; i < NR_PROCS; i++) {
        if (vm->sys[i] & ~VM_ALL_CALLS) {
            *invariant = "system masks hold VM calls only";
            return EINVAL;
        }
        if (vm->sys_ep[i] != NONE && ENDPOINT_SLOT(vm->sys_ep[i]) != i) {
            *invariant = "a system mask is filed under its slot";
            return EINVAL;
        }
        if (vm->sys_ep[i] == NONE && vm->sys[i] != 0) {
            *invariant = "an unset system mask is empty";
            return EINVAL;
        }
    }
    return OK;
}
