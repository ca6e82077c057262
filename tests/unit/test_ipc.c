/*
 * test_ipc.c: unit tests of the kernel core on the host platform: boot,
 * IPC primitives with MINIX semantics, privileges, process clearing,
 * signals, exceptions, the clock and kprintf. Each case drives the trap
 * entries as different processes and checks results and process state.
 */
#include <string.h>
#include "ktest.h"

/* Three system processes used as generic peers. */
static struct proc *A, *B, *C;

/* Gives the fixture peers A = DS, B = VM, C = TTY system privileges. */
static void peers(void)
{
    A = kt_sys(DS_PROC_NR);
    B = kt_sys(VM_PROC_NR);
    C = kt_sys(TTY_PROC_NR);
}

/* ---------------------------------- boot ---------------------------------- */

KTEST(boot_processes)
{
    struct proc *rs = proc_addr(RS_PROC_NR), *pm = proc_addr(PM_PROC_NR);

    CHECK_EQ(rs->p_rts_flags, 0);
    CHECK(rs->p_priv != NULL && (rs->p_priv->s_spec.flags & PRIV_ROOT_SYS));
    CHECK_EQ(rs->p_priv->s_spec.sig_mgr, RS_PROC_NR);
    CHECK_EQ(rs->p_endpoint, RS_PROC_NR);
    CHECK_EQ(strcmp(pm->p_name, "pm"), 0);
    CHECK_EQ(pm->p_rts_flags, RTS_NO_PRIV);
    CHECK_EQ(proc_addr(INIT_PROC_NR)->p_rts_flags, RTS_NO_PRIV);
    CHECK_EQ(boot_modules[0].boot_slot, PM_PROC_NR);
    CHECK_EQ(boot_modules[10].boot_slot, -1);          /* "prog" */
    CHECK_EQ(kernel_info.nr_modules, 11);
    CHECK(isemptyp(proc_addr(NR_BOOT_PROCS)));
    CHECK_EQ(proc_addr(-2)->p_endpoint, SYSTEM);
    CHECK(!proc_is_runnable(proc_addr(-2)));
    CHECK(kernel_pick_proc() == rs);                   /* only RS runs */
    CHECK(current_proc == rs);
    /* The user privilege of the brief. */
    CHECK_EQ(priv_table[USER_PRIV_ID].s_spec.trap_mask, TRAP_USER);
    CHECK_EQ(priv_table[USER_PRIV_ID].s_spec.sig_mgr, PM_PROC_NR);
    CHECK(priv_table[USER_PRIV_ID].s_spec.flags & PRIV_PREEMPTIBLE);
}

/* Boot with module 'drop' removed or, if bad, with size 0. */
static const char *boot_variant_name;
static int boot_variant_bad;
static void boot_variant(void *arg)
{
    size_t i;
    (void)arg;
    for (i = 0; i < MAX_BOOT_MODULES; i++) {
        if (strcmp(boot_modules[i].name, boot_variant_name) == 0) {
            if (boot_variant_bad)
                boot_modules[i].size = 0;
            else
                strcpy(boot_modules[i].name, "other");
        }
    }
    kernel_main();
}

KTEST(boot_failures)
{
    boot_variant_name = "rs";
    boot_variant_bad = 0;
    CHECK(kt_panics(boot_variant, NULL));
    CHECK(strstr(host_console(), "crucible: panic: boot: no \"rs\" module") != NULL);

    kt_boot();
    boot_variant_name = "ds";
    boot_variant_bad = 1;
    CHECK(kt_panics(boot_variant, NULL));
    CHECK(strstr(host_console(), "crucible: panic: boot: module ds: cannot start it (bad ELF") != NULL);
}

/* ------------------------------ send / receive ------------------------------ */

KTEST(send_then_receive)
{
    vir_bytes sm = kt_msg(0x123, 42), rm = kt_msg(0, 0);

    peers();
    CHECK_EQ(kt_ipc(A, IPC_SEND, B->p_endpoint, sm, 0), KT_BLOCKED);
    CHECK(A->p_rts_flags & RTS_SENDING);
    CHECK(!proc_is_runnable(A));
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_type, 0x123);
    CHECK_EQ(kt_m(rm)->m_i32.i[0], 42);
    CHECK_EQ(kt_m(rm)->m_source, A->p_endpoint);    /* set by the kernel */
    CHECK_EQ(kt_result(A), OK);
    CHECK(proc_is_runnable(A));
}

KTEST(receive_then_send)
{
    vir_bytes sm = kt_msg(0x77, 7), rm = kt_msg(0, 0);

    peers();
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, A->p_endpoint, rm, 0), KT_BLOCKED);
    CHECK(B->p_rts_flags & RTS_RECEIVING);
    CHECK_EQ(kt_ipc(A, IPC_SEND, B->p_endpoint, sm, 0), OK);
    CHECK_EQ(kt_result(B), OK);
    CHECK(proc_is_runnable(B));
    CHECK_EQ(kt_m(rm)->m_type, 0x77);
    CHECK_EQ(kt_m(rm)->m_source, A->p_endpoint);
}

