/* TTY's functions. */
#ifndef TTY_PROTO_H
#define TTY_PROTO_H

#include <crucible/ipc.h>

#define COM1_BASE       0x3f8u  /* the console UART */
#define UART_THR        0       /* transmit holding register (write) */
#define UART_LSR        5       /* line status register (read) */
#define LSR_THRE        0x20    /* transmitter holding register empty */
#define TTY_CHUNK       64      /* bytes copied from a caller at a time */
#define TTY_MAX_WRITE   4096    /* longest TTY_WRITE served at once */

/* serial.c */
int serial_write(const char *buf, size_t len);

/* write.c */
int do_write(message *m);
int do_write_inline(message *m);

/* table.c */
int tty_dispatch(message *m);

/* sanity.c */
int tty_sanity(const char **invariant);

#endif
