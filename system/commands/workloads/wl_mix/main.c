/*
 * wl_mix: a campaign workload touching every restartable server, so that a
 * fault in any of them shows in its outcome. WL_ROUNDS rounds, each:
 *   - HELLO_GET to the hello driver: the counter grows by exactly one;
 *   - publish / retrieve a u32 in DS: the value read back is the one written;
 *   - PM_GETPID: a positive pid, the same every round;
 *   - VM_INFO(SELF): a positive page count;
 *   - one console line through TTY (printf of a system process).
 * Every request is retried a bounded number of times on ERESTART /
 * EDEADSRCDST (the server was restarted while we waited).
 *
 * Output (deterministic: nothing in it depends on timing):
 *   crucible-workload: wl_mix round <i>              (one per round, via TTY)
 *   crucible-workload: wl_mix ok rounds=<n> counter=<hello counter>
 *   crucible-workload: wl_mix error <what>           (instead, on failure)
 * Exit status (sys_exit) 0 when every check held, else 1.
 */
#include <stdio.h>
#include <crucible/syslib.h>
#include <crucible/sef.h>

#define WL_ROUNDS   5
#define WL_RETRIES  20

/* is_restart: the server went away under us; asking again may work. */
static int is_restart(int r)
{
    return r == ERESTART || r == EDEADSRCDST;
}

/* call: SENDREC of request 'type' (fields already in *m) to 'ep', retried
 * on restarts. Returns the reply's result (OK or an error); *m holds the
 * reply. */
static int call(endpoint_t ep, int type, message *m)
{
    message req = *m;
    int r = EGENERIC, tries;

    for (tries = 0; tries < WL_RETRIES; tries++) {
        *m = req;
        m->m_type = type;
        r = ipc_sendrec(ep, m);
        if (r == OK)
            r = m->m_type;
        if (!is_restart(r))
            return r;
    }
    return r;
}

/* ds_round: publish 'value' under a fixed key and read it back, retrying
 * on restarts. Returns OK or the error; *got holds what was read. */
static int ds_round(uint32_t value, uint32_t *got)
{
    int r = EGENERIC, tries;

    for (tries = 0; tries < WL_RETRIES; tries++) {
        r = ds_publish_u32("wl_mix.value", value, DSF_OVERWRITE);
        if (r == OK)
            r = ds_retrieve_u32("wl_mix.value", got);
        if (!is_restart(r))
            return r;
    }
    return r;
}

/* fail: print the error line and exit 1. */
static int fail(int round, const char *what, int value)
{
    printf("crucible-workload: wl_mix error round %d %s %d\n", round, what, value);
    sys_exit(1);
    return 1;
}

/* main: the rounds, then the summary line; exit status 0 when all held. */
int main(void)
{
    int32_t counter = 0, first_pid = 0;
    uint32_t got;
    message m;
    int i, r;

    sef_startup();              /* answer RS's init, like every program RS starts */
    for (i = 0; i < WL_ROUNDS; i++) {
        memset(&m, 0, sizeof m);
        if ((r = call(HELLO_PROC_NR, HELLO_GET, &m)) != OK)
            return fail(i, "hello", r);
        if (i > 0 && m.m_hello.value != counter + 1)
            return fail(i, "hello counter", (int)m.m_hello.value);
        counter = m.m_hello.value;

        got = 0;
        if ((r = ds_round((uint32_t)(i * 13 + 5), &got)) != OK)
            return fail(i, "ds", r);
        if (got != (uint32_t)(i * 13 + 5))
            return fail(i, "ds value", (int)got);

        memset(&m, 0, sizeof m);
        if ((r = call(PM_PROC_NR, PM_GETPID, &m)) != OK)
            return fail(i, "getpid", r);
        if (m.m_pm.pid <= 0 || (i > 0 && m.m_pm.pid != first_pid))
            return fail(i, "pid", (int)m.m_pm.pid);
        first_pid = m.m_pm.pid;

        memset(&m, 0, sizeof m);
        m.m_vm.ep = SELF;
        if ((r = call(VM_PROC_NR, VM_INFO, &m)) != OK)
            return fail(i, "vm_info", r);
        if (m.m_vm.value == 0)
            return fail(i, "vm_info pages", 0);

        printf("crucible-workload: wl_mix round %d\n", i);
    }
    printf("crucible-workload: wl_mix ok rounds=%d counter=%d\n", WL_ROUNDS, (int)counter);
    sys_exit(0);
    return 0;
}
