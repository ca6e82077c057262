/*
 * libsys: what every system process links with. IPC and kernel-call
 * wrappers, clients of DS, RS, PM and VM, console output and panic.
 * All functions return OK or a negative error from <crucible/errno.h>
 * unless they say otherwise.
 */
#ifndef CRUCIBLE_SYSLIB_H
#define CRUCIBLE_SYSLIB_H

#include <crucible/types.h>
#include <crucible/errno.h>
#include <crucible/endpoint.h>
#include <crucible/ipc.h>
#include <crucible/com.h>
#include <crucible/priv.h>
#include <crucible/signal.h>
#include <crucible/sysinfo.h>

/* IPC primitives (trap to the kernel; lib/sys/arch/<arch>/ipc.S or host). */
int ipc_send(endpoint_t dst, message *m);
int ipc_receive(endpoint_t src, message *m);
int ipc_sendrec(endpoint_t ep, message *m);
int ipc_notify(endpoint_t dst);
int ipc_sendnb(endpoint_t dst, message *m);
int ipc_senda(asynmsg_t *table, size_t count);

/* Kernel call: traps m to SYSTEM; returns m->m_type (the result). */
int kernel_call(int type, message *m);

/*
 * asynsend: queue m for dst in this process's SENDA table and return at
 * once. Entries are reused once the kernel marks them done. Returns ENOSPC
 * when every entry is still in flight.
 */
int asynsend(endpoint_t dst, const message *m);
int asynsend_flags(endpoint_t dst, const message *m, uint32_t amf_flags);

/* Kernel call wrappers, one per call. */
int sys_fork(endpoint_t parent, uint32_t flags, const char *name, endpoint_t *child);
int sys_exec(endpoint_t target, int module, endpoint_t args_ep, vir_bytes args, size_t args_len);
int sys_exit(int status);
int sys_clear(endpoint_t target);
int sys_kill(endpoint_t target, int sig);
int sys_getksig(endpoint_t *target, sigset_t_ *sigs);
int sys_endksig(endpoint_t target);
int sys_getinfo(int request, void *buf, size_t len, endpoint_t ep, int index);
int sys_whoami(endpoint_t *ep, char name[PROC_NAME_LEN], int *privflags);
int sys_getproc(endpoint_t ep, struct proc_info *pi);
int sys_getmodules(struct module_info mods[MAX_BOOT_MODULES]);
int sys_getkinfo(struct kinfo *ki);
int sys_gethz(uint32_t *hz);
int sys_vircopy(endpoint_t src, vir_bytes src_addr, endpoint_t dst, vir_bytes dst_addr, size_t bytes);
int sys_physcopy(endpoint_t src, vir_bytes src_addr, endpoint_t dst, vir_bytes dst_addr, size_t bytes);
int sys_privctl(endpoint_t target, int request, const struct priv_spec *spec);
int sys_update(endpoint_t src, endpoint_t dst, int flags);
int sys_statectl(int request);
int sys_schedule(endpoint_t target, int quantum, int priority, int cpu);
int sys_times(endpoint_t target, clock_t_ *user, clock_t_ *sys, clock_t_ *ticks,
              uint32_t *realtime_ticks, uint32_t *boottime);
int sys_setalarm(clock_t_ exp_time, int abs_time);
int sys_diagctl(int code, const void *buf, size_t len);
int sys_inb(uint32_t port, uint32_t *value);
int sys_outb(uint32_t port, uint32_t value);
int sys_irqctl(int request, int irq, int hook_id);
int sys_shutdown(int status);

/* Clocks (seed 004): ticks for timers, realtime for timestamps. */
clock_t_ getticks(void);
int getuptime(clock_t_ *ticks, clock_t_ *realtime, uint32_t *boottime);

/* DS client. Keys are at most DS_MAX_KEYLEN-1 characters. */
int ds_publish_u32(const char *key, uint32_t value, int flags);
int ds_retrieve_u32(const char *key, uint32_t *value);
int ds_publish_str(const char *key, const char *value, int flags);
int ds_retrieve_str(const char *key, char *buf, size_t len);
int ds_publish_mem(const char *key, const void *buf, size_t len, int flags);
int ds_retrieve_mem(const char *key, void *buf, size_t *len);
int ds_publish_label(const char *label, endpoint_t ep, int flags);
int ds_retrieve_label_endpt(const char *label, endpoint_t *ep);
int ds_retrieve_label_name(char *label, size_t len, endpoint_t ep);
int ds_delete(const char *key, int type);
int ds_subscribe(const char *regex, int flags);
/* Next changed key for this subscriber: ENOENT when none is left. */
int ds_check(char *key, size_t keylen, int *type, endpoint_t *owner);

/* RS client. */
int rs_lookup(const char *label, endpoint_t *ep, int *restarts);
int rs_count(int *services);
int rs_update(const char *label, int state, int timeout_ticks);
int rs_restart(const char *label);
int rs_program_up(const char *label, endpoint_t *ep);
int rs_program_wait(const char *label, int *status);
int rs_program_down(const char *label);

/* Console: system processes print through TTY with a non-blocking send and
 * fall back to SYS_DIAGCTL when TTY cannot take it. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* panic: print "<name>: panic: ..." and exit through sys_exit (RS will
 * restart us if we are restartable). Never returns. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Minimal string functions (lib/c provides them for everyone). */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t n);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strncpy(char *d, const char *s, size_t n);
size_t strlcpy(char *d, const char *s, size_t n);
char *strchr(const char *s, int c);

/* Who am I (cached at sef_startup). */
extern endpoint_t sef_self_endpoint;
extern char sef_self_name[PROC_NAME_LEN];

#endif
