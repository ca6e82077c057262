/*
 * i386 entry points: the multiboot v1 header, the first instruction the boot
 * loader jumps to, the one kernel stack, the interrupt/trap stubs, the
 * return to a process (arch_resume) and the idle loop.
 *
 * Every stub builds a struct trapframe (arch_proc.h) and calls
 * arch_trap(frame) (the IPC trap: arch_ipc_trap), which never returns: the kernel is not preemptible, so
 * its stack is discarded on every return to user mode. A trap from user mode
 * builds the frame in the running process's slot (TSS esp0 points at the end
 * of its p_arch.frame, see cpu_set_trap_frame) and then moves to the kernel
 * stack; an interrupt while idle builds it on the kernel stack.
 */

#define MB_MAGIC    0x1BADB002
#define MB_FLAGS    0x00000003      /* bit 0: page-aligned modules; bit 1: memory info */

#define SEL_KDATA   0x10

    .section .multiboot, "a"
    .p2align 2
multiboot_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .bss
    .p2align 12
    .globl kernel_stack_bottom
kernel_stack_bottom:
    .space 16384                    /* KERNEL_STACK_SIZE */
    .globl kernel_stack_top
kernel_stack_top:

    .text

/*
 * _start: entered by the multiboot loader in 32-bit protected mode with
 * paging off, interrupts off, eax = the multiboot magic and ebx = the
 * physical address of the multiboot information. Calls
 * arch_boot_main(magic, info), which never returns.
 */
    .globl _start
_start:
    cli
    cld
    movl $kernel_stack_top, %esp
    xorl %ebp, %ebp
    pushl $0                        /* no flags bits beyond reserved bit 1 */
    popfl
    pushl %ebx
    pushl %eax
    call arch_boot_main
1:  cli
    hlt
    jmp 1b

/*
 * Interrupt stubs. TRAP_NOERR pushes a zero error code where the CPU pushes
 * none, so every frame has the same layout; both push the vector and join
 * trap_common. trap_vectors[] maps a vector to its stub for the IDT.
 */
    .macro TRAP_NOERR vec
    .p2align 4
trap_\vec:
    pushl $0
    pushl $\vec
    jmp trap_common
    .pushsection .data
    .long \vec, trap_\vec
    .popsection
    .endm

    .macro TRAP_ERR vec
    .p2align 4
trap_\vec:
    pushl $\vec
    jmp trap_common
    .pushsection .data
    .long \vec, trap_\vec
    .popsection
    .endm

    .pushsection .data
    .p2align 2
    .globl trap_vectors
trap_vectors:                       /* pairs (vector, stub), ended by (-1, 0) */
    .popsection

    TRAP_NOERR 0
    TRAP_NOERR 1
    TRAP_NOERR 2
    TRAP_NOERR 3
    TRAP_NOERR 4
    TRAP_NOERR 5
    TRAP_NOERR 6
    TRAP_NOERR 7
    TRAP_ERR   8
    TRAP_NOERR 9
    TRAP_ERR   10
    TRAP_ERR   11
    TRAP_ERR   12
    TRAP_ERR   13
    TRAP_ERR   14
    TRAP_NOERR 15
    TRAP_NOERR 16
    TRAP_ERR   17
    TRAP_NOERR 18
    TRAP_NOERR 19
    TRAP_NOERR 20
    TRAP_ERR   21
    TRAP_NOERR 22
    TRAP_NOERR 23
    TRAP_NOERR 24
    TRAP_NOERR 25
    TRAP_NOERR 26
    TRAP_NOERR 27
    TRAP_NOERR 28
    TRAP_ERR   29
    TRAP_ERR   30
    TRAP_NOERR 31
    TRAP_NOERR 32
    TRAP_NOERR 33
    TRAP_NOERR 34
    TRAP_NOERR 35
    TRAP_NOERR 36
    TRAP_NOERR 37
    TRAP_NOERR 38
    TRAP_NOERR 39
    TRAP_NOERR 40
    TRAP_NOERR 41
    TRAP_NOERR 42
    TRAP_NOERR 43
    TRAP_NOERR 44
    TRAP_NOERR 45
    TRAP_NOERR 46
    TRAP_NOERR 47
    /* Vector 48 (VEC_IPC, int $0x30) has its own entry: see ipc_entry. */
    .p2align 4
