/*
 * proc.c: the process table and the scheduler's run queues.
 *
 * A process is on the run queue of its priority exactly when p_rts_flags is
 * 0; rts_set/rts_clear keep that true. Within a queue processes run round
 * robin: a preemptible process whose quantum ends goes to the back
 * (clock.c).
 */
#include "kernel.h"

static struct proc *rdy_head[NR_SCHED_QUEUES];
static struct proc *rdy_tail[NR_SCHED_QUEUES];
/* Bit q set exactly when rdy_head[q] != NULL: kernel_pick_proc finds the
 * highest non-empty queue with one bit scan instead of a walk over all
 * queues on every return to user mode. */
static uint32_t rdy_mask;
CRUCIBLE_STATIC_ASSERT(NR_SCHED_QUEUES <= 32, "rdy_mask holds one bit per queue");

static const char *const task_names[NR_TASKS] = { "idle", "clock", "system", "hardware" };

/* Must be called once at boot, before anything else touches the table.
 * Every process slot becomes free with generation 0; the kernel tasks get
 * their slots and names and are never runnable (RTS_NO_PRIV). */
void proc_init(void)
{
    int slot, q;

    kmemset(proc_table, 0, sizeof(proc_table));
    for (q = 0; q < NR_SCHED_QUEUES; q++)
        rdy_head[q] = rdy_tail[q] = NULL;
    rdy_mask = 0;
    for (slot = -NR_TASKS; slot < NR_PROCS; slot++) {
        struct proc *p = proc_addr(slot);
        p->p_nr = slot;
        p->p_endpoint = ENDPOINT(0, slot);
        if (iskerneln(slot)) {
            kstrlcpy(p->p_name, task_names[slot + NR_TASKS], PROC_NAME_LEN);
            p->p_rts_flags = RTS_NO_PRIV;
            p->p_priority = TASK_Q;
            p->p_quantum = DEFAULT_QUANTUM;
        } else {
            p->p_rts_flags = RTS_SLOT_FREE;
        }
    }
}

/* Returns a free slot >= NR_BOOT_PROCS (still marked free: the caller must
 * proc_setup it before the next proc_alloc), or NULL if the table is full. */
struct proc *proc_alloc(void)
{
    int slot;

    for (slot = NR_BOOT_PROCS; slot < NR_PROCS; slot++)
        if (isemptyp(proc_addr(slot)))
            return proc_addr(slot);
    return NULL;
}

/* Must be called with p == proc_addr(slot), a free process slot. Makes it a
 * process named 'name' with the slot's current endpoint, empty contents,
 * no privilege, priority USER_Q, quantum DEFAULT_QUANTUM, and RTS_NO_PRIV
 * (not runnable until someone grants a privilege and clears the flag). */
void proc_setup(struct proc *p, int slot, const char *name)
{
    KASSERT(proc_slot_ok(slot) && !iskerneln(slot));
    KASSERT(p == proc_addr(slot) && isemptyp(p));
    KASSERT(name != NULL);

    /* Contents: everything after the identity fields. */
    kmemset(&p->p_rts_flags, 0,
            sizeof(*p) - ((char *)&p->p_rts_flags - (char *)p));
    p->p_rts_flags = RTS_NO_PRIV;
    kstrlcpy(p->p_name, name, PROC_NAME_LEN);
    p->p_priority = USER_Q;
    p->p_quantum = DEFAULT_QUANTUM;
    p->p_ticks_left = DEFAULT_QUANTUM;
    p->p_sendto_e = NONE;
    p->p_getfrom_e = NONE;
}

/* Returns OK and the slot of ep in *slot if ep names a live process or a
 * kernel task in its current generation; EDEADSRCDST otherwise (stale
 * generation, free slot, out of range, or a special endpoint). */
int isokendpt(endpoint_t ep, int *slot)
{
    /* Two IPC lookups per round trip: one unsigned index test instead of
     * the special-value and range tests. In unsigned arithmetic nothing
     * overflows, and any value that is not some slot's current endpoint
     * fails the p_endpoint comparison: ANY, NONE and SELF index past the
     * table (their slot part is above NR_PROCS), and a value outside the
     * endpoint range either does too or does not match the endpoint of
     * the slot its low bits name (a slot's p_endpoint is always
     * ENDPOINT(gen, slot) with gen <= MAX_GENERATION). */
    uint32_t idx = ((uint32_t)ep + NR_TASKS) % ENDPOINT_GEN_SIZE;
    const struct proc *p;

    CRUCIBLE_STATIC_ASSERT((ANY + NR_TASKS) % ENDPOINT_GEN_SIZE >= NR_ALL_SLOTS &&
                           (NONE + NR_TASKS) % ENDPOINT_GEN_SIZE >= NR_ALL_SLOTS &&
                           (SELF + NR_TASKS) % ENDPOINT_GEN_SIZE >= NR_ALL_SLOTS,
                           "special endpoints name no slot");
    if (idx >= NR_ALL_SLOTS)
        return EDEADSRCDST;
    p = &proc_table[idx];
    if (p->p_endpoint != ep || isemptyp(p))
        return EDEADSRCDST;
    if (slot)
        *slot = (int)idx - NR_TASKS;
    return OK;
}

