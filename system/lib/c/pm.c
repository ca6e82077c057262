/* lib/c pm.c: the one path from libc to PM (SENDREC). */
#include "libc_priv.h"

/* libc_pm_call: see libc_priv.h. */
int libc_pm_call(int type, message *m)
{
    int r;
    m->m_type = type;
    r = ipc_sendrec(PM_PROC_NR, m);
    if (r != OK)
        return r;
    return m->m_type;
}
