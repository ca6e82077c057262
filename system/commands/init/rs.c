/* init's requests to RS that libsys has no wrapper for: RS_READY (count
 * the services and tell the control channel the system is ready). System
 * programs are started with libsys's rs_up_wait(). */
#include <crucible/syslib.h>
#include "init.h"

/* rs_services: the number of services RS runs (RS_READY: as RS_COUNT,
 * and RS emits the control channel's `ready` event), or -1 if RS
 * cannot say. */
int rs_services(void)
{
    message m;
    memset(&m, 0, sizeof(m));
    m.m_type = RS_READY;
    if (ipc_sendrec(RS_PROC_NR, &m) != OK || m.m_type != OK)
        return -1;
    return m.m_rs_req.value;
}

/* init_is_enoent: nonzero if r is the ENOENT of <crucible/errno.h> (init.c
 * sees libc's positive names, not the ABI's negative ones). */
int init_is_enoent(int r)
{
    return r == ENOENT;
}
