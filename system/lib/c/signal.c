/* lib/c signal.c: signal(sig, SIG_DFL | SIG_IGN) through PM_SIGACTION. */
#include <signal.h>
#include <string.h>
#include "libc_priv.h"

/* Dispositions set through this libc (all SIG_DFL at program start). */
static unsigned char ignored[NSIG];

/* signal: PM_SIGACTION{sig, options = 0 (default) / 1 (ignore)}. Only
 * SIG_DFL and SIG_IGN exist; SIGKILL and SIGSTOP cannot be changed.
 * Returns the previous disposition or SIG_ERR with errno. */
sighandler_t signal(int sig, sighandler_t h)
{
    message m;
    int r;
    sighandler_t old;

    if (sig <= 0 || sig >= NSIG || sig == SIGKILL || sig == SIGSTOP
        || (h != SIG_DFL && h != SIG_IGN)) {
        libc_result(EINVAL);
        return SIG_ERR;
    }
    memset(&m, 0, sizeof m);
    m.m_pm.sig = sig;
    m.m_pm.options = h == SIG_IGN ? SIG_IGN_ : SIG_DFL_;
    r = libc_pm_call(PM_SIGACTION, &m);
    if (r < 0) {
        libc_result(r);
        return SIG_ERR;
    }
    old = ignored[sig] ? SIG_IGN : SIG_DFL;
    ignored[sig] = h == SIG_IGN;
    return old;
}
