/*
 * ipc.c: the IPC primitives with MINIX semantics.
 *
 *   SEND     block until the destination takes the message
 *   RECEIVE  from ANY or one endpoint: notifications first (lowest pending
 *            sender slot), then queued senders (in arrival order), then
 *            SENDA entries; otherwise block
 *   SENDREC  SEND, then RECEIVE the reply from the same endpoint
 *            (MF_REPLY_PEND: only a real message from it ends the wait)
 *   NOTIFY   never blocks; coalesced per sender in the receiver's
 *            p_notify_pending
 *   SENDNB   SEND, or ENOTREADY if the destination is not receiving from us
 *   SENDA    a table of messages in the sender's memory, delivered now or
 *            when the receiver next receives (p_asyn_pending)
 *
 * A blocked process's IPC state: RTS_SENDING (p_sendto_e, p_sendmsg, linked
 * on the destination's p_caller_q by p_q_link) and/or RTS_RECEIVING
 * (p_getfrom_e, p_recv_buf). Its trap result is set with arch_set_result
 * when it wakes. Every message a receiver gets passes through
 * msg_to_receiver(), the single delivery point.
 */
#include "kernel.h"
#include "inject_kern.h"

/* Size of the part of a SENDA entry the kernel writes back (flags, dst,
 * result). */
#define ASYN_HDR_LEN    offsetof(asynmsg_t, reserved)

static int try_async(struct proc *dst, endpoint_t src_e);
/* The IPC hot path's helpers are always inlined: each is a call per
 * primitive otherwise (~15 instructions of call overhead apiece). */
#define IPC_INLINE inline __attribute__((always_inline))

/* Returns nonzero if dst is blocked receiving and would accept a message
 * from src_e now. 'sync' is nonzero for SEND/SENDREC messages: a SENDREC
 * waiting for its reply accepts nothing else (notifications, SENDA). */
static int will_receive(const struct proc *dst, endpoint_t src_e, int sync)
{
    if ((dst->p_rts_flags & (RTS_RECEIVING | RTS_SENDING)) != RTS_RECEIVING)
        return 0;
    if (!sync && (dst->p_misc_flags & MF_REPLY_PEND))
        return 0;
    return dst->p_getfrom_e == ANY || dst->p_getfrom_e == src_e;
}

/* Must be called with dst either blocked receiving or being the process
 * that is receiving right now (its p_recv_buf set). Copies m to dst's
 * receive buffer; a blocked dst wakes with OK, or with EFAULT if the copy
 * failed. Returns the copy's result: on EFAULT the message was not
 * delivered. The single point through which every message reaches a
 * receiver. */
static IPC_INLINE int msg_to_receiver(struct proc *dst, const message *m)
{
    int r;

    /* Fault injection (inject_ipc.c): one predictable branch when idle. */
    if (inj_ipc_hook(dst, m, &r))
        return r;
    r = arch_msg_to_proc(dst, dst->p_recv_buf, m);    /* inline: arch_inline.h */

    if (dst->p_rts_flags & RTS_RECEIVING) {
        dst->p_misc_flags &= ~MF_REPLY_PEND;
        dst->p_getfrom_e = NONE;
        rts_clear(dst, RTS_RECEIVING);
        arch_set_result(dst, r);
    } else if (r == OK) {
        dst->p_misc_flags &= ~MF_REPLY_PEND;
    }
    return r;
}

/* Returns OK if the message buffer at buf in p can be read and written,
 * EFAULT otherwise. (Checked against the page tables: probing by copying
 * the message in and back out cost two copies per RECEIVE and SENDREC.) */
static int probe_msg_buf(struct proc *p, vir_bytes buf)
{
    return arch_msg_buf_ok(p, buf);     /* inline: one page-table walk */
}

/* Appends p to the end of dst's queue of blocked senders. */
static void callerq_append(struct proc *dst, struct proc *p)
{
    struct proc **pp = &dst->p_caller_q;

    while (*pp)
        pp = &(*pp)->p_q_link;
    p->p_q_link = NULL;
    *pp = p;
}

/* Removes p from dst's queue of blocked senders if it is there. */
static void callerq_remove(struct proc *dst, struct proc *p)
{
    struct proc **pp;

    for (pp = &dst->p_caller_q; *pp; pp = &(*pp)->p_q_link) {
        if (*pp == p) {
            *pp = p->p_q_link;
            p->p_q_link = NULL;
            return;
        }
    }
}

