/*
 * arch_proc.h (host platform): the platform part of a process on the host,
 * where the kernel core runs inside one Linux process (unit tests). There
 * are no registers: the trap result and the image are only recorded.
 */
#ifndef KERNEL_ARCH_HOST_ARCH_PROC_H
#define KERNEL_ARCH_HOST_ARCH_PROC_H

#include <crucible/types.h>

struct arch_proc {
    int      result;        /* the last arch_set_result value */
    int      result_set;    /* nonzero once arch_set_result ran (tests reset it) */
    int      module;        /* boot module of the last exec, -1 none */
    uint32_t pages;         /* pretend pages owned */
    int      inst;          /* hostsim (sim/): instance index + 1, 0 none */
};

#endif
