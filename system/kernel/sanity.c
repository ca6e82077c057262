/*
 * sanity.c: the kernel core's invariants, checked on request (the fuzzers
 * after every step, unit tests, a guest booted with sanity=1). Nothing here
 * changes state.
 *
 *  - slots: p_nr and the endpoint's slot match the table index; a free slot
 *    is exactly RTS_SLOT_FREE with no queue, pending bits or IPC state;
 *    kernel tasks are never runnable;
 *  - run queues: a process is on the queue of its priority exactly when it
 *    is runnable, at most once, and each queue's tail is its last element;
 *  - senders: RTS_SENDING <=> on the caller queue of the live process named
 *    by p_sendto_e; every member of a caller queue is SENDING to its owner;
 *    queues are finite; no cycle of processes all blocked sending;
 *  - receivers: RTS_RECEIVING waits for ANY or a live endpoint; a process
 *    not sending / receiving has p_sendto_e / p_getfrom_e NONE; a SENDREC
 *    waiting for its reply (MF_REPLY_PEND) waits for one endpoint;
 *  - pending bits: notification and SENDA bits only for live senders (or
 *    kernel tasks, for notifications).
 */
#include "kernel.h"

#define RTS_KNOWN (RTS_SLOT_FREE | RTS_SENDING | RTS_RECEIVING | RTS_SIGNALED | \
                   RTS_SIG_PENDING | RTS_NO_PRIV | RTS_PROC_STOP | \
                   RTS_NO_ENDPOINT | RTS_VMINHIBIT)

#define FAIL(...) do { ksnprintf(why, n, __VA_ARGS__); return EGENERIC; } while (0)

/* Returns nonzero if the bitmap (BITMAP_WORDS(NR_ALL_SLOTS) words) has a
 * bit set. */
static int any_bit(const uint32_t *map)
{
    int w;

    for (w = 0; w < BITMAP_WORDS(NR_ALL_SLOTS); w++)
        if (map[w])
            return 1;
    return 0;
}

/* Run queues: membership exactly the runnable processes, by priority. */
static int check_queues(char *why, size_t n)
{
    static unsigned char seen[NR_ALL_SLOTS];
    int q, idx, len;

    kmemset(seen, 0, sizeof(seen));
    for (q = 0; q < NR_SCHED_QUEUES; q++) {
        struct proc *head, *tail, *p, *last = NULL;

        proc_rdy_queue(q, &head, &tail);
        for (p = head, len = 0; p; last = p, p = p->p_nextready, len++) {
            if (p < proc_table || p >= proc_table + NR_ALL_SLOTS)
                FAIL("run queue %d: a link outside the process table", q);
            if (len > NR_ALL_SLOTS)
                FAIL("run queue %d: cycle", q);
            if (seen[p - proc_table])
                FAIL("run queue %d: %s (slot %d) queued twice", q, p->p_name, p->p_nr);
            seen[p - proc_table] = 1;
            if (!proc_is_runnable(p))
                FAIL("run queue %d: %s (slot %d) queued with rts %x", q, p->p_name,
                     p->p_nr, p->p_rts_flags);
            if (p->p_priority != q)
                FAIL("run queue %d: %s (slot %d) has priority %d", q, p->p_name,
                     p->p_nr, p->p_priority);
            if (iskerneln(p->p_nr))
                FAIL("run queue %d: kernel task %s queued", q, p->p_name);
        }
        if (tail != last)
            FAIL("run queue %d: tail is not the last element", q);
    }
    for (idx = 0; idx < NR_ALL_SLOTS; idx++) {
        struct proc *p = &proc_table[idx];
        if (proc_is_runnable(p) && !seen[idx])
            FAIL("%s (slot %d) is runnable but on no run queue", p->p_name, p->p_nr);
    }
    return OK;
}

