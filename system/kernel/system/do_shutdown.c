/*
 * SYS_SHUTDOWN(status): end the machine (PM for PM_REBOOT, tests).
 *
 * In:  m_sys_shutdown.status  0 .. 255, written to isa-debug-exit: QEMU
 *                             exits with (status << 1) | 1
 * Never returns on success. Errors: EINVAL status out of range.
 */
#include "system.h"

int do_shutdown(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    int32_t status = m->m_sys_shutdown.status;

    if (status < 0 || status > 255)
        return EINVAL;
    arch_shutdown(status);
}
