/* lib/sys sef_sanity.c: the server's invariant check. Run on request and,
 * with sanity=1 on the kernel command line, after every message. */
#include <stdio.h>
#include "sef_priv.h"

static int (*cb_sanity)(const char **invariant);
static const char *last_invariant = "?";

/* sef_setcb_sanity: set the check (NULL: none, always OK). */
void sef_setcb_sanity(int (*cb)(const char **invariant))
{
    cb_sanity = cb;
}

/* sef_run_sanity: run the check; on a violation print
 * "crucible: sanity FAIL <name> <invariant>" and return its error. */
int sef_run_sanity(void)
{
    const char *inv = NULL;
    int r;

    if (!cb_sanity)
        return OK;
    r = cb_sanity(&inv);
    if (r != OK) {
        last_invariant = inv ? inv : "?";
        printf("crucible: sanity FAIL %s %s\n",
               sef_self_name[0] ? sef_self_name : "?", last_invariant);
    }
    return r;
}

/* sef_sanity_report: run the check on the control channel's request and
 * answer the kernel (SYS_DIAGCTL DIAG_SANITY: result and invariant). */
void sef_sanity_report(void)
{
    const char *inv = NULL;
    message m;
    int r = OK;

    if (cb_sanity && (r = cb_sanity(&inv)) != OK && inv == NULL)
        inv = "?";
    memset(&m, 0, sizeof(m));
    m.m_sys_diagctl.code = DIAG_SANITY;
    m.m_sys_diagctl.buf = (vir_bytes)(uintptr_t)(r != OK ? inv : "");
    m.m_sys_diagctl.len = r != OK ? strlen(inv) : 0;
    m.m_i32.i[3] = r;
    (void)kernel_call(SYS_DIAGCTL, &m);
}

/* sef_sanity_after_message: with sanity=1, check and panic on violation. */
void sef_sanity_after_message(void)
{
    if (sef_sanity_enabled && sef_run_sanity() != OK)
        panic("sanity invariant %s violated", last_invariant);
}