/* One slot's own fields. */
static int check_slot(int idx, char *why, size_t n)
{
    struct proc *p = &proc_table[idx];
    int slot = idx - NR_TASKS, i;

    if (p->p_nr != slot || ENDPOINT_SLOT(p->p_endpoint) != slot)
        FAIL("slot %d: p_nr %d, endpoint %d", slot, p->p_nr, p->p_endpoint);
    if (p->p_rts_flags & ~RTS_KNOWN)
        FAIL("slot %d: unknown rts flags %x", slot, p->p_rts_flags);
    if (iskerneln(slot)) {
        if (p->p_rts_flags != RTS_NO_PRIV)
            FAIL("kernel task %s: rts %x", p->p_name, p->p_rts_flags);
        return OK;
    }
    if (isemptyp(p)) {
        if (p->p_rts_flags != RTS_SLOT_FREE)
            FAIL("free slot %d: rts %x", slot, p->p_rts_flags);
        if (p->p_caller_q || any_bit(p->p_notify_pending) || any_bit(p->p_asyn_pending))
            FAIL("free slot %d: has callers or pending bits", slot);
        return OK;
    }
    if (!(p->p_rts_flags & RTS_SENDING) && p->p_sendto_e != NONE)
        FAIL("%s (slot %d): not sending, p_sendto_e %d", p->p_name, slot, p->p_sendto_e);
    if (!(p->p_rts_flags & RTS_RECEIVING) && p->p_getfrom_e != NONE)
        FAIL("%s (slot %d): not receiving, p_getfrom_e %d", p->p_name, slot, p->p_getfrom_e);
    if (p->p_rts_flags & RTS_RECEIVING) {
        if (p->p_getfrom_e != ANY && !endpoint_lookup(p->p_getfrom_e))
            FAIL("%s (slot %d): receiving from dead endpoint %d", p->p_name, slot,
                 p->p_getfrom_e);
    }
    if ((p->p_misc_flags & MF_REPLY_PEND) &&
        (!(p->p_rts_flags & RTS_RECEIVING) || p->p_getfrom_e == ANY))
        FAIL("%s (slot %d): MF_REPLY_PEND but rts %x getfrom %d", p->p_name, slot,
             p->p_rts_flags, p->p_getfrom_e);
    if (p->p_rts_flags & RTS_SENDING) {
        struct proc *dst = endpoint_lookup(p->p_sendto_e), *q;
        int found = 0;

        if (!dst || iskerneln(dst->p_nr))
            FAIL("%s (slot %d): sending to dead endpoint %d", p->p_name, slot, p->p_sendto_e);
        for (q = dst->p_caller_q, i = 0; q && i <= NR_ALL_SLOTS; q = q->p_q_link, i++)
            if (q == p)
                found = 1;
        if (!found)
            FAIL("%s (slot %d): sending to %d but not on its caller queue", p->p_name,
                 slot, p->p_sendto_e);
    }
    for (i = 0; i < BITMAP_WORDS(NR_ALL_SLOTS); i++) {
        uint32_t bits = p->p_notify_pending[i];

        while (bits) {
            struct proc *s = &proc_table[i * 32 + __builtin_ctz(bits)];
            bits &= bits - 1;
            if (!iskerneln(s->p_nr) && isemptyp(s))
                FAIL("%s (slot %d): notification pending from free slot %d", p->p_name,
                     slot, s->p_nr);
        }
        bits = p->p_asyn_pending[i];
        while (bits) {
            struct proc *s = &proc_table[i * 32 + __builtin_ctz(bits)];
            bits &= bits - 1;
            if (iskerneln(s->p_nr) || isemptyp(s))
                FAIL("%s (slot %d): SENDA pending from dead slot %d", p->p_name, slot,
                     s->p_nr);
        }
    }
    return OK;
}

/* Caller queues: each member sends to the owner, each process in at most
 * one queue, no cycle. */
static int check_caller_queues(char *why, size_t n)
{
    static unsigned char queued[NR_ALL_SLOTS];
    int idx, len;

    kmemset(queued, 0, sizeof(queued));
    for (idx = 0; idx < NR_ALL_SLOTS; idx++) {
        struct proc *owner = &proc_table[idx], *q;

        for (q = owner->p_caller_q, len = 0; q; q = q->p_q_link, len++) {
            if (q < proc_table || q >= proc_table + NR_ALL_SLOTS)
                FAIL("caller queue of slot %d: a link outside the table", owner->p_nr);
            if (len > NR_ALL_SLOTS || queued[q - proc_table])
                FAIL("caller queue of slot %d: slot %d twice or cycle", owner->p_nr, q->p_nr);
            queued[q - proc_table] = 1;
            if (isemptyp(q) || !(q->p_rts_flags & RTS_SENDING) ||
                q->p_sendto_e != owner->p_endpoint)
                FAIL("caller queue of %s (slot %d): slot %d rts %x sendto %d", owner->p_name,
                     owner->p_nr, q->p_nr, q->p_rts_flags, q->p_sendto_e);
        }
    }
    return OK;
}

/* No cycle of processes each blocked sending to the next (deadlock
 * detection must refuse the send that would close it). */
static int check_send_cycles(char *why, size_t n)
{
    int idx, steps;

    for (idx = 0; idx < NR_ALL_SLOTS; idx++) {
        const struct proc *start = &proc_table[idx], *p = start;

        if (!(start->p_rts_flags & RTS_SENDING))
            continue;
        for (steps = 0; steps < NR_ALL_SLOTS; steps++) {
            if (isemptyp(p) || !(p->p_rts_flags & RTS_SENDING))
                break;
            p = endpoint_lookup(p->p_sendto_e);
            if (!p)
                break;
            if (p == start)
                FAIL("cycle of blocked senders through %s (slot %d)", start->p_name,
                     start->p_nr);
        }
    }
    return OK;
}

/* See proto.h. */
int kernel_sanity(char *why, size_t n)
{
    int idx, r;

    if (n)
        why[0] = '\0';
    for (idx = 0; idx < NR_ALL_SLOTS; idx++)
        if ((r = check_slot(idx, why, n)) != OK)
            return r;
    if ((r = check_queues(why, n)) != OK)
        return r;
    if ((r = check_caller_queues(why, n)) != OK)
        return r;
    return check_send_cycles(why, n);
}
