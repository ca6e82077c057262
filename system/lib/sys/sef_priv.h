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
/* With a manager callback: hand it every process with pending signals
 * (sys_getksig until NONE); returns 1 if there was one. */
int  sef_signal_drain(void);
void sef_sanity_after_message(void);    /* sef_sanity.c */
void sef_sanity_report(void);           /* run the check, answer DIAG_SANITY */
/* sef_inject.c: a sef fault fired on m (receive result 'code'): act on it.
 * Returns 1 if m must still go to the server, 0 if it was consumed. */
int  inject_sef_fire(int code, message *m);
/* sef.c: nonzero if m (not a notification) wants an answer: a request
 * (type > 0), or a reply-typed message whose sender waits for ours (a
 * SENDREC with a bad type). Any other reply-typed message is a stray or
 * duplicated reply; answering it would let two servers answer each
 * other's errors for ever. */
int  sef_answer_due(const message *m);
/* sef.c: every receive SEF makes; carries out sef faults (the one site). */
int  sef_ipc_receive(endpoint_t src, message *m);
/* sef_inject.c: copy every transferable state variable from old_ep
 * (sys_vircopy, same address on both sides). Returns SEF_XFER_NONE (old_ep
 * NONE or nothing registered), SEF_XFER_OK, or SEF_XFER_FAILED with the
 * first failing copy's error in *error (later variables not copied). */
#define SEF_XFER_MAX_BYTES (64u * 1024)     /* per variable */
int  sef_state_xfer(endpoint_t old_ep, int *error);
/* sef_inject.c: a SYSTEM notification carrying reasons: run what they
 * ask; returns 1 if m is consumed, 0 if it goes on to the server. */
int  sef_reasons_handle(message *m);

#endif
