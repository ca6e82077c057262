/*
 * test_ipc: the in-guest test of the IPC primitives and of the errors the
 * kernel gives for bad IPC and bad kernel calls.
 *
 * Runs as a system process (RS program table: label test_ipc, privilege
 * class "test": every primitive, every target, basic calls + VIRCOPY).
 * It starts its peer with RS_UP (label ipc_peer: this same module with the
 * argument "peer"), runs the cases below against it, stops it with RS_DOWN
 * and checks that its old endpoint is then stale. Output (docs/os.md):
 *
 *     crucible-test: test_ipc <case> PASS
 *     crucible-test: test_ipc <case> FAIL <what went wrong>
 *     crucible-test: test_ipc done pass=<n> fail=<m>
 *
 * and sys_exit(fail ? 1 : 0).
 *
 * Peer protocol (only between the two instances of this module). Requests
 * carry m_i32.i[0] as an argument:
 *   T_ECHO        reply OK with i[0] + 1
 *   T_SEND_BACK   no reply; the peer SENDs T_BACK{i[0] * 2} to the requester
 *   T_NOTIFY_ME   no reply; the peer notifies the requester i[0] times
 *   T_SEND_MARK   reply OK, then SEND T_MARK to the requester
 *   T_CALL_ME_BACK reply OK, then SENDREC T_CALLBACK to the requester
 *   T_PUT         no reply; i[0] is recorded (also what SENDA entries carry)
 *   T_GET_RECORD  reply OK: i[0] = number recorded since the last
 *                 T_GET_RECORD, i[1..] the first values; the record is reset
 *   anything else reply EBADREQUEST
 * Where ordering matters the test waits with sleep_ticks(), which receives
 * only from CLOCK, so anything the peer sends meanwhile stays queued.
 */
#include <crucible/sef.h>

#define PROG "test_ipc"
#define PEER_LABEL "ipc_peer"

#define T_BASE          0x7100
#define T_ECHO          (T_BASE + 0)
#define T_SEND_BACK     (T_BASE + 1)
#define T_BACK          (T_BASE + 2)
#define T_NOTIFY_ME     (T_BASE + 3)
#define T_SEND_MARK     (T_BASE + 4)
#define T_MARK          (T_BASE + 5)
#define T_CALL_ME_BACK  (T_BASE + 6)
#define T_CALLBACK      (T_BASE + 7)
#define T_PUT           (T_BASE + 8)
#define T_GET_RECORD    (T_BASE + 9)
#define T_UNKNOWN       (T_BASE + 0x55)

#define RECORD_MAX      12
#define SETTLE_TICKS    200     /* longest wait for something asynchronous */

/* An endpoint no process can have: its slot is past the table. */
#define BAD_EP          ENDPOINT(0, NR_PROCS + 2)

static int npass, nfail;
static endpoint_t peer_ep = NONE;
static char why[160];

/* ================================ peer ================================ */

/* Replies go to a requester in SENDREC: never block on them. */
static void peer_reply(endpoint_t to, int result, message *m)
{
    m->m_type = result;
    (void)ipc_sendnb(to, m);
}

static void peer(void)
{
    int32_t record[RECORD_MAX];
    int nrecord = 0;
    message m;

    for (;;) {
        if (sef_receive(&m) != OK)
            continue;
        endpoint_t src = m.m_source;
        int32_t arg = m.m_i32.i[0];
        switch (m.m_type) {
        case T_ECHO:
            m.m_i32.i[0] = arg + 1;
            peer_reply(src, OK, &m);
            break;
        case T_SEND_BACK:
            memset(&m, 0, sizeof(m));
            m.m_type = T_BACK;
            m.m_i32.i[0] = arg * 2;
            (void)ipc_send(src, &m);
            break;
        case T_NOTIFY_ME:
            for (int i = 0; i < arg && i < 100; i++)
                (void)ipc_notify(src);
            break;
        case T_SEND_MARK:
            peer_reply(src, OK, &m);
            memset(&m, 0, sizeof(m));
            m.m_type = T_MARK;
            (void)ipc_send(src, &m);
            break;
        case T_CALL_ME_BACK:
            peer_reply(src, OK, &m);
            memset(&m, 0, sizeof(m));
            m.m_type = T_CALLBACK;
            (void)ipc_sendrec(src, &m);
            break;
        case T_PUT:
            if (nrecord < RECORD_MAX)
                record[nrecord] = arg;
            nrecord++;
            break;
        case T_GET_RECORD:
            memset(&m, 0, sizeof(m));
            m.m_i32.i[0] = nrecord;
            for (int i = 0; i < nrecord && i < RECORD_MAX && i < 13; i++)
                m.m_i32.i[1 + i] = record[i];
            nrecord = 0;
            peer_reply(src, OK, &m);
            break;
        default:
            if (!IS_NOTIFY(&m))
                peer_reply(src, EBADREQUEST, &m);
            break;
        }
    }
}

