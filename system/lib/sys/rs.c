/* lib/sys rs.c: the RS client (lookup, count, up, down, update, restart). Each is
 * a SENDREC of an m_rs_req message; the result is RS's m_type. */
#include <crucible/syslib.h>

/* SENDREC a request for label (may be NULL) to RS; reply left in m. */
static int rs_call(int type, const char *label, message *m)
{
    int r;
    if (label && strlen(label) >= sizeof m->m_rs_req.label)
        return ENAMETOOLONG;
    if (label)
        strlcpy(m->m_rs_req.label, label, sizeof m->m_rs_req.label);
    m->m_type = type;
    r = ipc_sendrec(RS_PROC_NR, m);
    return r != OK ? r : m->m_type;
}

/* rs_lookup: endpoint and restart count of service label (either
 * pointer may be NULL). */
int rs_lookup(const char *label, endpoint_t *ep, int *restarts)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    r = rs_call(RS_LOOKUP, label, &m);
    if (r == OK) {
        if (ep)
            *ep = m.m_rs_req.ep;
        if (restarts)
            *restarts = m.m_rs_req.value;
    }
    return r;
}

/* rs_count: how many services RS runs. */
int rs_count(int *services)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    r = rs_call(RS_COUNT, NULL, &m);
    if (r == OK)
        *services = m.m_rs_req.value;
    return r;
}

/* rs_update: live-update label once it reaches prepare state `state`,
 * giving up after timeout_ticks. */
int rs_update(const char *label, int state, int timeout_ticks)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_rs_req.state = state;
    m.m_rs_req.timeout = timeout_ticks;
    return rs_call(RS_UPDATE, label, &m);
}

/* rs_restart: restart service label into a fresh instance. */
int rs_restart(const char *label)
{
    message m;
    memset(&m, 0, sizeof m);
    return rs_call(RS_RESTART, label, &m);
}

/* rs_program_up: start program label of RS's program table; returns once its init
 * has answered, with its endpoint in *ep (may be NULL). ENOENT if RS does
 * not know the program. */
int rs_program_up(const char *label, endpoint_t *ep)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    r = rs_call(RS_UP, label, &m);
    if (r == OK && ep)
        *ep = m.m_rs_req.ep;
    return r;
}

/* rs_program_wait: start program label and return when it exits, with its exit
 * status in *status (RSU_WAIT; 128 + signal if it crashed). ENOENT if RS
 * does not know the program. */
int rs_program_wait(const char *label, int *status)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    m.m_rs_req.flags = RSU_WAIT;
    r = rs_call(RS_UP, label, &m);
    if (r == OK && status)
        *status = m.m_rs_req.value;
    return r;
}

/* rs_program_down: stop program or service label (core services: EINVAL). */
int rs_program_down(const char *label)
{
    message m;
    memset(&m, 0, sizeof m);
    return rs_call(RS_DOWN, label, &m);
}
