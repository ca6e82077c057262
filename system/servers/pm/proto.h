/* PM's functions, by file. A handler takes the request from m_in / who_e /
 * mp, fills *reply and returns OK / an error (sent as the reply's m_type) or
 * EDONTREPLY. */
#ifndef PM_PROTO_H
#define PM_PROTO_H

#include <crucible/sef.h>
#include "mproc.h"
#include "ptab.h"

typedef int (*pm_handler_t)(message *reply);

/* main.c */
void pm_dispatch(void);

/* table.c */
pm_handler_t pm_call_handler(int type);
int pm_call_needs_user(int type);

/* forkexit.c */
int do_fork(message *reply);
int do_exit(message *reply);
int do_wait(message *reply);
int do_getpid(message *reply);
int do_getppid(message *reply);
void exit_proc(struct mproc *rmp, int exit_status, int sig);
void exit_finish(struct mproc *rmp);

/* exec.c */
int do_exec(message *reply);

/* signal.c */
int do_kill(message *reply);
int do_sigaction(message *reply);
int pm_signal_manager(endpoint_t target, sigset_t_ sigs);

/* getsysinfo.c */
int do_getsysinfo(message *reply);

/* time.c */
int do_gettime(message *reply);
int do_getres(message *reply);

/* reboot.c */
int do_reboot(message *reply);

/* event.c */
int do_proceventmask(message *reply);
int do_proc_event_reply(message *reply);
int do_service_died(message *reply);
void pm_event_publish(struct mproc *rmp);
void pm_event_forget(struct mproc *rmp);
void pm_events_adopt(void);
int pm_events_check(const char **invariant);

/* utility.c */
struct mproc *pm_caller(endpoint_t ep);
int pm_init_table(int type);
int pm_adopt_table(const char **invariant);

/* sanity.c */
int pm_sanity(const char **invariant);

#endif
