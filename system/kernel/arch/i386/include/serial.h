/*
 * The PC's two 16550 UARTs. COM1 (0x3f8) is the console behind
 * arch_console_write; COM2 (0x2f8) is reserved for the host control channel.
 * Both run at 115200 8N1, polled, except that COM2 interrupts (IRQ 3) on
 * received data so that control commands run on arrival.
 */
#ifndef KERNEL_ARCH_I386_SERIAL_H
#define KERNEL_ARCH_I386_SERIAL_H

/* Program both UARTs. Called once at boot, before any output. */
void serial_init(void);

/* Write one byte to COM1, waiting for room in the transmitter. */
void arch_com1_putc(char c);


/* One received byte from COM2 (0..255), or -1 if none is waiting.
 * Never blocks. */
int arch_com2_getc_nonblock(void);

/* Unmask COM2's receive interrupt (IRQ 3). Called once, interrupts off. */
void serial_ctl_irq_start(void);

/* Send the control channel's queued lines before the machine ends. */
void serial_ctl_flush(void);

#endif
