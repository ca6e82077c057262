/*
 * SYS_SHUTDOWN(status): end the machine (PM for PM_REBOOT, tests).
 *
 * In:  m_sys_shutdown.status  0 .. 255, written to isa-debug-exit: QEMU
 *                             exits with (status << 1) | 1
 * Never returns on success. Errors: EINVAL status out of range, or
 * PANIC_EXIT_VALUE, which only a kernel panic may use: otherwise a
 * program could end the machine looking exactly like a panic (found by
 * the pm fuzzer: init's PM_REBOOT with status 125).
 */
#include "system.h"

int do_shutdown(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    int32_t status = m->m_sys_shutdown.status;

    if (status < 0 || status > 255 || status == PANIC_EXIT_VALUE)
        return EINVAL;
    arch_shutdown(status);
}
