/*
 * inject_ipc.c: the kernel's fault-injection logic behind the hooks
 * (inject_kern.h): IPC delivery faults with a small pool of held messages,
 * kernel-call failures, the sef-fault decision, notification reasons, and
 * the boot-time faults.
 *
 * IPC semantics (site ipc, target = the receiver, source = the sender):
 *  - drop: the receiver never gets the message. The sender sees success:
 *    a dropped synchronous send still returns OK (the message counts as
 *    taken), a SENDA entry is marked done with OK, a notification's
 *    pending bit is consumed.
 *  - delay N: the message is held for N ticks and then delivered like an
 *    asynchronous message (when the receiver is blocked receiving and
 *    accepts its source); the sender sees success at once.
 *  - duplicate: delivered now, and a copy is held and delivered as soon as
 *    the receiver next accepts it (from the clock tick).
 *  - corrupt: bits 'mask' of byte 'arg' of the 64-byte message are flipped
 *    (byte 0..3 is m_source, so a corrupt source is possible).
 *  - reorder: held until the next message to the same receiver has been
 *    delivered, then delivered from the following clock tick.
 * A message hits at most one ipc fault. When the receiver is the process
 * receiving right now (it found the message queued) and the message is
 * dropped or held, the receiver is put back to sleep receiving: from the
 * held message's source, or for a drop from ANY (from the sender while it
 * waits for a reply). A receive that was filtered on one other source may
 * so get a message from another one: a known limitation.
 * If the pool is full, delay/duplicate/reorder let the message pass.
 *
 * SEF faults are decided here too: when a message is delivered to a system
 * process and a sef fault for it fires, the receive returns INJ_SEF_FIRED
 * instead of OK and the process asks DIAG_INJECT_GET what to do (libsys,
 * sef_inject.c). A receiver that was not blocked gets the message through
 * the pool at the next tick, so that its receive can return the code.
 */
#include "inject_kern.h"

#define INJ_POOL_SIZE   16          /* messages held at once */

int inj_armed;
struct inj_table inj_faults;

/* A held message. */
struct held {
    int        used;
    endpoint_t dst_e;               /* the receiver, by endpoint */
    clock_t_   due;                 /* deliverable from this tick */
    int        wait_next;           /* reorder: not before the next delivery */
    int        code;                /* receive result: OK or INJ_SEF_FIRED */
    message    m;
};
static struct held pool[INJ_POOL_SIZE];
static int nr_held;

/* Notification reasons waiting per slot, and how many slots have some. */
static uint32_t reasons[NR_ALL_SLOTS];
static int nr_reasons;

/* The sef fault that fired for a slot, until the process fetches it. */
struct sef_pending {
    int      action;
    int32_t  arg;
    uint32_t mask;
    int      id;
};
static struct sef_pending sef_pend[NR_ALL_SLOTS];

/* Recomputes inj_armed from the table, the pool and the reasons. */
void inj_rearm(void)
{
    inj_armed = inj_faults.nr_loaded > 0 || nr_held > 0 || nr_reasons > 0;
}

/* Returns the name of the process behind endpoint ep ("?" if none). */
static const char *ep_name(endpoint_t ep)
{
    struct proc *p = endpoint_lookup(ep);

    return p ? p->p_name : "?";
}

/* Must be called with dst blocked receiving or receiving now. Copies m to
 * its buffer; a blocked dst wakes with 'code' (EFAULT if the copy failed).
 * Mirrors msg_to_receiver. Returns the copy's result. */
static int deliver_self(struct proc *dst, const message *m, int code)
{
    int r = arch_copy_to_proc(dst, dst->p_recv_buf, m, sizeof(*m));

    if (dst->p_rts_flags & RTS_RECEIVING) {
        dst->p_misc_flags &= ~MF_REPLY_PEND;
        dst->p_getfrom_e = NONE;
        rts_clear(dst, RTS_RECEIVING);
        arch_set_result(dst, r == OK ? code : r);
    } else if (r == OK) {
        dst->p_misc_flags &= ~MF_REPLY_PEND;
    }
    return r;
}

/* The message m is not delivered now (dropped or held). A blocked dst just
 * stays blocked; a dst receiving now goes back to sleep receiving from
 * 'from' (see the file comment). */
static void not_delivered(struct proc *dst, endpoint_t from)
{
    if (dst->p_rts_flags & RTS_RECEIVING)
        return;
    dst->p_getfrom_e = from;
    rts_set(dst, RTS_RECEIVING);
}

