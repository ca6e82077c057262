/*
 * pm: PM's message handlers alone, in-process (the pattern of fuzz/rs):
 * PM's own sources (system/servers/pm, main() renamed pm_server_main)
 * linked with the fake libsys of fuzz/common/fakesys.c. PM's real fresh
 * init runs once (sys_getinfo(GET_PROCTAB) answers the boot processes: the
 * kernel tasks, pm, vfs, rs, ds, vm, tty, hello and init), up to the first
 * sef_receive. Then every message goes through pm_dispatch (main.c: the
 * main loop's body); kernel signals through what SEF does with a SYSTEM
 * notify (sys_getksig until NONE, PM's signal-manager callback for each
 * process); a restart through PM's restart callback (state transfer).
 *
 * The fake kernel and VM: VM_FORK, VM_EXEC and VM_EXIT (ipc_sendrec) are
 * answered here (vm_answer); by default a child gets the lowest slot >=
 * NR_BOOT_PROCS that PM does not use, with a new generation (the kernel's
 * sys_fork). sys_kill leaves the signal pending (at most four processes;
 * the drain of one SYSTEM notify hands out at most two, the rest stay
 * pending for the next one). User memory: the sender's 8 KiB at USER_BUF
 * (fs_wide). Modules for exec: MODULES[]; those with a boot slot
 * (MODULE_SLOTS[] >= 0) are servers, the others programs.
 *
 * State reset: fs_snapshot (fakesys.h) after the boot: every writable
 * object of PM's files (mproc, next_pid, pm_hz and the file statics of
 * utility.c, exec.c, getsysinfo.c) found in the executable's symbol
 * table; fs_restore at the start of every input.
 *
 * Input format (every byte string is valid; missing bytes read as 0):
 *   steps until the input ends (at most MAX_STEPS, 64) or the machine is shut
 *   down (init's PM_REBOOT answered OK), each:
 *     b0 kind  % 16: 0-11 a request; 12-13 kernel signals (a SYSTEM
 *              notify); 14 a notification from the sender; 15 PM restarts
 *              (the costliest step, so the rarest in random bytes)
 *     b1 who   the sender (requests, notifications) or the signalled
 *              process (kernel signals),
 *              b1 % 16: 0 init; 1-5 the k-th live user process other than
 *              init, in slot order (k = b1 % 16 - 1 + 5 * (b1 >> 4), mod
 *              their number; none: init); 6 the newest child forked in
 *              this input (none: init); 7 the ((b1 >> 4))-th zombie (none:
 *              the newest child); 8 RS, 9 VFS, 10 DS, 11 TTY, 12 VM; 13 a
 *              process PM does not know, in the lowest free slot; 14 a
 *              kernel task, IDLE + (b1 >> 4) % 4; 15 two more bytes:
 *              ENDPOINT(gen, b % 72 - 4) (PM's own: ENDPOINT(1, PM's
 *              slot), PM cannot message itself). Bit 4 of b1 also says what
 *              sys_getproc answers: set, a system process (PRIV_SYS_PROC)
 *              (PM records an unknown system sender on the fly; never in
 *              init's slot, which the kernel gives no other process),
 *              clear, a user process. A sender blocked in PM_WAIT cannot
 *              send: its request or notification step is skipped.
 *     a request (every field is read whatever the type):
 *       b2 type  % 16: 0-14 PM_FORK .. PM_SERVICE_DIED; 15 four more
 *                bytes, raw (types <= 0: a SENDREC with a reply type,
 *                which SEF hands to PM; PM_PROC_EVENT, a type PM sends,
 *                not one it serves)
 *       b3 pid   % 16: -1, 0, 1, the pid of the k-th user process (slot
 *                order, zombies included, init excluded; k = b3 % 16 - 3
 *                for 3-9; none: 2), 10 the newest child's, 11 RS's, 12 the
 *                sender's own, 13 INT32_MIN, 14 29999 (nobody's), 15 four
 *                more bytes, raw
 *       b4 value sig and exit status: bit 7 set: four more bytes, raw;
 *                else b4 & 0x3f, negated if bit 6
 *       b5 opts  options = b5 & 3 (wait: WNOHANG = 1, 2 unknown;
 *                sigaction: SIG_DFL_, SIG_IGN_, 2-3 invalid); what =
 *                (b5 >> 2) & 3 (getsysinfo: 1 SI_PROC_TAB, 2 SI_KINFO;
 *                clocks: 0 REALTIME, 1 MONOTONIC); bit 6: options, bit 7:
 *                what, four more bytes each, raw (options first)
 *       b6 buf   len = LENS[b6 % 8] (0, the process table's size,
 *                struct kinfo's, 1, PM_MAX_ARGS, PM_MAX_ARGS + 1, 64, four
 *                more bytes raw); ptr = (b6 >> 3) % 4: the sender's buffer,
 *                0, the buffer + 6 KiB (a process table runs off its end),
 *                four more bytes raw
 *       b7 name  % 8: NAMES[] (7: sixteen more bytes, raw)
 *       process events (no bytes of their own): endpt = the endpoint of
 *                the process with that pid (nobody: the (what % n)-th
 *                of PM's n subscribers; none: the pid), event = the value
 *                (b4), mask = options (b5)
 *     signals: b2 sigs % 8: SIGS[] (7: four more bytes, raw); a non-empty
 *              set becomes pending for the process b1 named, then PM gets
 *              a SYSTEM notify (the drain; no signal at all: PM's own loop
 *              gets the notify and ignores it)
 *     notify:  b2: fs_ticks advances b2 * 64 (CLOCK's alarms and PM's
 *              clocks); the notify goes to pm_dispatch (from a kernel
 *              task: ignored; from a process: EBADREQUEST)
 *     restart: b2 bits 0-1: the transfer (0, 3 SEF_XFER_OK, 1 FAILED, 2
 *              NONE); bit 2: the (b3)-th user process (zombies included)
 *              is gone from the kernel's table; bit 3: an unknown user
 *              process is in it (lowest free slot); bit 4: init is gone;
 *              bit 5: the transferred state was corrupted (below). b3
 *              (always read): which user process. With bit 5, two more
 *              bytes, an offset into mproc/next_pid, and one more, xored
 *              there.
 *     then     answers: b % 8 bytes for the fake kernel and VM, in call
 *              order (fakesys.h: 0 = success, else an error). A SENDREC to
 *              VM takes two, the IPC's result and VM's; VM_FORK's child
 *              then takes one more, % 8: 0 the lowest free slot (the
 *              kernel forks into slots >= NR_BOOT_PROCS only), 1 the
 *              sender's slot, 2 another user process's slot (each with a
 *              new generation: VM and PM disagree), 3 the slot of a
 *              system process PM recorded there (it has exited; none: as
 *              0), 4 CLOCK, 5 a slot past NR_PROCS, 6 NONE, 7 two more
 *              answer bytes: gen, slot (as who 15, but a boot slot s is
 *              s + NR_BOOT_PROCS, and an endpoint in PM's table gets a new
 *              generation: the kernel never reissues one). With no slot
 *              free VM answers ENOMEM.
 *
 * Oracle (check.h) after every step, engines and replay alike: PM sends
 * nothing but replies, SENDRECs to VM (VM_FORK / VM_EXEC for the sender,
 * VM_EXIT for a process that is no longer alive after the step) and
 * PM_PROC_EVENT(an exiting process, PROC_EVENT_EXIT) to subscribers; never
 * to NONE or ANY; at most one reply per process; every reply is OK or a
 * crucible error (not EDONTREPLY) and goes to the sender, to the child of
 * a successful fork (OK, pid 0; recorded with the pid the parent got, a
 * pid nobody had, the parent's slot and dispositions) or to a process
 * that was blocked in PM_WAIT (OK, the pid and status word of a zombie
 * child it accepts, now reaped). The sender's reply follows PM's
 * promises, table.c order: EBADREQUEST for types PM does not serve (any
 * sender); EPERM for senders PM cannot account for (an unknown system
 * process is recorded when the kernel says so); no reply for a zombie;
 * EPERM for system senders of fork, exit, wait, exec and sigaction; then
 * per type: fork (above, or an error and no child), exit (no reply; held
 * for the first subscriber to exits, which was told, or with none a
 * zombie or gone, VM told), wait (EINVAL, ECHILD, OK with a matching
 * zombie child or pid 0 for WNOHANG, or no reply and the sender
 * WAITING), kill (EINVAL, ESRCH, EPERM as documented; a signal sent
 * through sys_kill exactly when it is not dropped), getpid / getppid
 * (the table's values), sigaction (EINVAL, or OK with the old
 * disposition and the new one set), getsysinfo (EINVAL; OK with a copy
 * that matches the table; EFAULT off the sender's memory), exec (EINVAL,
 * E2BIG, EFAULT, ENOENT, EACCES, or no reply and the new name), reboot
 * (EPERM but for init), the process-event calls (PROCEVENTMASK: EPERM
 * for users, EINVAL for unknown bits, ENOMEM when full, else OK and the
 * set changed as documented; PROC_EVENT_REPLY: ENOSYS for users, else no
 * reply, and the process held moves on exactly when the answer is the
 * one held; SERVICE_DIED: EPERM but from RS, else no reply, a restarted
 * subscriber told again of what it held, a gone one out of the set with
 * its processes moved on), the clocks
 * (the fake kernel's time). With no failure injected by the answers, the
 * result is exactly the expected one. Kernel signals: a live user process
 * with a terminating signal (SIGKILL, a fault, or not ignored) begins its
 * exit as PM_EXIT does (status: that signal), any other stays alive. No
 * lost notification: a process held by a subscriber was held by it
 * before the step, or it was told in the step; the children of
 * a process that died belong to init, or are roots without init, or are
 * gone (reaped, or released as roots). A restart: OK, nothing sent but
 * the held exits' events again and VM_EXITs of held exits whose
 * subscriber is gone, nobody WAITING, EXITING only while held, no unknown
 * flag, a process the
 * kernel has is PRIV_PROC exactly when the kernel says it is a system
 * process, and an adopted table keeps every pid of a live process the
 * kernel still has. A cleared endpoint is in no entry. pm_sanity
 * (sanity.c) holds after every step; no ASan/UBSan report.
 */
