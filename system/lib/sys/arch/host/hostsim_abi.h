/*
 * hostsim_abi.h (lib/sys arch/host): the contract between the host
 * platform simulator (kernel/arch/host/sim) and a process image built for
 * it (lib/c/arch/host/crt0.c, lib/sys/arch/host/ipc.c). A module never
 * links against the simulator: the simulator calls the module's entry
 * with a pointer to hostsim_boot_args, and the module reaches the kernel
 * only through the trap function found there.
 */
#ifndef HOSTSIM_ABI_H
#define HOSTSIM_ABI_H

#include <stdint.h>

#define HOSTSIM_TRAP_IPC    0   /* primitive, ep, msg (or SENDA table), count */
#define HOSTSIM_TRAP_KCALL  1   /* msg */

/* The trap: switches to the kernel and back; returns the trap's result. */
typedef int (*hostsim_trap_fn)(int kind, int primitive, int32_t ep,
                               uint32_t msg, uint32_t count);

struct hostsim_boot_args {
    hostsim_trap_fn trap;
    uint32_t heap_base;         /* malloc's region (lib/c heap.c) */
    uint32_t heap_size;
    int32_t  argc;
    char   **argv;              /* NULL-terminated, in the process's memory */
};

#endif
