/* TTY's globals. */
#ifndef TTY_GLO_H
#define TTY_GLO_H

#include <crucible/types.h>

extern uint32_t tty_port;       /* base I/O port of the console UART */
extern int tty_busy;            /* a write is in progress */
extern uint32_t tty_bytes;      /* bytes written since this instance began */
extern uint32_t tty_requests;   /* write requests answered */

#endif