KTEST(receive_one_vs_any)
{
    vir_bytes ma = kt_msg(1, 0), mc = kt_msg(3, 0), rm = kt_msg(0, 0);

    peers();
    CHECK_EQ(kt_ipc(A, IPC_SEND, B->p_endpoint, ma, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(C, IPC_SEND, B->p_endpoint, mc, 0), KT_BLOCKED);
    /* From C specifically: C's message although A queued first. */
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, C->p_endpoint, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_type, 3);
    CHECK_EQ(kt_result(C), OK);
    CHECK_EQ(kt_result(A), KT_BLOCKED);
    /* Receiving from C again blocks although A is queued. */
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, C->p_endpoint, rm, 0), KT_BLOCKED);
    /* A sending while B waits only for C still blocks... */
    CHECK_EQ(kt_result(A), KT_BLOCKED);
    /* ...until C sends; then ANY gets A's message. */
    CHECK_EQ(kt_ipc(C, IPC_SEND, B->p_endpoint, mc, 0), OK);
    CHECK_EQ(kt_result(B), OK);
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_type, 1);
    CHECK_EQ(kt_result(A), OK);
}

KTEST(sendrec)
{
    vir_bytes req = kt_msg(0x10, 5), rm = kt_msg(0, 0), rep = kt_msg(0x20, 6), nm = kt_msg(0, 0);

    peers();
    /* A notification from B already pending for A is not the reply. */
    CHECK_EQ(kt_ipc(B, IPC_NOTIFY, A->p_endpoint, 0, 0), OK);
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(A, IPC_SENDREC, B->p_endpoint, req, 0), KT_BLOCKED);
    CHECK_EQ(kt_result(B), OK);
    CHECK_EQ(kt_m(rm)->m_type, 0x10);
    CHECK(A->p_misc_flags & MF_REPLY_PEND);
    CHECK_EQ(A->p_rts_flags, RTS_RECEIVING);
    /* While A waits for the reply, a notification (even from B, which it
     * receives from) does not end the wait. */
    CHECK_EQ(kt_ipc(C, IPC_NOTIFY, A->p_endpoint, 0, 0), OK);
    CHECK_EQ(kt_result(A), KT_BLOCKED);
    BIT_UNSET(A->p_notify_pending, SLOT_INDEX(B->p_nr));
    CHECK_EQ(kt_ipc(B, IPC_NOTIFY, A->p_endpoint, 0, 0), OK);
    CHECK_EQ(kt_result(A), KT_BLOCKED);
    /* Nor does a message from someone else. */
    CHECK_EQ(kt_ipc(C, IPC_SENDNB, A->p_endpoint, nm, 0), ENOTREADY);
    CHECK_EQ(kt_ipc(B, IPC_SEND, A->p_endpoint, rep, 0), OK);
    CHECK_EQ(kt_result(A), OK);
    CHECK_EQ(kt_m(req)->m_type, 0x20);                /* reply in the same buffer */
    CHECK_EQ(kt_m(req)->m_source, B->p_endpoint);
    CHECK(!(A->p_misc_flags & MF_REPLY_PEND));
    /* The notifications are still pending afterwards. */
    CHECK_EQ(kt_ipc(A, IPC_RECEIVE, ANY, nm, 0), OK);
    CHECK_EQ(kt_m(nm)->m_source, B->p_endpoint);      /* slot 4 before 5 */
    CHECK_EQ(kt_ipc(A, IPC_RECEIVE, ANY, nm, 0), OK);
    CHECK_EQ(kt_m(nm)->m_type, NOTIFY_MESSAGE);
    CHECK_EQ(kt_m(nm)->m_source, C->p_endpoint);
}

KTEST(sendrec_blocked_send_phase)
{
    vir_bytes req = kt_msg(0x10, 5), rm = kt_msg(0, 0), rep = kt_msg(0x20, 0);

    peers();
    /* B not receiving: A blocks in the send phase, then the reply phase. */
    CHECK_EQ(kt_ipc(A, IPC_SENDREC, B->p_endpoint, req, 0), KT_BLOCKED);
    CHECK_EQ(A->p_rts_flags, RTS_SENDING | RTS_RECEIVING);
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_i32.i[0], 5);
    CHECK_EQ(A->p_rts_flags, RTS_RECEIVING);
    CHECK_EQ(kt_result(A), KT_BLOCKED);
    CHECK_EQ(kt_ipc(B, IPC_SEND, A->p_endpoint, rep, 0), OK);
    CHECK_EQ(kt_result(A), OK);
    CHECK_EQ(kt_m(req)->m_type, 0x20);
}

/* --------------------------------- notify --------------------------------- */

