/*
 * Endpoints name processes in IPC. An endpoint is a generation number and a
 * process slot: endpoint = generation * ENDPOINT_GEN_SIZE + slot. The slot of
 * a kernel task is negative. When a slot is cleared its generation advances,
 * so an endpoint held by someone else goes stale and IPC to it fails with
 * EDEADSRCDST instead of reaching the slot's next occupant.
 */
#ifndef CRUCIBLE_ENDPOINT_H
#define CRUCIBLE_ENDPOINT_H

#include <crucible/types.h>
#include <crucible/config.h>

#define ENDPOINT_GEN_SIZE   0x8000
#define MAX_GENERATION      0x7FFF
#define ENDPOINT(gen, slot) ((endpoint_t)((gen) * ENDPOINT_GEN_SIZE + (slot)))
/* Slot and generation of an endpoint: the remainder and quotient, taken
 * towards the range [-NR_TASKS, ...). Unsigned arithmetic: any int32 a
 * message carries is defined (found by fuzz/pm: INT32_MAX + NR_TASKS
 * overflowed); an endpoint below -NR_TASKS gets a slot out of range. */
#define ENDPOINT_SLOT(ep)   ((int)(((uint32_t)(ep) + NR_TASKS) % ENDPOINT_GEN_SIZE) - NR_TASKS)
#define ENDPOINT_GEN(ep)    ((int)(((uint32_t)(ep) + NR_TASKS) / ENDPOINT_GEN_SIZE))

/* Special endpoints: never the endpoint of a process. */
#define ANY     ((endpoint_t)0x7ace)    /* receive from anyone */
#define NONE    ((endpoint_t)0x6ace)    /* nobody; physical memory in copies */
#define SELF    ((endpoint_t)0x8ace)    /* the caller itself */

/* Kernel tasks (generation 0, negative slots). */
#define IDLE        ((endpoint_t)-4)
#define CLOCK       ((endpoint_t)-3)    /* alarm notifications */
#define SYSTEM      ((endpoint_t)-2)    /* kernel calls; signal notifications */
#define HARDWARE    ((endpoint_t)-1)    /* interrupt notifications */
#define KERNEL      HARDWARE

/*
 * Boot image slots. The kernel creates one process per boot module whose
 * name appears in its boot table (kernel/table.c); their endpoints at boot
 * are generation 0, so ENDPOINT(0, slot) == slot.
 */
#define PM_PROC_NR      0
#define VFS_PROC_NR     1
#define RS_PROC_NR      2
#define DS_PROC_NR      3
#define VM_PROC_NR      4
#define TTY_PROC_NR     5
#define SCHED_PROC_NR   6
#define IPC_PROC_NR     7
#define HELLO_PROC_NR   8
#define INIT_PROC_NR    9
#define NR_BOOT_PROCS   10      /* boot slots 0 .. 9; dynamic slots above */

#endif
