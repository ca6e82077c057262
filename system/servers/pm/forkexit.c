/*
 * fork, exit, waitpid, getpid, getppid. A user process's life: PM_FORK (VM
 * copies the parent with sys_fork; PM records the child and lets it run),
 * PM_EXIT or a terminating signal (the process-event subscribers are told
 * first, then VM forgets it and it becomes a zombie), and its parent's
 * PM_WAIT (PM clears the kernel slot with sys_clear and frees the entry).
 * The zombie keeps its kernel slot until then.
 */
#include "glo.h"
#include "proto.h"

/* vm_exit: tell VM that ep's memory is no longer accounted. Errors are
 * logged only: the process is going away whatever VM says. */
static void vm_exit(endpoint_t ep)
{
    message m;
    memset(&m, 0, sizeof(m));
    m.m_type = VM_EXIT;
    m.m_vm.ep = ep;
    int r = ipc_sendrec(VM_PROC_NR, &m);
    if (r != OK || m.m_type != OK)
        printf("pm: VM_EXIT of %d failed: %d/%d\n", (int)ep, r, (int)m.m_type);
}

/* release: forget the process at slot for good: clear its kernel slot
 * (its endpoint goes stale) and free the entry. */
static void release(int slot)
{
    endpoint_t ep = mproc[slot].mp_endpoint;
    int r = sys_clear(ep);
    if (r != OK)
        printf("pm: sys_clear of %d failed: %d\n", (int)ep, r);
    ptab_free(mproc, slot);
}

/* wake_parent: if the process at pslot is blocked in PM_WAIT and a zombie
 * child it accepts exists, answer its wait and reap that child. */
static void wake_parent(int pslot)
{
    int z = ptab_zombie_for(mproc, pslot);
    if (z == NO_SLOT)
        return;
    message m;
    memset(&m, 0, sizeof(m));
    m.m_pm.pid = mproc[z].mp_pid;
    m.m_pm.status = pm_status_word(mproc[z].mp_exitstatus, mproc[z].mp_sigstatus);
    mproc[pslot].mp_flags &= ~WAITING;
    release(z);
    sef_reply(mproc[pslot].mp_endpoint, &m, OK);
}

/* init_alive: nonzero while init runs (not exiting, not a zombie). */
static int init_alive(void)
{
    const struct mproc *ip = &mproc[INIT_PROC_NR];
    return (ip->mp_flags & (IN_USE | ZOMBIE | EXITING | PRIV_PROC)) == IN_USE &&
           ip->mp_pid == INIT_PID;
}

/* exit_proc: end the user process rmp with exit_status (PM_EXIT) or
 * terminated by sig (sig != 0). It is EXITING from now on: the process
 * event subscribers are told first (event.c), one after another, and
 * exit_finish ends it once the last one has answered (at once when nobody
 * subscribed). The process itself gets no reply. Exiting twice is a
 * no-op. */
void exit_proc(struct mproc *rmp, int exit_status, int sig)
{
    if (rmp->mp_flags & (ZOMBIE | EXITING | PRIV_PROC))
        return;
    if (rmp->mp_pid == INIT_PID)
        printf("pm: init exited (status %d, signal %d); no process reaps orphans now\n",
               exit_status, sig);
    rmp->mp_flags |= EXITING;
    rmp->mp_flags &= ~WAITING;
    rmp->mp_exitstatus = exit_status & 0xff;
    rmp->mp_sigstatus = sig;
    pm_event_publish(rmp);
}

/* exit_finish: the exit of rmp (EXITING, every subscriber told) takes
 * effect: VM frees its memory, its children go to init, it becomes a
 * zombie for its parent, or is freed at once if nobody can wait for it. */
void exit_finish(struct mproc *rmp)
{
    int slot = (int)(rmp - mproc);

    vm_exit(rmp->mp_endpoint);

    /* Orphans go to init; if init itself is dying they become roots. */
    int to = (slot != INIT_PROC_NR && init_alive()) ? INIT_PROC_NR : NO_SLOT;
    int zombies = ptab_reparent(mproc, slot, to);
    if (to == NO_SLOT) {
        for (int i = 0; i < NR_PROCS; i++)
            if ((mproc[i].mp_flags & (IN_USE | ZOMBIE | PRIV_PROC)) == (IN_USE | ZOMBIE) &&
                mproc[i].mp_parent == i)
                release(i);
    }

    rmp->mp_flags &= ~EXITING;
    rmp->mp_flags |= ZOMBIE;

    /* Found by fuzz/pm: with init as the parent and waiting, waking it
     * for the zombies it inherited reaped this process too, and the wake
     * of its parent then used the freed entry's parent slot (-1). One wake
     * per waiting parent; the parent read before. */
    int parent = rmp->mp_parent;
    if (parent == slot)
        release(slot);          /* a root: nobody will wait for it */
    if (zombies > 0 && to != NO_SLOT && to != parent)
        wake_parent(to);
    if (parent != slot)
        wake_parent(parent);
}

