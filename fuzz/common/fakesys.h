/*
 * fakesys.h: a fake libsys for the single-handler harnesses (fuzz/<srv>_handler):
 * the kernel calls, IPC primitives and SEF pieces a server calls, answered
 * in-process so that one server's handlers run without a kernel, without
 * other servers and without a scheduler.
 *
 * Answers are drawn from the fuzz input: before each request the harness
 * points fs_answers at that step's answer bytes; every faked call that can
 * fail reads one byte (fs_answer): 0, or no byte left, is the call's
 * deterministic default (success), any other byte picks an error from a
 * fixed table (EFAULT, EDEADSRCDST, EPERM, ...). So the fuzzer reaches the
 * servers' error paths (a copy that faults, a notify to a stale endpoint).
 *
 * "User memory": fs_user[i] is a sender with FS_USER_MEM bytes at the
 * virtual address fs_user[i].base. sys_vircopy checks a user range against
 * it (outside: EFAULT; an endpoint that is no sender: EDEADSRCDST). The
 * server's own addresses (sef_self_endpoint) are host pointers truncated to
 * 32 bits (vir_bytes): the fake rebuilds them from the upper half of the
 * server's stack (between the fake's frame and fs_stack_top, set by the
 * harness at its entry) or of its globals (the executable's image); an
 * address in neither is EFAULT (and counted in fs_self_unmapped).
 *
 * Replies: sef_reply, ipc_send, ipc_sendnb and asynsend to anyone are
 * recorded in fs_out[] (at most FS_MAX_OUT per request, later ones are
 * counted but dropped); ipc_notify in fs_notified[].
 *
 * SEF start-up: the server's main() is compiled as <server>_main
 * (-Dmain=...); fs_boot() calls it: sef_startup runs the fresh init
 * callback, and the first sef_receive longjmps back to fs_boot. The
 * harness then snapshots the server's globals (the pristine state).
 */
#ifndef FUZZ_FAKESYS_H
#define FUZZ_FAKESYS_H

#include <crucible/sef.h>
#include "fuzz_common.h"

#define FS_MAX_USERS 8
#define FS_USER_MEM  512
/* Messages a step may send: PM's restart tells every exit it holds again,
 * or finishes them (VM_EXIT), up to two per process of fuzz/pm's 16. */
#define FS_MAX_OUT   40

struct fs_user {
    endpoint_t ep;
    vir_bytes base;                     /* where mem[] is in its space */
    uint8_t mem[FS_USER_MEM];
};

struct fs_out {
    int kind;                           /* FS_OUT_* */
    endpoint_t dst;
    message m;
};
enum { FS_OUT_REPLY = 1, FS_OUT_SEND, FS_OUT_SENDNB, FS_OUT_ASYNSEND, FS_OUT_SENDREC };

extern struct fs_user fs_user[FS_MAX_USERS];
extern int fs_nusers;
extern struct fz_in *fs_answers;        /* this request's answer bytes */
extern void *fs_stack_top;              /* the harness's entry frame */
extern struct fs_out fs_out[FS_MAX_OUT];
extern int fs_nout;                     /* messages sent (may exceed FS_MAX_OUT) */
extern endpoint_t fs_notified[FS_MAX_OUT];
extern int fs_nnotified;
extern unsigned fs_self_unmapped;
extern int (*fs_sanity_cb)(const char **invariant);

/* Kernel-side fakes beyond IPC (RS, PM): */
extern clock_t_ fs_ticks;               /* getticks() */
extern const char *const *fs_modules;   /* sys_getmodules: names, NULL-ended */
extern int fs_forks;                    /* sys_fork calls so far */
extern endpoint_t fs_children[8];       /* sys_fork's children, fs_forks % 8 */
/* ipc_receive (RS's boot walk receives directly): this fills *m; NULL:
 * the call fails the harness. */
