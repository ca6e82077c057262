/*
 * check.h: the oracle of the fuzz/pm harness (what it checks: the header
 * comment of pm.c). Included once by pm.c, after the harness's state
 * (pre[], drained[], vm_refused, user_mem ...) which these functions read:
 * one translation unit, so that fs_snapshot still sees pm.c as the
 * harness's only file. The check_* functions are no code under test
 * (fuzz/common/coverage_ignore.txt).
 */
#ifndef FUZZ_PM_CHECK_H
#define FUZZ_PM_CHECK_H

static int is_error(int32_t r)
{
    return r >= EGENERIC && r <= -1 && r != EDONTREPLY;
}

static int status_word(const struct mproc *rmp)
{
    return rmp->mp_sigstatus != 0 ? rmp->mp_sigstatus & 0x7f : (rmp->mp_exitstatus & 0xff) << 8;
}

/* The signal that terminates a live user process rmp with pending sigs, or
 * 0: SIGKILL first, else the lowest one that is a fault (those terminate
 * even when ignored) or terminates by default and is not ignored. */
static int term_signal(const struct mproc *rmp, sigset_t_ sigs)
{
    int sig;

    if (sigs & SIGMASK(SIGKILL))
        return SIGKILL;
    for (sig = 1; sig < SIGKSTOP; sig++) {
        if (!(sigs & SIGMASK(sig)))
            continue;
        if (sig == SIGSEGV || sig == SIGILL || sig == SIGFPE || sig == SIGBUS || sig == SIGTRAP)
            return sig;
        if (SIG_TERMINATES(sig) && !(rmp->mp_ignore & SIGMASK(sig)))
            return sig;
    }
    return 0;
}

/* Slot s held a live user process before the step and does not any more. */
static int died(int s)
{
    return is_live(pre, s) && !(slot_of(mproc, pre[s].mp_endpoint) == s && is_live(mproc, s));
}

/* PM sent VM_EXIT for ep in this step. */
static int vm_exited(endpoint_t ep)
{
    int i;

    for (i = 0; i < fs_nout; i++)
        if (fs_out[i].kind == FS_OUT_SENDREC && fs_out[i].m.m_type == VM_EXIT &&
            fs_out[i].m.m_vm.ep == ep)
            return 1;
    return 0;
}

/* The index of subscriber ep in subs, or -1. */
static int sub_index(const struct pm_subs *subs, endpoint_t ep)
{
    unsigned i;

    for (i = 0; i < subs->n && i < PM_NR_SUBS; i++)
        if (subs->sub[i].endpt == ep)
            return (int)i;
    return -1;
}

/* PM told dst of process ep's exit in this step. */
static int told(endpoint_t dst, endpoint_t ep)
{
    int i;

    for (i = 0; i < fs_nout && i < FS_MAX_OUT; i++)
        if (fs_out[i].kind == FS_OUT_ASYNSEND && fs_out[i].dst == dst &&
            fs_out[i].m.m_type == PM_PROC_EVENT && fs_out[i].m.m_pm.endpt == ep)
            return 1;
    return 0;
}

/* The exit of user process ep (slot s, status word 'status') began in this
 * step: it is held for the first subscriber that wants exits, which was
 * told; with none (or, inj, when telling failed) it took effect: VM told,
 * a zombie with that status, or gone. */
static void check_exit_begun(int step, int s, endpoint_t ep, int status, int inj)
{
    const struct mproc *now = &mproc[s];
    int first = -1, held = slot_of(mproc, ep) == s && (now->mp_flags & EXITING);
    unsigned i;

    for (i = 0; i < pm_subs.n && first < 0; i++)
        if (pm_subs.sub[i].mask & PROC_EVENT_EXIT)
            first = (int)i;
    if (held) {
        if (!(now->mp_flags & EVENT_CALL) || status_word(now) != status ||
            now->mp_eventsub < first || (!inj && now->mp_eventsub != first) ||
            !told(pm_subs.sub[now->mp_eventsub].endpt, ep) || vm_exited(ep))
            FAIL("step %d: exit of %d held at subscriber %d (first %d), flags %#x", step,
                 ep, now->mp_eventsub, first, (unsigned)now->mp_flags);
    } else if ((first >= 0 && !inj) || !vm_exited(ep) ||
               (slot_of(mproc, ep) != NO_SLOT &&
                (!(now->mp_flags & ZOMBIE) || status_word(now) != status))) {
        FAIL("step %d: exit of %d: not held (first subscriber %d), VM told %d, flags %#x",
             step, ep, first, vm_exited(ep), (unsigned)now->mp_flags);
    }
}

