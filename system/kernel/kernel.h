/*
 * What every kernel file includes. The kernel core (this directory and
 * system/) is platform-neutral: it reaches the machine only through arch.h.
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <crucible/types.h>
#include <crucible/config.h>
#include <crucible/errno.h>
#include <crucible/endpoint.h>
#include <crucible/ipc.h>
#include <crucible/com.h>
#include <crucible/priv.h>
#include <crucible/signal.h>
#include <crucible/sysinfo.h>

#include "arch.h"
#include "proc.h"
#include "arch_inline.h"        /* arch.h's inline message copies (needs proc.h) */
#include "proto.h"
#include "glo.h"

/* Kernel assertions state preconditions; a failure is a kernel panic. */
#define KASSERT(c) do { if (!(c)) \
    kernel_panic("assertion failed: %s at %s:%d", #c, __FILE__, __LINE__); } while (0)

/*
 * Privilege checks made on every IPC trap, inline (priv.c has the rest):
 * as out-of-line calls they cost ~20 instructions each per primitive.
 * Callers pass live processes; the checks below are the whole contract.
 */

/* Returns nonzero if p may use IPC primitive 'primitive' (its trap mask). */
static inline int priv_may_trap(const struct proc *p, int primitive)
{
    if (!p->p_priv || primitive <= 0 || primitive >= IPC_NR_PRIMITIVES)
        return 0;
    return (p->p_priv->s_spec.trap_mask & TRAP_BIT(primitive)) != 0;
}

/* Returns nonzero if p may send to (or notify, or SENDA to) dst: always,
 * unless p's privilege has PRIV_CHECK_IPC and dst's slot is not in ipc_to. */
static inline int priv_may_send_to(const struct proc *p, const struct proc *dst)
{
    if (!p->p_priv)
        return 0;
    if (!(p->p_priv->s_spec.flags & PRIV_CHECK_IPC))
        return 1;
    return BIT_ISSET(p->p_priv->s_spec.ipc_to, SLOT_INDEX(dst->p_nr)) != 0;
}

/* The status QEMU exits with on a kernel panic: isa-debug-exit (v<<1)|1. */
#define PANIC_EXIT_VALUE 0x7d   /* QEMU exit status 251 */

#endif