#include <stdio.h>
#include <string.h>

#include "fakesys.h"
#include "../../system/servers/pm/glo.h"
#include "../../system/servers/pm/proto.h"
#include "../../system/servers/pm/pm_info.h"

#define MAX_STEPS 64            /* (54 forks fill the table) */
#define MAX_PEND  4             /* processes with pending kernel signals */
#define DRAIN     2             /* processes one SYSTEM notify hands out */
#define USER_BUF  0x10000000u
#define USER_LEN  8192u
#define PM_MAX_ARGS 4096        /* exec.c */
#define FAIL(...) fz_fail("pm", __VA_ARGS__)

enum { K_REQ, K_SIGNALS, K_NOTIFY, K_RESTART };

int pm_server_main(void);

static const char *const MODULES[] = {
    "pm", "vfs", "rs", "ds", "vm", "tty", "hello", "init",
    "test_ipc", "wl_hello", "fuzzplay", NULL };
static const int MODULE_SLOTS[] = {
    PM_PROC_NR, VFS_PROC_NR, RS_PROC_NR, DS_PROC_NR, VM_PROC_NR, TTY_PROC_NR,
    HELLO_PROC_NR, INIT_PROC_NR, -1, -1, -1 };
static const char *const NAMES[7] = {
    "test_ipc", "wl_hello", "hello", "nosuch", "", "pm", "0123456789abcdef" };