KTEST(notify_coalesce_and_order)
{
    vir_bytes rm = kt_msg(0, 0), sm = kt_msg(0x55, 0);

    peers();
    kernel_ticks = 1234;
    CHECK_EQ(kt_ipc(C, IPC_NOTIFY, B->p_endpoint, 0, 0), OK);      /* TTY, slot 5 */
    CHECK_EQ(kt_ipc(C, IPC_NOTIFY, B->p_endpoint, 0, 0), OK);      /* coalesced */
    CHECK_EQ(kt_ipc(A, IPC_SEND, B->p_endpoint, sm, 0), KT_BLOCKED); /* queued sender */
    CHECK_EQ(kt_ipc(A == A ? proc_addr(RS_PROC_NR) : A, IPC_NOTIFY, B->p_endpoint, 0, 0), OK); /* RS, slot 2 */
    CHECK_EQ(notify_irq(B, 0x5), OK);                             /* HARDWARE */

    /* Notifications first, lowest sender slot first: HARDWARE, RS, TTY. */
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_type, NOTIFY_MESSAGE);
    CHECK_EQ(kt_m(rm)->m_source, HARDWARE);
    CHECK_EQ(kt_m(rm)->m_notify.interrupts, 0x5);
    CHECK_EQ(kt_m(rm)->m_notify.timestamp, 1234);
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_source, RS_PROC_NR);
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_source, C->p_endpoint);
    CHECK_EQ(kt_m(rm)->m_type, NOTIFY_MESSAGE);
    /* Then the queued sender; the second notify from C was coalesced. */
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_type, 0x55);
    CHECK_EQ(kt_result(A), OK);
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), KT_BLOCKED);
}

KTEST(notify_immediate_and_specific)
{
    vir_bytes rm = kt_msg(0, 0);

    peers();
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(C, IPC_NOTIFY, B->p_endpoint, 0, 0), OK);
    CHECK_EQ(kt_result(B), OK);
    CHECK_EQ(kt_m(rm)->m_source, C->p_endpoint);
    CHECK_EQ(kt_m(rm)->m_type, NOTIFY_MESSAGE);
    /* Receiving from A only: a notify from C stays pending. */
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, A->p_endpoint, rm, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(C, IPC_NOTIFY, B->p_endpoint, 0, 0), OK);
    CHECK_EQ(kt_result(B), KT_BLOCKED);
    CHECK_EQ(kt_ipc(A, IPC_NOTIFY, B->p_endpoint, 0, 0), OK);
    CHECK_EQ(kt_result(B), OK);
    CHECK_EQ(kt_m(rm)->m_source, A->p_endpoint);
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, C->p_endpoint, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_source, C->p_endpoint);
}

KTEST(sendnb)
{
    vir_bytes sm = kt_msg(9, 0), rm = kt_msg(0, 0);

    peers();
    CHECK_EQ(kt_ipc(A, IPC_SENDNB, B->p_endpoint, sm, 0), ENOTREADY);
    CHECK(proc_is_runnable(A));
    CHECK(B->p_caller_q == NULL);
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, C->p_endpoint, rm, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(A, IPC_SENDNB, B->p_endpoint, sm, 0), ENOTREADY);
    CHECK_EQ(kt_ipc(C, IPC_SEND, B->p_endpoint, sm, 0), OK);
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(A, IPC_SENDNB, B->p_endpoint, sm, 0), OK);
    CHECK_EQ(kt_result(B), OK);
    CHECK_EQ(kt_m(rm)->m_source, A->p_endpoint);
}

/* ---------------------------------- SENDA ---------------------------------- */

/* A SENDA table of n entries in user memory. */
static asynmsg_t *senda_table(vir_bytes *v, int n)
{
    *v = host_ualloc((size_t)n * sizeof(asynmsg_t));
    return host_uptr(*v);
}

KTEST(senda_now_and_later)
{
    vir_bytes tv, rb = kt_msg(0, 0), rc = kt_msg(0, 0);
    asynmsg_t *t = senda_table(&tv, 3);

    peers();
    t[0].flags = AMF_VALID;
    t[0].dst = B->p_endpoint;
    t[0].msg.m_type = 0x101;
    t[1].flags = AMF_VALID | AMF_NOTIFY;
    t[1].dst = C->p_endpoint;
    t[1].msg.m_type = 0x102;
    t[2].flags = 0;                         /* not valid: untouched */
    t[2].dst = 12345;

    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rb, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(A, IPC_SENDA, 0, tv, 3), OK);
    /* Entry 0 delivered now. */
    CHECK_EQ(kt_result(B), OK);
    CHECK_EQ(kt_m(rb)->m_type, 0x101);
    CHECK_EQ(kt_m(rb)->m_source, A->p_endpoint);
    CHECK(t[0].flags & AMF_DONE);
    CHECK_EQ(t[0].result, OK);
    /* Entry 1 waits for C; no notification for A yet. */
    CHECK(!(t[1].flags & AMF_DONE));
    CHECK(BIT_ISSET(C->p_asyn_pending, SLOT_INDEX(A->p_nr)));
    CHECK(!BIT_ISSET(A->p_notify_pending, SLOT_INDEX(-2)));
    CHECK_EQ(t[2].flags, 0);
    /* C receives: entry 1 delivered, A notified from SYSTEM. */
    CHECK_EQ(kt_ipc(C, IPC_RECEIVE, ANY, rc, 0), OK);
    CHECK_EQ(kt_m(rc)->m_type, 0x102);
    CHECK_EQ(kt_m(rc)->m_source, A->p_endpoint);
    CHECK(t[1].flags & AMF_DONE);
    CHECK_EQ(t[1].result, OK);
    CHECK(!BIT_ISSET(C->p_asyn_pending, SLOT_INDEX(A->p_nr)));
    CHECK_EQ(kt_ipc(A, IPC_RECEIVE, ANY, rb, 0), OK);
    CHECK_EQ(kt_m(rb)->m_type, NOTIFY_MESSAGE);
    CHECK_EQ(kt_m(rb)->m_source, SYSTEM);
    /* Nothing more for C. */
    CHECK_EQ(kt_ipc(C, IPC_RECEIVE, ANY, rc, 0), KT_BLOCKED);
}