/* Returns the process ep names (as isokendpt), or NULL. */
struct proc *endpoint_lookup(endpoint_t ep)
{
    int slot;

    if (isokendpt(ep, &slot) != OK)
        return NULL;
    return proc_addr(slot);
}

/* Must be called with p runnable (p_rts_flags == 0) and not queued. Puts p
 * at the back of its priority's queue, with a fresh quantum if it used its
 * last one up. */
void enqueue(struct proc *p)
{
    int q = p->p_priority;

    KASSERT(proc_is_runnable(p) && !iskerneln(p->p_nr));
    KASSERT(q >= 0 && q < NR_SCHED_QUEUES);
    if (p->p_ticks_left <= 0)
        p->p_ticks_left = p->p_quantum;
    p->p_nextready = NULL;
    if (rdy_head[q] == NULL) {
        rdy_head[q] = p;
        rdy_mask |= 1u << q;
    } else
        rdy_tail[q]->p_nextready = p;
    rdy_tail[q] = p;
}

/* Must be called with p on its queue (it was runnable). Takes it off. */
void dequeue(struct proc *p)
{
    int q = p->p_priority;
    struct proc **pp, *prev = NULL;

    KASSERT(q >= 0 && q < NR_SCHED_QUEUES);
    for (pp = &rdy_head[q]; *pp; prev = *pp, pp = &(*pp)->p_nextready) {
        if (*pp == p) {
            *pp = p->p_nextready;
            if (rdy_tail[q] == p)
                rdy_tail[q] = prev;
            if (rdy_head[q] == NULL)
                rdy_mask &= ~(1u << q);
            p->p_nextready = NULL;
            return;
        }
    }
    kernel_panic("dequeue: %s (ep %d) not on queue %d", p->p_name, p->p_endpoint, q);
}

/* Sets flags in p's runtime state; takes p off its run queue if it was
 * runnable and no longer is. */
void rts_set(struct proc *p, uint32_t flags)
{
    int was = proc_is_runnable(p);

    KASSERT(flags != 0);
    p->p_rts_flags |= flags;
    if (was)
        dequeue(p);
}

/* Clears flags in p's runtime state; puts p on its run queue if it becomes
 * runnable. */
void rts_clear(struct proc *p, uint32_t flags)
{
    int was = proc_is_runnable(p);

    p->p_rts_flags &= ~flags;
    if (!was && proc_is_runnable(p) && !iskerneln(p->p_nr))
        enqueue(p);
}

/* The head and tail of run queue q (for sanity.c, which checks them). */
void proc_rdy_queue(int q, struct proc **head, struct proc **tail)
{
    KASSERT(q >= 0 && q < NR_SCHED_QUEUES);
    *head = rdy_head[q];
    *tail = rdy_tail[q];
}

/* Returns the process that should run next: the head of the highest
 * priority non-empty queue, or NULL to idle. It becomes current_proc. */
struct proc *kernel_pick_proc(void)
{
    current_proc = rdy_mask ? rdy_head[__builtin_ctz(rdy_mask)] : NULL;
    return current_proc;
}

/* Must be called with p a live process (not a kernel task, not free). Frees
 * its address space and system privilege, fails everyone blocked on it
 * with EDEADSRCDST (ipc_unblock_peers), takes it off the run queue, advances
 * the slot's generation so its endpoint goes stale, and marks the slot free. */
void proc_clear(struct proc *p)
{
    int gen;

    KASSERT(p != NULL && !iskerneln(p->p_nr) && !isemptyp(p));

    ipc_unblock_peers(p);
    if (proc_is_runnable(p))
        dequeue(p);
    if (current_proc == p)
        current_proc = NULL;
    arch_proc_free(p);
    if (p->p_priv && p->p_priv->s_id != USER_PRIV_ID)
        priv_free(p->p_priv);

    kmemset(&p->p_rts_flags, 0,
            sizeof(*p) - ((char *)&p->p_rts_flags - (char *)p));
    p->p_caller_q = NULL;
    kmemset(p->p_notify_pending, 0, sizeof(p->p_notify_pending));
    kmemset(p->p_asyn_pending, 0, sizeof(p->p_asyn_pending));
    p->p_int_pending = 0;

    gen = ENDPOINT_GEN(p->p_endpoint) + 1;
    if (gen > MAX_GENERATION)
        gen = 1;
    p->p_endpoint = ENDPOINT(gen, p->p_nr);
    p->p_rts_flags = RTS_SLOT_FREE;
    p->p_sendto_e = NONE;
    p->p_getfrom_e = NONE;
}
