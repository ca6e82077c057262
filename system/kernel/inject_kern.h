/*
 * inject_kern.h: the kernel's side of fault injection (inject_ipc.c) and of
 * the control channel (control.c). The hooks in ipc.c and trap.c are the
 * inline wrappers below: with nothing loaded each is one predictable
 * branch on inj_armed.
 */
#ifndef KERNEL_INJECT_KERN_H
#define KERNEL_INJECT_KERN_H

#include "kernel.h"
#include "inject.h"

/* Nonzero while a fault is loaded, a message is held, or a notification
 * reason is pending: the hooks look at nothing else on the fast path. */
extern int inj_armed;
extern struct inj_table inj_faults;     /* the loaded faults */

/* inject_ipc.c */
void inj_rearm(void);                   /* recompute inj_armed */
/* The ipc hook (slow path). Must be called from msg_to_receiver with its
 * arguments. Returns 0 to let the delivery go on unchanged, or 1 when the
 * hook took care of the delivery (dropped, held, altered or delivered it
 * itself) with *result the value msg_to_receiver must return. */
int inj_ipc_deliver(struct proc *dst, const message *m, int *result);
/* The kcall hook (slow path): OK, or the error an injected fault makes the
 * call fail with. */
int inj_kcall_fault(struct proc *caller, int type);
/* Once per tick: release held messages that are due. */
void inj_ipc_tick(void);
/* Number of held messages (nonzero: inj_ipc_tick has work on some tick). */
int  inj_ipc_held(void);
/* Pending notification reasons (NOTIFY_REASON_*) for p: added here, put in
 * the next SYSTEM notification delivered to p. */
void inj_add_reason(struct proc *p, uint32_t reason);
/* DIAG_INJECT_GET for caller: fills m's i[4..7] and forgets the record. */
void inj_sef_get(struct proc *caller, message *m);
/* Load boot-time faults from the kernel command line's inject=. */
void inj_boot_faults(const char *cmdline);

/* control.c */
void ctl_tick(void);                    /* poll the channel, timeouts */
void ctl_poll(void);                    /* read the channel and run lines */
/* Nonzero if ctl_tick may do more than read the channel on the next
 * ticks (held messages to release, a sanity round waiting). With this 0
 * and no channel input, a tick that fires no alarm and charges no process
 * only counts (a platform may then skip ahead: host/sim/ticks.c). */
int  ctl_tick_busy(void);
int  ctl_diagctl(struct proc *caller, message *m);  /* DIAG_EVENT.. codes */
void ctl_event_fault(const struct inj_fault *f, const char *target,
                     const char *source, int32_t type);
void ctl_event_panic(const char *msg, size_t len);
/* Nonzero on a platform where nothing reads the channel's output (the
 * host simulator: its library has no reader): events are not formatted.
 * 0 (the default, the PC) writes them. */
extern int ctl_events_off;

/* The hook in msg_to_receiver: see inj_ipc_deliver. */
static inline int inj_ipc_hook(struct proc *dst, const message *m, int *result)
{
    if (__builtin_expect(!inj_armed, 1))
        return 0;
    return inj_ipc_deliver(dst, m, result);
}

/* The hook in kernel_call_trap: OK to go on with the call, else its error. */
static inline int inj_kcall_hook(struct proc *caller, int type)
{
    if (__builtin_expect(!inj_armed, 1))
        return OK;
    return inj_kcall_fault(caller, type);
}

#endif