/* Process ep (slot s), held before the step by subscriber index i,
 * moved on: held by a later subscriber (by their order before the step),
 * which was told, or its exit took effect. */
static void check_moved_on(int step, int s, endpoint_t ep, int i)
{
    const struct mproc *now = &mproc[s];

    if (slot_of(mproc, ep) == s && (now->mp_flags & EVENT_CALL)) {
        endpoint_t by = pm_subs.sub[now->mp_eventsub].endpt;
        if (sub_index(&pre_subs, by) <= i || !told(by, ep))
            FAIL("step %d: %d held by subscriber %d, not past %d", step, ep, by,
                 pre_subs.sub[i].endpt);
    } else if (!vm_exited(ep)) {
        FAIL("step %d: exit of %d over, VM not told", step, ep);
    }
}

/* The process-event calls (event.c) by the process at slot cs; r: its
 * reply type (EDONTREPLY: none). */
static void check_event_call(int step, const message *req, int32_t r, int cs, int inj)
{
    endpoint_t src = req->m_source, ep = req->m_pm.endpt;
    int sys = (pre[cs].mp_flags & PRIV_PROC) != 0, i = sub_index(&pre_subs, src), s, want;
    uint32_t mask = req->m_pm.mask;
    int same = memcmp(&pm_subs, &pre_subs, sizeof(pm_subs)) == 0;

    switch (req->m_type) {
    case PM_PROCEVENTMASK:
        want = !sys ? EPERM : (mask & ~(uint32_t)PROC_EVENT_EXIT) ? EINVAL
             : i < 0 && mask != 0 && pre_subs.n == PM_NR_SUBS ? ENOMEM : OK;
        if (r != want)
            FAIL("step %d: proceventmask(%#x) by %d: %d, want %d", step, (unsigned)mask, src,
                 r, want);
        if (want != OK || (i < 0 && mask == 0) ? !same
            : i >= 0 && mask == 0 && pre_subs.sub[i].waiting == 0
            ? pm_subs.n != pre_subs.n - 1 || sub_index(&pm_subs, src) >= 0
            : i >= 0 ? pm_subs.n != pre_subs.n || pm_subs.sub[i].endpt != src ||
                       pm_subs.sub[i].mask != mask
            : pm_subs.n != pre_subs.n + 1 || pm_subs.sub[pre_subs.n].endpt != src ||
              pm_subs.sub[pre_subs.n].mask != mask || pm_subs.sub[pre_subs.n].waiting != 0)
            FAIL("step %d: proceventmask(%#x) by %d: %u subscribers (were %u)", step,
                 (unsigned)mask, src, pm_subs.n, pre_subs.n);
        return;
    case PM_PROC_EVENT_REPLY:
        if (!sys) {
            if (r != ENOSYS)
                FAIL("step %d: event answer by user %d: %d", step, src, r);
            return;
        }
        if (r != EDONTREPLY)
            FAIL("step %d: event answer by %d answered %d", step, src, r);
        s = slot_of(pre, ep);
        if (s != NO_SLOT && (pre[s].mp_flags & EVENT_CALL) && pre[s].mp_eventsub == i &&
            i >= 0 && req->m_pm.event == PROC_EVENT_EXIT)
            check_moved_on(step, s, ep, i);
        else if (!same || fs_nout != 0)
            FAIL("step %d: event answer by %d for %d, nothing held: acted on", step, src, ep);
        return;
    case PM_SERVICE_DIED:
        if (src != RS_PROC_NR) {
            if (r != EPERM)
                FAIL("step %d: service_died by %d: %d", step, src, r);
            return;
        }
        if (r != EDONTREPLY)
            FAIL("step %d: service_died answered %d", step, r);
        i = sub_index(&pre_subs, ep);
        if (i < 0) {
            if (!same || fs_nout != 0)
                FAIL("step %d: service_died of %d, no subscriber: acted on", step, ep);
            return;
        }
        if (req->m_pm.options != SERVICE_RESTARTED && sub_index(&pm_subs, ep) >= 0)
            FAIL("step %d: service %d gone, still subscribed", step, ep);
        for (s = 0; s < NR_PROCS; s++) {
            if (!(pre[s].mp_flags & EVENT_CALL) || pre[s].mp_eventsub != i)
                continue;
            if (req->m_pm.options != SERVICE_RESTARTED)
                check_moved_on(step, s, pre[s].mp_endpoint, i);
            else if (!told(ep, pre[s].mp_endpoint) && !inj)
                FAIL("step %d: %d restarted, not told of %d again", step, ep,
                     pre[s].mp_endpoint);
        }
        return;
    }
}

