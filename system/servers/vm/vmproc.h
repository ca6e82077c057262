/*
 * VM's tables: memory accounting per process (slot-indexed) and the call
 * masks of seed 004: one mask shared by every user process and one per
 * system process. Pure data; the logic over it is in mask.c and acct.c.
 */
#ifndef VM_VMPROC_H
#define VM_VMPROC_H

#include <crucible/types.h>
#include <crucible/config.h>
#include <crucible/endpoint.h>
#include <crucible/com.h>

/* Bit of a VM request in a call mask (0 if type is not a VM request). */
#define VM_CALL_BIT(type) \
    (((type) >= VM_BASE && (type) < VM_BASE + NR_VM_CALLS) ? \
     (1u << ((type) - VM_BASE)) : 0u)
#define VM_ALL_CALLS        ((1u << NR_VM_CALLS) - 1)
#define VM_USER_DEFAULT     VM_CALL_BIT(VM_INFO)
#define VM_PM_DEFAULT       (VM_CALL_BIT(VM_FORK) | VM_CALL_BIT(VM_EXEC) | \
                             VM_CALL_BIT(VM_EXIT) | VM_CALL_BIT(VM_INFO))
#define VM_RS_DEFAULT       (VM_CALL_BIT(VM_CALLMASK) | VM_CALL_BIT(VM_INFO))

struct vm_masks {
    uint32_t   user;                /* shared by all user processes */
    uint32_t   sys[NR_PROCS];       /* system process at that slot ... */
    endpoint_t sys_ep[NR_PROCS];    /* ... if it is this endpoint; else the
                                     * slot's default applies (NONE: unset) */
};

/* vm_flags */
#define VMF_INUSE   0x1             /* VM accounts this process's memory */

struct vmproc {
    uint32_t   vm_flags;
    endpoint_t vm_endpoint;
    uint32_t   vm_pages;            /* pages owned, from the kernel */
};

struct vm_acct {
    struct vmproc proc[NR_PROCS];
    uint32_t      total_pages;      /* sum of vm_pages over in-use entries */
};

/* mask.c */
void vm_masks_init(struct vm_masks *vm);
uint32_t vm_default_sys_mask(int slot);
uint32_t vm_mask_of(const struct vm_masks *vm, endpoint_t ep, int is_sys);
int vm_mask_allows(const struct vm_masks *vm, endpoint_t ep, int is_sys, int type);
int vm_mask_set(struct vm_masks *vm, endpoint_t target, int is_sys, int call, int allow);
int vm_masks_check(const struct vm_masks *vm, const char **invariant);

/* acct.c */
int vm_slot_of(endpoint_t ep);
void vm_acct_init(struct vm_acct *a);
int vm_acct_set(struct vm_acct *a, endpoint_t ep, uint32_t pages);
int vm_acct_forget(struct vm_acct *a, endpoint_t ep);
int vm_acct_check(const struct vm_acct *a, const char **invariant);

#endif
