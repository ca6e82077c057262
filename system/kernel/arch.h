/*
 * The boundary between the platform-neutral kernel core and a platform
 * (arch/i386: the PC under QEMU; arch/host: one Linux process in which every
 * OS process is a coroutine). The first half is what a platform provides,
 * the second what the core provides to a platform.
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <crucible/types.h>
#include <crucible/ipc.h>

struct proc;

/* ================= provided by the platform (arch/<arch>/) ================= */

/* Console output (COM1 on the PC). Callable anywhere, interrupts off. */
void arch_console_write(const char *s, size_t len);

/* End the machine with status 'value' (isa-debug-exit: QEMU exits with
 * (value << 1) | 1). Never returns. */
void arch_shutdown(int value) __attribute__((noreturn));

/*
 * Address spaces. Each process has its own; the kernel is mapped in every
 * one, supervisor-only. Return OK or a negative error.
 *   arch_proc_exec: replace p's image with boot module 'module' (an i386 ELF
 *     executable, checked), build a stack holding argv from 'args' (args_len
 *     bytes of NUL-separated strings, already in kernel memory), and set the
 *     registers to start at the entry point. ENOEXEC for a bad ELF, ENOMEM.
 *   arch_proc_fork: give child a copy of parent's address space and registers
 *     (the child's syscall result register is set to 0).
 *   arch_proc_free: release p's address space. Idempotent.
 *   arch_proc_init_task: registers for a kernel task (never runs user code).
 */
int  arch_proc_exec(struct proc *p, int module, const char *args, size_t args_len);
int  arch_proc_fork(struct proc *child, struct proc *parent);
void arch_proc_free(struct proc *p);
uint32_t arch_proc_pages(const struct proc *p);     /* pages owned by p */

/*
 * Copies. A NULL process means physical memory. Every user address range is
 * checked: the whole range must be mapped user-accessible in that process
 * (and writable for a destination), otherwise EFAULT and nothing is copied.
 */
int arch_copy(struct proc *src_p, vir_bytes src, struct proc *dst_p, vir_bytes dst, size_t len);
int arch_copy_from_proc(struct proc *p, vir_bytes src, void *kdst, size_t len);
int arch_copy_to_proc(struct proc *p, vir_bytes dst, const void *ksrc, size_t len);
/* OK if the whole user range [addr, addr+len) of p (len > 0) could be both
 * read and written by the copies above, EFAULT otherwise. Copies nothing:
 * it lets the IPC code check a receive buffer without copying it. */
int arch_check_user_buf(struct proc *p, vir_bytes addr, size_t len);
/*
 * The IPC path's message copies, static inline in arch/<arch>/include/
 * arch_inline.h (kernel.h includes it after proc.h): the same results as
 * the calls above with len == sizeof(message) and a kernel buffer owned by
 * the caller, without a call per message (four copies and two checks per
 * IPC round trip).
 *   arch_msg_from_proc(p, src, kdst, writable): as arch_copy_from_proc; with
 *     'writable' also EFAULT unless arch_check_user_buf(p, src, ...) is OK
 *     (SENDREC: request and reply buffer checked in one page-table walk).
 *   arch_msg_to_proc(p, dst, ksrc): as arch_copy_to_proc.
 *   arch_msg_buf_ok(p, addr): OK or EFAULT, as arch_check_user_buf.
 */

/* The result of a trap, seen by the process when it next runs (eax). */
void arch_set_result(struct proc *p, int result);

/* Device I/O for SYS_DEVIO; interrupt lines for SYS_IRQCTL. */
uint32_t arch_inb(uint32_t port);
void     arch_outb(uint32_t port, uint32_t value);
uint32_t arch_inl(uint32_t port);
void     arch_outl(uint32_t port, uint32_t value);
void     arch_irq_enable(int irq);
void     arch_irq_disable(int irq);

/* The control channel (COM2 on the PC; docs/inject.md). arch_ctl_getc:
 * the next received byte (0..255), or -1 when nothing is waiting; never
 * blocks. arch_ctl_write: send n bytes. Both callable with interrupts off. */
int  arch_ctl_getc(void);
void arch_ctl_write(const char *s, size_t n);

/* Seconds since 1970 from the real-time clock, read once at boot. */
uint32_t arch_read_rtc(void);

/* Physical memory for kernel_info. */
uint32_t arch_mem_bytes(void);
uint32_t arch_free_pages(void);

/* ================= provided by the core (kernel/) ================= */

/* After the platform has set itself up and filled boot_modules[] and
 * kernel_info.cmdline: create the boot processes, then return so that the
 * platform runs the first process. */
void kernel_main(void);

/* Trap entries. 'caller' is current_proc. After each of them the platform
 * runs kernel_pick_proc()'s choice. */
void kernel_ipc_trap(struct proc *caller, int primitive, endpoint_t ep,
                     vir_bytes msg, uint32_t count);
void kernel_call_trap(struct proc *caller, vir_bytes msg);
/* A CPU exception in a process: becomes a signal to its signal manager. */
void kernel_exception(struct proc *p, int vector, uint32_t error_code,
                      vir_bytes fault_addr, vir_bytes pc);
void kernel_clock_tick(void);       /* once per clock interrupt */
void kernel_irq(int irq);           /* a hardware interrupt (not the clock) */

/* The process to run next, or NULL to idle. */
struct proc *kernel_pick_proc(void);

/* Panic: print one structured line ("crucible: panic: ...") and end the
 * machine with PANIC_EXIT_VALUE. */
void kernel_panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