static const uint32_t LENS[7] = {
    0, sizeof(struct pm_proc_info) * NR_PROCS, sizeof(struct kinfo), 1,
    PM_MAX_ARGS, PM_MAX_ARGS + 1, 64 };
static const sigset_t_ SIGS[7] = {
    SIGMASK(SIGKILL), SIGMASK(SIGSEGV), SIGMASK(SIGTERM),
    SIGMASK(SIGUSR1) | SIGMASK(SIGCHLD), SIGMASK(SIGCHLD),
    SIGMASK(SIGKILL) | SIGMASK(SIGTERM), 0 };
static const char *const PREFIXES[] = { "mproc", "next_pid", "pm_", NULL };
static const char *const HARNESS_FILES[] = { "pm.c", NULL };

static struct proc_info ktab[NR_ALL_SLOTS];   /* the kernel's table */
static uint8_t user_mem[USER_LEN] __attribute__((aligned(8)));
static int booted;

/* Per input. */
static uint16_t kgen[NR_PROCS];         /* generation of each slot's last use */
static endpoint_t newest_child;
static int32_t newest_pid;
static struct { endpoint_t ep; sigset_t_ sigs; } kpend[MAX_PEND];
static int nkpend;
/* Per step: PM's table before it, and what the step was. */
static struct mproc pre[NR_PROCS];
static struct pm_subs pre_subs;         /* PM's subscribers before it */
CRUCIBLE_STATIC_ASSERT(sizeof(pre) % 8 == 0, "save_pre copies words");
static struct { endpoint_t ep; int term; } drained[DRAIN];
static int ndrained;
static int vm_refused;                  /* VM_FORK found no free slot */