/* Holds a copy of m for dst. Returns 0, or -1 if the pool is full. */
static int hold(struct proc *dst, const message *m, clock_t_ due, int wait_next,
                int code)
{
    int i;

    for (i = 0; i < INJ_POOL_SIZE; i++) {
        struct held *h = &pool[i];
        if (h->used)
            continue;
        h->used = 1;
        h->dst_e = dst->p_endpoint;
        h->due = due;
        h->wait_next = wait_next;
        h->code = code;
        kmemcpy(&h->m, m, sizeof(*m));
        nr_held++;
        inj_armed = 1;
        return 0;
    }
    return -1;
}

/* Nonzero if dst, blocked receiving, accepts a held message from src_e:
 * from ANY or src_e, and while waiting for a reply only from src_e. */
static int accepts(const struct proc *dst, endpoint_t src_e)
{
    if ((dst->p_rts_flags & (RTS_RECEIVING | RTS_SENDING)) != RTS_RECEIVING)
        return 0;
    if (dst->p_getfrom_e == src_e)
        return 1;
    return dst->p_getfrom_e == ANY && !(dst->p_misc_flags & MF_REPLY_PEND);
}

/* A delivery to dst is going on: held reorder messages for it may go from
 * the next tick. */
static void reorder_release(const struct proc *dst)
{
    int i;

    for (i = 0; i < INJ_POOL_SIZE; i++)
        if (pool[i].used && pool[i].wait_next && pool[i].dst_e == dst->p_endpoint)
            pool[i].wait_next = 0;
}

/* See inject_kern.h. */
int inj_ipc_held(void)
{
    return nr_held;
}

/* Releases every due held message whose receiver accepts it now; drops
 * those whose receiver is gone. Called once per tick. */
void inj_ipc_tick(void)
{
    int i;

    if (nr_held == 0)
        return;
    for (i = 0; i < INJ_POOL_SIZE; i++) {
        struct held *h = &pool[i];
        struct proc *dst;

        if (!h->used || h->wait_next || h->due > kernel_ticks)
            continue;
        dst = endpoint_lookup(h->dst_e);
        if (dst == NULL || isemptyp(dst)) {
            h->used = 0;
            nr_held--;
            continue;
        }
        if (!accepts(dst, h->m.m_source))
            continue;
        if (deliver_self(dst, &h->m, h->code) != OK)
            continue;
        h->used = 0;
        nr_held--;
    }
    inj_rearm();
}

/* See inject_kern.h. */
void inj_add_reason(struct proc *p, uint32_t reason)
{
    int idx;

    KASSERT(p != NULL && !iskerneln(p->p_nr));
    idx = SLOT_INDEX(p->p_nr);
    if (reasons[idx] == 0)
        nr_reasons++;
    reasons[idx] |= reason;
    inj_armed = 1;
}

/* Nonzero if p is a system process (SEF runs in it). */
static int is_sys_proc(const struct proc *p)
{
    return p->p_priv != NULL && (p->p_priv->s_spec.flags & PRIV_SYS_PROC);
}