/* ============================== helpers ============================== */

static void report(const char *name, const char *fail)
{
    if (fail == NULL) {
        npass++;
        printf("crucible-test: %s %s PASS\n", PROG, name);
    } else {
        nfail++;
        printf("crucible-test: %s %s FAIL %s\n", PROG, name, fail);
    }
}

#define FAILF(...) (snprintf(why, sizeof(why), __VA_ARGS__), why)
/* Check r == want, else fail the case with what was done. */
#define EXPECT(what, r, want) do { int r_ = (r); if (r_ != (want)) \
    return FAILF("%s returned %d, expected %d", what, r_, (int)(want)); } while (0)

/* Wait n ticks. Receives only from CLOCK (a stale CLOCK notification just
 * makes us wait again), so messages from anyone else stay queued. */
static void sleep_ticks(clock_t_ n)
{
    clock_t_ end = getticks() + n;
    message m;

    while ((int32_t)(getticks() - end) < 0) {
        if (sys_setalarm(end, 1) != OK)
            return;
        (void)ipc_receive(CLOCK, &m);
    }
}

/* Receive from 'src' with a timeout: the receive is from ANY, so only use
 * it when nobody else should be sending. ETIMEDOUT on timeout. */
static int receive_timeout(endpoint_t src, message *m, clock_t_ ticks)
{
    clock_t_ end = getticks() + ticks;
    int r;

    if ((r = sys_setalarm(end, 1)) != OK)
        return r;
    for (;;) {
        if ((r = ipc_receive(ANY, m)) != OK)
            break;
        if (m->m_source == src)
            break;
        if (m->m_source == CLOCK && IS_NOTIFY(m) &&
            (int32_t)(getticks() - end) >= 0) {
            r = ETIMEDOUT;
            break;
        }
    }
    (void)sys_setalarm(0, 0);
    return r;
}

static int peer_call(int type, int32_t arg, message *m)
{
    memset(m, 0, sizeof(*m));
    m->m_type = type;
    m->m_i32.i[0] = arg;
    int r = ipc_sendrec(peer_ep, m);
    return r != OK ? r : m->m_type;
}


/* Wait until every VALID entry of tab[0..n) is DONE. */
static int senda_settle(volatile asynmsg_t *tab, int n)
{
    for (clock_t_ waited = 0; waited < SETTLE_TICKS; waited++) {
        int done = 1;
        for (int i = 0; i < n; i++)
            if ((tab[i].flags & AMF_VALID) && !(tab[i].flags & AMF_DONE))
                done = 0;
        if (done)
            return OK;
        sleep_ticks(1);
    }
    return ETIMEDOUT;
}

static void put_entry(asynmsg_t *e, endpoint_t dst, uint32_t flags, int32_t value)
{
    memset(e, 0, sizeof(*e));
    e->flags = flags;
    e->dst = dst;
    e->msg.m_type = T_PUT;
    e->msg.m_i32.i[0] = value;
}

/* The peer's record must be exactly vals[0..n). */
static const char *check_record(const int32_t *vals, int n)
{
    message m;
    int r = peer_call(T_GET_RECORD, 0, &m);
    if (r != OK)
        return FAILF("T_GET_RECORD returned %d", r);
    if (m.m_i32.i[0] != n)
        return FAILF("peer recorded %d messages, expected %d", (int)m.m_i32.i[0], n);
    for (int i = 0; i < n; i++)
        if (m.m_i32.i[1 + i] != vals[i])
            return FAILF("peer record[%d] = %d, expected %d", i,
                         (int)m.m_i32.i[1 + i], (int)vals[i]);
    return NULL;
}

/* =============================== cases =============================== */

