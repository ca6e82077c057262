/* init's requests to RS, built by hand (RS_UP with RSU_WAIT has no libc
 * wrapper): start a system program and wait for its end, count services. */
#include <crucible/syslib.h>
#include "init.h"

/* rs_up_wait: RS_UP{label = name, flags = RSU_WAIT}: RS answers when the
 * program exits. Returns OK with *status = its exit status, ENOENT if RS
 * does not know the program (a user program then), or another error
 * (could not start it, or RS unreachable). */
int rs_up_wait(const char *name, int *status)
{
    message m;
    memset(&m, 0, sizeof(m));
    m.m_type = RS_UP;
    strlcpy(m.m_rs_req.label, name, sizeof(m.m_rs_req.label));
    m.m_rs_req.flags = RSU_WAIT;
    int r = ipc_sendrec(RS_PROC_NR, &m);
    if (r != OK)
        return r;
    if (m.m_type != OK)
        return m.m_type;
    *status = m.m_rs_req.value;
    return OK;
}

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
