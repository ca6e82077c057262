/* TTY: the console UART (COM1), driven through sys_inb / sys_outb. */
#include <crucible/syslib.h>
#include "proto.h"
#include "glo.h"

/* How often to poll the line status before sending a byte anyway: the
 * UART is emulated and never stays busy, so this only bounds a broken one. */
#define THRE_POLLS      10000

/*
 * Wait for the transmitter to be empty (bounded), then send byte c.
 * Returns OK or the kernel call's error (e.g. ECALLDENIED without I/O
 * privilege for the port).
 */
static int serial_putc(uint8_t c)
{
    uint32_t lsr = 0;
    int i, r;

    for (i = 0; i < THRE_POLLS; i++) {
        if ((r = sys_inb(tty_port + UART_LSR, &lsr)) != OK)
            return r;
        if (lsr & LSR_THRE)
            break;
    }
    return sys_outb(tty_port + UART_THR, c);
}

/*
 * Write buf[len] to the UART, byte for byte as given (no newline
 * translation). Returns the number of bytes written (len unless the port
 * failed part way) or, when not even the first byte went out, the error.
 */
int serial_write(const char *buf, size_t len)
{
    size_t i;
    int r;

    for (i = 0; i < len; i++) {
        if ((r = serial_putc((uint8_t)buf[i])) != OK)
            return i > 0 ? (int)i : r;
        tty_bytes++;
    }
    return (int)len;
}