static const char *case_peer_up(void)
{
    int restarts;
    int r = rs_program_up(PEER_LABEL, NULL);
    if (r != OK)
        return FAILF("RS_UP %s returned %d", PEER_LABEL, r);
    r = rs_lookup(PEER_LABEL, &peer_ep, &restarts);
    if (r != OK)
        return FAILF("rs_lookup %s returned %d", PEER_LABEL, r);
    if (peer_ep == sef_self_endpoint)
        return FAILF("peer endpoint %d is our own", (int)peer_ep);
    return NULL;
}

static const char *case_sendrec(void)
{
    message m;
    EXPECT("sendrec T_ECHO", peer_call(T_ECHO, 41, &m), OK);
    if (m.m_i32.i[0] != 42)
        return FAILF("echo answered %d, expected 42", (int)m.m_i32.i[0]);
    if (m.m_source != peer_ep)
        return FAILF("reply m_source %d, expected peer %d", (int)m.m_source, (int)peer_ep);
    EXPECT("sendrec unknown request", peer_call(T_UNKNOWN, 0, &m), EBADREQUEST);
    return NULL;
}

static const char *case_send_receive(void)
{
    message m;

    /* RECEIVE from the peer by endpoint. */
    memset(&m, 0, sizeof(m));
    m.m_type = T_SEND_BACK;
    m.m_i32.i[0] = 21;
    EXPECT("send T_SEND_BACK", ipc_send(peer_ep, &m), OK);
    memset(&m, 0, sizeof(m));
    EXPECT("receive(peer)", ipc_receive(peer_ep, &m), OK);
    if (m.m_type != T_BACK || m.m_source != peer_ep || m.m_i32.i[0] != 42)
        return FAILF("got type %#x from %d value %d", (unsigned)m.m_type,
                     (int)m.m_source, (int)m.m_i32.i[0]);

    /* RECEIVE from ANY. */
    memset(&m, 0, sizeof(m));
    m.m_type = T_SEND_BACK;
    m.m_i32.i[0] = 5;
    EXPECT("send T_SEND_BACK", ipc_send(peer_ep, &m), OK);
    EXPECT("receive(ANY)", receive_timeout(peer_ep, &m, SETTLE_TICKS), OK);
    if (m.m_type != T_BACK || m.m_i32.i[0] != 10)
        return FAILF("ANY: got type %#x value %d", (unsigned)m.m_type, (int)m.m_i32.i[0]);
    return NULL;
}

static const char *case_notify_coalesce(void)
{
    message m;

    /* The peer notifies us 5 times while we are not receiving from it. */
    memset(&m, 0, sizeof(m));
    m.m_type = T_NOTIFY_ME;
    m.m_i32.i[0] = 5;
    EXPECT("send T_NOTIFY_ME", ipc_send(peer_ep, &m), OK);
    sleep_ticks(5);
    EXPECT("receive(peer) notify", ipc_receive(peer_ep, &m), OK);
    if (!IS_NOTIFY(&m) || m.m_source != peer_ep)
        return FAILF("expected a notification from the peer, got type %#x from %d",
                     (unsigned)m.m_type, (int)m.m_source);
    /* Had the 5 not coalesced into one, the next message from the peer
     * would be another notification (they come before queued messages). */
    EXPECT("sendrec T_SEND_MARK", peer_call(T_SEND_MARK, 0, &m), OK);
    EXPECT("receive(peer) mark", ipc_receive(peer_ep, &m), OK);
    if (m.m_type != T_MARK)
        return FAILF("notifications did not coalesce: got type %#x after the first",
                     (unsigned)m.m_type);
    return NULL;
}

/* Leave the peer blocked in SENDREC to us (T_CALL_ME_BACK + a sleep). */
static const char *peer_blocked_on_us(void)
{
    message m;
    EXPECT("sendrec T_CALL_ME_BACK", peer_call(T_CALL_ME_BACK, 0, &m), OK);
    sleep_ticks(5);
    return NULL;
}

/* Take the peer's T_CALLBACK and answer it, so it goes back to receiving. */
static const char *release_peer(void)
{
    message m;
    EXPECT("receive(peer) callback", ipc_receive(peer_ep, &m), OK);
    if (m.m_type != T_CALLBACK)
        return FAILF("expected T_CALLBACK, got %#x", (unsigned)m.m_type);
    m.m_type = OK;
    EXPECT("send callback reply", ipc_send(peer_ep, &m), OK);
    sleep_ticks(2);
    return NULL;
}

