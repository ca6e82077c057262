/*
 * events.c: RS's events on the host control channel (docs/inject.md) and
 * the control requests the kernel queues for RS (`lu`, `run`). An event
 * goes to the kernel with SYS_DIAGCTL DIAG_EVENT as "name\0members"; the
 * kernel writes {"event":"name","tick":T,members} on the channel.
 */
#include <stdarg.h>
#include <stdio.h>
#include "proto.h"

/* rs_event: emit event 'name' with members formatted from fmt (JSON
 * members without braces, e.g. "\"label\":\"%s\""; fmt may be ""). */
void rs_event(const char *name, const char *fmt, ...)
{
    char buf[200];
    size_t n = strlen(name);
    va_list ap;
    int len;

    if (n + 2 >= sizeof(buf))
        return;
    memcpy(buf, name, n + 1);
    va_start(ap, fmt);
    len = vsnprintf(buf + n + 1, sizeof(buf) - n - 1, fmt, ap);
    va_end(ap);
    if (len < 0)
        len = 0;
    if ((size_t)len > sizeof(buf) - n - 2)
        len = (int)(sizeof(buf) - n - 2);
    (void)sys_diagctl(DIAG_EVENT, buf, n + 1 + (size_t)len);
}

/* rs_ctl_poll: take the control request the kernel holds for RS, if any,
 * and carry it out: CTL_REQ_LU as RS_UPDATE (timeout 2 s), CTL_REQ_RUN as
 * RS_UP with the request's extra arguments, both with nobody to answer; the outcome comes as events. A
 * request refused at once is reported as service_rolled_back (lu) or
 * program_exit (run) with the error. */
void rs_ctl_poll(void)
{
    char req[RS_LABEL_LEN + CTL_RUN_ARGS_MAX];     /* label, then run's args */
    char *label = req, *args = req + RS_LABEL_LEN;
    message m;
    int kind, state, r;

    memset(&m, 0, sizeof(m));
    memset(req, 0, sizeof(req));
    m.m_sys_diagctl.code = DIAG_CTL_GET;
    m.m_sys_diagctl.buf = (vir_bytes)(uintptr_t)req;
    m.m_sys_diagctl.len = sizeof(req);
    if (kernel_call(SYS_DIAGCTL, &m) != OK)
        return;
    kind = m.m_i32.i[4];
    state = m.m_i32.i[5];
    if (kind == CTL_REQ_NONE)
        return;
    label[RS_LABEL_LEN - 1] = '\0';
    req[sizeof(req) - 1] = '\0';
    memset(&m, 0, sizeof(m));
    m.m_source = NONE;
    strlcpy(m.m_rs_req.label, label, sizeof(m.m_rs_req.label));
    if (kind == CTL_REQ_LU) {
        m.m_type = RS_UPDATE;
        m.m_rs_req.state = state;
        m.m_rs_req.timeout = 2 * HZ;
        r = rs_do_update(&m);
        if (r != EDONTREPLY && r != OK)
            rs_event("service_rolled_back",
                     "\"label\":\"%s\",\"state\":%d,\"result\":%d", label, state, r);
    } else if (kind == CTL_REQ_RUN) {
        m.m_type = RS_UP;
        r = rs_up(&m, args);
        if (r != EDONTREPLY && r != OK)
            rs_event("program_exit", "\"label\":\"%s\",\"status\":%d", label, r);
    }
}
