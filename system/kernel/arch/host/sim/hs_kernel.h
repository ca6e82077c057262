/*
 * hs_kernel.h (host platform simulator, internal): what platform.c needs
 * from sched.c, in kernel types (include after kernel.h).
 */
#ifndef HOSTSIM_HS_KERNEL_H
#define HOSTSIM_HS_KERNEL_H

struct proc;

/* Ends the run: records the shutdown value and longjmps out of the kernel
 * to the hostsim entry point that is running it. */
void hs_halt(int value) __attribute__((noreturn));
/* Copy observers: a probe (read then write back the same bytes) is not a
 * delivery; every other message-sized copy to a receiver's buffer is. */
void hs_note_copy_from(struct proc *p, vir_bytes src, const void *k, size_t len);
void hs_note_copy_to(struct proc *p, vir_bytes dst, const void *k, size_t len);
/* Child puppet ci gets a copy of puppet pi's memory. */
void hs_puppet_fork_mem(int ci, int pi);
/* ctl.c: the control channel's buffers as [lo, hi) pairs (in, out). */
void host_ctl_buffers(uintptr_t b[4]);
/* ctl.c: nonzero if control-channel input waits to be read. */
int host_ctl_pending(void);

#endif