trap_48:
    pushl $0
    pushl $48
    jmp ipc_entry
    .pushsection .data
    .long 48, trap_48
    .popsection
    TRAP_NOERR 49

    .pushsection .data
    .long -1, 0
    .popsection

/*
 * trap_common: the rest of the frame (segment and general registers), then
 * kernel data segments, the kernel stack if the frame is in a process slot
 * (from user mode), and arch_trap(frame). Interrupts are off (all gates are
 * interrupt gates).
 */
trap_common:
    pushal
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    movw $SEL_KDATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    cld
    movl %esp, %eax
    testl $3, 60(%eax)              /* frame->cs: from user mode? */
    jz 2f
    movl $kernel_stack_top, %esp    /* frame is in the slot: leave it */
2:  xorl %ebp, %ebp                 /* end of the frame-pointer chain */
    pushl %eax
    call arch_trap
1:  cli
    hlt
    jmp 1b

/*
 * ipc_entry: the IPC trap (int $0x30, three per SENDREC round trip) as
 * trap_common, but straight to arch_ipc_trap instead of arch_trap's
 * generic dispatch on the vector. Only user mode can reach the gate
 * (DPL 3 and the kernel never uses it); a trap from kernel mode all the
 * same takes the generic path, which panics on it.
 */
ipc_entry:
    pushal
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    movw $SEL_KDATA, %ax
    movw %ax, %ds
    movw %ax, %es                   /* fs, gs: the kernel never uses them */
    cld
    movl %esp, %eax
    testl $3, 60(%eax)              /* frame->cs: from user mode? */
    jz 2f
    movl $kernel_stack_top, %esp    /* frame is in the slot: leave it */
    xorl %ebp, %ebp                 /* end of the frame-pointer chain */
    pushl %eax
    call arch_ipc_trap
1:  cli
    hlt
    jmp 1b
2:  movw $SEL_KDATA, %cx            /* the generic path, with all of them */
    movw %cx, %fs
    movw %cx, %gs
    xorl %ebp, %ebp
    pushl %eax
    call arch_trap
    jmp 1b

/*
 * arch_resume(struct trapframe *f): load f's registers and iret to user
 * mode. f must be a complete user frame (ss:esp present) and stay in place
 * until the iret (it lives in the process slot). Must be called with
 * interrupts disabled and the process's page directory loaded. Never returns.
 */
    .globl arch_resume
arch_resume:
    movl 4(%esp), %esp
    popl %gs
    popl %fs
    popl %es
    popl %ds
    popal
    addl $8, %esp                   /* vector, error code */
    iretl

/*
 * arch_idle_loop: nothing is runnable. Resets the kernel stack and waits
 * with interrupts on; each interrupt enters arch_trap, which runs the next
 * process or comes back here. Must be called with interrupts disabled.
 */
    .globl arch_idle_loop
arch_idle_loop:
    movl $kernel_stack_top, %esp
    xorl %ebp, %ebp
1:  sti                             /* the interrupt window opens at hlt */
    hlt
    cli
    jmp 1b

/*
 * load_gdt(void *gdtr, uint32_t tss_sel): install a GDT, reload every
 * segment register with the kernel selectors and load the task register.
 * Called once at boot with interrupts disabled.
 */
    .globl load_gdt
load_gdt:
    movl 4(%esp), %eax
    lgdt (%eax)
    movw $SEL_KDATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    ljmpl $0x08, $1f
1:  movl 8(%esp), %eax
    ltr %ax
    ret

/*
 * load_idt(void *idtr): install the IDT. Called once at boot with interrupts
 * disabled.
 */
    .globl load_idt
load_idt:
    movl 4(%esp), %eax
    lidt (%eax)
    ret
