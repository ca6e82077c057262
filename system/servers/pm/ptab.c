/*
 * PM's process-table logic: slots, pids, parent/child links, wait matching,
 * re-parenting, status words and the table's invariants. Pure functions over
 * a table passed in, shared by the server and the host unit tests.
 */
#include <crucible/errno.h>
#include <crucible/signal.h>
#include "ptab.h"

/* A free entry. (Assigned whole rather than cleared byte by byte: the
 * fuzz harness, fuzz/pm, resets entries thousands of times a second.) */
static const struct mproc free_entry = { .mp_parent = NO_SLOT, .mp_eventsub = NO_EVENTSUB };

/* ptab_init: mark every entry of tab (NR_PROCS) free. */
void ptab_init(struct mproc *tab)
{
    for (int i = 0; i < NR_PROCS; i++)
        tab[i] = free_entry;
}

/* slot_of: ptab_slot_of's body, inlined into ptab_check too (the checker
 * runs after every message; the fuzz builds leave it uninstrumented, and
 * an inlined copy with it). always_inline: with the sanitizers, clang kept
 * one instrumented copy out of line, and the checker's call to it for
 * every entry was 8% of a fuzz/pm execution. */
static inline __attribute__((always_inline)) int slot_of(endpoint_t ep)
{
    if (ep == ANY || ep == NONE || ep == SELF)
        return NO_SLOT;
    int slot = ENDPOINT_SLOT(ep);
    if (slot < 0 || slot >= NR_PROCS)
        return NO_SLOT;
    return slot;
}

/* ptab_slot_of: the table index of endpoint ep, or NO_SLOT when ep is a
 * kernel task, a special endpoint or otherwise out of range. */
int ptab_slot_of(endpoint_t ep)
{
    return slot_of(ep);
}

/* ptab_lookup: the in-use entry whose endpoint is exactly ep (so a stale
 * endpoint finds nothing), or NULL. */
struct mproc *ptab_lookup(struct mproc *tab, endpoint_t ep)
{
    int slot = ptab_slot_of(ep);
    if (slot == NO_SLOT)
        return NULL;
    if (!(tab[slot].mp_flags & IN_USE) || tab[slot].mp_endpoint != ep)
        return NULL;
    return &tab[slot];
}

/* ptab_find_pid: the slot of the in-use entry (zombies included) with pid,
 * or NO_SLOT. pid <= 0 finds nothing. */
int ptab_find_pid(const struct mproc *tab, int pid)
{
    if (pid <= 0)
        return NO_SLOT;
    for (int i = 0; i < NR_PROCS; i++)      /* (the pid first: it rarely matches) */
        if (tab[i].mp_pid == pid && (tab[i].mp_flags & IN_USE))
            return i;
    return NO_SLOT;
}

/* ptab_alloc_pid: a pid in 2 .. PID_MAX-1 used by no entry (zombies keep
 * theirs), starting at *next_pid and wrapping; advances *next_pid past it.
 * Returns the pid, or -1 if none is free (cannot happen with NR_PROCS <
 * PID_MAX, but checked). */
int ptab_alloc_pid(const struct mproc *tab, int *next_pid)
{
    int pid = *next_pid;
    for (int tries = 0; tries < PID_MAX; tries++) {
        if (pid < 2 || pid >= PID_MAX)
            pid = 2;
        if (ptab_find_pid(tab, pid) == NO_SLOT) {
            *next_pid = pid + 1;
            return pid;
        }
        pid++;
    }
    return -1;
}

/* ptab_record: fill slot with a fresh in-use entry. parent is a slot (the
 * slot itself for a root). Returns OK, or EINVAL for a slot out of range or
 * one whose endpoint does not map to it, EEXIST if a non-PRIV_PROC process
 * still holds the slot (PRIV_PROC entries are stale records of system
 * processes and are overwritten). */