/* Returns nonzero if caller blocking on dst would close a cycle of waiting
 * processes: following, from dst, each blocked sender to its destination
 * and each receiver waiting for one endpoint to that endpoint leads back
 * to caller. */
static int deadlock(const struct proc *caller, const struct proc *dst)
{
    const struct proc *xp = dst;
    int n;

    for (n = 0; n < NR_ALL_SLOTS && xp; n++) {
        endpoint_t next;

        if (xp->p_rts_flags & RTS_SENDING)
            next = xp->p_sendto_e;
        else if ((xp->p_rts_flags & RTS_RECEIVING) && xp->p_getfrom_e != ANY)
            next = xp->p_getfrom_e;
        else
            return 0;
        if (next == caller->p_endpoint)
            return 1;
        xp = endpoint_lookup(next);
    }
    return 0;
}

/* Fills m with the notification from 'from' to dst: NOTIFY_MESSAGE, the
 * current tick, and for HARDWARE dst's pending irq hook bits. */
static void build_notify(message *m, const struct proc *from, const struct proc *dst)
{
    kmemset(m, 0, sizeof(*m));
    m->m_source = from->p_endpoint;
    m->m_type = NOTIFY_MESSAGE;
    m->m_notify.timestamp = kernel_ticks;
    if (from->p_endpoint == HARDWARE)
        m->m_notify.interrupts = dst->p_int_pending;
}

/* Delivers the notification from 'from' to dst (receiving now or blocked).
 * Returns the delivery's result; on OK dst's irq bits are consumed when
 * from is HARDWARE. */
static int deliver_notify(struct proc *from, struct proc *dst)
{
    message m;
    int r;

    build_notify(&m, from, dst);
    r = msg_to_receiver(dst, &m);
    if (r == OK && from->p_endpoint == HARDWARE)
        dst->p_int_pending = 0;
    return r;
}

/* Must be called with m in kernel memory, caller not blocked, dst looked
 * up by the caller (NULL if the endpoint was bad or stale: a second lookup
 * per send showed in the IPC profile) and m checked not to be a
 * notification (only the kernel builds those, so a receiver can trust the
 * type; do_ipc refuses one with EINVAL). Sends m from caller to dst:
 * delivered at once if dst is receiving from caller (OK); otherwise
 * ENOTREADY if nonblock, ELOCKED if waiting would deadlock, else caller
 * blocks sending (EDONTREPLY). EDEADSRCDST for no dst, ECALLDENIED for a
 * kernel task. */
static IPC_INLINE int send_to(struct proc *caller, struct proc *dst, const message *m,
                              int nonblock)
{
    if (!dst)
        return EDEADSRCDST;
    if (iskerneln(dst->p_nr))
        return ECALLDENIED;
    if (dst == caller)
        return ELOCKED;

    if (m != &caller->p_sendmsg)        /* do_ipc copies straight into it */
        kmemcpy(&caller->p_sendmsg, m, sizeof(*m));
    caller->p_sendmsg.m_source = caller->p_endpoint;

    if (will_receive(dst, caller->p_endpoint, 1)) {
        if (msg_to_receiver(dst, &caller->p_sendmsg) == OK)
            return OK;
        /* dst's buffer was bad: dst woke with EFAULT; we wait as usual. */
    }
    if (nonblock)
        return ENOTREADY;
    if (deadlock(caller, dst))
        return ELOCKED;
    caller->p_sendto_e = dst->p_endpoint;
    rts_set(caller, RTS_SENDING);
    callerq_append(dst, caller);
    return EDONTREPLY;
}

/* Returns nonzero if any bit of the slot bitmap b is set. One OR per word:
 * RECEIVE asks this of its notification and SENDA bitmaps, which are
 * almost always empty, before scanning them word by word (the scans cost
 * ~25 instructions per RECEIVE that finds nothing). */
static inline int bitmap_any(const uint32_t *b)
{
    uint32_t any = 0;
    int w;

    for (w = 0; w < BITMAP_WORDS(NR_ALL_SLOTS); w++)
        any |= b[w];
    return any != 0;
}

/* Returns the bitmap index (SLOT_INDEX) of the notification caller should
 * get next from src_e (ANY: the lowest pending), or -1 if none. */
static int next_notify(const struct proc *caller, endpoint_t src_e)
{
    int w, idx;

    if (!bitmap_any(caller->p_notify_pending))     /* the common case */
        return -1;
    if (src_e != ANY) {
        idx = SLOT_INDEX(ENDPOINT_SLOT(src_e));
        return BIT_ISSET(caller->p_notify_pending, idx) ? idx : -1;
    }
    for (w = 0; w < BITMAP_WORDS(NR_ALL_SLOTS); w++) {
        uint32_t bits = caller->p_notify_pending[w];
        if (bits)
            return w * 32 + __builtin_ctz(bits);
    }
    return -1;
}

