/*
 * test_rs: the in-guest system test of RS's crash recovery and live update,
 * using the hello driver. A system program in RS's program table: init
 * starts it with RS_UP{RSU_WAIT} and gets its exit status (0: all passed).
 *
 * Cases, in order (each line as docs/os.md, Tests inside the guest):
 *   hello_get          two HELLO_GETs: the counter goes up by one
 *   lookup             RS_LOOKUP hello: endpoint E, running
 *   crash_sendrec      HELLO_CRASH by SENDREC: any error but OK (ERESTART
 *                      once the new instance clears the old one's callers)
 *   recovered          RS reports one more restart and RUNNING (polled)
 *   endpoint_kept      still endpoint E
 *   counter_preserved  HELLO_GET carries on from the counter (kept in DS)
 *   rs_crash           RS_CRASH hello: one more restart, endpoint E, counter on
 *   live_update        RS_UPDATE hello (work free): OK, same endpoint, no
 *                      restart counted, counter on
 *   update_bad_state   RS_UPDATE with the NULL state: EINVAL
 *   unknown_label      RS_LOOKUP of an unknown label: ENOENT
 *   bad_label          empty and unterminated labels: EINVAL
 *   bad_request        an unknown RS request type: EBADREQUEST
 *   down_core          RS_DOWN hello (a core service): EINVAL
 *   ds_state_kept      RS_CRASH ds: DS restarts under its endpoint and
 *                      still holds a key published before (and hello's
 *                      label): its store was transferred
 *   pm_state_kept      RS_CRASH pm: PM restarts under its endpoint; our
 *                      pid and every process's pid and parent in PM's table
 *                      (init and its children included) are unchanged
 * Restart counts are checked relative to the count at the start, so the
 * test also passes when something restarted hello before it ran.
 */
#include <crucible/sef.h>
#include <sysinfo.h>
#include "pm_info.h"

#define PROG            "test_rs"
#define POLL_TICKS      10      /* between two RS_LOOKUPs while waiting */
#define POLL_MAX        300     /* at most 3 s of waiting for a recovery */
#define LU_TIMEOUT      (2 * HZ)

static int npass, nfail;
static char why[160];
static endpoint_t hello_ep = NONE;
static int restarts0;           /* hello's restarts when we started */
static int32_t counter;         /* the last counter hello gave us */

#define FAILF(...) (snprintf(why, sizeof(why), __VA_ARGS__), why)

/* report: one line for case name: PASS if fail is NULL, else FAIL fail. */
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

/* sleep_ticks: wait n ticks, receiving only from CLOCK. */
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

/* rs_call: SENDREC request type with label (copied as is, 16 bytes) to RS;
 * the reply stays in *m. Returns the IPC error or RS's result. */
static int rs_call(int type, const char label[16], message *m)
{
    int r;

    memset(m, 0, sizeof(*m));
    m->m_type = type;
    if (label != NULL)
        memcpy(m->m_rs_req.label, label, sizeof(m->m_rs_req.label));
    r = ipc_sendrec(RS_PROC_NR, m);
    return r != OK ? r : m->m_type;
}

/* lookup: RS_LOOKUP of a NUL-terminated label: endpoint, restarts, state. */
static int lookup(const char *label, endpoint_t *ep, int *restarts, int *state)
{
    char l[16];
    message m;
    int r;

    memset(l, 0, sizeof(l));
    strlcpy(l, label, sizeof(l));
    r = rs_call(RS_LOOKUP, l, &m);
    if (r == OK) {
        *ep = m.m_rs_req.ep;
        *restarts = m.m_rs_req.value;
        *state = m.m_rs_req.state;
    }
    return r;
}

/* hello_call: SENDREC type to hello; *value = the answer's counter.
 * Returns the IPC error or hello's result. */
static int hello_call(int type, int32_t *value)
{
    message m;
    int r;

    memset(&m, 0, sizeof(m));
    m.m_type = type;
    r = ipc_sendrec(hello_ep, &m);
    if (r != OK)
        return r;
    if (value != NULL)
        *value = m.m_hello.value;
    return m.m_type;
}

/* next_counter: HELLO_GET must answer counter + 1; NULL or what failed. */
static const char *next_counter(void)
{
    int32_t v;
    int r = hello_call(HELLO_GET, &v);

    if (r != OK)
        return FAILF("HELLO_GET returned %d", r);
    if (v != counter + 1)
        return FAILF("counter %d after %d", (int)v, (int)counter);
    counter = v;
    return NULL;
}

/* wait_label: poll RS until 'label' has 'want' restarts and runs again;
 * *epp = its endpoint then. NULL or what failed. */
static const char *wait_label(const char *label, int want, endpoint_t *epp)
{
    endpoint_t ep = NONE;
    int i, restarts = -1, state = 0, r = OK;

    for (i = 0; i < POLL_MAX; i++) {
        r = lookup(label, &ep, &restarts, &state);
        if (r == OK && restarts == want && state == RSS_RUNNING)
            break;
        if (r == OK && (state == RSS_FAILED || restarts > want))
            break;
        sleep_ticks(POLL_TICKS);
    }
    if (r != OK)
        return FAILF("RS_LOOKUP %s returned %d", label, r);
    if (restarts != want || state != RSS_RUNNING)
        return FAILF("%s: restarts %d state %d, expected %d restarts, running",
                     label, restarts, state, want);
    *epp = ep;
    return NULL;
}

