/* RS's functions, by file. Every function's contract is above its body. */
#ifndef RS_PROTO_H
#define RS_PROTO_H

#include "glo.h"

/* main.c */
void rs_dispatch(message *m);

/* boot.c */
int rs_init_fresh(int type, sef_init_info_t *info);

/* start.c */
int rs_spawn(struct rproc *rp, endpoint_t *child);
int rs_start_program(struct rproc *rp);
void rs_replica_make(struct rproc *rp);
void rs_replica_drop(struct rproc *rp);

/* recovery.c */
void rs_service_failed(struct rproc *rp, const struct rs_cause *cause);
void rs_restart_now(struct rproc *rp);
void rs_service_exited(struct rproc *rp, int status);
void rs_init_reply(message *m);
void rs_record_recovery(struct rproc *rp);
void rs_recovery_expire(clock_t_ now);

/* heartbeat.c */
void rs_hb_start(struct rproc *rp, clock_t_ now);
void rs_hb_expire(clock_t_ now);
void rs_hb_pong(endpoint_t src);

/* update.c */
int rs_do_update(message *m);
void rs_lu_prepare_reply(message *m);
int rs_lu_init_reply(struct rproc *rp, int result);
int rs_lu_crash(struct rproc *rp);
void rs_lu_expire(clock_t_ now);

/* request.c */
int rs_may_request(endpoint_t src);
void rs_handle_request(message *m);
int rs_do_up(message *m);
int rs_up(message *m, const char *xargs);
int rs_do_down(message *m);
int rs_do_restart(message *m);
int rs_do_edit(message *m);
int rs_do_lookup(message *m);
int rs_do_count(message *m);
int rs_do_crash(message *m);

/* signal.c */
int rs_sig_mgr(endpoint_t target, sigset_t_ sigs);
void rs_ksig_drain(void);

/* timers.c */
void rs_timers_expire(void);
void rs_timers_rearm(void);

/* utility.c */
int rs_name_eq(const char *a, const char *b, size_t n);
struct rproc *rs_lookup_label(const char *label);
struct rproc *rs_lookup_ep(endpoint_t ep);
struct rproc *rs_lookup_dead(endpoint_t ep);
struct rproc *rs_alloc(const char *label);
int rs_state(const struct rproc *rp);
int rs_find_module(const char *name);
void rs_build_priv(const struct rs_priv_class *pc, struct priv_spec *spec);
int rs_send_init(struct rproc *rp, int type, endpoint_t old_ep);
void rs_await_init(struct rproc *rp, int type);
void rs_dead_drop(struct rproc *rp);
void rs_reply_to(endpoint_t dst, int result, const struct rproc *rp, int value);
void rs_pm_died(endpoint_t ep, int restarted);
void rs_vm_callmask(const struct rproc *rp);
void rs_vm_callmask_all(void);
void rs_publish_label(const struct rproc *rp);

/* events.c */
void rs_event(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void rs_ctl_poll(void);

/* request.c (control channel) */
int rs_do_ready(message *m);

/* sanity.c */
int rs_sanity(const char **invariant);

#endif