/* Must be called with caller not blocked, src_e ANY or a valid endpoint and
 * buf already probed. Delivers the first message for caller, in the order
 * notifications, queued senders, SENDA entries (a SENDREC waiting for its
 * reply takes only a queued message from src_e), and returns OK; EFAULT if
 * the buffer went bad; otherwise blocks caller receiving (EDONTREPLY). */
static int mini_receive(struct proc *caller, endpoint_t src_e, vir_bytes buf)
{
    int reply_only = (caller->p_misc_flags & MF_REPLY_PEND) != 0;
    struct proc *s;
    int idx, r;

    caller->p_recv_buf = buf;

    if (!reply_only && (idx = next_notify(caller, src_e)) >= 0) {
        r = deliver_notify(&proc_table[idx], caller);
        if (r == OK)
            BIT_UNSET(caller->p_notify_pending, idx);
        return r;
    }

    for (s = caller->p_caller_q; s; s = s->p_q_link) {
        if (src_e != ANY && s->p_endpoint != src_e)
            continue;
        r = msg_to_receiver(caller, &s->p_sendmsg);
        if (r != OK)
            return r;
        callerq_remove(caller, s);
        s->p_sendto_e = NONE;
        rts_clear(s, RTS_SENDING);
        if (!(s->p_misc_flags & MF_REPLY_PEND))
            arch_set_result(s, OK);
        return OK;
    }

    if (!reply_only) {
        r = try_async(caller, src_e);
        if (r != ENOENT)
            return r;
    }

    caller->p_getfrom_e = src_e;
    rts_set(caller, RTS_RECEIVING);
    return EDONTREPLY;
}

/* Notifies dst_e from caller_or_task (a process or a kernel task): the
 * notification is delivered now if dst_e is receiving from it, else its
 * pending bit is set (repeated notifications coalesce). Returns OK,
 * EDEADSRCDST for a bad or stale dst_e, ECALLDENIED for a kernel task. */
int mini_notify(struct proc *caller_or_task, endpoint_t dst_e)
{
    struct proc *dst = endpoint_lookup(dst_e);

    KASSERT(caller_or_task != NULL);
    if (!dst)
        return EDEADSRCDST;
    if (iskerneln(dst->p_nr))
        return ECALLDENIED;
    if (will_receive(dst, caller_or_task->p_endpoint, 0) &&
        deliver_notify(caller_or_task, dst) == OK)
        return OK;
    BIT_SET(dst->p_notify_pending, SLOT_INDEX(caller_or_task->p_nr));
    return OK;
}

/* Must be called with task a kernel task's endpoint (SYSTEM, CLOCK,
 * HARDWARE) and dst a live process. Notifies dst from the task. Returns as
 * mini_notify. */
int notify_from_task(endpoint_t task, struct proc *dst)
{
    KASSERT(iskerneln(ENDPOINT_SLOT(task)) && proc_slot_ok(ENDPOINT_SLOT(task)));
    KASSERT(dst != NULL);
    return mini_notify(proc_addr(ENDPOINT_SLOT(task)), dst->p_endpoint);
}

/* Must be called with dst a live process. Adds hook_bits to dst's pending
 * irq bits and notifies it from HARDWARE. Returns as mini_notify. */
int notify_irq(struct proc *dst, uint32_t hook_bits)
{
    KASSERT(dst != NULL);
    dst->p_int_pending |= hook_bits;
    return notify_from_task(HARDWARE, dst);
}

/* ------------------------------ SENDA ------------------------------ */

/* Marks entry i of src's SENDA table (a copy in e) done with 'result' and
 * writes its header back; remembers (MF_ASYNC_DONE) that src must be
 * notified if the entry asks for it. */
static void asyn_done(struct proc *src, uint32_t i, asynmsg_t *e, int result)
{
    e->flags |= AMF_DONE;
    e->result = result;
    (void)arch_copy_to_proc(src, src->p_asyntab + i * sizeof(asynmsg_t), e, ASYN_HDR_LEN);
    if ((e->flags & AMF_NOTIFY) || ((e->flags & AMF_NOTIFY_ERR) && result != OK))
        src->p_misc_flags |= MF_ASYNC_DONE;
}

