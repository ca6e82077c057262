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
    /* Perf: COM2 interrupts on received data (IRQ 3, unmasked by
     * serial_ctl_irq_start), with a 1-byte FIFO trigger so the first byte
     * of a command raises it at once: commands run on arrival
     * (trap.c -> ctl_poll) instead of at the next tick, which an idle
     * guest waits for in HLT. Output stays polled (ring below). The
     * per-tick poll remains (bytes left after CTL_POLL_MAX or during a
     * sanity round). */
    outb(COM2 + UART_FCR, 0x07);        /* enable, clear both FIFOs, 1-byte trigger */
    outb(COM2 + UART_IER, 0x01);        /* received data available */
    outb(COM2 + UART_MCR, 0x0B);        /* DTR, RTS, OUT2: IRQ to the PIC */
}

/* Unmask COM2's receive interrupt at the PIC. Called once with the timer
 * started, interrupts disabled. */
void serial_ctl_irq_start(void)
{
    arch_irq_enable(COM2_IRQ);
}

/* Write one byte to COM1. Callable anywhere with interrupts off. */
void arch_com1_putc(char c)
{
    uart_putc(COM1, c);
}

/* A byte from COM2, or -1 if none has arrived. Never blocks. */
int arch_com2_getc_nonblock(void)
{
    uint8_t lsr = inb(COM2 + UART_LSR);

    if (lsr == 0xff || !(lsr & LSR_DR))
        return -1;
    return inb(COM2 + UART_DATA);
}

/*
 * Control-channel output. The host may be slow to read the socket behind
 * COM2; QEMU then keeps the UART's transmitter busy, and writing anyway
 * would overwrite a byte and splice two JSON lines together (campaigns
 * would misread the events). So output goes through a ring, and only
 * complete lines leave it, while the transmitter has room: at every write
 * and at every poll (each clock tick). A line that does not fit is dropped
 * whole, and a ctl_overflow event says how many bytes were lost once there
 * is room again: nothing is lost silently and no line is ever cut.
 */
#define CTL_RING 16384
static char ctl_ring[CTL_RING];
static uint32_t ctl_head, ctl_tail;     /* free-running; head - tail = used */
static uint32_t ctl_line;               /* where the unfinished line began */
static uint32_t ctl_dropped;            /* bytes dropped, not yet reported */
static int ctl_skipping;                /* dropping the rest of a line */

/* Send complete lines from the ring while COM2's transmitter has room.
 * Interrupts off. */
static void ctl_drain(void)
{
    while (ctl_tail != ctl_line) {
        uint8_t lsr = inb(COM2 + UART_LSR);
        if (lsr == 0xff) {              /* no COM2: nothing to wait for */
            ctl_tail = ctl_line;
            return;
        }
        if (!(lsr & LSR_THRE))
            return;
        outb(COM2 + UART_DATA, (uint8_t)ctl_ring[ctl_tail++ % CTL_RING]);
    }
}

/* Queue one byte; a line that does not fit is dropped whole (its queued
 * part is taken back: it has not been sent, only complete lines are). */
static void ctl_queue(char c)
{
    if (ctl_skipping) {
        ctl_dropped++;
        if (c == '\n') {
            ctl_skipping = 0;
            ctl_line = ctl_head;
        }
        return;
    }
    if (ctl_head - ctl_tail == CTL_RING) {
        ctl_dropped += ctl_head - ctl_line + 1;
        ctl_head = ctl_line;
        ctl_skipping = (c != '\n');
        return;
    }
    ctl_ring[ctl_head++ % CTL_RING] = c;
    if (c == '\n')
        ctl_line = ctl_head;
}

/* Send every complete line still queued, waiting for the transmitter
 * (bounded: a host that never reads cannot stop the machine from ending).
 * For the last words before arch_shutdown. Interrupts off. */
void serial_ctl_flush(void)
{
    for (long spins = 0; ctl_tail != ctl_line && spins < 50000000; spins++)
        ctl_drain();
}

/* arch.h: the control channel is COM2; each poll also sends pending
 * output. */
int arch_ctl_getc(void)
{
    ctl_drain();
    return arch_com2_getc_nonblock();
}

/* arch.h: queue n bytes for the control channel (COM2) and send the
 * complete lines the UART takes now. Between lines, a pending loss is
 * reported first. */
void arch_ctl_write(const char *s, size_t n)
{
    char note[64];
    int len;

    if (ctl_dropped && ctl_head == ctl_line && !ctl_skipping) {
        len = ksnprintf(note, sizeof note,
                        "{\"event\":\"ctl_overflow\",\"dropped\":%u}\n",
                        (unsigned)ctl_dropped);
        if (len > 0 && (uint32_t)len <= CTL_RING - (ctl_head - ctl_tail)) {
            for (int i = 0; i < len; i++)
                ctl_queue(note[i]);
            ctl_dropped = 0;
        }
    }
    for (size_t i = 0; i < n; i++)
        ctl_queue(s[i]);
    ctl_drain();
}

/* Console output: the bytes go to COM1 unchanged (no \n -> \r\n, so the
 * host's capture has plain lines). Callable anywhere, interrupts off. */
void arch_console_write(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        uart_putc(COM1, s[i]);
}
