/*
 * The two 8259A interrupt controllers (IRQ 0-7 at vectors 0x20-0x27,
 * IRQ 8-15 at 0x28-0x2f) and the 8254 timer (channel 0 at HZ on IRQ 0).
 *
 * Policy: every line starts masked except the cascade. The clock line is
 * unmasked by pit_start(). Any other line is unmasked by arch_irq_enable()
 * and, when it fires, is masked again and acknowledged before kernel_irq()
 * runs (MINIX style: the driver re-enables it through SYS_IRQCTL once it has
 * serviced the device).
 */
#include "kernel.h"
#include "i386.h"

#define PIC1_CMD    0x20
#define PIC1_DATA   0x21
#define PIC2_CMD    0xA0
#define PIC2_DATA   0xA1
#define PIC_EOI     0x20
#define PIC_READ_ISR 0x0B

#define PIT_CH0     0x40
#define PIT_CMD     0x43
#define PIT_FREQ    1193182u

static uint16_t irq_mask = 0xffff;      /* bit set = line masked */

/* Write irq_mask to both controllers. */
static void pic_write_mask(void)
{
    outb(PIC1_DATA, irq_mask & 0xff);
    outb(PIC2_DATA, irq_mask >> 8);
}

/* Remap the controllers to vectors 0x20-0x2f, all lines masked but the
 * cascade. Called once at boot with interrupts disabled. */
void pic_init(void)
{
    outb(PIC1_CMD, 0x11);               /* ICW1: edge, cascade, ICW4 follows */
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, VEC_IRQ0);          /* ICW2: vector base */
    outb(PIC2_DATA, VEC_IRQ8);
    outb(PIC1_DATA, 1 << CASCADE_IRQ);  /* ICW3: slave on IRQ 2 */
    outb(PIC2_DATA, CASCADE_IRQ);
    outb(PIC1_DATA, 0x01);              /* ICW4: 8086 mode */
    outb(PIC2_DATA, 0x01);
    irq_mask = (uint16_t)~(1u << CASCADE_IRQ);
    pic_write_mask();
}

/* Acknowledge irq (0..15) at the controller(s). Interrupts disabled. */
void pic_eoi(int irq)
{
    KASSERT(irq >= 0 && irq < NR_IRQS);
    if (irq >= 8)
        outb(PIC2_CMD, PIC_EOI);
    outb(PIC1_CMD, PIC_EOI);
}

/* Whether an interrupt on irq 7 or 15 is spurious (not in service). A
 * spurious IRQ 15 still needs the master acknowledged for the cascade. */
int pic_spurious(int irq)
{
    if (irq == 7) {
        outb(PIC1_CMD, PIC_READ_ISR);
        return !(inb(PIC1_CMD) & 0x80);
    }
    if (irq == 15) {
        outb(PIC2_CMD, PIC_READ_ISR);
        if (!(inb(PIC2_CMD) & 0x80)) {
            outb(PIC1_CMD, PIC_EOI);
            return 1;
        }
    }
    return 0;
}

/* Unmask irq. Interrupts disabled (kernel context). */
void arch_irq_enable(int irq)
{
    KASSERT(irq >= 0 && irq < NR_IRQS);
    irq_mask &= (uint16_t)~(1u << irq);
    pic_write_mask();
}

/* Mask irq. Interrupts disabled (kernel context). The cascade stays on. */
void arch_irq_disable(int irq)
{
    KASSERT(irq >= 0 && irq < NR_IRQS);
    if (irq == CASCADE_IRQ)
        return;
    irq_mask |= (uint16_t)(1u << irq);
    pic_write_mask();
}

/* Start the timer at HZ and unmask its line. Called once, after
 * kernel_main(), with interrupts disabled. */
void pit_start(void)
{
    uint32_t divisor = (PIT_FREQ + HZ / 2) / HZ;

    KASSERT(divisor > 0 && divisor <= 0xffff);
    outb(PIT_CMD, 0x34);                /* channel 0, lo/hi byte, mode 2 */
    outb(PIT_CH0, divisor & 0xff);
    outb(PIT_CH0, divisor >> 8);
    arch_irq_enable(CLOCK_IRQ);
}