static void ktab_set(int slot, endpoint_t ep, const char *name, uint32_t priv)
{
    struct proc_info *pi = &ktab[slot + NR_TASKS];

    memset(pi, 0, sizeof(*pi));
    pi->endpoint = ep;
    pi->slot = slot;
    strlcpy(pi->name, name, sizeof(pi->name));
    pi->priv_flags = priv;
}

static void boot(void)
{
    static const char *const tasks[NR_TASKS] = { "idle", "clock", "system", "kernel" };
    int i;

    sef_self_endpoint = PM_PROC_NR;
    strcpy(sef_self_name, "pm");
    for (i = 0; i < NR_ALL_SLOTS; i++)
        ktab[i].rts_flags = RTS_SLOT_FREE;
    for (i = 0; i < NR_TASKS; i++)
        ktab_set(i - NR_TASKS, i - NR_TASKS, tasks[i], PRIV_SYS_PROC);
    for (i = 0; i < 8; i++)
        ktab_set(MODULE_SLOTS[i], MODULE_SLOTS[i], MODULES[i],
                 MODULE_SLOTS[i] == INIT_PROC_NR ? 0 : PRIV_SYS_PROC);
    fs_proctab = ktab;
    fs_modules = MODULES;
    fs_module_slots = MODULE_SLOTS;
    fs_ticks = 1000;
    fs_boot(pm_server_main);
    fs_clear_out();
    fs_snapshot(PREFIXES, HARNESS_FILES);
    if (!(mproc[INIT_PROC_NR].mp_flags & IN_USE) || mproc[INIT_PROC_NR].mp_pid != INIT_PID ||
        !(mproc[RS_PROC_NR].mp_flags & PRIV_PROC))
        FAIL("boot: PM's table lacks init or rs");
    fs_wide.base = USER_BUF;
    fs_wide.mem = user_mem;
    fs_wide.len = USER_LEN;
    booted = 1;
}

static int is_user(const struct mproc *t, int s)
{
    return (t[s].mp_flags & (IN_USE | PRIV_PROC)) == IN_USE;
}

static int is_live(const struct mproc *t, int s)
{
    return (t[s].mp_flags & (IN_USE | PRIV_PROC | ZOMBIE)) == IN_USE;
}

/* The harness's own lookups (not PM's ptab_*: the oracle should not lean
 * on the code under test, and these run many times a step). */

/* The table slot of endpoint ep (a process slot), or NO_SLOT. */
static int ep_slot(endpoint_t ep)
{
    int s = ep == ANY || ep == NONE || ep == SELF ? -1 : ENDPOINT_SLOT(ep);

    return s >= 0 && s < NR_PROCS ? s : NO_SLOT;
}

/* The slot of the in-use entry of ep in t, or NO_SLOT. */
static int slot_of(const struct mproc *t, endpoint_t ep)
{
    int s = ep_slot(ep);

    return s != NO_SLOT && (t[s].mp_flags & IN_USE) && t[s].mp_endpoint == ep ? s : NO_SLOT;
}

/* The slot of the in-use entry of t with pid (> 0), or NO_SLOT. */
static int pid_slot(const struct mproc *t, int32_t pid)
{
    int s;

    for (s = 0; pid > 0 && s < NR_PROCS; s++)
        if (t[s].mp_pid == pid && (t[s].mp_flags & IN_USE))
            return s;
    return NO_SLOT;
}

/* The k-th (mod their number) user process other than init whose flags
 * have none of 'not' (ZOMBIE: live only; WAITING: not blocked), or
 * NO_SLOT when there is none. want_zombie: zombies only. */
static int nth_user(unsigned k, uint32_t not, int want_zombie)
{
    int s, n = 0;

    for (s = 0; s < NR_PROCS; s++)
        n += s != INIT_PROC_NR && is_user(mproc, s) && !(mproc[s].mp_flags & not) &&
             (!want_zombie || (mproc[s].mp_flags & ZOMBIE));
    if (n == 0)
        return NO_SLOT;
    k %= (unsigned)n;
    for (s = 0; s < NR_PROCS; s++)
        if (s != INIT_PROC_NR && is_user(mproc, s) && !(mproc[s].mp_flags & not) &&
            (!want_zombie || (mproc[s].mp_flags & ZOMBIE)) && k-- == 0)
            return s;
    return NO_SLOT;
}

static int free_slot(void)
{
    int s;

    for (s = NR_BOOT_PROCS; s < NR_PROCS; s++)
        if (!(mproc[s].mp_flags & IN_USE))
            return s;
    return NO_SLOT;
}

/* A new generation of slot s (the kernel's next process there): newer
 * than any given out there, and than the one PM lists (raw endpoints). */
