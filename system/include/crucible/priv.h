/*
 * Privileges: what a process may do. System processes each have their own;
 * all user processes share one. RS hands a struct priv_spec to the kernel
 * with SYS_PRIVCTL(PRIV_SET_SYS).
 */
#ifndef CRUCIBLE_PRIV_H
#define CRUCIBLE_PRIV_H

#include <crucible/types.h>
#include <crucible/config.h>
#include <crucible/com.h>

/* Privilege flags */
#define PRIV_SYS_PROC   0x01    /* a system process (own priv structure) */
#define PRIV_PREEMPTIBLE 0x02   /* may be preempted at quantum end */
#define PRIV_CHECK_IPC  0x04    /* IPC targets are checked against ipc_to */
#define PRIV_CHECK_CALL 0x08    /* kernel calls checked against k_call_mask */
#define PRIV_ROOT_SYS   0x10    /* RS: may set others' privileges */

#define PRIV_MAX_IO     4
#define PRIV_MAX_IRQ    4

struct io_range { uint16_t base, len; };

struct priv_spec {
    uint32_t   flags;
    uint32_t   trap_mask;                   /* TRAP_BIT(primitive) */
    uint32_t   ipc_to[BITMAP_WORDS(NR_ALL_SLOTS)];  /* by slot + NR_TASKS */
    uint32_t   k_call_mask[BITMAP_WORDS(NR_SYS_CALLS)]; /* by KCALL_INDEX */
    endpoint_t sig_mgr;                     /* who gets our signals */
    struct io_range io[PRIV_MAX_IO];        /* ports for SYS_DEVIO */
    int32_t    irq[PRIV_MAX_IRQ];           /* irqs for SYS_IRQCTL, -1 none */
};

#endif