KTEST(senda_receive_order_and_specific)
{
    vir_bytes tv, rm = kt_msg(0, 0), sm = kt_msg(0x55, 0);
    asynmsg_t *t = senda_table(&tv, 2);

    peers();
    t[0].flags = AMF_VALID;
    t[0].dst = B->p_endpoint;
    t[0].msg.m_type = 0x201;
    t[1].flags = AMF_VALID;
    t[1].dst = B->p_endpoint;
    t[1].msg.m_type = 0x202;
    CHECK_EQ(kt_ipc(A, IPC_SENDA, 0, tv, 2), OK);
    CHECK_EQ(kt_ipc(C, IPC_SEND, B->p_endpoint, sm, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(C == C ? proc_addr(RS_PROC_NR) : C, IPC_NOTIFY, B->p_endpoint, 0, 0), OK);
    /* Receiving from C only skips the notification and A's entries. */
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, C->p_endpoint, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_type, 0x55);
    /* ANY: the notification, then the async entries in table order. */
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_type, NOTIFY_MESSAGE);
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_type, 0x201);
    CHECK(BIT_ISSET(B->p_asyn_pending, SLOT_INDEX(A->p_nr)));
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, A->p_endpoint, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_type, 0x202);
    CHECK(t[0].flags & AMF_DONE);
    CHECK(t[1].flags & AMF_DONE);
    CHECK(!BIT_ISSET(B->p_asyn_pending, SLOT_INDEX(A->p_nr)));
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), KT_BLOCKED);
}

KTEST(senda_bad_tables)
{
    vir_bytes tv, rm = kt_msg(0, 0);
    asynmsg_t *t = senda_table(&tv, 5);
    struct proc *u = kt_user("u"), *pm = kt_sys(PM_PROC_NR);
    endpoint_t stale = u->p_endpoint;

    peers();
    proc_clear(u);
    CHECK_EQ(kt_ipc(A, IPC_SENDA, 0, tv, SENDA_MAX_ENTRIES + 1), EINVAL);
    CHECK_EQ(kt_ipc(A, IPC_SENDA, 0, 0, 1), EFAULT);
    CHECK_EQ(kt_ipc(A, IPC_SENDA, 0, 0xdead0000u, 2), EFAULT);

    /* A may not send to PM. */
    BIT_UNSET(A->p_priv->s_spec.ipc_to, SLOT_INDEX(PM_PROC_NR));
    A->p_priv->s_spec.flags |= PRIV_CHECK_IPC;
    t[0].flags = AMF_VALID | 0x80;                  /* unknown flag */
    t[0].dst = B->p_endpoint;
    t[1].flags = AMF_VALID;
    t[1].dst = stale;                               /* stale endpoint */
    t[2].flags = AMF_VALID | AMF_NOTIFY_ERR;
    t[2].dst = pm->p_endpoint;                      /* not allowed */
    t[3].flags = AMF_VALID;
    t[3].dst = SYSTEM;                              /* a kernel task */
    t[4].flags = AMF_VALID | AMF_NOTIFY_ERR;
    t[4].dst = B->p_endpoint;                       /* fine, waits */
    CHECK_EQ(kt_ipc(A, IPC_SENDA, 0, tv, 5), OK);
    CHECK(t[0].flags & AMF_DONE);
    CHECK_EQ(t[0].result, EINVAL);
    CHECK(t[1].flags & AMF_DONE);
    CHECK_EQ(t[1].result, EDEADSRCDST);
    CHECK(t[2].flags & AMF_DONE);
    CHECK_EQ(t[2].result, ECALLDENIED);
    CHECK_EQ(t[3].result, ECALLDENIED);
    CHECK(!(t[4].flags & AMF_DONE));
    /* Entry 2 failed with AMF_NOTIFY_ERR: A is notified from SYSTEM. */
    CHECK(BIT_ISSET(A->p_notify_pending, SLOT_INDEX(-2)));
    /* The good entry is delivered; no notification for a success. */
    BIT_UNSET(A->p_notify_pending, SLOT_INDEX(-2));
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(t[4].result, OK);
    CHECK(!BIT_ISSET(A->p_notify_pending, SLOT_INDEX(-2)));
    /* A user may not SENDA at all. */
    u = kt_user("u2");
    CHECK_EQ(kt_ipc(u, IPC_SENDA, 0, tv, 1), ETRAPDENIED);
}

