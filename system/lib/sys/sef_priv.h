/*
 * lib/sys sef_priv.h: what the SEF files share. Each sef_*_handle()
 * looks at a message sef_receive() got and returns 1 if it was a SEF event
 * it consumed, 0 if the message belongs to the server.
 */
#ifndef CRUCIBLE_SEF_PRIV_H
#define CRUCIBLE_SEF_PRIV_H

#include <crucible/sef.h>

extern int sef_sanity_enabled;          /* sanity=1 on the kernel command line */

int  sef_ping_handle(message *m);       /* sef_ping.c */
void sef_ping_answer(endpoint_t rs);    /* run the ping callback */
int  sef_lu_handle(message *m);         /* sef_liveupdate.c */
void sef_lu_after_message(void);        /* retry a not-ready prepare */
int  sef_signal_handle(message *m);     /* sef_signal.c */
void sef_signal_deliver(int sig);       /* run the signal handler callback */
void sef_sanity_after_message(void);    /* sef_sanity.c */

#endif