/* Sends src the notification from SYSTEM that some of its SENDA entries
 * finished, if any asked for it. */
static void asyn_notify(struct proc *src)
{
    if (src->p_misc_flags & MF_ASYNC_DONE) {
        src->p_misc_flags &= ~MF_ASYNC_DONE;
        notify_from_task(SYSTEM, src);
    }
}

/* Returns nonzero if entry e is waiting to be delivered. */
static int asyn_waiting(const asynmsg_t *e)
{
    return (e->flags & (AMF_VALID | AMF_DONE)) == AMF_VALID;
}

/* Must be called with dst (receiving now or blocked) willing to take an
 * asynchronous message from src. Delivers the first waiting entry of src's
 * table addressed to dst. Returns OK if one was delivered, EFAULT if dst's
 * buffer was bad (the entry stays), ENOENT if none waits (then src's bit in
 * dst's p_asyn_pending is cleared). The bit stays while more entries wait. */
static int try_one_async(struct proc *src, struct proc *dst)
{
    int idx = SLOT_INDEX(src->p_nr), delivered = 0, r;
    uint32_t i;
    asynmsg_t e;

    for (i = 0; i < src->p_asynsize; i++) {
        if (arch_copy_from_proc(src, src->p_asyntab + i * sizeof(asynmsg_t),
                                &e, sizeof(e)) != OK)
            break;
        if (!asyn_waiting(&e) || e.dst != dst->p_endpoint)
            continue;
        if (delivered) {
            asyn_notify(src);
            return OK;              /* more wait: keep the bit */
        }
        e.msg.m_source = src->p_endpoint;
        r = msg_to_receiver(dst, &e.msg);
        if (r != OK)
            return r;
        asyn_done(src, i, &e, OK);
        delivered = 1;
    }
    BIT_UNSET(dst->p_asyn_pending, idx);
    asyn_notify(src);
    return delivered ? OK : ENOENT;
}

/* Delivers to dst the first SENDA message waiting for it from src_e (ANY:
 * from the lowest sender slot). Returns OK, EFAULT, or ENOENT if none. */
static int try_async(struct proc *dst, endpoint_t src_e)
{
    int w, idx, r;

    if (!bitmap_any(dst->p_asyn_pending))          /* the common case */
        return ENOENT;
    /* Word by word, set bits only: this runs on every RECEIVE that would
     * block, and the table is almost always empty (a per-slot loop cost
     * hundreds of instructions per IPC round trip). */
    for (w = 0; w < BITMAP_WORDS(NR_ALL_SLOTS); w++) {
        uint32_t bits = dst->p_asyn_pending[w];

        while (bits) {
            struct proc *src;

            idx = w * 32 + __builtin_ctz(bits);
            bits &= bits - 1;
            src = &proc_table[idx];
            if (src_e != ANY && src->p_endpoint != src_e)
                continue;
            r = try_one_async(src, dst);
            if (r != ENOENT)
                return r;
        }
    }
    return ENOENT;
}

/* Fails with 'result' every waiting entry of src's SENDA table addressed
 * to dead_e (a process being cleared), notifying src as the entries ask. */
static void fail_async_to(struct proc *src, endpoint_t dead_e, int result)
{
    uint32_t i;
    asynmsg_t e;

    for (i = 0; i < src->p_asynsize; i++) {
        if (arch_copy_from_proc(src, src->p_asyntab + i * sizeof(asynmsg_t),
                                &e, sizeof(e)) != OK)
            break;
        if (asyn_waiting(&e) && e.dst == dead_e)
            asyn_done(src, i, &e, result);
    }
    asyn_notify(src);
}

/* Must be called with caller not blocked. Installs caller's SENDA table
 * (count entries at table; count 0 removes it) and delivers what it can
 * now; the rest is delivered when each receiver receives. Returns OK (per
 * entry errors go into the entries: EINVAL for unknown flags, EDEADSRCDST
 * for a bad or stale dst, ECALLDENIED for a target not allowed), EINVAL
 * for more than SENDA_MAX_ENTRIES entries, EFAULT if the table is not
 * readable and writable. */
