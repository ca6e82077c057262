/*
 * i386 part of a process slot (struct proc.p_arch): the user registers saved
 * by the last trap and the process's address space.
 *
 * Everything here is plain data (no pointers into the slot itself), so the
 * core may swap two slots' struct arch_proc by value (SYS_UPDATE): the
 * registers and the page directory travel together.
 */
#ifndef KERNEL_ARCH_I386_ARCH_PROC_H
#define KERNEL_ARCH_I386_ARCH_PROC_H

#include <crucible/types.h>

/*
 * The registers of a process as the trap entry code lays them out on the
 * kernel stack, lowest address first: the data segment registers, the
 * general registers in PUSHA order, the vector and error code pushed by the
 * entry stub, then the frame the CPU pushes on a privilege change.
 */
struct trapframe {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;
    uint32_t vector;            /* interrupt vector */
    uint32_t error;             /* CPU error code, 0 if none */
    uint32_t eip, cs, eflags;
    uint32_t esp, ss;           /* present only for traps from user mode */
};

struct arch_proc {
    struct trapframe frame;     /* user registers; restored by iret */
    phys_bytes pdir;            /* physical address of the page directory, 0 = none */
    uint32_t   pages;           /* frames owned: pdir + page tables + user pages */
    vir_bytes  heap_base;       /* start of the fixed heap (after bss) */
    vir_bytes  image_end;       /* end of the heap: lowest address above the image */
};

#endif
