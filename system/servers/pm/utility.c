/* PM utilities: building the table at startup and identifying callers. */
#include "glo.h"
#include "proto.h"

static struct proc_info kproc[NR_ALL_SLOTS];

/* record_boot: record the kernel's process pi at PM start, into a table
 * pm_init_table emptied. init (slot INIT_PROC_NR) becomes pid 1, a user
 * process; every other process takes the next pid (2, 3, ...: nobody holds
 * those yet, so no search of the table); at a fresh start it is a system
 * process (PRIV_PROC); after a restart, processes without PRIV_SYS_PROC
 * are user processes whose parent is now init. */
static void record_boot(const struct proc_info *pi, int fresh)
{
    int slot = ptab_slot_of(pi->endpoint);
    if (slot == NO_SLOT)
        return;
    if (slot == INIT_PROC_NR) {
        ptab_record(mproc, slot, pi->endpoint, INIT_PID, slot, 0, pi->name);
        return;
    }
    int pid = next_pid++;
    if (fresh || (pi->priv_flags & PRIV_SYS_PROC))
        ptab_record(mproc, slot, pi->endpoint, pid, slot, PRIV_PROC, pi->name);
    else
        ptab_record(mproc, slot, pi->endpoint, pid, INIT_PROC_NR, 0, pi->name);
}

/* pm_init_table: fill mproc from the kernel's process table. Returns OK
 * (falling back to PM and init alone if the kernel's table is unreadable). */
int pm_init_table(int type)
{
    int fresh = (type == SEF_INIT_FRESH);
    ptab_init(mproc);
    memset(&pm_subs, 0, sizeof(pm_subs));   /* subscribers subscribe again */
    next_pid = 2;
    if (sys_getinfo(GET_PROCTAB, kproc, sizeof(kproc), NONE, 0) == OK) {
        /* init first, so that pid 1 is taken before anyone else's. */
        for (int i = 0; i < NR_ALL_SLOTS; i++)
            if (!(kproc[i].rts_flags & RTS_SLOT_FREE) &&
                ptab_slot_of(kproc[i].endpoint) == INIT_PROC_NR)
                record_boot(&kproc[i], fresh);
        for (int i = 0; i < NR_ALL_SLOTS; i++)
            if (!(kproc[i].rts_flags & RTS_SLOT_FREE) &&
                ptab_slot_of(kproc[i].endpoint) != INIT_PROC_NR)
                record_boot(&kproc[i], fresh);
    } else {
        printf("pm: cannot read the kernel's process table\n");
        ptab_record(mproc, INIT_PROC_NR, ENDPOINT(0, INIT_PROC_NR), INIT_PID,
                    INIT_PROC_NR, 0, "init");
        int pid = ptab_alloc_pid(mproc, &next_pid);
        ptab_record(mproc, ptab_slot_of(sef_self_endpoint), sef_self_endpoint,
                    pid, ptab_slot_of(sef_self_endpoint), PRIV_PROC, "pm");
    }
    /* A parent recorded as init must exist; otherwise make it a root. */
    for (int i = 0; i < NR_PROCS; i++)
        if ((mproc[i].mp_flags & IN_USE) && !(mproc[i].mp_flags & PRIV_PROC) &&
            !(mproc[mproc[i].mp_parent].mp_flags & IN_USE))
            mproc[i].mp_parent = i;
    return OK;
}

/* forget_gone: the process at slot is no longer in the kernel (its slot is
 * free or holds another endpoint): its children go to init (roots if init
 * is gone too) and the entry is freed. Zombie children made roots are
 * released, as exit_proc does: nobody can wait for them. */
static void forget_gone(int slot)
{
    const struct mproc *ip = &mproc[INIT_PROC_NR];
    int init_ok = slot != INIT_PROC_NR && (ip->mp_flags & (IN_USE | ZOMBIE | PRIV_PROC)) == IN_USE;

    if (!(mproc[slot].mp_flags & PRIV_PROC))
        (void)ptab_reparent(mproc, slot, init_ok ? INIT_PROC_NR : NO_SLOT);
    pm_event_forget(&mproc[slot]);
    ptab_free(mproc, slot);
    for (int i = 0; !init_ok && i < NR_PROCS; i++) {
        if ((mproc[i].mp_flags & (IN_USE | ZOMBIE | PRIV_PROC)) == (IN_USE | ZOMBIE) &&
            mproc[i].mp_parent == i) {
            (void)sys_clear(mproc[i].mp_endpoint);
            ptab_free(mproc, i);
        }
    }
}

