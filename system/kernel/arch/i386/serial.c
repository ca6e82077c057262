/*
 * Polled 16550 UART driver for COM1 (console) and COM2 (control channel),
 * and arch_console_write on top of COM1.
 */
#include "kernel.h"
#include "i386.h"
#include "serial.h"

#define COM1 0x3f8
#define COM2 0x2f8

/* UART registers, as offsets from the base port. */
#define UART_DATA   0   /* RBR/THR; divisor low with DLAB */
#define UART_IER    1   /* interrupt enable; divisor high with DLAB */
#define UART_FCR    2   /* FIFO control */
#define UART_LCR    3   /* line control */
#define UART_MCR    4   /* modem control */
#define UART_LSR    5   /* line status */

#define LCR_DLAB    0x80
#define LCR_8N1     0x03
#define LSR_DR      0x01    /* a received byte is waiting */
#define LSR_THRE    0x20    /* transmit holding register empty */

#define UART_CLOCK  115200
#define BAUD        115200

/* Program one UART for BAUD 8N1 with FIFOs and no interrupts. */
static void uart_init(uint16_t base)
{
    uint16_t divisor = UART_CLOCK / BAUD;

    outb(base + UART_IER, 0x00);
    outb(base + UART_LCR, LCR_DLAB);
    outb(base + UART_DATA, divisor & 0xff);
    outb(base + UART_IER, divisor >> 8);
    outb(base + UART_LCR, LCR_8N1);
    outb(base + UART_FCR, 0xC7);        /* enable, clear both FIFOs, 14-byte trigger */
    outb(base + UART_MCR, 0x03);        /* DTR, RTS; OUT2 off: no IRQ to the PIC */
}

/* Write c to the UART at base once its transmitter has room. A missing
 * UART reads 0xff, which looks ready, so this cannot hang. */
static void uart_putc(uint16_t base, char c)
{
    int spins = 100000;

    while (!(inb(base + UART_LSR) & LSR_THRE) && --spins > 0)
        ;
    outb(base + UART_DATA, (uint8_t)c);
}

/* Program COM1 and COM2. Called once, first thing at boot. */
void serial_init(void)
{
    uart_init(COM1);
    uart_init(COM2);
}

/* Write one byte to COM1. Callable anywhere with interrupts off. */
void arch_com1_putc(char c)
{
    uart_putc(COM1, c);
}

/* Write one byte to COM2. Callable anywhere with interrupts off. */
void arch_com2_putc(char c)
{
    uart_putc(COM2, c);
}

/* A byte from COM2, or -1 if none has arrived. Never blocks. */
int arch_com2_getc_nonblock(void)
{
    uint8_t lsr = inb(COM2 + UART_LSR);

    if (lsr == 0xff || !(lsr & LSR_DR))
        return -1;
    return inb(COM2 + UART_DATA);
}

/* arch.h: the control channel is COM2. */
int arch_ctl_getc(void)
{
    return arch_com2_getc_nonblock();
}

/* arch.h: write n bytes to the control channel (COM2). */
void arch_ctl_write(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        uart_putc(COM2, s[i]);
}

/* Console output: the bytes go to COM1 unchanged (no \n -> \r\n, so the
 * host's capture has plain lines). Callable anywhere, interrupts off. */
void arch_console_write(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        uart_putc(COM1, s[i]);
}