/* wait_for: wait_label for hello. */
static const char *wait_for(int want, endpoint_t *epp)
{
    return wait_label("hello", want, epp);
}

/* crash_service: RS_CRASH label and wait until it runs again with one more
 * restart under the same endpoint. NULL or what failed. */
static const char *crash_service(const char *label)
{
    endpoint_t ep0, ep;
    int restarts, state, r;
    char l[16];
    message m;
    const char *f;

    if ((r = lookup(label, &ep0, &restarts, &state)) != OK)
        return FAILF("RS_LOOKUP %s returned %d", label, r);
    memset(l, 0, sizeof(l));
    strlcpy(l, label, sizeof(l));
    if ((r = rs_call(RS_CRASH, l, &m)) != OK)
        return FAILF("RS_CRASH %s returned %d", label, r);
    if ((f = wait_label(label, restarts + 1, &ep)) != NULL)
        return f;
    if (ep != ep0)
        return FAILF("%s endpoint %d, was %d", label, (int)ep, (int)ep0);
    return NULL;
}

/* ds_state_kept: a key published before DS crashes is still there after
 * its recovery, and so is hello's label (published by RS at boot). */
static const char *case_ds_state_kept(void)
{
    uint32_t v = 0;
    endpoint_t ep = NONE;
    const char *f;
    int r;

    if ((r = ds_publish_u32("test_rs.kept", 0xc0ffee, DSF_OVERWRITE)) != OK)
        return FAILF("publish returned %d", r);
    if ((f = crash_service("ds")) != NULL)
        return f;
    if ((r = ds_retrieve_u32("test_rs.kept", &v)) != OK)
        return FAILF("retrieve after the crash returned %d", r);
    if (v != 0xc0ffee)
        return FAILF("value %x after the crash", (unsigned)v);
    if ((r = ds_retrieve_label_endpt("hello", &ep)) != OK || ep != hello_ep)
        return FAILF("label hello: %d, endpoint %d", r, (int)ep);
    return NULL;
}

/* pm_call: SENDREC type to PM; Returns the IPC error or PM's result. */
static int pm_call(int type, message *m)
{
    int r;

    m->m_type = type;
    r = ipc_sendrec(PM_PROC_NR, m);
    return r != OK ? r : m->m_type;
}

static struct pm_proc_info ptab0[NR_PROCS], ptab1[NR_PROCS];

/* pm_state_kept: PM's table survives a crash of PM: our pid, and the pid,
 * parent and endpoint of every process in it (init, its children) stay. */
static const char *case_pm_state_kept(void)
{
    message m;
    int pid0, r, i;
    const char *f;

    memset(&m, 0, sizeof(m));
    if ((r = pm_call(PM_GETPID, &m)) != OK)
        return FAILF("PM_GETPID returned %d", r);
    pid0 = m.m_pm.pid;
    if (getsysinfo(SI_PROC_TAB, ptab0, sizeof(ptab0)) != 0)
        return FAILF("getsysinfo before the crash failed");
    if ((f = crash_service("pm")) != NULL)
        return f;
    memset(&m, 0, sizeof(m));
    if ((r = pm_call(PM_GETPID, &m)) != OK)
        return FAILF("PM_GETPID after the crash returned %d", r);
    if (m.m_pm.pid != pid0)
        return FAILF("pid %d after the crash, was %d", (int)m.m_pm.pid, pid0);
    if (getsysinfo(SI_PROC_TAB, ptab1, sizeof(ptab1)) != 0)
        return FAILF("getsysinfo after the crash failed");
    for (i = 0; i < NR_PROCS; i++) {
        if (ptab0[i].flags == 0 || (ptab0[i].flags & 0x10))
            continue;           /* free, or a system process (may come and go) */
        if (ptab1[i].pid != ptab0[i].pid || ptab1[i].ppid != ptab0[i].ppid ||
            ptab1[i].endpoint != ptab0[i].endpoint)
            return FAILF("slot %d (%s): pid %d ppid %d, was pid %d ppid %d", i,
                         ptab0[i].name, (int)ptab1[i].pid, (int)ptab1[i].ppid,
                         (int)ptab0[i].pid, (int)ptab0[i].ppid);
    }
    if (ptab1[INIT_PROC_NR].pid != 1)
        return FAILF("init is pid %d", (int)ptab1[INIT_PROC_NR].pid);
    return NULL;
}

/* wait_restarts: wait_for(want), and the endpoint must still be hello_ep. */
static const char *wait_restarts(int want)
{
    endpoint_t ep;
    const char *f = wait_for(want, &ep);

    if (f != NULL)
        return f;
    if (ep != hello_ep)
        return FAILF("endpoint %d, was %d", (int)ep, (int)hello_ep);
    return NULL;
}