static int do_senda(struct proc *caller, vir_bytes table, uint32_t count)
{
    uint32_t i;
    asynmsg_t e;

    if (count > SENDA_MAX_ENTRIES)
        return EINVAL;
    for (i = 0; i < count; i++) {
        vir_bytes a = table + i * sizeof(asynmsg_t);
        if (arch_copy_from_proc(caller, a, &e, sizeof(e)) != OK ||
            arch_copy_to_proc(caller, a, &e, ASYN_HDR_LEN) != OK)
            return EFAULT;
    }
    caller->p_asyntab = count ? table : 0;
    caller->p_asynsize = count;

    for (i = 0; i < count; i++) {
        struct proc *dst;

        if (arch_copy_from_proc(caller, table + i * sizeof(asynmsg_t), &e, sizeof(e)) != OK)
            return EFAULT;
        if (!asyn_waiting(&e))
            continue;
        if ((e.flags & ~AMF_ALL_FLAGS) || IS_NOTIFY(&e.msg)) {
            asyn_done(caller, i, &e, EINVAL);
            continue;
        }
        dst = endpoint_lookup(e.dst == SELF ? caller->p_endpoint : e.dst);
        if (!dst) {
            asyn_done(caller, i, &e, EDEADSRCDST);
            continue;
        }
        if (iskerneln(dst->p_nr) || !priv_may_send_to(caller, dst)) {
            asyn_done(caller, i, &e, ECALLDENIED);
            continue;
        }
        if (e.dst != dst->p_endpoint) {     /* SELF: store the real endpoint */
            e.dst = dst->p_endpoint;
            (void)arch_copy_to_proc(caller, table + i * sizeof(asynmsg_t), &e, ASYN_HDR_LEN);
        }
        if (dst != caller && will_receive(dst, caller->p_endpoint, 0)) {
            e.msg.m_source = caller->p_endpoint;
            if (msg_to_receiver(dst, &e.msg) == OK) {
                asyn_done(caller, i, &e, OK);
                continue;
            }
        }
        BIT_SET(dst->p_asyn_pending, SLOT_INDEX(caller->p_nr));
    }
    asyn_notify(caller);
    return OK;
}

/* ------------------------- the trap and cleanup ------------------------- */

/* Must be called with caller the running (not blocked) process. Performs
 * IPC primitive 'primitive' on endpoint ep with the message (or SENDA
 * table of 'count' entries) at msg in caller's memory. Returns the result,
 * or EDONTREPLY when caller blocked (its result is set when it wakes).
 * Checks, in order: EBADCALL (unknown primitive), ETRAPDENIED (trap mask),
 * EDEADSRCDST (bad or stale ep), ECALLDENIED (ep outside ipc_to, or a
 * kernel task as destination), EFAULT (message not accessible). */
int do_ipc(struct proc *caller, int primitive, endpoint_t ep, vir_bytes msg, uint32_t count)
{
    struct proc *dst = NULL;
    int r, sendrec;

    KASSERT(caller != NULL && !iskerneln(caller->p_nr));
    KASSERT(proc_is_runnable(caller));

    if (primitive <= 0 || primitive >= IPC_NR_PRIMITIVES)
        return EBADCALL;
    if (!priv_may_trap(caller, primitive))
        return ETRAPDENIED;
    if (primitive == IPC_SENDA)
        return do_senda(caller, msg, count);

    if (ep == SELF)
        ep = caller->p_endpoint;
    if (!(primitive == IPC_RECEIVE && ep == ANY)) {
        dst = endpoint_lookup(ep);
        if (!dst)
            return EDEADSRCDST;
    }
    if (primitive != IPC_RECEIVE) {
        if (iskerneln(dst->p_nr) || !priv_may_send_to(caller, dst))
            return ECALLDENIED;
    }

    /* SEND, SENDNB and SENDREC share one send_to call and SENDREC and
     * RECEIVE one mini_receive call: with a single call site each, both
     * are inlined here (a call per primitive cost ~15 instructions). */
    switch (primitive) {
    case IPC_SEND:
    case IPC_SENDNB:
    case IPC_SENDREC:
        sendrec = primitive == IPC_SENDREC;
        /* Copied straight into p_sendmsg (caller is not blocked, so the
         * slot's send buffer is free): one message copy less per send.
         * For SENDREC the reply buffer (the same buffer) is checked
         * writable in the same page-table walk. */
        if (arch_msg_from_proc(caller, msg, &caller->p_sendmsg, sendrec) != OK)
            return EFAULT;
        if (IS_NOTIFY(&caller->p_sendmsg))
            return EINVAL;
        if (sendrec)
            caller->p_misc_flags |= MF_REPLY_PEND;
        r = send_to(caller, dst, &caller->p_sendmsg, primitive == IPC_SENDNB);
        if (!sendrec)
            return r;
        if (r == EDONTREPLY) {
            /* Blocked sending: wait for the reply once the send is taken. */
            caller->p_recv_buf = msg;
            caller->p_getfrom_e = ep;
            rts_set(caller, RTS_RECEIVING);
            return EDONTREPLY;
        }
        if (r != OK) {
            caller->p_misc_flags &= ~MF_REPLY_PEND;
            return r;
        }
        break;                      /* sent: receive the reply */

    case IPC_RECEIVE:
        if (probe_msg_buf(caller, msg) != OK)
            return EFAULT;
        break;

    case IPC_NOTIFY:
        return mini_notify(caller, ep);

    default:
        return EBADCALL;
    }
    return mini_receive(caller, ep, msg);
}

