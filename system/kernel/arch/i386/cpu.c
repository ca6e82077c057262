/*
 * Descriptor tables: the GDT (flat kernel and user code/data segments and
 * the TSS), the TSS (only ss0:esp0, the one kernel stack, and no I/O bitmap:
 * user mode has no port access) and the IDT (exceptions, PIC interrupts and
 * the two traps, the traps callable from ring 3).
 */
#include "kernel.h"
#include "i386.h"

struct seg_desc {
    uint16_t limit_lo;
    uint16_t base_lo;
    uint8_t  base_mid;
    uint8_t  access;
    uint8_t  limit_hi_flags;
    uint8_t  base_hi;
} __attribute__((packed));

struct gate_desc {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t  zero;
    uint8_t  type_attr;
    uint16_t offset_hi;
} __attribute__((packed));

struct tss {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2;
    uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap_base;
} __attribute__((packed));

struct table_reg {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

CRUCIBLE_STATIC_ASSERT(sizeof(struct tss) == 104, "TSS layout");
CRUCIBLE_STATIC_ASSERT(sizeof(struct gate_desc) == 8, "gate layout");

#define NR_GDT  6
#define NR_IDT  256

/* Access bytes. */
#define ACC_CODE(dpl)   (0x9A | ((dpl) << 5))   /* present, code, readable */
#define ACC_DATA(dpl)   (0x92 | ((dpl) << 5))   /* present, data, writable */
#define ACC_TSS         0x89                    /* present, 32-bit TSS available */
#define GATE_INTR(dpl)  (0x8E | ((dpl) << 5))   /* present, 32-bit interrupt gate */

static struct seg_desc gdt[NR_GDT] __attribute__((aligned(8)));
static struct gate_desc idt[NR_IDT] __attribute__((aligned(8)));
static struct tss tss __attribute__((aligned(16)));

/* Fill GDT entry i. flat = 4 GiB, 32-bit, page granular. */
static void set_seg(int i, uint32_t base, uint32_t limit, uint8_t access, int flat)
{
    KASSERT(i > 0 && i < NR_GDT);
    gdt[i].limit_lo = limit & 0xffff;
    gdt[i].base_lo = base & 0xffff;
    gdt[i].base_mid = (base >> 16) & 0xff;
    gdt[i].access = access;
    gdt[i].limit_hi_flags = ((limit >> 16) & 0x0f) | (flat ? 0xC0 : 0x00);
    gdt[i].base_hi = (base >> 24) & 0xff;
}

/* Point IDT entry vec at handler through an interrupt gate (interrupts off
 * on entry) callable from privilege level dpl. */
static void set_gate(int vec, uint32_t handler, int dpl)
{
    KASSERT(vec >= 0 && vec < NR_IDT);
    idt[vec].offset_lo = handler & 0xffff;
    idt[vec].selector = SEL_KCODE;
    idt[vec].zero = 0;
    idt[vec].type_attr = GATE_INTR(dpl);
    idt[vec].offset_hi = handler >> 16;
}

/* Make the next trap from user mode save its frame at the top of 'frame_end'
 * (the end of the struct trapframe in the process slot that is about to
 * run): the CPU pushes ss:esp, eflags, cs:eip at ss0:esp0 and entry.S the
 * rest below them, so arch_trap finds the registers already in place and
 * need not copy them (that copy was ~20 instructions per trap). */
void cpu_set_trap_frame(void *frame_end)
{
    tss.esp0 = (uint32_t)frame_end;
}

/* Build and load the GDT, TSS and IDT. Called once at boot, interrupts
 * disabled, before anything can trap. */
void cpu_init(void)
{
    struct table_reg gdtr, idtr;
    const uint32_t *v;

    set_seg(1, 0, 0xfffff, ACC_CODE(0), 1);
    set_seg(2, 0, 0xfffff, ACC_DATA(0), 1);
    set_seg(3, 0, 0xfffff, ACC_CODE(3), 1);
    set_seg(4, 0, 0xfffff, ACC_DATA(3), 1);

    tss.ss0 = SEL_KDATA;
    tss.esp0 = (uint32_t)kernel_stack_top;
    tss.iomap_base = sizeof(struct tss);        /* beyond the limit: no I/O bitmap */
    set_seg(5, (uint32_t)&tss, sizeof(struct tss) - 1, ACC_TSS, 0);

    gdtr.limit = sizeof(gdt) - 1;
    gdtr.base = (uint32_t)gdt;
    load_gdt(&gdtr, SEL_TSS);

    /* Every stub gets a gate; only the two traps are reachable from ring 3.
     * Vectors without a stub stay not-present (#NP / #GP if used). */
    for (v = trap_vectors; v[0] != 0xffffffffu; v += 2) {
        int vec = (int)v[0];
        set_gate(vec, v[1], (vec == VEC_IPC || vec == VEC_KCALL) ? 3 : 0);
    }
    idtr.limit = sizeof(idt) - 1;
    idtr.base = (uint32_t)idt;
    load_idt(&idtr);
}