static endpoint_t fresh_ep(int s)
{
    if ((mproc[s].mp_flags & IN_USE) && ENDPOINT_GEN(mproc[s].mp_endpoint) >= kgen[s])
        kgen[s] = (uint16_t)ENDPOINT_GEN(mproc[s].mp_endpoint);
    return ENDPOINT(++kgen[s], s);
}

static endpoint_t raw_ep(struct fz_in *in)
{
    int gen = fz_u8(in);

    return ENDPOINT(gen, (int)(fz_u8(in) % 72) - NR_TASKS);
}

static endpoint_t who(struct fz_in *in, uint8_t b)
{
    static const endpoint_t SYS[5] = { RS_PROC_NR, VFS_PROC_NR, DS_PROC_NR,
                                       TTY_PROC_NR, VM_PROC_NR };
    int s;

    switch (b % 16) {
    case 0:
        return ENDPOINT(0, INIT_PROC_NR);
    case 1: case 2: case 3: case 4: case 5:
        s = nth_user(b % 16 - 1u + 5u * (b >> 4), ZOMBIE | WAITING, 0);
        return s == NO_SLOT ? ENDPOINT(0, INIT_PROC_NR) : mproc[s].mp_endpoint;
    case 6:
        return newest_child;
    case 7:
        s = nth_user(b >> 4, 0, 1);
        return s == NO_SLOT ? newest_child : mproc[s].mp_endpoint;
    case 8: case 9: case 10: case 11: case 12:
        return SYS[b % 16 - 8];
    case 13:
        s = free_slot();
        return s == NO_SLOT ? ENDPOINT(7, NR_PROCS - 1) : fresh_ep(s);
    case 14:
        return IDLE + (b >> 4) % 4;
    default:
        s = raw_ep(in);                 /* never PM itself (the kernel refuses) */
        return s == PM_PROC_NR ? ENDPOINT(1, PM_PROC_NR) : s;
    }
}

static int32_t pid_arg(struct fz_in *in, endpoint_t src)
{
    uint8_t b = fz_u8(in) % 16;
    int s;

    switch (b) {
    case 0: return -1;
    case 1: return 0;
    case 2: return 1;
    case 10: return newest_pid;
    case 11: return mproc[RS_PROC_NR].mp_pid;
    case 12: return (s = slot_of(mproc, src)) == NO_SLOT ? 0 : mproc[s].mp_pid;
    case 13: return INT32_MIN;
    case 14: return 29999;
    case 15: return (int32_t)fz_u32(in);
    default:
        s = nth_user(b - 3u, 0, 0);
        return s == NO_SLOT ? 2 : mproc[s].mp_pid;
    }
}

static void decode_request(struct fz_in *in, message *m)
{
    uint8_t b = fz_u8(in) % 16;
    int32_t v;
    int s;

    m->m_type = b < 15 ? PM_BASE + b : (int32_t)fz_u32(in);
    m->m_pm.pid = pid_arg(in, m->m_source);
    b = fz_u8(in);
    v = (b & 0x80) ? (int32_t)fz_u32(in) : (b & 0x40) ? -(b & 0x3f) : (b & 0x3f);
    m->m_pm.sig = v;
    m->m_pm.status = v;
    b = fz_u8(in);
    m->m_pm.options = (b & 0x40) ? (int32_t)fz_u32(in) : b & 3;
    m->m_pm.what = (b & 0x80) ? (int32_t)fz_u32(in) : (b >> 2) & 3;
    b = fz_u8(in);
    m->m_pm.len = b % 8 < 7 ? LENS[b % 8] : fz_u32(in);
    switch ((b >> 3) % 4) {
    case 0: m->m_pm.ptr = USER_BUF; break;
    case 1: m->m_pm.ptr = 0; break;
    case 2: m->m_pm.ptr = USER_BUF + 6144; break;
    default: m->m_pm.ptr = fz_u32(in); break;
    }
    b = fz_u8(in) % 8;
    if (b < 7)
        strncpy(m->m_pm.name, NAMES[b], sizeof(m->m_pm.name));
    else
        fz_bytes(in, m->m_pm.name, sizeof(m->m_pm.name));
    /* the process-event fields, from the ones above (no bytes of their own) */
    s = pid_slot(mproc, m->m_pm.pid);
    m->m_pm.endpt = s != NO_SLOT ? mproc[s].mp_endpoint
                  : pm_subs.n > 0 ? pm_subs.sub[(uint32_t)m->m_pm.what % pm_subs.n].endpt
                  : m->m_pm.pid;
    m->m_pm.event = v;
    m->m_pm.mask = (uint32_t)m->m_pm.options;
}

