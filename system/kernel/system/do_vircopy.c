/*
 * SYS_VIRCOPY(src_ep, src_addr, dst_ep, dst_addr, bytes): copy between the
 * address spaces of two processes (SELF allowed for either side).
 *
 * Who: every system process (a basic call).
 * Both endpoints must be live processes (not NONE, not kernel tasks):
 * EDEADSRCDST otherwise. EFAULT when a range is not mapped (nothing is
 * copied), EINVAL above KCOPY_MAX_BYTES. See kcall_copy (do_physcopy.c).
 */
#include "system.h"

int do_vircopy(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    return kcall_copy(caller, &m->m_sys_copy, 0);
}