/* A reply to w (pre-step WAITING) that ends its wait: a reaped child. */
static void check_wakeup(int step, int w, const message *rep, const message *req, int cs)
{
    int32_t pid = rep->m_pm.pid;
    int z, want;

    if (rep->m_type != OK)
        FAIL("step %d: wait of %d ended with %d", step, pre[w].mp_endpoint, rep->m_type);
    if (mproc[w].mp_flags & WAITING)
        FAIL("step %d: %d answered but still WAITING", step, pre[w].mp_endpoint);
    if (pre[w].mp_wpid > 0 && pre[w].mp_wpid != pid)
        FAIL("step %d: wait for pid %d got pid %d", step, pre[w].mp_wpid, pid);
    z = pid_slot(pre, pid);
    if (z == NO_SLOT || !is_user(pre, z) || slot_of(mproc, pre[z].mp_endpoint) != NO_SLOT)
        FAIL("step %d: wait got pid %d, no process reaped", step, pid);
    if (pre[z].mp_parent != w && !(w == INIT_PROC_NR && died(pre[z].mp_parent)))
        FAIL("step %d: pid %d reaped by %d, not its parent", step, pid, pre[w].mp_endpoint);
    if (pre[z].mp_flags & (ZOMBIE | EXITING))
        want = status_word(&pre[z]);
    else if (z == cs && req->m_type == PM_EXIT)
        want = (req->m_pm.status & 0xff) << 8;
    else {
        int i;
        for (i = 0, want = -1; i < ndrained; i++)
            if (drained[i].ep == pre[z].mp_endpoint)
                want = drained[i].term;
    }
    if (rep->m_pm.status != want)
        FAIL("step %d: pid %d reaped with status %#x, want %#x", step, pid,
             (unsigned)rep->m_pm.status, (unsigned)want);
}

/* The sender's own reply, for a request PM dispatched to its handler
 * (the sender is a user process or an accepted system one). rep: the reply
 * or NULL; inj: a faked call failed. */