static const char *case_hello_get(void)
{
    const char *f;
    int r;

    if ((r = rs_lookup("hello", &hello_ep, NULL)) != OK)
        return FAILF("rs_lookup hello returned %d", r);
    if ((r = hello_call(HELLO_GET, &counter)) != OK)
        return FAILF("first HELLO_GET returned %d", r);
    if ((f = next_counter()) != NULL)
        return f;
    return NULL;
}

static const char *case_lookup(void)
{
    endpoint_t ep;
    int state, r;

    if ((r = lookup("hello", &ep, &restarts0, &state)) != OK)
        return FAILF("RS_LOOKUP hello returned %d", r);
    if (ep != hello_ep || ep == NONE)
        return FAILF("endpoint %d, rs_lookup said %d", (int)ep, (int)hello_ep);
    if (state != RSS_RUNNING)
        return FAILF("state %d, expected running", state);
    if (restarts0 < 0)
        return FAILF("restarts %d", restarts0);
    return NULL;
}

static const char *case_crash_sendrec(void)
{
    int r = hello_call(HELLO_CRASH, NULL);

    if (r == OK)
        return FAILF("HELLO_CRASH returned OK");
    return NULL;
}

static const char *case_counter_preserved(void)
{
    return next_counter();
}

static const char *case_rs_crash(void)
{
    message m;
    char l[16] = "hello";
    const char *f;
    int r;

    if ((r = rs_call(RS_CRASH, l, &m)) != OK)
        return FAILF("RS_CRASH hello returned %d", r);
    if ((f = wait_restarts(restarts0 + 2)) != NULL)
        return f;
    return next_counter();
}

static const char *case_live_update(void)
{
    endpoint_t ep;
    int restarts, state, r;

    if ((r = rs_update("hello", SEF_LU_STATE_WORK_FREE, LU_TIMEOUT)) != OK)
        return FAILF("rs_update hello returned %d", r);
    if ((r = lookup("hello", &ep, &restarts, &state)) != OK)
        return FAILF("RS_LOOKUP hello returned %d", r);
    if (ep != hello_ep || state != RSS_RUNNING || restarts != restarts0 + 2)
        return FAILF("after update: endpoint %d state %d restarts %d",
                     (int)ep, state, restarts);
    return next_counter();
}

static const char *case_update_bad_state(void)
{
    int r = rs_update("hello", SEF_LU_STATE_NULL, LU_TIMEOUT);

    if (r != EINVAL)
        return FAILF("rs_update with state NULL returned %d", r);
    return NULL;
}

static const char *case_unknown_label(void)
{
    endpoint_t ep;
    int restarts, state;
    int r = lookup("no_such_svc", &ep, &restarts, &state);

    if (r != ENOENT)
        return FAILF("RS_LOOKUP no_such_svc returned %d", r);
    return NULL;
}

static const char *case_bad_label(void)
{
    char l[16];
    message m;
    int r;

    memset(l, 0, sizeof(l));
    if ((r = rs_call(RS_LOOKUP, l, &m)) != EINVAL)
        return FAILF("empty label: %d", r);
    memset(l, 'h', sizeof(l));
    if ((r = rs_call(RS_LOOKUP, l, &m)) != EINVAL)
        return FAILF("unterminated label: %d", r);
    if ((r = rs_call(RS_UP, l, &m)) != EINVAL)
        return FAILF("RS_UP unterminated label: %d", r);
    return NULL;
}

static const char *case_bad_request(void)
{
    message m;
    int r = rs_call(RS_BASE + 7, NULL, &m);

    if (r != EBADREQUEST)
        return FAILF("request type %d returned %d", RS_BASE + 7, r);
    return NULL;
}

static const char *case_down_core(void)
{
    char l[16] = "hello";
    message m;
    int r = rs_call(RS_DOWN, l, &m);

    if (r != EINVAL)
        return FAILF("RS_DOWN hello returned %d", r);
    return NULL;
}

/* test_main: run the cases; the recovery cases need hello. Returns the
 * exit status: 0 if every case passed. */
static int test_main(void)
{
    const char *f;
    endpoint_t ep = NONE;

    f = case_hello_get();
    report("hello_get", f);
    if (hello_ep == NONE)
        goto done;
    report("lookup", case_lookup());
    report("crash_sendrec", case_crash_sendrec());
    f = wait_for(restarts0 + 1, &ep);
    report("recovered", f);
    if (f == NULL) {
        report("endpoint_kept", ep == hello_ep ? NULL :
               FAILF("endpoint %d, was %d", (int)ep, (int)hello_ep));
        report("counter_preserved", case_counter_preserved());
    }
    report("rs_crash", case_rs_crash());
    report("live_update", case_live_update());
    report("update_bad_state", case_update_bad_state());
done:
    report("unknown_label", case_unknown_label());
    report("bad_label", case_bad_label());
    report("bad_request", case_bad_request());
    report("down_core", case_down_core());
    report("ds_state_kept", case_ds_state_kept());
    report("pm_state_kept", case_pm_state_kept());
    printf("crucible-test: %s done pass=%d fail=%d\n", PROG, npass, nfail);
    return nfail ? 1 : 0;
}

int main(void)
{
    sef_startup();
    sys_exit(test_main());
    return 0;
}
