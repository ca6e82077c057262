/*
 * lib/c internals: the errno helper and the PM call used by the process,
 * signal, clock and sysinfo wrappers. Not installed; includes the crucible
 * ABI, so the codes here are the negative ones of <crucible/errno.h>.
 */
#ifndef CRUCIBLE_LIBC_PRIV_H
#define CRUCIBLE_LIBC_PRIV_H

#include <crucible/syslib.h>

extern int errno;

/* r < 0 (a crucible error): store -r in errno and return -1; else r. */
static inline int libc_result(int r)
{
    if (r < 0) {
        errno = -r;
        return -1;
    }
    return r;
}

/* SENDREC m (type `type`) to PM. Returns the IPC error if the trap failed,
 * else PM's result (the reply's m_type); the reply is left in m. */
int libc_pm_call(int type, message *m);

#endif