/* VM, answering PM's SENDRECs (see the header). */
static int vm_answer(endpoint_t dst, message *m)
{
    int r, type = m->m_type, s;
    uint8_t b;

    if (dst != VM_PROC_NR)
        FAIL("SENDREC to %d, not VM", dst);
    if ((r = fs_answer(OK)) != OK)
        return r;
    m->m_type = fs_answer(OK);
    if (type != VM_FORK || m->m_type != OK)
        return OK;
    b = fs_answers != NULL ? fz_u8(fs_answers) % 8 : 0;
    switch (b) {
    case 1: m->m_vm.ep = fresh_ep(ENDPOINT_SLOT(m->m_vm.parent) & (NR_PROCS - 1)); break;
    case 2:
        s = nth_user(0, 0, 0);
        m->m_vm.ep = fresh_ep(s == NO_SLOT ? INIT_PROC_NR : s);
        break;
    case 4: m->m_vm.ep = CLOCK; break;
    case 5: m->m_vm.ep = ENDPOINT(1, NR_PROCS + 3); break;
    case 6: m->m_vm.ep = NONE; break;
    case 7: {
        int gen = fz_u8(fs_answers);
        s = (int)(fz_u8(fs_answers) % 72) - NR_TASKS;
        if (s >= 0 && s < NR_BOOT_PROCS)
            s += NR_BOOT_PROCS;         /* the kernel forks into no boot slot */
        m->m_vm.ep = ENDPOINT(gen, s);
        if (slot_of(mproc, m->m_vm.ep) != NO_SLOT)
            m->m_vm.ep = fresh_ep(s);   /* nor reissues an endpoint */
        break;
    }
    default:
        for (s = NR_BOOT_PROCS; b == 3 && s < NR_PROCS; s++)
            if (mproc[s].mp_flags & PRIV_PROC)
                break;                  /* a system process that has exited */
        if (b != 3 || s == NR_PROCS)
            s = free_slot();
        if (s == NO_SLOT) {
            vm_refused = 1;
            m->m_type = ENOMEM;
        } else {
            m->m_vm.ep = fresh_ep(s);
        }
        break;
    }
    return OK;
}

#include "check.h"            /* the oracle */

/* ---- steps ---- */

/* pre = mproc, every step: 3.5 KiB, as fakesys.c's raw_copy does it (not
 * through memcpy, whose ASan interceptor checks both ranges' shadow). */
typedef uint64_t pm_word __attribute__((aligned(1), may_alias));
#if defined(__clang__)
#define PM_NO_MEMCPY __attribute__((no_builtin("memcpy")))
#else
#define PM_NO_MEMCPY __attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif

__attribute__((no_sanitize("address", "undefined"))) PM_NO_MEMCPY
static void save_pre(void)
{
    size_t i;

    for (i = 0; i < sizeof(pre) / (sizeof(pm_word)); i++)
        ((pm_word *)(void *)pre)[i] = ((const pm_word *)(const void *)mproc)[i];
    pre_subs = pm_subs;
}

static void add_pending(endpoint_t ep, sigset_t_ sigs)
{
    int i;

    for (i = 0; i < nkpend; i++)
        if (kpend[i].ep == ep) {
            kpend[i].sigs |= sigs;
            return;
        }
    if (nkpend < MAX_PEND) {
        kpend[nkpend].ep = ep;
        kpend[nkpend++].sigs = sigs;
    }
}

/* SEF's drain of a SYSTEM notify (lib/sys/sef_signal.c) over the fake
 * kernel's pending signals; PM's loop gets the notify when there were none. */
static void drain(message *m)
{
    endpoint_t t;
    sigset_t_ s;
    int s_slot;

    ndrained = 0;
    while (ndrained < DRAIN) {
        fs_ksig_target = nkpend ? kpend[0].ep : NONE;
        fs_ksig_sigs = nkpend ? kpend[0].sigs : 0;
        if (sys_getksig(&t, &s) != OK || t == NONE)
            break;
        memmove(&kpend[0], &kpend[1], sizeof(kpend[0]) * (size_t)--nkpend);
        s_slot = slot_of(pre, t);
        drained[ndrained].ep = t;
        drained[ndrained++].term = s_slot != NO_SLOT && is_live(pre, s_slot)
                                   ? term_signal(&pre[s_slot], s) : 0;
        fs_sig_mgr_cb(t, s);
    }
    fs_ksig_target = NONE;
    if (ndrained == 0) {
        m_in = *m;
        pm_dispatch();
    }
}