static void check_handled(int step, const message *req, const message *rep, int cs, int inj,
                          endpoint_t child)
{
    const struct mproc *me = &pre[cs], *now = &mproc[cs];
    int32_t t = req->m_type, r = rep ? rep->m_type : EDONTREPLY;
    int i, kids = 0, zombie = NO_SLOT;

    switch (t) {
    case PM_FORK:
        if (r == OK) {
            int c = slot_of(mproc, child);
            if (child == NONE || c == NO_SLOT || !is_live(mproc, c) || mproc[c].mp_parent != cs ||
                mproc[c].mp_pid != rep->m_pm.pid || mproc[c].mp_ignore != me->mp_ignore ||
                pid_slot(pre, rep->m_pm.pid) != NO_SLOT || slot_of(pre, child) != NO_SLOT)
                FAIL("step %d: fork answered pid %d, child %d not recorded as such", step,
                     rep->m_pm.pid, child);
        } else if (child != NONE || r == EDONTREPLY || (!inj && !vm_refused)) {
            FAIL("step %d: fork: %d (child %d)", step, r, child);
        }
        return;
    case PM_EXIT:
        if (rep != NULL)
            FAIL("step %d: exit answered %d", step, r);
        check_exit_begun(step, cs, req->m_source, (req->m_pm.status & 0xff) << 8, inj);
        return;
    case PM_WAIT:
        for (i = 0; i < NR_PROCS; i++) {
            if (!is_user(pre, i) || pre[i].mp_parent != cs || i == cs ||
                (req->m_pm.pid > 0 && pre[i].mp_pid != req->m_pm.pid))
                continue;
            kids++;
            if ((pre[i].mp_flags & ZOMBIE) && zombie == NO_SLOT)
                zombie = i;
        }
        if (req->m_pm.options & ~WNOHANG) {
            if (r != EINVAL)
                FAIL("step %d: wait options %#x: %d", step, (unsigned)req->m_pm.options, r);
        } else if (zombie != NO_SLOT) {
            if (r != OK || rep->m_pm.pid != pre[zombie].mp_pid ||
                rep->m_pm.status != status_word(&pre[zombie]) || is_user(mproc, zombie))
                FAIL("step %d: wait: %d pid %d, zombie pid %d not reaped", step, r,
                     rep ? rep->m_pm.pid : 0, pre[zombie].mp_pid);
        } else if (req->m_pm.options & WNOHANG) {
            if (kids ? r != OK || rep->m_pm.pid != 0 : r != ECHILD)
                FAIL("step %d: WNOHANG wait with %d children: %d", step, kids, r);
        } else if (!kids && !(me->mp_pid == INIT_PID && req->m_pm.pid <= 0)) {
            if (r != ECHILD)
                FAIL("step %d: wait without children: %d", step, r);
        } else if (rep != NULL || !(now->mp_flags & WAITING) || now->mp_wpid != req->m_pm.pid) {
            FAIL("step %d: wait should block: %d", step, r);
        }
        return;
    case PM_KILL: {
        int sig = req->m_pm.sig, pid = req->m_pm.pid, ts = pid_slot(pre, pid), want = OK;
        int deliver = 0, ok_kill;
        if (sig < 0 || sig >= NSIG || pid <= 0)
            want = EINVAL;
        else if (ts == NO_SLOT)
            want = ESRCH;
        else if (pre[ts].mp_flags & PRIV_PROC)
            want = EPERM;
        else
            deliver = sig > 0 && sig < SIGKSTOP && SIG_TERMINATES(sig) &&
                      !(pre[ts].mp_flags & (ZOMBIE | EXITING)) &&
                      (sig == SIGKILL || !(pre[ts].mp_ignore & SIGMASK(sig)));
        ok_kill = fs_nkills == 0 ? !deliver || inj
                : fs_nkills == 1 && deliver && fs_kills[0].ep == pre[ts].mp_endpoint &&
                  fs_kills[0].sig == sig;
        if (!ok_kill)
            FAIL("step %d: kill(%d, %d): %d sys_kill calls", step, pid, sig, fs_nkills);
        if (r != want && !(deliver && inj && is_error(r)))
            FAIL("step %d: kill(%d, %d): %d, want %d", step, pid, sig, r, want);
        return;
    }
    case PM_GETPID:
        if (r != OK || rep->m_pm.pid != now->mp_pid || rep->m_pm.endpt != req->m_source)
            FAIL("step %d: getpid: %d pid %d", step, r, rep ? rep->m_pm.pid : 0);
        return;
    case PM_GETPPID:
        if (r != OK || rep->m_pm.pid != (now->mp_parent == cs ? 0 : mproc[now->mp_parent].mp_pid))
            FAIL("step %d: getppid: %d pid %d", step, r, rep ? rep->m_pm.pid : 0);
        return;
    case PM_SIGACTION: {
        int sig = req->m_pm.sig, how = req->m_pm.options;
        if (sig <= 0 || sig >= SIGKSTOP || sig == SIGKILL || sig == SIGSTOP ||
            (how != SIG_DFL_ && how != SIG_IGN_)) {
            if (r != EINVAL)
                FAIL("step %d: sigaction(%d, %d): %d", step, sig, how, r);
        } else if (r != OK ||
                   rep->m_pm.options != ((me->mp_ignore & SIGMASK(sig)) ? SIG_IGN_ : SIG_DFL_) ||
                   now->mp_ignore != ((me->mp_ignore & ~SIGMASK(sig)) | (how ? SIGMASK(sig) : 0))) {
            FAIL("step %d: sigaction(%d, %d): %d old %d", step, sig, how, r,
                 rep ? rep->m_pm.options : 0);
        }
        return;
    }
    case PM_GETSYSINFO: {
        int what = req->m_pm.what;
        uint32_t want_len = what == SI_PROC_TAB ? LENS[1] : what == SI_KINFO ? LENS[2] : 0;
        vir_bytes p = req->m_pm.ptr;
        int fits = p >= USER_BUF && p - USER_BUF <= USER_LEN - want_len;
        if (want_len == 0 || req->m_pm.len != want_len) {
            if (r != EINVAL)
                FAIL("step %d: getsysinfo(%d, len %u): %d", step, what, req->m_pm.len, r);
        } else if (r == OK ? !fits : !is_error(r) || (!inj && (fits || r != EFAULT))) {
            FAIL("step %d: getsysinfo(%d) to %#x: %d", step, what, (unsigned)p, r);
        } else if (r == OK && what == SI_PROC_TAB) {
            struct pm_proc_info pi;     /* (copied: p may be unaligned) */
            for (i = 0; i < NR_PROCS; i++) {
                const struct mproc *e = &mproc[i];
                int in = (e->mp_flags & IN_USE) != 0;
                memcpy(&pi, user_mem + (p - USER_BUF) + sizeof(pi) * (size_t)i, sizeof(pi));
                if (pi.flags != (in ? e->mp_flags : 0) || pi.pid != (in ? e->mp_pid : 0) ||
                    pi.endpoint != (in ? e->mp_endpoint : 0) ||
                    pi.ppid != (!in || e->mp_parent == i ? 0 : mproc[e->mp_parent].mp_pid) ||
                    pi.status != (in && (e->mp_flags & ZOMBIE) ? status_word(e) : 0) ||
                    pi.ignore != (in ? e->mp_ignore : 0) ||
                    memcmp(pi.name, in ? e->mp_name : "", in ? PROC_NAME_LEN : 1) != 0)
                    FAIL("step %d: getsysinfo: entry %d does not match the table", step, i);
            }
        } else if (r == OK) {
            struct kinfo ki;
            memcpy(&ki, user_mem + (p - USER_BUF), sizeof(ki));
            if (ki.hz != HZ)
                FAIL("step %d: getsysinfo: kinfo.hz %u", step, ki.hz);
        }
        return;
    }
    case PM_EXEC: {
        char name[PROC_NAME_LEN];
        int want = EDONTREPLY, k;
        memcpy(name, req->m_pm.name, PROC_NAME_LEN);
        name[PROC_NAME_LEN - 1] = '\0';
        if (name[0] == '\0')
            want = EINVAL;
        else if (req->m_pm.len > PM_MAX_ARGS)
            want = E2BIG;
        else if (req->m_pm.len > 0 && req->m_pm.ptr == 0)
            want = EFAULT;
        else {
            for (k = 0; MODULES[k] != NULL && strcmp(MODULES[k], name) != 0; k++)
                ;
            want = MODULES[k] == NULL ? ENOENT : MODULE_SLOTS[k] >= 0 ? EACCES : EDONTREPLY;
        }
        /* an injected failure: sys_getmodules's or VM's error instead */
        if (r != want && !(inj && is_error(r) && want != EINVAL && want != E2BIG && want != EFAULT))
            FAIL("step %d: exec \"%s\": %d, want %d", step, name, r, want);
        if (r == EDONTREPLY && strcmp(now->mp_name, name) != 0)
            FAIL("step %d: exec \"%s\": name %s", step, name, now->mp_name);
        return;
    }
    case PM_REBOOT:
        if (me->mp_pid != INIT_PID || (me->mp_flags & PRIV_PROC)
                ? r != EPERM : r != OK && (!inj || !is_error(r)))
            FAIL("step %d: reboot by pid %d: %d", step, me->mp_pid, r);
        return;
    case PM_PROCEVENTMASK:
    case PM_PROC_EVENT_REPLY:
    case PM_SERVICE_DIED:
        check_event_call(step, req, r, cs, inj);
        return;
    case PM_GETTIME:
    case PM_GETRES: {
        int what = req->m_pm.what;
        uint32_t sec = t == PM_GETRES ? 0 : what == PM_CLOCK_REALTIME ? FS_BOOTTIME + fs_ticks / HZ
                                                                       : fs_ticks / HZ;
        uint32_t ns = t == PM_GETRES ? 1000000000u / HZ : (fs_ticks % HZ) * (1000000000u / HZ);
        if (what != PM_CLOCK_REALTIME && what != PM_CLOCK_MONOTONIC ? r != EINVAL
            : r == OK ? (uint32_t)rep->m_pm.status != sec || (uint32_t)rep->m_pm.options != ns
                      : !inj || !is_error(r) || t == PM_GETRES)
            FAIL("step %d: clock %#x(%d): %d %d.%09d", step, (unsigned)t, what, r,
                 rep ? rep->m_pm.status : 0, rep ? rep->m_pm.options : 0);
        return;
    }
    default:
        FAIL("step %d: type %#x handled but not a PM call", step, (unsigned)t);
    }
}

