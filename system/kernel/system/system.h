/*
 * Kernel calls: one handler per call (system/do_<call>.c), dispatched by
 * kernel/system.c through a table indexed by KCALL_INDEX. The core has
 * already checked the caller's call mask; each handler validates every
 * field of the message it reads and returns OK or a negative error, which
 * the core puts in the reply's m_type. Output fields are written into *m,
 * which the core copies back to the caller. EDONTREPLY means the caller gets
 * no reply (it stopped, or its image was replaced).
 */
#ifndef KERNEL_SYSTEM_SYSTEM_H
#define KERNEL_SYSTEM_SYSTEM_H

#include "../kernel.h"

typedef int (*kcall_handler_t)(struct proc *caller, message *m);

int do_fork(struct proc *caller, message *m);
int do_exec(struct proc *caller, message *m);
int do_exit(struct proc *caller, message *m);
int do_clear(struct proc *caller, message *m);
int do_kill(struct proc *caller, message *m);
int do_getksig(struct proc *caller, message *m);
int do_endksig(struct proc *caller, message *m);
int do_getinfo(struct proc *caller, message *m);
int do_vircopy(struct proc *caller, message *m);
int do_physcopy(struct proc *caller, message *m);
int do_privctl(struct proc *caller, message *m);
int do_update(struct proc *caller, message *m);
int do_statectl(struct proc *caller, message *m);
int do_schedule(struct proc *caller, message *m);
int do_times(struct proc *caller, message *m);
int do_setalarm(struct proc *caller, message *m);
int do_diagctl(struct proc *caller, message *m);
int do_devio(struct proc *caller, message *m);
int do_irqctl(struct proc *caller, message *m);
int do_shutdown(struct proc *caller, message *m);

/* ---- helpers shared by the handlers (kernel/system.c) ---- */

/* What a handler accepts as a target endpoint. */
#define KC_SELF_OK   0x1        /* SELF means the caller */
#define KC_TASK_OK   0x2        /* kernel tasks are acceptable targets */

/*
 * Resolve an endpoint from a message to a live process. Returns OK and sets
 * *pp, or EDEADSRCDST (bad, stale, free slot, SELF when not allowed) or
 * EPERM (a kernel task when not allowed).
 */
int kcall_proc(struct proc *caller, endpoint_t ep, int how, struct proc **pp);

/*
 * Whether cause_sig(p, ...) may be called without a kernel panic: OK, or
 * EPERM (p is a kernel task or its own signal manager, i.e. RS) or
 * EDEADSRCDST (p's signal manager is dead).
 */
int kcall_sig_ok(const struct proc *p);

/* Largest copy a single SYS_VIRCOPY / SYS_PHYSCOPY may do. */
#define KCOPY_MAX_BYTES   (16u * 1024 * 1024)
/* The copy behind SYS_VIRCOPY (phys_ok 0) and SYS_PHYSCOPY (phys_ok 1):
 * endpoint NONE means physical memory, only when phys_ok. (do_physcopy.c) */
int kcall_copy(struct proc *caller, const mess_sys_copy *c, int phys_ok);

/* Argument block bound for SYS_EXEC, text bound for SYS_DIAGCTL. */
#define KEXEC_ARGS_MAX    1024
#define KDIAG_MAX         1024

/* Bounds for SYS_SCHEDULE. */
#define KSCHED_MAX_QUANTUM 1000

/*
 * Interrupt hooks (do_irqctl.c). SYS_IRQCTL(IRQ_SETPOLICY, irq, hook_id)
 * registers (irq -> caller endpoint, hook bit); kernel_irq(irq) (arch.h,
 * defined in do_irqctl.c) sends each hook's owner notify_irq(owner, bit).
 */
#define NR_IRQ_LINES      16
#define NR_IRQ_HOOKS      32
#define IRQ_HOOK_ID_MAX   31
void irq_hooks_reset(void);     /* forget every hook (boot, tests) */

#endif
