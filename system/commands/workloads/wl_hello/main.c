/*
 * wl_hello: a campaign workload. 50 HELLO_GETs to the hello driver, each
 * retried a bounded number of times on ERESTART / EDEADSRCDST (the driver
 * was restarted); the counter must grow by exactly one per answer. Prints
 * one line, `crucible-workload: wl_hello ok counter=<final>` or
 * `crucible-workload: wl_hello error <what>`, and exits (sys_exit) with 0 or 1. The output
 * depends only on the system's behaviour, so runs can be compared with a
 * golden run.
 */
#include <stdio.h>
#include <crucible/syslib.h>
#include <crucible/sef.h>

#define WL_REQUESTS 50
#define WL_RETRIES  20

/* One HELLO_GET with retries. Returns OK with *value, or the last error. */
static int hello_get(int32_t *value)
{
    message m;
    int r = EGENERIC, tries;

    for (tries = 0; tries < WL_RETRIES; tries++) {
        memset(&m, 0, sizeof(m));
        m.m_type = HELLO_GET;
        r = ipc_sendrec(HELLO_PROC_NR, &m);
        if (r == OK)
            r = m.m_type;
        if (r == OK) {
            *value = m.m_hello.value;
            return OK;
        }
        if (r != ERESTART && r != EDEADSRCDST)
            return r;
    }
    return r;
}

/* Runs the workload; the exit status is 0 when every check held. */
int main(void)
{
    int32_t prev = 0, v = 0;
    int i, r;

    sef_startup();              /* answer RS's init, like every program RS starts */
    for (i = 0; i < WL_REQUESTS; i++) {
        if ((r = hello_get(&v)) != OK) {
            printf("crucible-workload: wl_hello error request %d failed %d\n", i, r);
            sys_exit(1);
            return 1;
        }
        if (i > 0 && v != prev + 1) {
            printf("crucible-workload: wl_hello error counter %d after %d\n",
                   (int)v, (int)prev);
            sys_exit(1);
            return 1;
        }
        prev = v;
    }
    printf("crucible-workload: wl_hello ok counter=%d\n", (int)v);
    sys_exit(0);
    return 0;
}