/* Every message of a step (see the header). req: the request or notify
 * (NULL for drains and restarts); inj: a faked call failed. */
static void check_step(int step, const message *req, int inj)
{
    int i, j, n = fs_nout, cs = NO_SLOT, known = 0;
    const message *mine = NULL;
    endpoint_t child = NONE, src = req ? req->m_source : NONE;
    const char *what = "?";

    /* PM's invariants first: the checks below index the table with its
     * entries' parent slots. */
    if (fs_sanity_cb == NULL || fs_sanity_cb(&what) != OK)
        FAIL("step %d: sanity: %s", step, what);
    if (n > FS_MAX_OUT)
        FAIL("step %d: %d messages, more than the harness checks", step, n);
    for (i = 0; i < n; i++) {
        const struct fs_out *o = &fs_out[i];

        if (o->kind == FS_OUT_SENDREC) {
            int32_t vt = o->m.m_type;
            int s = slot_of(mproc, o->m.m_vm.ep);
            if (vt == VM_EXIT ? s != NO_SLOT && is_live(mproc, s)
                : (vt != VM_FORK && vt != VM_EXEC) || req == NULL ||
                  req->m_type != (vt == VM_FORK ? PM_FORK : PM_EXEC) || o->m.m_vm.ep != src)
                FAIL("step %d: SENDREC %#x to VM for %d", step, (unsigned)vt, o->m.m_vm.ep);
            continue;
        }
        if (o->kind == FS_OUT_ASYNSEND && o->m.m_type == PM_PROC_EVENT) {
            int e = slot_of(mproc, o->m.m_pm.endpt), p = slot_of(pre, o->m.m_pm.endpt);
            if ((sub_index(&pre_subs, o->dst) < 0 && sub_index(&pm_subs, o->dst) < 0) ||
                o->m.m_pm.event != PROC_EVENT_EXIT ||
                !((e != NO_SLOT && (mproc[e].mp_flags & EXITING)) ||
                  (p != NO_SLOT && (pre[p].mp_flags & EXITING)) ||
                  (e == NO_SLOT && p != NO_SLOT) || (e != NO_SLOT && (mproc[e].mp_flags & ZOMBIE))))
                FAIL("step %d: PROC_EVENT(%d, %d) to %d", step, o->m.m_pm.endpt,
                     o->m.m_pm.event, o->dst);
            continue;
        }
        if (o->kind != FS_OUT_REPLY)
            FAIL("step %d: message kind %d to %d", step, o->kind, o->dst);
        if (o->dst == NONE || o->dst == ANY || (!is_error(o->m.m_type) && o->m.m_type != OK))
            FAIL("step %d: reply %d to %d", step, o->m.m_type, o->dst);
        for (j = 0; j < i; j++)
            if (fs_out[j].kind == FS_OUT_REPLY && fs_out[j].dst == o->dst)
                FAIL("step %d: two replies to %d", step, o->dst);
        if (req != NULL && o->dst == src) {
            mine = &o->m;
        } else if (req != NULL && req->m_type == PM_FORK && child == NONE &&
                   slot_of(pre, o->dst) == NO_SLOT) {
            child = o->dst;
            if (o->m.m_type != OK || o->m.m_pm.pid != 0)
                FAIL("step %d: fork child %d answered %d pid %d", step, o->dst,
                     o->m.m_type, o->m.m_pm.pid);
        } else {
            int w = slot_of(pre, o->dst);
            if (w == NO_SLOT || !(pre[w].mp_flags & WAITING))
                FAIL("step %d: reply %d to %d, which is not waiting", step, o->m.m_type, o->dst);
            check_wakeup(step, w, &o->m, req, slot_of(pre, src));
        }
    }
    for (i = 0; i < fs_ncleared && i < FS_MAX_OUT; i++)
        if (slot_of(mproc, fs_cleared[i]) != NO_SLOT)
            FAIL("step %d: %d cleared but still in the table", step, fs_cleared[i]);

    if (req != NULL) {
        int32_t t = req->m_type;
        int32_t r = mine ? mine->m_type : EDONTREPLY;

        cs = slot_of(pre, src);
        if (cs == NO_SLOT && (cs = slot_of(mproc, src)) != NO_SLOT) {
            /* recorded on the fly: a system process the kernel vouches for */
            if (!(mproc[cs].mp_flags & PRIV_PROC) || !(fs_proc_priv & PRIV_SYS_PROC) ||
                is_user(pre, cs))
                FAIL("step %d: %d recorded as %#x", step, src, (unsigned)mproc[cs].mp_flags);
            memcpy(&pre[cs], &mproc[cs], sizeof(pre[cs]));
        } else if (cs == NO_SLOT && !inj && (fs_proc_priv & PRIV_SYS_PROC) &&
                   ep_slot(src) != NO_SLOT && !is_user(pre, ep_slot(src))) {
            FAIL("step %d: system process %d not recorded", step, src);
        }
        known = cs != NO_SLOT;
        if (IS_NOTIFY(req) && ENDPOINT_SLOT(src) < 0) {
            if (n || fs_ncleared)
                FAIL("step %d: output for a kernel notification", step);
        } else if (pm_call_handler(t) == NULL) {
            if (r != EBADREQUEST)
                FAIL("step %d: type %#x from %d: %d", step, (unsigned)t, src, r);
        } else if (!known) {
            if (r != EPERM)
                FAIL("step %d: %d (unknown) got %d", step, src, r);
        } else if (pre[cs].mp_flags & (ZOMBIE | EXITING)) {
            if (n || fs_ncleared)
                FAIL("step %d: output for zombie %d", step, src);
        } else if (pm_call_needs_user(t) && (pre[cs].mp_flags & PRIV_PROC)) {
            if (r != EPERM)
                FAIL("step %d: type %#x from system process %d: %d", step, (unsigned)t, src, r);
        } else {
            check_handled(step, req, mine, cs, inj, child);
        }
        if (child != NONE && (t != PM_FORK || r != OK))
            FAIL("step %d: a reply to %d, a stranger", step, child);
        if (child != NONE) {            /* who 6 and pid 10 name it from now on */
            newest_child = child;
            newest_pid = mine->m_pm.pid;
        }
    }
    for (i = 0; i < ndrained; i++) {
        int s = slot_of(pre, drained[i].ep);
        if (s == NO_SLOT || !is_live(pre, s))
            continue;
        if (drained[i].term && !(pre[s].mp_flags & EXITING))
            check_exit_begun(step, s, drained[i].ep, drained[i].term & 0x7f, inj);
        else if (!drained[i].term &&
                 (!is_live(mproc, s) || mproc[s].mp_endpoint != drained[i].ep))
            FAIL("step %d: signals for %d (term %d) mishandled: flags %#x", step,
                 drained[i].ep, drained[i].term, (unsigned)mproc[s].mp_flags);
    }
    /* No lost notification: every process held by a subscriber was held by
     * it before the step, or that subscriber was told in this step. */
    for (i = 0; i < NR_PROCS; i++) {
        endpoint_t by;
        if (!(mproc[i].mp_flags & EVENT_CALL))
            continue;
        by = pm_subs.sub[mproc[i].mp_eventsub].endpt;
        if (!told(by, mproc[i].mp_endpoint) &&
            !((pre[i].mp_flags & EVENT_CALL) && pre[i].mp_endpoint == mproc[i].mp_endpoint &&
              pre_subs.sub[pre[i].mp_eventsub].endpt == by))
            FAIL("step %d: %d held by subscriber %d, which was never told", step,
                 mproc[i].mp_endpoint, by);
    }
}

