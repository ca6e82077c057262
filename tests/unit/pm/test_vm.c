/* VM call masks (seed 004) and page accounting. */
#include <string.h>
#include <crucible/errno.h>
#include "vmproc.h"
#include "unit.h"

static struct vm_masks vm;
static struct vm_acct acct;

static void test_masks(void)
{
    const char *inv = "";
    endpoint_t user1 = ENDPOINT(3, 20), user2 = ENDPOINT(0, 21);
    endpoint_t hello = ENDPOINT(0, HELLO_PROC_NR);
    vm_masks_init(&vm);
    CHECK(vm_masks_check(&vm, &inv) == OK);

    /* defaults: users VM_INFO only; PM fork/exec/exit/info; RS callmask */
    CHECK(vm_mask_allows(&vm, user1, 0, VM_INFO));
    CHECK(!vm_mask_allows(&vm, user1, 0, VM_FORK));
    CHECK(!vm_mask_allows(&vm, user1, 0, VM_EXEC));
    CHECK(!vm_mask_allows(&vm, user1, 0, VM_EXIT));
    CHECK(!vm_mask_allows(&vm, user1, 0, VM_CALLMASK));
    CHECK(vm_mask_allows(&vm, PM_PROC_NR, 1, VM_FORK));
    CHECK(vm_mask_allows(&vm, PM_PROC_NR, 1, VM_EXEC));
    CHECK(vm_mask_allows(&vm, PM_PROC_NR, 1, VM_EXIT));
    CHECK(vm_mask_allows(&vm, PM_PROC_NR, 1, VM_INFO));
    CHECK(!vm_mask_allows(&vm, PM_PROC_NR, 1, VM_CALLMASK));
    CHECK(vm_mask_allows(&vm, RS_PROC_NR, 1, VM_CALLMASK));
    CHECK(!vm_mask_allows(&vm, hello, 1, VM_INFO));
    CHECK(!vm_mask_allows(&vm, hello, 1, VM_FORK));
    /* a user in PM's slot has the user mask, not PM's */
    CHECK(!vm_mask_allows(&vm, ENDPOINT(5, PM_PROC_NR), 0, VM_FORK));
    /* garbage request types and callers are never allowed */
    CHECK(!vm_mask_allows(&vm, PM_PROC_NR, 1, VM_BASE + NR_VM_CALLS));
    CHECK(!vm_mask_allows(&vm, PM_PROC_NR, 1, VM_BASE - 1));
    CHECK(!vm_mask_allows(&vm, PM_PROC_NR, 1, 0));
    CHECK(!vm_mask_allows(&vm, SYSTEM, 1, VM_INFO));
    CHECK(!vm_mask_allows(&vm, ANY, 0, VM_INFO));

    /* the user mask is shared: a change through one user applies to all */
    CHECK(vm_mask_set(&vm, user1, 0, VM_EXIT, 1) == OK);
    CHECK(vm_mask_allows(&vm, user2, 0, VM_EXIT));
    CHECK(vm_mask_set(&vm, NONE, 0, VM_EXIT, 0) == OK);
    CHECK(!vm_mask_allows(&vm, user1, 0, VM_EXIT));
    CHECK(vm_mask_set(&vm, NONE, 1, VM_INFO, 0) == OK);   /* NONE: users */
    CHECK(!vm_mask_allows(&vm, user2, 0, VM_INFO));
    CHECK(vm_mask_set(&vm, NONE, 0, VM_INFO, 1) == OK);

    /* a system process's own mask starts from its slot's default */
    CHECK(vm_mask_set(&vm, hello, 1, VM_INFO, 1) == OK);
    CHECK(vm_mask_allows(&vm, hello, 1, VM_INFO));
    CHECK(!vm_mask_allows(&vm, user1, 0, VM_FORK));
    CHECK(vm_mask_set(&vm, PM_PROC_NR, 1, VM_EXEC, 0) == OK);
    CHECK(!vm_mask_allows(&vm, PM_PROC_NR, 1, VM_EXEC));
    CHECK(vm_mask_allows(&vm, PM_PROC_NR, 1, VM_FORK));
    /* a new endpoint in the slot gets the default again */
    CHECK(!vm_mask_allows(&vm, ENDPOINT(1, HELLO_PROC_NR), 1, VM_INFO));
    CHECK(vm_masks_check(&vm, &inv) == OK);

    /* bad input */
    CHECK(vm_mask_set(&vm, hello, 1, VM_BASE + 77, 1) == EINVAL);
    CHECK(vm_mask_set(&vm, hello, 1, -5, 1) == EINVAL);
    CHECK(vm_mask_set(&vm, ANY, 1, VM_INFO, 1) == EINVAL);
    CHECK(vm_mask_set(&vm, SYSTEM, 1, VM_INFO, 1) == EINVAL);
    CHECK(vm_masks_check(&vm, &inv) == OK);

    /* the check notices corruption */
    vm.user |= 0x80000000u;
    CHECK(vm_masks_check(&vm, &inv) == EINVAL);
    vm.user &= VM_ALL_CALLS;
    vm.sys_ep[30] = ENDPOINT(0, 31);
    CHECK(vm_masks_check(&vm, &inv) == EINVAL);
    vm.sys_ep[30] = NONE;
    vm.sys[31] = VM_CALL_BIT(VM_INFO);
    CHECK(vm_masks_check(&vm, &inv) == EINVAL && strcmp(inv, "an unset system mask is empty") == 0);
    vm.sys[31] = 0;
    CHECK(vm_masks_check(&vm, &inv) == OK);
}

static void test_acct(void)
{
    const char *inv = "";
    vm_acct_init(&acct);
    CHECK(vm_acct_check(&acct, &inv) == OK);
    CHECK(vm_acct_set(&acct, ENDPOINT(0, 20), 10) == OK);
    CHECK(vm_acct_set(&acct, ENDPOINT(1, 21), 5) == OK);
    CHECK(acct.total_pages == 15);
    CHECK(vm_acct_set(&acct, ENDPOINT(0, 20), 12) == OK);    /* update */
    CHECK(acct.total_pages == 17);
    CHECK(vm_acct_forget(&acct, ENDPOINT(9, 21)) == OK);     /* stale: no-op */
    CHECK(acct.total_pages == 17);
    CHECK(vm_acct_forget(&acct, ENDPOINT(1, 21)) == OK);
    CHECK(acct.total_pages == 12);
    CHECK(vm_acct_forget(&acct, ENDPOINT(1, 21)) == OK);     /* twice */
    CHECK(vm_acct_set(&acct, ANY, 1) == EINVAL);
    CHECK(vm_acct_set(&acct, SYSTEM, 1) == EINVAL);
    CHECK(vm_acct_forget(&acct, NONE) == EINVAL);
    CHECK(vm_acct_check(&acct, &inv) == OK);
    for (int i = 0; i < 100; i++) {                          /* no drift */
        CHECK(vm_acct_set(&acct, ENDPOINT(i, 30), 3) == OK);
        CHECK(vm_acct_forget(&acct, ENDPOINT(i, 30)) == OK);
    }
    CHECK(acct.total_pages == 12);
    acct.total_pages = 13;
    CHECK(vm_acct_check(&acct, &inv) == EINVAL);
    acct.total_pages = 12;
    acct.proc[40].vm_pages = 1;
    CHECK(vm_acct_check(&acct, &inv) == EINVAL);
}

/* test_vm: all VM tests. */
void test_vm(void)
{
    test_masks();
    test_acct();
}
