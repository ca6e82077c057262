/*
 * lib/c arch/host/crt0.c: program entry of a process image built for the
 * host platform simulator (kernel/arch/host/sim). The simulator starts a
 * fresh coroutine at _start with a hostsim_boot_args pointer (it has
 * already loaded .data and zeroed .bss); _start records the trap function
 * and the heap, runs main and exits with its result.
 */
#include <stdlib.h>
#include <crucible/types.h>
#include "../../../sys/arch/host/hostsim_abi.h"

hostsim_trap_fn __hostsim_trap;
uint32_t __libc_heap_base, __libc_heap_size;    /* lib/c heap.c */

int main(int argc, char **argv, char **envp);

/* _start: the entry (ENTRY in host.ld). Never returns. */
void _start(struct hostsim_boot_args *a)
{
    static char *no_env[1];

    __hostsim_trap = a->trap;
    __libc_heap_base = a->heap_base;
    __libc_heap_size = a->heap_size;
    exit(main(a->argc, a->argv, no_env));
    for (;;)
        __builtin_trap();
}