/* Orphans (any step but a restart): the children of a process that died
 * in the step now belong to init, or are roots when init is not running;
 * or they are gone (reaped by a waiting init, or released as roots). An
 * init whose exit is held (EXITING) now may have been running when they
 * were orphaned, earlier in the step: either. */
static void check_orphans(int step)
{
    const struct mproc *ip = &mproc[INIT_PROC_NR];
    uint32_t f = ip->mp_flags & (IN_USE | ZOMBIE | EXITING | PRIV_PROC);
    int s, c, p, init_ok = f == IN_USE && ip->mp_pid == INIT_PID;
    int init_held = f == (IN_USE | EXITING) && ip->mp_pid == INIT_PID;

    for (s = 0; s < NR_PROCS; s++) {
        if (!died(s))
            continue;
        for (c = 0; c < NR_PROCS; c++) {
            if (c == s || !is_user(pre, c) || pre[c].mp_parent != s ||
                slot_of(mproc, pre[c].mp_endpoint) != c)
                continue;
            p = mproc[c].mp_parent;
            if (init_held ? p != INIT_PROC_NR && p != c : p != (init_ok ? INIT_PROC_NR : c))
                FAIL("step %d: orphan %d of %d has parent slot %d", step,
                     pre[c].mp_endpoint, pre[s].mp_endpoint, p);
        }
    }
}

#endif