/*
 * pm_adopt_table: after a restart or live update, keep the process table
 * and pid counter copied from the previous instance (SEF state transfer)
 * if they hold up. Every process that was blocked in PM_WAIT got ERESTART
 * from SEF (its wait is no longer pending), so WAITING is cleared. The
 * copy must pass PM's invariants (pm_sanity); then it is reconciled with
 * the kernel's process table: entries whose process is gone are freed
 * (children to init), user processes PM does not know (created while it
 * was down) are recorded as children of init, system processes are left
 * to pm_caller; process-event subscribers that are gone are dropped and
 * every event held is sent again (pm_events_adopt). Returns OK with the
 * table kept, or EINVAL with *invariant naming what was wrong (the caller
 * then rebuilds it from scratch).
 */
int pm_adopt_table(const char **invariant)
{
    for (int i = 0; i < NR_PROCS; i++) {
        if (mproc[i].mp_flags & WAITING) {
            mproc[i].mp_flags &= ~WAITING;
            mproc[i].mp_wpid = 0;
            mproc[i].mp_wopts = 0;
        }
    }
    if (pm_sanity(invariant) != OK)
        return EINVAL;
    if (sys_getinfo(GET_PROCTAB, kproc, sizeof(kproc), NONE, 0) != OK) {
        *invariant = "kernel process table readable";
        return EINVAL;
    }
    for (int i = 0; i < NR_PROCS; i++) {
        const struct proc_info *pi = &kproc[i + NR_TASKS];
        if (!(mproc[i].mp_flags & IN_USE))
            continue;
        /* Found by fuzz/pm (regressions/pm/adopt_rs_as_user_process): one
         * flipped PRIV_PROC bit in the copy passed every invariant, and a
         * system process kept as a user process could be killed by any
         * user (PM_KILL); a user process kept as a system one could no
         * longer fork, exit or wait. The kernel knows which is which. */
        if (!(pi->rts_flags & RTS_SLOT_FREE) && pi->endpoint == mproc[i].mp_endpoint &&
            !(pi->priv_flags & PRIV_SYS_PROC) != !(mproc[i].mp_flags & PRIV_PROC)) {
            *invariant = "system processes are the kernel's";
            return EINVAL;
        }
    }
    for (int i = 0; i < NR_PROCS; i++) {
        const struct proc_info *pi = &kproc[i + NR_TASKS];
        if (!(mproc[i].mp_flags & IN_USE))
            continue;
        if ((pi->rts_flags & RTS_SLOT_FREE) || pi->endpoint != mproc[i].mp_endpoint) {
            printf("pm: %s (pid %d) is gone, forgotten\n", mproc[i].mp_name,
                   (int)mproc[i].mp_pid);
            forget_gone(i);
        }
    }
    for (int i = 0; i < NR_PROCS; i++) {
        const struct proc_info *pi = &kproc[i + NR_TASKS];
        if ((pi->rts_flags & RTS_SLOT_FREE) || (pi->priv_flags & PRIV_SYS_PROC) ||
            ptab_slot_of(pi->endpoint) != i || (mproc[i].mp_flags & IN_USE))
            continue;
        int pid = ptab_alloc_pid(mproc, &next_pid);
        if (pid > 0 && ptab_record(mproc, i, pi->endpoint, pid, INIT_PROC_NR, 0,
                                   pi->name) == OK)
            printf("pm: %s (slot %d) unknown, recorded as pid %d\n", pi->name, i, pid);
    }
    if (pm_sanity(invariant) != OK)
        return EINVAL;
    pm_events_adopt();          /* (once the table is kept: it acts on it) */
    return OK;
}

/* pm_caller: the entry of the process that sent the current request. A
 * system process PM has not seen yet (started by RS after PM, or a new
 * instance in a reused slot) is recorded on the fly as PRIV_PROC. Returns
 * NULL for a process PM cannot account for. */
struct mproc *pm_caller(endpoint_t ep)
{
    struct mproc *rmp = ptab_lookup(mproc, ep);
    if (rmp != NULL)
        return rmp;
    int slot = ptab_slot_of(ep);
    if (slot == NO_SLOT)
        return NULL;
    if ((mproc[slot].mp_flags & IN_USE) && !(mproc[slot].mp_flags & PRIV_PROC))
        return NULL;            /* a user process (or zombie) holds the slot */
    struct proc_info pi;
    if (sys_getproc(ep, &pi) != OK || !(pi.priv_flags & PRIV_SYS_PROC))
        return NULL;
    int pid = ptab_alloc_pid(mproc, &next_pid);
    if (pid < 0 || ptab_record(mproc, slot, ep, pid, slot, PRIV_PROC, pi.name) != OK)
        return NULL;
    return &mproc[slot];
}