/* A restart of PM (see the header: b2, b3, the corruption at off ^ x);
 * the oracle of its own. */
static void restart(int step, uint8_t b, uint8_t k, size_t off, uint8_t x)
{
    int s, gone = NO_SLOT, extra = NO_SLOT, r;
    sef_init_info_t info;
    for (s = 0; s < NR_PROCS; s++) {
        if (mproc[s].mp_flags & IN_USE) {
            ktab_set(s, mproc[s].mp_endpoint, mproc[s].mp_name,
                     (mproc[s].mp_flags & PRIV_PROC) ? PRIV_SYS_PROC : 0);
            if (mproc[s].mp_flags & ZOMBIE)
                ktab[s + NR_TASKS].rts_flags = RTS_PROC_STOP;
        } else {
            memset(&ktab[s + NR_TASKS], 0, sizeof(ktab[0]));
            ktab[s + NR_TASKS].rts_flags = RTS_SLOT_FREE;
        }
    }
    if ((b & 4) && (gone = nth_user(k, 0, 0)) != NO_SLOT)
        ktab[gone + NR_TASKS].rts_flags = RTS_SLOT_FREE;
    if ((b & 8) && (extra = free_slot()) != NO_SLOT)
        ktab_set(extra, fresh_ep(extra), "stranger", 0);
    if (b & 0x10)
        ktab[INIT_PROC_NR + NR_TASKS].rts_flags = RTS_SLOT_FREE;
    memset(&info, 0, sizeof(info));
    info.type = SEF_INIT_RESTART;
    info.old_endpoint = (b & 3) == 2 ? NONE : PM_PROC_NR;
    info.xfer = (b & 3) == 1 ? SEF_XFER_FAILED : (b & 3) == 2 ? SEF_XFER_NONE : SEF_XFER_OK;
    if (x != 0)
        ((uint8_t *)(off < sizeof(mproc) ? (void *)mproc : (void *)&next_pid))
            [off < sizeof(mproc) ? off : off - sizeof(mproc)] ^= x;
    FZ_TRACE("step %d: restart xfer %d gone %d extra %d init_gone %d corrupt %zu^%#x",
             step, info.xfer, gone, extra, !!(b & 0x10), off, x);
    if (fs_init_restart == NULL || (r = fs_init_restart(SEF_INIT_RESTART, &info)) != OK)
        FAIL("step %d: restart failed", step);
    /* Only the held exits go on: their subscribers told again, or (a
     * subscriber gone) the next one told or VM told of the exit. */
    for (s = 0; s < fs_nout && s < FS_MAX_OUT; s++)
        if (fs_out[s].kind == FS_OUT_ASYNSEND ? fs_out[s].m.m_type != PM_PROC_EVENT
            : fs_out[s].kind != FS_OUT_SENDREC || fs_out[s].m.m_type != VM_EXIT ||
              slot_of(pre, fs_out[s].m.m_vm.ep) == NO_SLOT ||
              !(pre[slot_of(pre, fs_out[s].m.m_vm.ep)].mp_flags & EVENT_CALL))
            FAIL("step %d: restart sent %#x to %d", step, (unsigned)fs_out[s].m.m_type,
                 fs_out[s].dst);
    for (s = 0; s < NR_PROCS; s++) {
        const struct proc_info *pi = &ktab[s + NR_TASKS];
        uint32_t f = mproc[s].mp_flags;
        if ((f & (WAITING | ~(IN_USE | ZOMBIE | PRIV_PROC | EXITING | EVENT_CALL | UNPAUSED))) ||
            ((f & EXITING) && !(f & EVENT_CALL)))
            FAIL("step %d: %d has flags %#x after a restart", step, mproc[s].mp_endpoint,
                 (unsigned)f);
        /* system processes are PRIV_PROC entries, user processes are not */
        if ((f & IN_USE) && !(pi->rts_flags & RTS_SLOT_FREE) &&
            pi->endpoint == mproc[s].mp_endpoint &&
            !(f & PRIV_PROC) != !(pi->priv_flags & PRIV_SYS_PROC))
            FAIL("step %d: %d (%s) kept as a %s process", step, pi->endpoint, pi->name,
                 (f & PRIV_PROC) ? "system" : "user");
        /* (zombies may go: with init gone nobody can reap them) */
        if (info.xfer == SEF_XFER_OK && x == 0 &&
            (pre[s].mp_flags & (IN_USE | ZOMBIE | EXITING)) == IN_USE &&
            !(pi->rts_flags & RTS_SLOT_FREE) &&
            (mproc[s].mp_endpoint != pre[s].mp_endpoint || mproc[s].mp_pid != pre[s].mp_pid))
            FAIL("step %d: adopted table lost pid %d", step, pre[s].mp_pid);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in, ans;
    message m;
    int step, kind, i;
    uint8_t b, inj;
    char top;
    sigset_t_ sigs;
    const uint8_t *a0;

    if (!booted)
        boot();
    fs_stack_top = &top;
    fs_restore();
    fs_ticks = 1000;
    fs_shutdowns = 0;
    fs_sendrec_cb = vm_answer;
    memset(kgen, 0, sizeof(kgen));
    newest_child = ENDPOINT(0, INIT_PROC_NR);
    newest_pid = INIT_PID;
    nkpend = 0;
    fz_init(&in, data, size);
    for (step = 0; step < MAX_STEPS && !fz_done(&in) && !fs_shutdowns; step++) {
        memset(&m, 0, sizeof(m));
        save_pre();
        ndrained = 0;
        vm_refused = 0;
        sigs = 0;
        fs_ticks++;
        b = fz_u8(&in) % 16;
        kind = b < 12 ? K_REQ : b < 14 ? K_SIGNALS : b == 14 ? K_NOTIFY : K_RESTART;
        b = fz_u8(&in);
        if (kind != K_RESTART)
            m.m_source = who(&in, b);
        /* (init's slot never holds a system process: the kernel reuses no
         * boot slot for a fork, and RS does not run init) */
        fs_proc_priv = (b & 0x10) && ENDPOINT_SLOT(m.m_source) != INIT_PROC_NR ? PRIV_SYS_PROC : 0;
        if (kind == K_REQ) {
            decode_request(&in, &m);
        } else if (kind == K_SIGNALS) {
            uint8_t c = fz_u8(&in) % 8;
            sigs = c < 7 ? SIGS[c] : (sigset_t_)fz_u32(&in);
            m.m_type = NOTIFY_MESSAGE;
        } else if (kind == K_NOTIFY) {
            fs_ticks += (clock_t_)fz_u8(&in) * 64;
            m.m_type = NOTIFY_MESSAGE;
        } else {
            m.m_pm.what = fz_u8(&in);           /* the restart's b2, b3 ... */
            m.m_pm.pid = fz_u8(&in);
            if (m.m_pm.what & 0x20) {
                m.m_pm.len = fz_u16(&in) % (sizeof(mproc) + sizeof(next_pid));
                m.m_pm.sig = fz_u8(&in);
            }
        }
        fs_take_answers(&in, &ans);
        a0 = ans.p;
        fs_wide.ep = m.m_source;
        if (kind == K_RESTART) {
            restart(step, (uint8_t)m.m_pm.what, (uint8_t)m.m_pm.pid, m.m_pm.len,
                    (uint8_t)m.m_pm.sig);
            check_step(step, NULL, 0);
            continue;
        }
        /* A process blocked in PM_WAIT cannot send. */
        i = slot_of(mproc, m.m_source);
        if (kind != K_SIGNALS && i != NO_SLOT && (mproc[i].mp_flags & WAITING))
            continue;
        FZ_TRACE("step %d: kind %d from %d type %#x pid %d sig %d opts %d what %d ptr %#x len %u name \"%.16s\" sigs %#x answers %zu",
                 step, kind, m.m_source, (unsigned)m.m_type, m.m_pm.pid, m.m_pm.sig,
                 m.m_pm.options, m.m_pm.what, (unsigned)m.m_pm.ptr, m.m_pm.len, m.m_pm.name,
                 (unsigned)sigs, ans.n);
        if (kind == K_SIGNALS) {
            if (sigs != 0)
                add_pending(m.m_source, sigs);
            m.m_source = SYSTEM;
            drain(&m);
        } else {
            m_in = m;
            pm_dispatch();
        }
        for (inj = 0; a0 < ans.p; a0++)     /* did a faked call fail? */
            inj |= *a0;
        check_step(step, kind == K_SIGNALS ? NULL : &m, inj != 0);
        check_orphans(step);
        for (i = 0; i < fs_nkills && i < FS_MAX_OUT; i++)
            add_pending(fs_kills[i].ep, SIGMASK(fs_kills[i].sig));
        FZ_TRACE("  -> %d messages, %d clears, %d kills, %d drained", fs_nout, fs_ncleared,
                 fs_nkills, ndrained);
    }
    fs_answers = NULL;
    return 0;
}
