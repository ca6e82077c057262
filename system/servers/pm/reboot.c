/* reboot: end the machine; init's privilege alone. */
#include "glo.h"
#include "proto.h"

/* do_reboot: PM_REBOOT(m_pm.status). Only init (pid 1) may; others get
 * EPERM. sys_shutdown does not return when it works; if it does, its
 * result is the reply. */
int do_reboot(message *reply)
{
    (void)reply;
    if (mp->mp_pid != INIT_PID || (mp->mp_flags & PRIV_PROC))
        return EPERM;
    return sys_shutdown(m_in.m_pm.status);
}
