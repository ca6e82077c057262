/*
 * TTY, the console: writes what every process sends it to the first
 * serial port (COM1), which QEMU connects to the host. TTY_WRITE copies a
 * buffer from the caller (user processes, SENDREC); TTY_WRITE_INLINE
 * carries up to 48 bytes in the message (system processes, sent with
 * SENDNB and never answered). TTY_WRITE's reply is the number of bytes
 * written.
 *
 * The kernel has already programmed the UART for its own output; TTY only
 * polls the line status and sends bytes. TTY's own printf goes through
 * libsys, which uses SYS_DIAGCTL when the sender is TTY itself.
 */
#include <crucible/sef.h>
#include "proto.h"
#include "glo.h"

uint32_t tty_port;
int tty_busy;
uint32_t tty_bytes;
uint32_t tty_requests;

/* SEF init (fresh, restart and live update alike): console on COM1. */
static int tty_init(int type, sef_init_info_t *info)
{
    (void)type;
    (void)info;
    tty_port = COM1_BASE;
    tty_busy = 0;
    tty_bytes = 0;
    tty_requests = 0;
    return OK;
}

/* TTY: start under SEF, then answer write requests forever. */
int main(void)
{
    message m;
    int r;

    sef_setcb_init_fresh(tty_init);
    sef_setcb_sanity(tty_sanity);
    sef_startup();

    for (;;) {
        if (sef_receive(&m) != OK)
            continue;
        if (IS_NOTIFY(&m))
            continue;           /* TTY expects no notifications */
        r = tty_dispatch(&m);
        if (r != EDONTREPLY)
            sef_reply(m.m_source, &m, r);
    }
}
