/*
 * SEF, the System Event Framework. Every system process calls sef_startup()
 * once and then loops on sef_receive(). SEF answers RS's init, ping and
 * live-update messages and signal notifications itself, through callbacks
 * that have defaults and that a server may override before sef_startup().
 */
#ifndef CRUCIBLE_SEF_H
#define CRUCIBLE_SEF_H

#include <crucible/syslib.h>

typedef struct {
    int        type;            /* SEF_INIT_FRESH / RESTART / LU */
    endpoint_t old_endpoint;    /* RESTART / LU: the instance being replaced
                                 * (stopped, kept by RS until we answer), or
                                 * NONE: nothing to take state from */
    int        restarts;        /* how many times RS restarted us */
    int        xfer;            /* SEF_XFER_*: what happened to the state
                                 * variables registered as transferable; the
                                 * callback may set SEF_XFER_REJECTED */
    int        xfer_error;      /* SEF_XFER_FAILED: the copy's error */
} sef_init_info_t;

/* State transfer results (sef_init_info_t.xfer, RS_INIT reply m_rs_init.xfer).
 * Before the restart / LU callback runs, SEF copies every variable registered
 * with sef_state_register_xfer() from the old instance (same binary: same
 * addresses). The callback then checks the copy and either keeps it or sets
 * SEF_XFER_REJECTED and initializes fresh; with SEF_XFER_FAILED the
 * variables may be partly copied and must be initialized fresh. */
#define SEF_XFER_NONE       0   /* fresh start, no old instance, or nothing registered */
#define SEF_XFER_OK         1   /* every transferable variable copied */
#define SEF_XFER_FAILED     2   /* a copy failed (xfer_error): start fresh */
#define SEF_XFER_REJECTED   3   /* copied, but inconsistent: started fresh */

/* Init: return OK, or an error to make RS fail (fresh) or roll back (LU). */
typedef int (*sef_cb_init_t)(int type, sef_init_info_t *info);
void sef_setcb_init_fresh(sef_cb_init_t cb);
void sef_setcb_init_restart(sef_cb_init_t cb);   /* default: the fresh one */
void sef_setcb_init_lu(sef_cb_init_t cb);        /* default: the fresh one */

/* Ping: default replies with a notify to RS. */
void sef_setcb_ping_reply(void (*cb)(endpoint_t rs));

/* Live update. prepare(state): OK = ready now; ENOTREADY = not yet, SEF
 * will ask again after every message until ready; other errors refuse. */
void sef_setcb_lu_prepare(int (*cb)(int state));
void sef_setcb_lu_state_isvalid(int (*cb)(int state));  /* default: standard states */
void sef_setcb_lu_state_changed(void (*cb)(int old_state, int state));
void sef_setcb_lu_state_save(int (*cb)(int state));     /* before the swap */
int sef_lu_state(void);         /* current prepare state, NULL if none */

/* Signals. handler: a non-termination signal for us (default: ignore;
 * SIGTERM default: exit). manager: called once per signalled process when
 * we are someone's signal manager, default: none. */
void sef_setcb_signal_handler(void (*cb)(int sig));
void sef_setcb_signal_manager(int (*cb)(endpoint_t target, sigset_t_ sigs));

/* Sanity: the server's invariant check; returns OK or a violation, and
 * fills in the name of the broken invariant. Run after every message when
 * the kernel command line has sanity=1, and on request. */
void sef_setcb_sanity(int (*cb)(const char **invariant));
int sef_run_sanity(void);

/* Fault injection (docs/inject.md): register a state variable that a
 * corrupt_state fault may flip bits in; number 0 is the first registered.
 * Returns its number, or ENOSPC. */
int sef_state_register(const char *name, void *addr, size_t len);

/* State transfer: register a variable that a restarted or live-updated
 * instance copies from its predecessor before its init callback runs (see
 * SEF_XFER_*). Takes no corrupt_state number. The callback for a fresh
 * start (and after SEF_XFER_FAILED / a rejected copy) must initialize the
 * variable itself rather than rely on its static initial value. Returns OK,
 * or ENOSPC / EINVAL. */
int sef_state_register_xfer(const char *name, void *addr, size_t len);

/* Startup: wait for RS_INIT and run the matching init callback. */
void sef_startup(void);

/* Receive the next message that is not a SEF event. Returns OK or an IPC
 * error. */
int sef_receive(message *m);

/* Reply helper: send m (type = result) to dst without blocking forever:
 * SENDNB first, then asynsend. */
int sef_reply(endpoint_t dst, message *m, int result);

/* Take a real CPU exception here (a store to address 0: a page fault), as
 * a crash fault or a test hook asks; returns only if the store did not
 * fault. */
void sef_take_exception(void);

#endif