/* -------------------------------- deadlock -------------------------------- */

KTEST(deadlock_two_and_three)
{
    vir_bytes m = kt_msg(1, 0), rm = kt_msg(0, 0);

    peers();
    CHECK_EQ(kt_ipc(A, IPC_SEND, B->p_endpoint, m, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(B, IPC_SEND, A->p_endpoint, m, 0), ELOCKED);
    CHECK(proc_is_runnable(B));
    CHECK_EQ(kt_ipc(B, IPC_SENDREC, A->p_endpoint, m, 0), ELOCKED);
    CHECK(!(B->p_misc_flags & MF_REPLY_PEND));
    /* 3-cycle: A -> B (blocked), B -> C (blocked), C -> A. */
    CHECK_EQ(kt_ipc(B, IPC_SEND, C->p_endpoint, m, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(C, IPC_SEND, A->p_endpoint, m, 0), ELOCKED);
    CHECK_EQ(kt_ipc(C, IPC_SENDREC, A->p_endpoint, m, 0), ELOCKED);
    CHECK(proc_is_runnable(C));
    /* No cycle: C receiving lets everything through. */
    CHECK_EQ(kt_ipc(C, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_result(B), OK);
}

KTEST(deadlock_sendrec_pair)
{
    vir_bytes m1 = kt_msg(1, 0), m2 = kt_msg(2, 0);

    peers();
    CHECK_EQ(kt_ipc(A, IPC_SENDREC, B->p_endpoint, m1, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(B, IPC_SENDREC, A->p_endpoint, m2, 0), ELOCKED);
    CHECK(proc_is_runnable(B));
}

/* --------------------------- stale endpoints, clear --------------------------- */

KTEST(stale_endpoint)
{
    vir_bytes m = kt_msg(1, 0);
    struct proc *u = kt_user("u"), *n;
    endpoint_t old = u->p_endpoint;
    int slot = u->p_nr;

    peers();
    CHECK_EQ(isokendpt(old, NULL), OK);
    proc_clear(u);
    CHECK(isemptyp(u));
    CHECK_EQ(isokendpt(old, NULL), EDEADSRCDST);
    CHECK(endpoint_lookup(old) == NULL);
    CHECK_EQ(kt_ipc(A, IPC_SEND, old, m, 0), EDEADSRCDST);
    CHECK_EQ(kt_ipc(A, IPC_NOTIFY, old, 0, 0), EDEADSRCDST);
    /* The slot's next occupant has a new endpoint; the old one stays dead. */
    n = kt_user("n");
    CHECK_EQ(n->p_nr, slot);
    CHECK(n->p_endpoint != old);
    CHECK_EQ(ENDPOINT_SLOT(n->p_endpoint), slot);
    CHECK_EQ(kt_ipc(A, IPC_SENDNB, old, m, 0), EDEADSRCDST);
    CHECK_EQ(isokendpt(ANY, NULL), EDEADSRCDST);
    CHECK_EQ(isokendpt(ENDPOINT(0, NR_PROCS), NULL), EDEADSRCDST);
    CHECK_EQ(isokendpt(-5, NULL), EDEADSRCDST);
}

KTEST(clear_unblocks_peers)
{
    vir_bytes m1 = kt_msg(1, 0), m2 = kt_msg(2, 0), m3 = kt_msg(3, 0), rm = kt_msg(0, 0), tv;
    asynmsg_t *t = senda_table(&tv, 1);
    struct proc *x = kt_sys(HELLO_PROC_NR), *d = kt_sys(PM_PROC_NR);

    peers();
    /* C in the reply phase of a SENDREC to x. */
    CHECK_EQ(kt_ipc(C, IPC_SENDREC, x->p_endpoint, m3, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(x, IPC_RECEIVE, ANY, rm, 0), OK);
    /* A sending to x, B receiving from x. */
    CHECK_EQ(kt_ipc(A, IPC_SEND, x->p_endpoint, m1, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, x->p_endpoint, m2, 0), KT_BLOCKED);
    /* x notified d; d has a SENDA entry waiting for x. */
    CHECK_EQ(kt_ipc(x, IPC_NOTIFY, d->p_endpoint, 0, 0), OK);
    t[0].flags = AMF_VALID | AMF_NOTIFY_ERR;
    t[0].dst = x->p_endpoint;
    CHECK_EQ(kt_ipc(d, IPC_SENDA, 0, tv, 1), OK);
    CHECK(!(t[0].flags & AMF_DONE));

    proc_clear(x);
    CHECK_EQ(kt_result(A), EDEADSRCDST);
    CHECK_EQ(kt_result(B), EDEADSRCDST);
    CHECK_EQ(kt_result(C), EDEADSRCDST);
    CHECK(proc_is_runnable(A) && proc_is_runnable(B) && proc_is_runnable(C));
    CHECK(!(C->p_misc_flags & MF_REPLY_PEND));
    CHECK(t[0].flags & AMF_DONE);
    CHECK_EQ(t[0].result, EDEADSRCDST);
    /* d's notification from x is gone; the SYSTEM one (NOTIFY_ERR) stays. */
    CHECK(!BIT_ISSET(d->p_notify_pending, SLOT_INDEX(HELLO_PROC_NR)));
    CHECK_EQ(kt_ipc(d, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_source, SYSTEM);
    CHECK_EQ(kt_ipc(d, IPC_RECEIVE, ANY, rm, 0), KT_BLOCKED);
}

KTEST(clear_reply_refs)
{
    vir_bytes mu = kt_msg(1, 0), mv = kt_msg(2, 0), rm = kt_msg(0, 0);
    struct proc *h = kt_sys(HELLO_PROC_NR), *u = kt_user("u"), *v = kt_user("v");

    /* u's request taken by h; v's still queued. */
    CHECK_EQ(kt_ipc(u, IPC_SENDREC, HELLO_PROC_NR, mu, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(h, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_ipc(v, IPC_SENDREC, HELLO_PROC_NR, mv, 0), KT_BLOCKED);
    ipc_clear_reply_refs(h);
    CHECK_EQ(kt_result(u), ERESTART);
    CHECK(proc_is_runnable(u));
    CHECK(!(u->p_misc_flags & MF_REPLY_PEND));
    CHECK_EQ(kt_result(v), KT_BLOCKED);
    CHECK_EQ(kt_ipc(h, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_type, 2);
    CHECK_EQ(kt_m(rm)->m_source, v->p_endpoint);
}

/* ------------------------------- privileges ------------------------------- */

KTEST(denials)
{
    vir_bytes m = kt_msg(PM_GETPID, 0), km = kt_msg(SYS_TIMES, 0);
    struct proc *u = kt_user("u"), *pm = kt_sys(PM_PROC_NR);

    (void)pm;
    CHECK_EQ(kt_ipc(u, 0, PM_PROC_NR, m, 0), EBADCALL);
    CHECK_EQ(kt_ipc(u, IPC_NR_PRIMITIVES, PM_PROC_NR, m, 0), EBADCALL);
    CHECK_EQ(kt_ipc(u, IPC_SEND, PM_PROC_NR, m, 0), ETRAPDENIED);
    CHECK_EQ(kt_ipc(u, IPC_RECEIVE, ANY, m, 0), ETRAPDENIED);
    CHECK_EQ(kt_ipc(u, IPC_NOTIFY, PM_PROC_NR, 0, 0), ETRAPDENIED);
    CHECK_EQ(kt_ipc(u, IPC_SENDREC, IPC_PROC_NR, m, 0), ECALLDENIED);
    CHECK_EQ(kt_ipc(u, IPC_SENDREC, SYSTEM, m, 0), ECALLDENIED);
    CHECK_EQ(kt_ipc(u, IPC_SENDREC, PM_PROC_NR, 0, 0), EFAULT);
    CHECK_EQ(kt_ipc(u, IPC_SENDREC, PM_PROC_NR, 0x1000, 0), EFAULT);
    CHECK_EQ(kt_ipc(u, IPC_SENDREC, ENDPOINT(3, PM_PROC_NR), m, 0), EDEADSRCDST);
    CHECK(proc_is_runnable(u));
    CHECK_EQ(kt_ipc(u, IPC_SENDREC, PM_PROC_NR, m, 0), KT_BLOCKED);
    /* A process without a privilege may do nothing. */
    CHECK_EQ(kt_ipc(proc_addr(RS_PROC_NR), IPC_RECEIVE, ANY, 0, 0), EFAULT);
    /* Kernel calls: a user has none; unknown numbers are EBADCALL. */
    u = kt_user("w");
    u->p_arch.result_set = 0;
    kernel_call_trap(u, km);
    CHECK_EQ(kt_result(u), ECALLDENIED);
    CHECK_EQ(kt_m(km)->m_type, ECALLDENIED);
    CHECK_EQ(kt_m(km)->m_source, u->p_endpoint);
    kt_m(km)->m_type = KERNEL_CALL + NR_SYS_CALLS;
    kernel_call_trap(proc_addr(RS_PROC_NR), km);
    CHECK_EQ(kt_result(proc_addr(RS_PROC_NR)), EBADCALL);
    kernel_call_trap(u, 0);
    CHECK_EQ(kt_result(u), EFAULT);
    /* A system process with PRIV_CHECK_CALL and an empty mask. */
    A = kt_sys(DS_PROC_NR);
    A->p_priv->s_spec.flags |= PRIV_CHECK_CALL;
    kt_m(km)->m_type = SYS_TIMES;
    kernel_call_trap(A, km);
    CHECK_EQ(kt_result(A), ECALLDENIED);
    BIT_SET(A->p_priv->s_spec.k_call_mask, KCALL_INDEX(SYS_TIMES));
    CHECK(priv_may_call(A, SYS_TIMES));
    CHECK(!priv_may_call(A, SYS_FORK));
}

KTEST(receive_bad_buffer)
{
    vir_bytes m = kt_msg(1, 0);

    peers();
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, 0, 0), EFAULT);
    CHECK(proc_is_runnable(B));
    CHECK_EQ(kt_ipc(A, IPC_SEND, B->p_endpoint, 0, 0), EFAULT);
    CHECK(proc_is_runnable(A));
    /* The message stays queued when the receive buffer is bad. */
    CHECK_EQ(kt_ipc(A, IPC_SEND, B->p_endpoint, m, 0), KT_BLOCKED);
    CHECK_EQ(kt_ipc(B, IPC_RECEIVE, ANY, 4, 0), EFAULT);
    CHECK_EQ(kt_result(A), KT_BLOCKED);
}

/* --------------------------------- signals --------------------------------- */

/* Argument block for panicking calls. */
struct sigcall { struct proc *p; int sig; };
static void call_cause_sig(void *arg)
{
    struct sigcall *c = arg;
    cause_sig(c->p, c->sig);
}

KTEST(signals_reach_manager)
{
    vir_bytes rm = kt_msg(0, 0);
    struct proc *pm = kt_sys(PM_PROC_NR), *rs = proc_addr(RS_PROC_NR), *u = kt_user("u"), *got;
    sigset_t_ sigs;

    peers();
    cause_sig(u, SIGTERM);
    cause_sig(u, SIGUSR1);
    CHECK_EQ(u->p_rts_flags, RTS_SIGNALED | RTS_SIG_PENDING);
    CHECK_EQ(u->p_pending, SIGMASK(SIGTERM) | SIGMASK(SIGUSR1));
    /* PM (user manager) notified once from SYSTEM; RS not. */
    CHECK(BIT_ISSET(pm->p_notify_pending, SLOT_INDEX(-2)));
    CHECK(!BIT_ISSET(rs->p_notify_pending, SLOT_INDEX(-2)));
    CHECK_EQ(kt_ipc(pm, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_source, SYSTEM);
    CHECK_EQ(kt_m(rm)->m_type, NOTIFY_MESSAGE);
    CHECK(sig_next_pending(RS_PROC_NR, &sigs) == NULL);
    got = sig_next_pending(PM_PROC_NR, &sigs);
    CHECK(got == u);
    CHECK_EQ(sigs, SIGMASK(SIGTERM) | SIGMASK(SIGUSR1));
    CHECK_EQ(u->p_rts_flags, RTS_SIG_PENDING);
    CHECK(sig_next_pending(PM_PROC_NR, &sigs) == NULL);
    CHECK_EQ(sigs, 0);
    sig_endksig(u);
    CHECK(proc_is_runnable(u));

    /* A system process's signals go to RS. */
    cause_sig(A, SIGKILL);
    CHECK(BIT_ISSET(rs->p_notify_pending, SLOT_INDEX(-2)));
    CHECK(sig_next_pending(PM_PROC_NR, &sigs) == NULL);
    CHECK(sig_next_pending(RS_PROC_NR, &sigs) == A);
    CHECK_EQ(sigs, SIGMASK(SIGKILL));
    /* A new signal between getksig and endksig keeps it stopped. */
    cause_sig(A, SIGTERM);
    sig_endksig(A);
    CHECK(!proc_is_runnable(A));
    CHECK(sig_next_pending(RS_PROC_NR, &sigs) == A);
    sig_endksig(A);
    CHECK(proc_is_runnable(A));
}

KTEST(signal_panics)
{
    struct sigcall c;
    struct proc *u = kt_user("u");

    c.p = proc_addr(RS_PROC_NR);
    c.sig = SIGSEGV;
    CHECK(kt_panics(call_cause_sig, &c));
    CHECK(strstr(host_console(), "crucible: panic: signal 11 for rs (ep 2), its own signal manager") != NULL);
    /* User process whose manager (PM) is dead. */
    proc_clear(proc_addr(PM_PROC_NR));
    c.p = u;
    CHECK(kt_panics(call_cause_sig, &c));
    CHECK(strstr(host_console(), "signal manager 0 is dead") != NULL);
}

KTEST(exceptions)
{
    struct proc *u = kt_user("crasher");
    sigset_t_ sigs;

    kt_sys(PM_PROC_NR);
    kernel_exception(u, 14, 4, 0xdead, 0x40001234);
    CHECK(strstr(host_console(), "kernel: exception 14 in crasher (ep ") != NULL);
    CHECK(strstr(host_console(), "pc 40001234 addr dead -> signal 11\n") != NULL);
    CHECK(sig_next_pending(PM_PROC_NR, &sigs) == u);
    CHECK_EQ(sigs, SIGMASK(SIGSEGV));
    CHECK_EQ(exception_to_sig(0), SIGFPE);
    CHECK_EQ(exception_to_sig(6), SIGILL);
    CHECK_EQ(exception_to_sig(13), SIGSEGV);
    CHECK_EQ(exception_to_sig(3), SIGTRAP);
    CHECK_EQ(exception_to_sig(17), SIGBUS);
}

/* ---------------------------------- clock ---------------------------------- */

KTEST(clock_quantum_and_alarm)
{
    struct proc *p1 = kt_sys(DS_PROC_NR), *p2 = kt_sys(VM_PROC_NR), *rs = proc_addr(RS_PROC_NR);
    vir_bytes rm = kt_msg(0, 0);
    int i;

    /* RS (not preemptible) out of the way: blocked receiving. */
    CHECK_EQ(kt_ipc(rs, IPC_RECEIVE, ANY, rm, 0), KT_BLOCKED);
    p1->p_priority = p2->p_priority = SERVER_Q;
    p1->p_quantum = p2->p_quantum = 3;
    p1->p_ticks_left = p2->p_ticks_left = 3;
    CHECK(kernel_pick_proc() == p1);
    for (i = 0; i < 2; i++)
        kernel_clock_tick();
    CHECK(kernel_pick_proc() == p1);        /* quantum not used up */
    kernel_clock_tick();
    CHECK(kernel_pick_proc() == p2);        /* p1 to the back */
    CHECK_EQ(p1->p_user_time, 3);
    /* A non-preemptible process keeps the CPU. */
    p2->p_priv->s_spec.flags &= ~PRIV_PREEMPTIBLE;
    for (i = 0; i < 10; i++)
        kernel_clock_tick();
    CHECK(kernel_pick_proc() == p2);

    /* Alarm: a CLOCK notification at the tick, not before. */
    p1->p_alarm = kernel_ticks + 5;
    for (i = 0; i < 4; i++)
        kernel_clock_tick();
    CHECK(!BIT_ISSET(p1->p_notify_pending, SLOT_INDEX(-3)));
    kernel_clock_tick();
    CHECK(BIT_ISSET(p1->p_notify_pending, SLOT_INDEX(-3)));
    CHECK_EQ(p1->p_alarm, 0);
    CHECK_EQ(kt_ipc(p1, IPC_RECEIVE, ANY, rm, 0), OK);
    CHECK_EQ(kt_m(rm)->m_source, CLOCK);
    CHECK_EQ(kt_m(rm)->m_notify.timestamp, kernel_ticks);
    CHECK_EQ(get_realtime_ticks(), kernel_ticks);
}

/* --------------------------------- kprintf --------------------------------- */

KTEST(kprintf_formats)
{
    char b[128];

    ksnprintf(b, sizeof(b), "%d|%5d|%-4d|%05d|%u|%x|%X|%08x", -12, 34, 5, -42, 4000000000u,
              0xbeefu, 0xbeefu, 0x1fu);
    CHECK_EQ(strcmp(b, "-12|   34|5   |-0042|4000000000|beef|BEEF|0000001f"), 0);
    ksnprintf(b, sizeof(b), "%s|%6s|%c|%%|%ld|%p", "ab", "cd", 'z', -7L, (void *)0x10);
    CHECK_EQ(strcmp(b, "ab|    cd|z|%|-7|0x10"), 0);
    CHECK_EQ(ksnprintf(b, 4, "%s", "abcdef"), 6);
    CHECK_EQ(strcmp(b, "abc"), 0);
    kprintf("hello %d\n", 5);
    CHECK(strstr(host_console(), "hello 5\n") != NULL);
}

static const struct ktest_case cases[] = {
    KTEST_ENTRY(boot_processes),
    KTEST_ENTRY(boot_failures),
    KTEST_ENTRY(send_then_receive),
    KTEST_ENTRY(receive_then_send),
    KTEST_ENTRY(receive_one_vs_any),
    KTEST_ENTRY(sendrec),
    KTEST_ENTRY(sendrec_blocked_send_phase),
    KTEST_ENTRY(notify_coalesce_and_order),
    KTEST_ENTRY(notify_immediate_and_specific),
    KTEST_ENTRY(sendnb),
    KTEST_ENTRY(senda_now_and_later),
    KTEST_ENTRY(senda_receive_order_and_specific),
    KTEST_ENTRY(senda_bad_tables),
    KTEST_ENTRY(deadlock_two_and_three),
    KTEST_ENTRY(deadlock_sendrec_pair),
    KTEST_ENTRY(stale_endpoint),
    KTEST_ENTRY(clear_unblocks_peers),
    KTEST_ENTRY(clear_reply_refs),
    KTEST_ENTRY(denials),
    KTEST_ENTRY(receive_bad_buffer),
    KTEST_ENTRY(signals_reach_manager),
    KTEST_ENTRY(signal_panics),
    KTEST_ENTRY(exceptions),
    KTEST_ENTRY(clock_quantum_and_alarm),
    KTEST_ENTRY(kprintf_formats),
};

int main(int argc, char **argv)
{
    return ktest_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