/* do_fork: PM_FORK. Have VM copy the caller, record the child with a new
 * pid, let it run and answer it (m_pm.pid = 0). The caller's reply: OK with
 * m_pm.pid = the child's pid, or EAGAIN / VM's error. */
int do_fork(message *reply)
{
    int parent = (int)(mp - mproc);
    int pid = ptab_alloc_pid(mproc, &next_pid);
    if (pid < 0)
        return EAGAIN;

    message m;
    memset(&m, 0, sizeof(m));
    m.m_type = VM_FORK;
    m.m_vm.parent = who_e;
    m.m_vm.ep = who_e;
    int r = ipc_sendrec(VM_PROC_NR, &m);
    if (r != OK)
        return r;
    if (m.m_type != OK)
        return m.m_type;

    endpoint_t child = m.m_vm.ep;
    int slot = ptab_slot_of(child);
    r = ptab_record(mproc, slot, child, pid, parent, 0, mp->mp_name);
    if (r != OK) {
        printf("pm: VM made child %d in an unusable slot (%d)\n", (int)child, r);
        vm_exit(child);
        if (sys_clear(child) != OK)
            printf("pm: cannot clear %d\n", (int)child);
        return EAGAIN;
    }
    mproc[slot].mp_ignore = mp->mp_ignore;
    r = sys_privctl(child, PRIV_ALLOW, NULL);
    if (r != OK) {
        printf("pm: cannot let child %d run: %d\n", (int)child, r);
        vm_exit(child);
        release(slot);
        return r;
    }

    message cm;
    memset(&cm, 0, sizeof(cm));
    cm.m_pm.pid = 0;
    sef_reply(child, &cm, OK);
    reply->m_pm.pid = pid;
    return OK;
}

/* do_exit: PM_EXIT(m_pm.status). The caller never gets a reply. */
int do_exit(message *reply)
{
    (void)reply;
    exit_proc(mp, m_in.m_pm.status, 0);
    return EDONTREPLY;
}

/* do_wait: PM_WAIT(m_pm.pid, m_pm.options). pid > 0 waits for that child,
 * any other pid for any child. Reply: OK with m_pm.pid / m_pm.status of the
 * reaped child, or m_pm.pid = 0 with WNOHANG when none has exited yet;
 * ECHILD if no child matches; EINVAL for unknown options. Otherwise the
 * caller blocks (EDONTREPLY) until a matching child exits. init waiting
 * for any child blocks even without children: orphans may come later. */
int do_wait(message *reply)
{
    int self = (int)(mp - mproc);
    int pid = m_in.m_pm.pid;
    int opts = m_in.m_pm.options;
    int z;

    if (opts & ~WNOHANG)
        return EINVAL;
    int r = ptab_wait_match(mproc, self, pid, &z);
    if (r == WAIT_FOUND) {
        reply->m_pm.pid = mproc[z].mp_pid;
        reply->m_pm.status = pm_status_word(mproc[z].mp_exitstatus,
                                            mproc[z].mp_sigstatus);
        release(z);
        return OK;
    }
    if (opts & WNOHANG) {
        if (r == ECHILD)
            return ECHILD;
        reply->m_pm.pid = 0;
        return OK;
    }
    if (r == ECHILD && !(mp->mp_pid == INIT_PID && pid <= 0))
        return ECHILD;
    mp->mp_flags |= WAITING;
    mp->mp_wpid = pid;
    mp->mp_wopts = opts;
    return EDONTREPLY;
}

/* do_getpid: PM_GETPID. Reply m_pm.pid = the caller's pid (m_pm.endpt its
 * endpoint). */
int do_getpid(message *reply)
{
    reply->m_pm.pid = mp->mp_pid;
    reply->m_pm.endpt = mp->mp_endpoint;
    return OK;
}

/* do_getppid: PM_GETPPID. Reply m_pm.pid = the parent's pid, 0 for roots
 * (init, system processes). */
int do_getppid(message *reply)
{
    int self = (int)(mp - mproc);
    reply->m_pm.pid = (mp->mp_parent == self) ? 0 : mproc[mp->mp_parent].mp_pid;
    return OK;
}