/* See inject_kern.h. */
int inj_ipc_deliver(struct proc *dst, const message *m, int *result)
{
    int idx = SLOT_INDEX(dst->p_nr), changed = 0, code = OK;
    const char *src_name = ep_name(m->m_source);
    struct inj_fault *f;
    message copy;
    /* The message is copied only when an action changes or holds it: the
     * armed engine runs on every delivery, and the copy was most of its
     * cost (bench: inject_armed_cost_instructions). */
#define COPY() do { if (!changed) { kmemcpy(&copy, m, sizeof(copy)); \
                                     changed = 1; } } while (0)

    KASSERT(dst != NULL && m != NULL && result != NULL);
    if (nr_held > 0)
        reorder_release(dst);

    if (IS_NOTIFY(m) && m->m_source == SYSTEM && reasons[idx] != 0) {
        COPY();
        copy.m_notify.reasons = reasons[idx];
    }

    f = inj_match(&inj_faults, INJ_SITE_IPC, dst->p_name, src_name, 1,
                  m->m_type, kernel_ticks);
    if (f != NULL) {
        ctl_event_fault(f, dst->p_name, src_name, m->m_type);
        switch (f->action) {
        case INJ_ACT_DROP:
            not_delivered(dst, (dst->p_misc_flags & MF_REPLY_PEND) ? m->m_source : ANY);
            *result = OK;
            return 1;
        case INJ_ACT_DELAY:
        case INJ_ACT_REORDER:
            COPY();
            if (hold(dst, &copy, kernel_ticks + (f->action == INJ_ACT_DELAY ?
                     (clock_t_)f->arg : 0), f->action == INJ_ACT_REORDER, OK) == 0) {
                not_delivered(dst, m->m_source);
                *result = OK;
                return 1;
            }
            break;
        case INJ_ACT_DUPLICATE:
            /* the original is delivered unchanged; the pool holds a copy */
            (void)hold(dst, m, kernel_ticks, 0, OK);
            break;
        case INJ_ACT_CORRUPT:
            COPY();
            ((uint8_t *)&copy)[f->arg & 63] ^= (uint8_t)f->mask;
            break;
        default:
            break;
        }
    }

    /* The sef site is the server's receive loop: a reply that completes the
     * server's own SENDREC (MF_REPLY_PEND) returns from ipc_sendrec, not
     * from sef_receive, so a fault there would be reported and never act. */
    if (is_sys_proc(dst) && !(dst->p_misc_flags & MF_REPLY_PEND)) {
        f = inj_match(&inj_faults, INJ_SITE_SEF, dst->p_name, NULL, 1,
                      m->m_type, kernel_ticks);
        if (f != NULL) {
            ctl_event_fault(f, dst->p_name, src_name, m->m_type);
            sef_pend[idx].action = f->action;
            sef_pend[idx].arg = f->arg;
            sef_pend[idx].mask = f->mask;
            sef_pend[idx].id = f->id;
            code = INJ_SEF_FIRED;
            COPY();
            if (!(dst->p_rts_flags & RTS_RECEIVING)) {
                /* Receiving now: its result would be OK; go through the
                 * pool so that the receive returns the code. */
                if (hold(dst, &copy, kernel_ticks, 0, code) == 0) {
                    not_delivered(dst, m->m_source);
                    *result = OK;
                    return 1;
                }
                code = OK;      /* pool full: the fault is lost */
            }
        }
    }

    if (!changed) {
        inj_rearm();
        return 0;
    }
    *result = deliver_self(dst, &copy, code);
    if (*result == OK && copy.m_notify.reasons && IS_NOTIFY(&copy) &&
        m->m_source == SYSTEM && reasons[idx] != 0) {
        reasons[idx] = 0;
        nr_reasons--;
        inj_rearm();
    }
    return 1;
#undef COPY
}

/* See inject_kern.h. A fault with arg 0 (or positive) fails with
 * EGENERIC: a kernel call's error is negative. */
int inj_kcall_fault(struct proc *caller, int type)
{
    struct inj_fault *f = inj_match(&inj_faults, INJ_SITE_KCALL, caller->p_name,
                                    NULL, 1, type, kernel_ticks);

    if (f == NULL)
        return OK;
    ctl_event_fault(f, caller->p_name, "", type);
    return f->arg < 0 ? f->arg : EGENERIC;
}

/* See inject_kern.h. */
void inj_sef_get(struct proc *caller, message *m)
{
    struct sef_pending *sp = &sef_pend[SLOT_INDEX(caller->p_nr)];

    m->m_i32.i[4] = sp->action;
    m->m_i32.i[5] = sp->arg;
    m->m_i32.i[6] = (int32_t)sp->mask;
    m->m_i32.i[7] = sp->id;
    kmemset(sp, 0, sizeof(*sp));
}

/* See inject_kern.h. A bad fault is reported on the console and the rest
 * of the list is ignored; the boot goes on. */
void inj_boot_faults(const char *cmdline)
{
    static const char key[] = "inject=";
    char err[INJ_ERR_LEN];
    size_t i = 0, klen = sizeof(key) - 1;

    inj_table_init(&inj_faults);
    while (cmdline[i]) {
        if ((i == 0 || cmdline[i - 1] == ' ') && kstrncmp(cmdline + i, key, klen) == 0) {
            size_t start = i + klen, end = start;
            int n;
            while (cmdline[end] && cmdline[end] != ' ')
                end++;
            n = inj_parse_boot(cmdline + start, end - start, &inj_faults, err, sizeof(err));
            if (n < 0)
                kprintf("kernel: inject=: %s\n", err);
            else
                kprintf("kernel: inject=: %d fault(s) loaded\n", n);
            break;
        }
        i++;
    }
    inj_rearm();
}
