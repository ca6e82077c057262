/*
 * Trap, exception and interrupt dispatch, and the return to a process.
 *
 * Every entry (entry.S) lands in arch_trap() with a frame on the one kernel
 * stack. A frame from user mode is saved into current_proc's slot; then the
 * event goes to the core (kernel_ipc_trap, kernel_call_trap,
 * kernel_exception, kernel_clock_tick, kernel_irq) and arch_run_next()
 * resumes whatever kernel_pick_proc() chooses, or idles. Nothing returns
 * along the kernel stack. While idle, current_proc is NULL.
 */
#include "kernel.h"
#include "i386.h"
#include "inject_kern.h"     /* ctl_poll */

/* entry.S tests frame->cs at this offset to tell a user frame. */
CRUCIBLE_STATIC_ASSERT(offsetof(struct trapframe, cs) == 60, "trap frame layout (entry.S)");

static const char *const exception_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
    "invalid opcode", "device not available", "double fault",
    "coprocessor overrun", "invalid TSS", "segment not present",
    "stack fault", "general protection", "page fault", "reserved 15",
    "x87 error", "alignment check", "machine check", "SIMD error",
    "virtualization", "control protection", "reserved 22", "reserved 23",
    "reserved 24", "reserved 25", "reserved 26", "reserved 27",
    "reserved 28", "reserved 29", "security", "reserved 31",
};

/* An exception or unexpected trap in kernel mode: one panic line with the
 * registers. Never returns. */
static void kernel_mode_fault(const struct trapframe *f) __attribute__((noreturn));
static void kernel_mode_fault(const struct trapframe *f)
{
    kernel_panic("kernel %s (vector %u) err=0x%x eip=0x%x cr2=0x%x eax=0x%x ebx=0x%x "
                 "ecx=0x%x edx=0x%x esi=0x%x edi=0x%x ebp=0x%x esp=0x%x eflags=0x%x",
                 f->vector < 32 ? exception_names[f->vector] : "trap", f->vector,
                 f->error, f->eip, read_cr2(), f->eax, f->ebx, f->ecx, f->edx,
                 f->esi, f->edi, f->ebp, (uint32_t)&f->esp, f->eflags);
}

/* A hardware interrupt on line irq: acknowledge it and hand it to the core.
 * Lines other than the clock stay masked until arch_irq_enable(). */
static void hardware_interrupt(int irq)
{
    if ((irq == 7 || irq == 15) && pic_spurious(irq))
        return;
    if (irq == CLOCK_IRQ) {
        pic_eoi(irq);
        kernel_clock_tick();
        return;
    }
    if (irq == COM2_IRQ) {
        /* Perf: control-channel input, run now rather than at the next
         * tick (serial.c). Kernel-owned line: no driver is notified. */
        pic_eoi(irq);
        ctl_poll();
        return;
    }
    arch_irq_disable(irq);
    pic_eoi(irq);
    kernel_irq(irq);
}

/* Entered from entry.S for every vector with interrupts disabled and f on
 * the kernel stack. Never returns: ends in arch_run_next(). */
void arch_trap(struct trapframe *f)
{
    struct proc *p = NULL;
    int from_user = (f->cs & 3) == 3;
    uint32_t vec = f->vector;

    KASSERT(!(read_eflags() & EFLAGS_IF));
    if (from_user) {
        p = current_proc;
        KASSERT(p != NULL);
        /* Normally entry.S built f in p's slot already (TSS esp0); copy only
         * if it did not (first trap after boot set-up would be one). */
        if (f != &p->p_arch.frame)
            p->p_arch.frame = *f;
    } else if (vec < VEC_IRQ0 || vec >= VEC_IRQ0 + NR_IRQS) {
        /* The kernel itself only takes interrupts, and only while idle. */
        kernel_mode_fault(f);
    }

    if (vec >= VEC_IRQ0 && vec < VEC_IRQ0 + NR_IRQS) {
        hardware_interrupt((int)(vec - VEC_IRQ0));
    } else if (vec == VEC_IPC) {
        /* ipc_entry normally goes there directly; one caller of
         * kernel_ipc_trap lets the compiler inline it there. */
        arch_ipc_trap(f);
    } else if (vec == VEC_KCALL) {
        kernel_call_trap(p, f->ecx);
    } else if (vec < 32) {
        kernel_exception(p, (int)vec, f->error,
                         vec == VEC_PAGE_FAULT ? read_cr2() : 0, f->eip);
    } else {
        kernel_panic("unexpected vector %u from user mode", vec);
    }
    arch_run_next();
}

static void run_proc(struct proc *p) __attribute__((noreturn));

/* Entered from entry.S (ipc_entry) for the IPC trap from user mode, with
 * interrupts disabled (an interrupt gate) and f the frame the trap built.
 * As arch_trap for VEC_IPC, without the generic dispatch: this is three
 * of the traps of every IPC round trip. Never returns. */
void arch_ipc_trap(struct trapframe *f)
{
    struct proc *p = current_proc, *next;

    KASSERT(p != NULL);
    if (f != &p->p_arch.frame)          /* as arch_trap */
        p->p_arch.frame = *f;
    kernel_ipc_trap(p, (int)f->eax, (endpoint_t)f->ebx, f->ecx, f->edx);
    /* p goes on (a SEND taken at once, a RECEIVE with a message waiting):
     * its registers are the frame its trap saved in its slot (so TSS esp0
     * already points past it) and its page directory is loaded; an IPC
     * trap changes neither. Resume it without arch_run_next's checks and
     * set-up, which are for a process coming from elsewhere. */
    next = kernel_pick_proc();
    if (next == p && f == &p->p_arch.frame)
        arch_resume(f);
    run_proc(next);     /* already picked: not arch_run_next's second pick */
}

/* Run kernel_pick_proc()'s choice: load its address space and registers
 * and return to user mode, or idle until an interrupt if there is none.
 * Interrupts disabled. Never returns. */
void arch_run_next(void)
{
    run_proc(kernel_pick_proc());
}

/* arch_run_next with p kernel_pick_proc()'s choice, just made. */
static void run_proc(struct proc *p)
{
    current_proc = p;
    if (p == NULL)
        arch_idle_loop();
    if (p->p_arch.pdir == 0)
        kernel_panic("pick_proc chose %s (slot %d) which has no address space",
                     p->p_name, p->p_nr);
    KASSERT((p->p_arch.frame.cs & 3) == 3 && (p->p_arch.frame.ss & 3) == 3);
    cpu_set_trap_frame(&p->p_arch.frame + 1);  /* p's next trap saves in place */
    switch_address_space(p->p_arch.pdir);
    arch_resume(&p->p_arch.frame);
}

/* Set the value p's trap returns (eax) when p next runs. */
void arch_set_result(struct proc *p, int result)
{
    KASSERT(p != NULL);
    p->p_arch.frame.eax = (uint32_t)result;
}
