/*
 * kcall_stub.c: TEMPORARY stand-in for kernel/system.c (kernel calls),
 * compiled into kcore_host only while kernel/system.c does not exist (see
 * CMakeLists.txt). Every kernel call fails with EBADCALL. Remove once
 * system.c lands.
 */
#include "kernel.h"

/* Temporary: refuses every kernel call with EBADCALL. */
__attribute__((weak)) int do_kernel_call(struct proc *caller, message *m)
{
    (void)caller;
    (void)m;
    return EBADCALL;
}
