/* Functions of the platform-neutral kernel core, by file. */
#ifndef KERNEL_PROTO_H
#define KERNEL_PROTO_H

#include <crucible/types.h>
#include <crucible/ipc.h>
#include <crucible/priv.h>

struct proc;
struct priv;

/* proc.c: the process table and the run queues. */
void proc_init(void);
struct proc *proc_alloc(void);                  /* a free slot >= NR_BOOT_PROCS, or NULL */
void proc_setup(struct proc *p, int slot, const char *name);
int  isokendpt(endpoint_t ep, int *slot);       /* OK, or EDEADSRCDST if stale/bad */
struct proc *endpoint_lookup(endpoint_t ep);    /* NULL if stale/bad */
void rts_set(struct proc *p, uint32_t flags);   /* dequeue when it stops being runnable */
void rts_clear(struct proc *p, uint32_t flags); /* enqueue when it becomes runnable */
void enqueue(struct proc *p);
void dequeue(struct proc *p);
void proc_clear(struct proc *p);                /* free the slot, bump generation, unblock peers */
void proc_rdy_queue(int q, struct proc **head, struct proc **tail); /* for sanity.c */

/* sanity.c: the kernel's invariants (IPC state, run queues, pending bits).
 * Returns OK, or EGENERIC with a one-line description of the first
 * violation in why[0..n-1]. Changes nothing. */
int kernel_sanity(char *why, size_t n);

/* table.c: the boot table (module name -> boot slot and scheduling). */
struct boot_entry {
    const char *name;
    int         slot;
    int         priority;
    int         quantum;
};
const struct boot_entry *boot_table_lookup(const char *name); /* NULL if absent */

/* ipc.c: the primitives. Each returns the result for the caller, or
 * EDONTREPLY when the caller blocked (its result is set on wakeup). */
int do_ipc(struct proc *caller, int primitive, endpoint_t ep, vir_bytes msg, uint32_t count);
int mini_notify(struct proc *caller_or_task, endpoint_t dst);
int notify_from_task(endpoint_t task, struct proc *dst);   /* SYSTEM/CLOCK/HARDWARE */
void ipc_unblock_peers(struct proc *dead);      /* EDEADSRCDST to those waiting on it */
void ipc_clear_reply_refs(struct proc *p);      /* STATE_CLEAR_IPC_REFS */
void ipc_abort(struct proc *p, int result);     /* wake p from its IPC with result */
/* A HARDWARE notification carrying irq hook bits (m_notify.interrupts);
 * kernel_irq (arch.h) is defined with the irq policy table, by SYS_IRQCTL. */
int notify_irq(struct proc *dst, uint32_t hook_bits);

/* priv.c: privileges. */
void priv_init(void);
struct priv *priv_alloc(void);
void priv_free(struct priv *pr);
/* priv_may_trap, priv_may_send_to: inline in kernel.h. */
int  priv_may_call(const struct proc *p, int call_type);
endpoint_t priv_sig_mgr(const struct proc *p);

/* signal.c: signals to signal managers. */
void cause_sig(struct proc *p, int sig);
/* SYS_GETKSIG: the next process with RTS_SIGNALED whose manager is mgr, or
 * NULL. Its pending set goes to *sigs and is cleared, RTS_SIGNALED is
 * cleared, RTS_SIG_PENDING stays until sig_endksig. */
struct proc *sig_next_pending(endpoint_t mgr, sigset_t_ *sigs);
/* SYS_ENDKSIG: the manager is done with p; clears RTS_SIG_PENDING unless
 * new signals arrived meanwhile (RTS_SIGNALED again). */
void sig_endksig(struct proc *p);
/* The signal a CPU exception vector becomes. */
int exception_to_sig(int vector);

/* clock.c: ticks, alarms, quanta. */
clock_t_ get_realtime_ticks(void);

/* system.c: kernel call dispatch (calls system/do_*.c).
 * Contract with kernel_call_trap (main.c): the trap has already copied the
 * message in, set m->m_source to the caller, refused an m_type outside
 * KERNEL_CALL .. KERNEL_CALL+NR_SYS_CALLS-1 with EBADCALL and a call the
 * caller's privilege does not allow (priv_may_call) with ECALLDENIED; so
 * do_kernel_call need not check either again. It returns the result, which
 * the trap stores in m_type, copies back and returns to the caller; or
 * EDONTREPLY when the caller must get nothing back (it exec'd or cleared
 * itself, or it blocked and its result is set later with arch_set_result). */
int do_kernel_call(struct proc *caller, message *m);

/* kprintf.c: console formatting for the kernel. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvsnprintf(char *buf, size_t n, const char *fmt, __builtin_va_list ap);
int ksnprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* kstring.c: the kernel's own memset/memcpy/strlen... (freestanding). */
void *kmemset(void *s, int c, size_t n);
void *kmemcpy(void *d, const void *s, size_t n);
int   kmemcmp(const void *a, const void *b, size_t n);
size_t kstrlen(const char *s);
size_t kstrlcpy(char *d, const char *s, size_t n);
int   kstrcmp(const char *a, const char *b);
int   kstrncmp(const char *a, const char *b, size_t n);

#endif