static const char *case_sendnb_and_deadlock(const char **dl_send, const char **dl_sendrec)
{
    static char dl1[160], dl2[160];
    const char *f;
    message m;

    *dl_send = *dl_sendrec = "not run";
    if ((f = peer_blocked_on_us()) != NULL)
        return f;

    memset(&m, 0, sizeof(m));
    m.m_type = T_PUT;
    int r_nb = ipc_sendnb(peer_ep, &m);
    m.m_type = T_PUT;
    int r_send = ipc_send(peer_ep, &m);
    m.m_type = T_ECHO;
    int r_sendrec = ipc_sendrec(peer_ep, &m);

    *dl_send = NULL;
    if (r_send != ELOCKED) {
        snprintf(dl1, sizeof(dl1), "send to a peer sending to us returned %d, expected %d",
                 r_send, ELOCKED);
        *dl_send = dl1;
    }
    *dl_sendrec = NULL;
    if (r_sendrec != ELOCKED) {
        snprintf(dl2, sizeof(dl2), "sendrec to a peer sending to us returned %d, expected %d",
                 r_sendrec, ELOCKED);
        *dl_sendrec = dl2;
    }
    if ((f = release_peer()) != NULL)
        return f;
    if (r_nb != ENOTREADY)
        return FAILF("sendnb to a peer not receiving returned %d, expected %d",
                     r_nb, ENOTREADY);
    return NULL;
}

static const char *case_sendnb_ok(void)
{
    static const int32_t want[] = { 77 };
    message m;

    check_record(NULL, 0);      /* reset the record */
    sleep_ticks(2);             /* the peer is back in RECEIVE */
    memset(&m, 0, sizeof(m));
    m.m_type = T_PUT;
    m.m_i32.i[0] = 77;
    EXPECT("sendnb to a receiving peer", ipc_sendnb(peer_ep, &m), OK);
    return check_record(want, 1);
}

static asynmsg_t atab[8];

static const char *case_senda_now(void)
{
    static const int32_t want[] = { 1001, 1002, 1003 };
    const char *f;

    (void)check_record(NULL, 0);
    sleep_ticks(2);
    for (int i = 0; i < 3; i++)
        put_entry(&atab[i], peer_ep, AMF_VALID | AMF_NOREPLY, want[i]);
    EXPECT("senda 3 entries", ipc_senda(atab, 3), OK);
    EXPECT("senda settle", senda_settle(atab, 3), OK);
    for (int i = 0; i < 3; i++)
        if (atab[i].result != OK)
            return FAILF("entry %d result %d, expected OK", i, (int)atab[i].result);
    if ((f = check_record(want, 3)) != NULL)
        return f;
    return NULL;
}

static const char *case_senda_later(void)
{
    static const int32_t want[] = { 2001 };
    const char *f;

    if ((f = peer_blocked_on_us()) != NULL)
        return f;
    put_entry(&atab[0], peer_ep, AMF_VALID, 2001);
    int r = ipc_senda(atab, 1);
    uint32_t flags_now = ((volatile asynmsg_t *)atab)[0].flags;
    if ((f = release_peer()) != NULL)
        return f;
    EXPECT("senda to a busy peer", r, OK);
    if (flags_now & AMF_DONE)
        return FAILF("entry done at once although the peer was not receiving");
    EXPECT("senda settle", senda_settle(atab, 1), OK);
    if (atab[0].result != OK)
        return FAILF("entry result %d after the peer received", (int)atab[0].result);
    return check_record(want, 1);
}

static const char *case_senda_results(void)
{
    static const int32_t want[] = { 3001, 3003 };
    const char *f;

    put_entry(&atab[0], peer_ep, AMF_VALID, 3001);
    put_entry(&atab[1], BAD_EP, AMF_VALID, 3002);
    put_entry(&atab[2], peer_ep, 0, 3009);            /* not valid: skipped */
    put_entry(&atab[3], peer_ep, AMF_VALID, 3003);
    EXPECT("senda mixed table", ipc_senda(atab, 4), OK);
    EXPECT("senda settle", senda_settle(atab, 4), OK);
    if (atab[0].result != OK || atab[3].result != OK)
        return FAILF("good entries: results %d, %d", (int)atab[0].result, (int)atab[3].result);
    if (atab[1].result != EDEADSRCDST)
        return FAILF("entry to a bad endpoint: result %d, expected %d",
                     (int)atab[1].result, EDEADSRCDST);
    if (atab[2].flags & AMF_DONE)
        return FAILF("an entry without AMF_VALID was marked done");
    if ((f = check_record(want, 2)) != NULL)
        return f;
    return NULL;
}