int ptab_record(struct mproc *tab, int slot, endpoint_t ep, int pid,
                int parent, uint32_t flags, const char *name)
{
    if (slot < 0 || slot >= NR_PROCS || ptab_slot_of(ep) != slot)
        return EINVAL;
    if (parent < 0 || parent >= NR_PROCS)
        return EINVAL;
    if ((tab[slot].mp_flags & IN_USE) && !(tab[slot].mp_flags & PRIV_PROC))
        return EEXIST;
    ptab_free(tab, slot);
    struct mproc *rmp = &tab[slot];
    rmp->mp_flags = IN_USE | flags;
    rmp->mp_pid = pid;
    rmp->mp_parent = parent;
    rmp->mp_endpoint = ep;
    int i = 0;
    if (name != NULL)
        for (; i < PROC_NAME_LEN - 1 && name[i] != '\0'; i++)
            rmp->mp_name[i] = name[i];
    rmp->mp_name[i] = '\0';
    return OK;
}

/* ptab_free: make slot free again (out-of-range slots are ignored). */
void ptab_free(struct mproc *tab, int slot)
{
    if (slot < 0 || slot >= NR_PROCS)
        return;
    tab[slot] = free_entry;
}

/* ptab_is_child: nonzero if slot holds a user process (zombie or not) whose
 * parent is the slot 'parent'. A root (its own parent) is nobody's child. */
int ptab_is_child(const struct mproc *tab, int parent, int slot)
{
    const struct mproc *rmp = &tab[slot];
    return (rmp->mp_flags & IN_USE) && !(rmp->mp_flags & PRIV_PROC) &&
           rmp->mp_parent == parent && slot != parent;
}

/* ptab_wait_wants: nonzero if a parent blocked in PM_WAIT (its mp_wpid)
 * accepts a child with child_pid: pid > 0 names one child, any other value
 * (-1, 0, < -1: there are no process groups) accepts any child. */
int ptab_wait_wants(const struct mproc *parent, int child_pid)
{
    return parent->mp_wpid <= 0 || parent->mp_wpid == child_pid;
}

/* ptab_wait_match: what waitpid(pid) by the process at slot 'parent' finds.
 * Returns WAIT_FOUND with *zslot = a zombie child matching pid (lowest
 * slot first), WAIT_BLOCK when matching children exist but none has exited,
 * ECHILD when no child matches. */
int ptab_wait_match(const struct mproc *tab, int parent, int pid, int *zslot)
{
    int children = 0;
    for (int i = 0; i < NR_PROCS; i++) {
        if (!ptab_is_child(tab, parent, i))
            continue;
        if (pid > 0 && tab[i].mp_pid != pid)
            continue;
        children++;
        if ((tab[i].mp_flags & ZOMBIE) && !(tab[i].mp_flags & EXITING)) {
            *zslot = i;
            return WAIT_FOUND;
        }
    }
    return children > 0 ? WAIT_BLOCK : ECHILD;
}

/* ptab_zombie_for: the slot of a zombie child that the WAITING process at
 * slot 'parent' accepts (per its mp_wpid), or NO_SLOT. */
int ptab_zombie_for(const struct mproc *tab, int parent)
{
    int z;
    if (!(tab[parent].mp_flags & WAITING))
        return NO_SLOT;
    if (ptab_wait_match(tab, parent, tab[parent].mp_wpid, &z) == WAIT_FOUND)
        return z;
    return NO_SLOT;
}

/* ptab_reparent: give every child of slot 'from' to slot 'to' (init), or
 * with to == NO_SLOT make each of them a root (its own parent; used when
 * init itself dies). Returns how many of the moved children are zombies. */
int ptab_reparent(struct mproc *tab, int from, int to)
{
    int zombies = 0;
    for (int i = 0; i < NR_PROCS; i++) {
        if (!ptab_is_child(tab, from, i))
            continue;
        tab[i].mp_parent = (to == NO_SLOT) ? i : to;
        if (tab[i].mp_flags & ZOMBIE)
            zombies++;
    }
    return zombies;
}

/* ptab_count: how many in-use entries have all of 'flags' set. */
int ptab_count(const struct mproc *tab, uint32_t flags)
{
    int n = 0;
    for (int i = 0; i < NR_PROCS; i++)
        if ((tab[i].mp_flags & IN_USE) && (tab[i].mp_flags & flags) == flags)
            n++;
    return n;
}

/* pm_status_word: the waitpid status word. Exited: (status & 0xff) << 8;
 * terminated by signal sig (1 .. 0x7e): sig in the low 7 bits. Matches the
 * usual WIFEXITED / WEXITSTATUS / WIFSIGNALED / WTERMSIG macros. */