/* The IPC trap (arch.h): runs do_ipc and gives caller its result now
 * unless it blocked. */
void kernel_ipc_trap(struct proc *caller, int primitive, endpoint_t ep,
                     vir_bytes msg, uint32_t count)
{
    int r = do_ipc(caller, primitive, ep, msg, count);

    if (r != EDONTREPLY)
        arch_set_result(caller, r);
}

/* Wakes p, blocked in IPC (flags among RTS_SENDING|RTS_RECEIVING), with
 * 'result': off any caller queue, out of the reply wait. Its other
 * RTS flags (stopped, no privilege) stay. */
void ipc_abort(struct proc *p, int result)
{
    if (p->p_rts_flags & RTS_SENDING) {
        struct proc *dst = endpoint_lookup(p->p_sendto_e);
        if (dst)
            callerq_remove(dst, p);
    }
    p->p_sendto_e = NONE;
    p->p_getfrom_e = NONE;
    p->p_misc_flags &= ~MF_REPLY_PEND;
    rts_clear(p, RTS_SENDING | RTS_RECEIVING);
    arch_set_result(p, result);
}

/* Must be called with dead a live process about to be cleared (before its
 * generation advances). Every process sending to it, receiving from it or
 * in a SENDREC with it wakes with EDEADSRCDST; dead leaves any caller
 * queue it is on; notifications and SENDA bits it caused are dropped;
 * waiting SENDA entries addressed to it fail with EDEADSRCDST; what was
 * pending for dead itself is dropped. */
void ipc_unblock_peers(struct proc *dead)
{
    int didx = SLOT_INDEX(dead->p_nr), idx;
    endpoint_t dead_e = dead->p_endpoint;

    KASSERT(dead != NULL && !iskerneln(dead->p_nr));

    if (dead->p_rts_flags & RTS_SENDING) {
        struct proc *dst = endpoint_lookup(dead->p_sendto_e);
        if (dst)
            callerq_remove(dst, dead);
    }

    for (idx = 0; idx < NR_ALL_SLOTS; idx++) {
        struct proc *q = &proc_table[idx];

        if (q == dead || isemptyp(q))
            continue;
        if (((q->p_rts_flags & RTS_SENDING) && q->p_sendto_e == dead_e) ||
            ((q->p_rts_flags & RTS_RECEIVING) && q->p_getfrom_e == dead_e))
            ipc_abort(q, EDEADSRCDST);
        BIT_UNSET(q->p_notify_pending, didx);
        BIT_UNSET(q->p_asyn_pending, didx);
        if (BIT_ISSET(dead->p_asyn_pending, idx))
            fail_async_to(q, dead_e, EDEADSRCDST);
    }

    dead->p_caller_q = NULL;
    kmemset(dead->p_notify_pending, 0, sizeof(dead->p_notify_pending));
    kmemset(dead->p_asyn_pending, 0, sizeof(dead->p_asyn_pending));
    dead->p_int_pending = 0;
}

/* STATE_CLEAR_IPC_REFS for p (a restarted service): every process waiting
 * for a reply from p (SENDREC whose request p already took: MF_REPLY_PEND,
 * receiving from p, no longer sending) wakes with ERESTART. Requests still
 * queued on p are kept: the new instance will receive them. */
void ipc_clear_reply_refs(struct proc *p)
{
    int idx;

    KASSERT(p != NULL);
    for (idx = 0; idx < NR_ALL_SLOTS; idx++) {
        struct proc *q = &proc_table[idx];

        if (q == p || isemptyp(q))
            continue;
        if ((q->p_misc_flags & MF_REPLY_PEND) &&
            (q->p_rts_flags & (RTS_RECEIVING | RTS_SENDING)) == RTS_RECEIVING &&
            q->p_getfrom_e == p->p_endpoint)
            ipc_abort(q, ERESTART);
    }
}