static const char *case_senda_notify(void)
{
    message m;

    put_entry(&atab[0], peer_ep, AMF_VALID | AMF_NOTIFY, 4001);
    EXPECT("senda AMF_NOTIFY", ipc_senda(atab, 1), OK);
    EXPECT("notification from SYSTEM", receive_timeout(SYSTEM, &m, SETTLE_TICKS), OK);
    if (!IS_NOTIFY(&m))
        return FAILF("message from SYSTEM has type %#x, not a notification",
                     (unsigned)m.m_type);
    if (!(atab[0].flags & AMF_DONE) || atab[0].result != OK)
        return FAILF("entry flags %#x result %d after the notification",
                     (unsigned)atab[0].flags, (int)atab[0].result);
    static const int32_t want[] = { 4001 };
    return check_record(want, 1);
}

/* A bad table either fails the call with 'want' or marks the bad entry
 * done with result 'want'; both are accepted, nothing else is. */
static const char *senda_bad_entry(const char *what, int want)
{
    int r = ipc_senda(atab, 1);
    if (r == want)
        return NULL;
    if (r != OK)
        return FAILF("%s: senda returned %d, expected %d", what, r, want);
    if (senda_settle(atab, 1) != OK)
        return FAILF("%s: entry never done", what);
    if (atab[0].result != want)
        return FAILF("%s: entry result %d, expected %d", what, (int)atab[0].result, want);
    return NULL;
}

static const char *case_senda_bad_ptr(void)
{
    EXPECT("senda with table at 0x10", ipc_senda((asynmsg_t *)0x10, 1), EFAULT);
    return NULL;
}

static const char *case_senda_bad_flags(void)
{
    put_entry(&atab[0], peer_ep, AMF_VALID | 0x80, 5001);
    return senda_bad_entry("unknown flag", EINVAL);
}

static const char *case_senda_too_many(void)
{
    EXPECT("senda with too many entries", ipc_senda(atab, SENDA_MAX_ENTRIES + 1), EINVAL);
    return NULL;
}

static const char *case_senda_bad_dst(void)
{
    put_entry(&atab[0], BAD_EP, AMF_VALID, 6001);
    const char *f = senda_bad_entry("bad destination", EDEADSRCDST);
    (void)check_record(NULL, 0);
    (void)ipc_senda(atab, 0);   /* forget our table */
    return f;
}

static const char *case_bad_endpoint(void)
{
    message m;

    memset(&m, 0, sizeof(m));
    EXPECT("send to a bad endpoint", ipc_send(BAD_EP, &m), EDEADSRCDST);
    EXPECT("sendnb to a bad endpoint", ipc_sendnb(BAD_EP, &m), EDEADSRCDST);
    EXPECT("sendrec to a bad endpoint", ipc_sendrec(BAD_EP, &m), EDEADSRCDST);
    EXPECT("notify to a bad endpoint", ipc_notify(BAD_EP), EDEADSRCDST);
    EXPECT("receive from a bad endpoint", ipc_receive(BAD_EP, &m), EDEADSRCDST);
    return NULL;
}

static const char *case_bad_msg_ptr(void)
{
    EXPECT("send with message at 0x10", ipc_send(peer_ep, (message *)0x10), EFAULT);
    EXPECT("sendrec with message at 0x10", ipc_sendrec(peer_ep, (message *)0x10), EFAULT);
    /* The peer still works. */
    message m;
    EXPECT("sendrec T_ECHO after", peer_call(T_ECHO, 1, &m), OK);
    return NULL;
}