int pm_status_word(int exit_status, int sig)
{
    if (sig != 0)
        return sig & 0x7f;
    return (exit_status & 0xff) << 8;
}

/* ptab_check: PM's invariants over tab. Returns OK, or EINVAL with
 * *invariant naming the first one broken. */
int ptab_check(const struct mproc *tab, const char **invariant)
{
    /* The pids seen so far, hashed (at most NR_PROCS of them in twice as
     * many buckets): uniqueness in one pass, not a search per entry (this
     * runs after every message with sanity=1). */
    int16_t seen[2 * NR_PROCS] = { 0 };

    for (int i = 0; i < NR_PROCS; i++) {
        const struct mproc *rmp = &tab[i];
        uint32_t f = rmp->mp_flags;
        if (!(f & IN_USE)) {
            if (f != 0) { *invariant = "free slot has no flags"; return EINVAL; }
            continue;
        }
        /* Found by fuzz/pm (regressions/pm/adopt_garbage_flags_of_pm): a
         * table transferred after a restart with flag bits no PM sets, or
         * with EXITING (which lasts only within exit_proc until process
         * events exist, and then only while an event is out), was adopted;
         * a corrupted PM entry then passed for a dying user process. */
        if (f & ~(uint32_t)(IN_USE | WAITING | ZOMBIE | EXITING | PRIV_PROC |
                            EVENT_CALL | UNPAUSED)) {
            *invariant = "only known flags"; return EINVAL;
        }
        if ((f & EXITING) && !(f & EVENT_CALL)) {
            *invariant = "EXITING only while an exit event is out"; return EINVAL;
        }
        if (slot_of(rmp->mp_endpoint) != i) {
            *invariant = "endpoint maps to its slot"; return EINVAL;
        }
        if (rmp->mp_pid <= 0 || rmp->mp_pid >= PID_MAX) {
            *invariant = "pid in range"; return EINVAL;
        }
        unsigned h = (unsigned)rmp->mp_pid % (2 * NR_PROCS);
        while (seen[h] != 0 && seen[h] != rmp->mp_pid)
            h = (h + 1) % (2 * NR_PROCS);
        if (seen[h] == rmp->mp_pid) {
            *invariant = "pids unique"; return EINVAL;
        }
        seen[h] = (int16_t)rmp->mp_pid;     /* (0 < pid < PID_MAX, checked above) */
        if ((rmp->mp_pid == INIT_PID) != (i == INIT_PROC_NR && !(f & PRIV_PROC))) {
            *invariant = "init is pid 1 at INIT_PROC_NR"; return EINVAL;
        }
        if (rmp->mp_parent < 0 || rmp->mp_parent >= NR_PROCS) {
            *invariant = "parent slot in range"; return EINVAL;
        }
        if (!(f & PRIV_PROC) && rmp->mp_parent != i) {
            const struct mproc *pp = &tab[rmp->mp_parent];
            if (!(pp->mp_flags & IN_USE) || (pp->mp_flags & PRIV_PROC) ||
                (pp->mp_flags & ZOMBIE)) {
                *invariant = "a user process's parent is a live user process";
                return EINVAL;
            }
        }
        if ((f & ZOMBIE) && (f & WAITING)) {
            *invariant = "a zombie is not waiting"; return EINVAL;
        }
        if ((f & PRIV_PROC) && (f & (ZOMBIE | WAITING))) {
            *invariant = "system processes neither wait nor die through PM";
            return EINVAL;
        }
        if (((f & EVENT_CALL) != 0) != (rmp->mp_eventsub != NO_EVENTSUB)) {
            *invariant = "EVENT_CALL iff a subscriber index"; return EINVAL;
        }
        if (f & WAITING) {
            int z;
            int r = ptab_wait_match(tab, i, rmp->mp_wpid, &z);
            if (r == WAIT_FOUND) {
                *invariant = "a waiting parent has no collectable zombie";
                return EINVAL;
            }
            if (r == ECHILD && !(rmp->mp_pid == INIT_PID && rmp->mp_wpid <= 0)) {
                *invariant = "a waiting process has a matching child";
                return EINVAL;
            }
        }
    }
    return OK;
}