extern int (*fs_receive_cb)(message *m);
extern int (*fs_sig_mgr_cb)(endpoint_t target, sigset_t_ sigs);
/* sys_getksig: the next pending (target, sigs), NONE when none. */
extern endpoint_t fs_ksig_target;
extern sigset_t_ fs_ksig_sigs;
/* sys_getproc: rts_flags and exit_status it reports. */
extern uint32_t fs_proc_rts;
extern int32_t fs_proc_status;
/* The endpoint sys_fork gives its n-th child (n = fs_forks before it). */
endpoint_t fs_child_ep(int n);

/* PM's kernel and VM answers. ipc_sendrec records the request (fs_out,
 * FS_OUT_SENDREC) and then asks fs_sendrec_cb for the answer (it fills *m
 * and returns the IPC result); NULL: the IPC result and the answer's
 * m_type are one fs_answer each. */
extern int (*fs_sendrec_cb)(endpoint_t dst, message *m);
extern struct proc_info *fs_proctab;    /* sys_getinfo(GET_PROCTAB): NR_ALL_SLOTS
                                         * entries (NULL: EINVAL); sys_clear frees
                                         * the entry of the endpoint it clears */
extern uint32_t fs_proc_priv;           /* sys_getproc: priv_flags it reports */
extern const int *fs_module_slots;      /* sys_getmodules: boot_slot of each
                                         * fs_modules entry (NULL: all 0) */
#define FS_BOOTTIME 1700000000u         /* sys_times: boot time (s); realtime = fs_ticks */
extern int fs_shutdowns;                /* sys_shutdown calls answered OK */
/* sys_kill and sys_clear calls answered OK since fs_clear_out (the first
 * FS_MAX_OUT recorded, all counted). */
extern struct fs_kill { endpoint_t ep; int sig; } fs_kills[FS_MAX_OUT];
extern int fs_nkills;
extern endpoint_t fs_cleared[FS_MAX_OUT];
extern int fs_ncleared;
/* One more sender memory, of any size (PM's getsysinfo copies 2.5 KiB):
 * [base, base + len) of ep when mem != NULL, checked before fs_user. */
extern struct fs_wide { endpoint_t ep; vir_bytes base; uint8_t *mem; size_t len; } fs_wide;
/* The init callback registered for restarts (sef_setcb_init_restart). */
extern sef_cb_init_t fs_init_restart;

/*
 * Whole-server state reset (fs_snapshot / fs_restore). Copying the
 * server's named globals back misses its file-level and function-level
 * statics (RS's alarm_set in timers.c, PM's tables in exec.c ...), and
 * copying the executable's whole .data/.bss would also rewind the engine's
 * own state (libFuzzer's globals, ASan's runtime, the coverage counters),
 * which live in the same segment. So fs_snapshot reads the executable's
 * own ELF symbol table (/proc/self/exe, .symtab: kept, the harnesses are
 * never stripped) once, after boot, and keeps every writable data object
 * (STT_OBJECT in a SHF_WRITE section) that belongs to the server: a local
 * symbol whose STT_FILE is a C file other than the harness's and the fake's
 * (a server's statics, function statics included), or a global one whose
 * name starts with one of 'prefixes' (the server's globals: the linker
 * drops their file). Same for gcc and clang (GNU ld keeps the per-file
 * local-symbol groups); a new static in a server is covered without a
 * harness change. fs_restore copies the snapshot back (without ASan
 * checks: ASan's redzones are inside the symbols' sizes).
 */
void fs_snapshot(const char *const *prefixes, const char *const *harness_files);
void fs_restore(void);
size_t fs_snapshot_bytes(void);

/* One answer for a faked call: dflt, or an error picked by the input. */
int fs_answer(int dflt);
/* A step's answers: reads their count (a byte % 8) and that many bytes
 * from *in into *ans, points fs_answers at *ans and forgets the previous
 * step's messages (fs_clear_out). */
void fs_take_answers(struct fz_in *in, struct fz_in *ans);
/* Forgets the previous request's messages and notifications. */
void fs_clear_out(void);
/* Runs server_main up to its first sef_receive (see above). */
void fs_boot(int (*server_main)(void));

#endif