static const char *case_kcall_errors(void)
{
    static char buf[16];
    struct kinfo ki;
    message m;

    EXPECT("vircopy from 0x10", sys_vircopy(SELF, 0x10, SELF, (vir_bytes)buf, 4), EFAULT);
    EXPECT("vircopy to 0x10", sys_vircopy(SELF, (vir_bytes)buf, SELF, 0x10, 4), EFAULT);
    EXPECT("vircopy from a bad endpoint",
           sys_vircopy(BAD_EP, (vir_bytes)buf, SELF, (vir_bytes)buf, 4), EDEADSRCDST);
    EXPECT("vircopy with NONE", sys_vircopy(NONE, 0, SELF, (vir_bytes)buf, 4), EDEADSRCDST);
    EXPECT("vircopy to self", sys_vircopy(SELF, (vir_bytes)"abc", SELF, (vir_bytes)buf, 4), OK);
    if (strcmp(buf, "abc") != 0)
        return FAILF("vircopy copied the wrong bytes");
    memset(&m, 0, sizeof(m));
    EXPECT("unknown kernel call", kernel_call(KERNEL_CALL + 99, &m), EBADCALL);
    memset(&m, 0, sizeof(m));
    EXPECT("kernel call type 0", kernel_call(0, &m), EBADCALL);
    EXPECT("getinfo size mismatch",
           sys_getinfo(GET_KINFO, &ki, sizeof(ki) - 1, NONE, 0), EINVAL);
    EXPECT("getinfo bad buffer",
           sys_getinfo(GET_KINFO, (void *)0x10, sizeof(ki), NONE, 0), EFAULT);
    EXPECT("getinfo", sys_getinfo(GET_KINFO, &ki, sizeof(ki), NONE, 0), OK);
    EXPECT("not permitted call (SYS_FORK)", kernel_call(SYS_FORK, &m), ECALLDENIED);
    return NULL;
}

static const char *case_stale_endpoint(void)
{
    endpoint_t old = peer_ep;
    struct proc_info pi;
    message m;
    int r;

    if ((r = rs_program_down(PEER_LABEL)) != OK)
        return FAILF("RS_DOWN %s returned %d", PEER_LABEL, r);
    peer_ep = NONE;
    /* RS may finish removing it after answering. */
    for (int i = 0; i < SETTLE_TICKS; i++) {
        if (sys_getproc(old, &pi) == EDEADSRCDST)
            break;
        sleep_ticks(1);
    }
    memset(&m, 0, sizeof(m));
    EXPECT("send to the old endpoint", ipc_send(old, &m), EDEADSRCDST);
    EXPECT("sendnb to the old endpoint", ipc_sendnb(old, &m), EDEADSRCDST);
    EXPECT("sendrec to the old endpoint", ipc_sendrec(old, &m), EDEADSRCDST);
    EXPECT("notify to the old endpoint", ipc_notify(old), EDEADSRCDST);
    EXPECT("receive from the old endpoint", ipc_receive(old, &m), EDEADSRCDST);
    put_entry(&atab[0], old, AMF_VALID, 7001);
    const char *f = senda_bad_entry("senda to the old endpoint", EDEADSRCDST);
    (void)ipc_senda(atab, 0);
    return f;
}

/* ================================ main ================================ */

static int test_main(void)
{
    const char *f, *dl_send, *dl_sendrec;

    if ((f = case_peer_up()) != NULL) {
        report("peer_up", f);
        goto done;
    }
    report("peer_up", NULL);
    report("sendrec", case_sendrec());
    report("send_receive", case_send_receive());
    report("notify_coalesce", case_notify_coalesce());
    f = case_sendnb_and_deadlock(&dl_send, &dl_sendrec);
    report("sendnb_notready", f);
    report("deadlock_send", dl_send);
    report("deadlock_sendrec", dl_sendrec);
    report("sendnb_ok", case_sendnb_ok());
    report("senda_now", case_senda_now());
    report("senda_later", case_senda_later());
    report("senda_results", case_senda_results());
    report("senda_notify", case_senda_notify());
    report("senda_bad_ptr", case_senda_bad_ptr());
    report("senda_bad_flags", case_senda_bad_flags());
    report("senda_too_many", case_senda_too_many());
    report("senda_bad_dst", case_senda_bad_dst());
    report("bad_endpoint", case_bad_endpoint());
    report("bad_msg_ptr", case_bad_msg_ptr());
    report("kcall_errors", case_kcall_errors());
    report("stale_endpoint", case_stale_endpoint());
done:
    if (peer_ep != NONE)
        (void)rs_program_down(PEER_LABEL);
    printf("crucible-test: %s done pass=%d fail=%d\n", PROG, npass, nfail);
    return nfail ? 1 : 0;
}

int main(int argc, char **argv)
{
    sef_startup();
    for (int i = 0; i < argc; i++)
        if (argv[i] != NULL && strcmp(argv[i], "peer") == 0)
            peer();
    sys_exit(test_main());
    return 0;
}
