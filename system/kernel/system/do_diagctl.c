/*
 * SYS_DIAGCTL(code, buf, len): diagnostics.
 *
 * Who: every system process (a basic call; libsys's console fallback).
 * In:  m_sys_diagctl.code  DIAG_PRINT: write buf[0..len) on the console as
 *                          it is (no prefix), len <= KDIAG_MAX
 * Errors: EINVAL unknown code; E2BIG len too large; EFAULT bad buf.
 */
#include "system.h"
#include "../inject_kern.h"

static char diag_buf[KDIAG_MAX];

int do_diagctl(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    mess_sys_diagctl *d = &m->m_sys_diagctl;
    int r;

    switch (d->code) {
    case DIAG_PRINT:
        if (d->len > KDIAG_MAX)
            return E2BIG;
        if (d->len == 0)
            return OK;
        if ((r = arch_copy_from_proc(caller, d->buf, diag_buf, d->len)) != OK)
            return r;
        arch_console_write(diag_buf, d->len);
        return OK;
    default:
        return ctl_diagctl(caller, m);  /* DIAG_EVENT, DIAG_INJECT_GET, ... */
    }
}
