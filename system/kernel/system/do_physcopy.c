/*
 * SYS_PHYSCOPY(src_ep, src_addr, dst_ep, dst_addr, bytes): copy between
 * processes or physical memory. Seed 004: the mode of each side comes from
 * its endpoint: NONE means the address is physical, anything else is a
 * virtual address in that process (SELF allowed).
 *
 * Who: drivers and VM, as their call masks allow.
 * Also holds kcall_copy(), the one copy path of SYS_VIRCOPY and
 * SYS_PHYSCOPY: endpoints are resolved (EDEADSRCDST for bad, stale or
 * kernel-task endpoints, and for NONE when physical memory is not allowed),
 * the size is bounded (EINVAL above KCOPY_MAX_BYTES), ranges that wrap
 * around the address space fail with EFAULT, and arch_copy() checks that
 * every byte is mapped (EFAULT, nothing copied). A zero-byte copy is OK.
 */
#include "system.h"

static int copy_side(struct proc *caller, endpoint_t ep, int phys_ok, struct proc **pp)
{
    if (ep == NONE) {
        *pp = NULL;
        return phys_ok ? OK : EDEADSRCDST;
    }
    int r = kcall_proc(caller, ep, KC_SELF_OK, pp);
    return r == OK ? OK : EDEADSRCDST;
}

int kcall_copy(struct proc *caller, const mess_sys_copy *c, int phys_ok)
{
    KASSERT(caller != NULL && c != NULL);
    struct proc *src_p, *dst_p;
    int r;

    if ((r = copy_side(caller, c->src_ep, phys_ok, &src_p)) != OK)
        return r;
    if ((r = copy_side(caller, c->dst_ep, phys_ok, &dst_p)) != OK)
        return r;
    if (c->bytes > KCOPY_MAX_BYTES)
        return EINVAL;
    if (c->bytes == 0)
        return OK;
    if (c->src_addr + c->bytes < c->src_addr || c->dst_addr + c->bytes < c->dst_addr)
        return EFAULT;
    return arch_copy(src_p, c->src_addr, dst_p, c->dst_addr, c->bytes);
}

int do_physcopy(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    return kcall_copy(caller, &m->m_sys_copy, 1);
}
