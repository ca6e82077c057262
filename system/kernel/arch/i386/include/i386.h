/*
 * Internal interfaces of the i386 platform: segment selectors, control
 * register and port helpers, and the functions the platform's files call in
 * each other. Nothing outside kernel/arch/i386 includes this.
 */
#ifndef KERNEL_ARCH_I386_I386_H
#define KERNEL_ARCH_I386_I386_H

#include <crucible/types.h>
#include "arch_proc.h"

/* GDT selectors (index << 3 | RPL). */
#define SEL_KCODE   0x08
#define SEL_KDATA   0x10
#define SEL_UCODE   (0x18 | 3)
#define SEL_UDATA   (0x20 | 3)
#define SEL_TSS     0x28

/* Interrupt vectors. */
#define VEC_IRQ0        0x20        /* PIC master: IRQ 0-7 -> 0x20-0x27 */
#define VEC_IRQ8        0x28        /* PIC slave:  IRQ 8-15 -> 0x28-0x2f */
#define VEC_IPC         0x30        /* int $0x30: IPC primitive */
#define VEC_KCALL       0x31        /* int $0x31: kernel call */
#define NR_IRQS         16
#define CLOCK_IRQ       0
#define COM2_IRQ        3       /* control channel input (serial.c) */
#define CASCADE_IRQ     2

#define VEC_PAGE_FAULT  14

#define EFLAGS_IF       0x200
#define EFLAGS_RESERVED 0x002       /* bit 1 always reads 1 */

#define KERNEL_STACK_SIZE (16 * 1024)

/* Page table entry bits. */
#define PTE_P   0x001               /* present */
#define PTE_W   0x002               /* writable */
#define PTE_U   0x004               /* user-accessible */
#define PTE_PS  0x080               /* 4 MiB page (in a PDE, with CR4.PSE) */
#define PTE_ADDR 0xFFFFF000u

#define PDE_INDEX(va)   ((uint32_t)(va) >> 22)
#define PTE_INDEX(va)   (((uint32_t)(va) >> 12) & 0x3ff)
#define PAGE_MASK       (PAGE_SIZE - 1)
#define PAGE_ROUND_UP(a)   (((a) + PAGE_MASK) & ~(uint32_t)PAGE_MASK)
#define PAGE_ROUND_DOWN(a) ((a) & ~(uint32_t)PAGE_MASK)

/* ---- port I/O and control registers ---- */
static inline void outb(uint16_t port, uint8_t v)
{ __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{ uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outl(uint16_t port, uint32_t v)
{ __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint32_t inl(uint16_t port)
{ uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t read_cr2(void)
{ uint32_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr3(void)
{ uint32_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline void write_cr3(uint32_t v)
{ __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline uint32_t read_eflags(void)
{ uint32_t v; __asm__ volatile("pushfl; popl %0" : "=r"(v)); return v; }

/* ---- entry.S ---- */
extern uint8_t kernel_stack_top[];          /* top of the one kernel stack */
extern const uint32_t trap_vectors[]; /* (vector, stub) pairs, ended by vector -1 */
void arch_resume(struct trapframe *f) __attribute__((noreturn));
void arch_idle_loop(void) __attribute__((noreturn));
void load_gdt(void *gdtr, uint32_t tss_sel);
void cpu_set_trap_frame(void *frame_end);     /* cpu.c: TSS esp0 */
void load_idt(void *idtr);

/* ---- cpu.c ---- */
void cpu_init(void);

/* ---- trap.c ---- */
void arch_trap(struct trapframe *f) __attribute__((noreturn));
void arch_ipc_trap(struct trapframe *f) __attribute__((noreturn));
void arch_run_next(void) __attribute__((noreturn));

/* ---- fast copies (string instructions) ----
 * The core's kmemcpy/kmemset are portable C; the platform's hot paths (IPC
 * message copies, page zeroing and copying, ELF loading) use these instead:
 * one rep movsl/stosl moves a word per step, where a byte loop costs
 * several instructions per byte (measured: most of an IPC round trip). */

/* Copies n bytes from s to d; the ranges must not overlap. Direction flag
 * clear (the kernel keeps it clear). */
static inline void fast_copy(void *d, const void *s, size_t n)
{
    size_t words = n >> 2, rest = n & 3;

    __asm__ volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
    if (rest)
        __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(rest) : : "memory");
}

/* Fills n bytes at d with zero. */
static inline void fast_zero(void *d, size_t n)
{
    size_t words = n >> 2, rest = n & 3;

    __asm__ volatile("rep stosl" : "+D"(d), "+c"(words) : "a"(0) : "memory");
    if (rest)
        __asm__ volatile("rep stosb" : "+D"(d), "+c"(rest) : "a"(0) : "memory");
}

/* ---- pic.c ---- */
void pic_init(void);
void pic_eoi(int irq);
int  pic_spurious(int irq);
void pit_start(void);

/* ---- memory.c ---- */
void mem_init(uint32_t mem_top);
void mem_reserve(phys_bytes start, phys_bytes end);
void mem_add_free(phys_bytes start, phys_bytes end);
void paging_init(void);
phys_bytes frame_alloc(void);
void frame_free(phys_bytes f);
phys_bytes kernel_pdir_phys(void);
void switch_address_space(phys_bytes pdir);
uint32_t *pt_lookup(phys_bytes pdir, vir_bytes va);
phys_bytes as_create(void);
int  as_map_page(phys_bytes pdir, uint32_t *pages, vir_bytes va, uint32_t flags,
                 phys_bytes *frame);
void as_destroy(phys_bytes pdir);
int  as_copy(phys_bytes src, phys_bytes *dst, uint32_t *pages);

/* ---- boot.c ---- */
extern uint32_t boot_mem_bytes;

#endif
