/* Call masks: who is a system process, and VM_CALLMASK from RS. */
#include "glo.h"
#include "proto.h"

/* vm_is_sys: nonzero if ep is a system process (own privilege structure),
 * asking the kernel once per endpoint. Unknown or unreadable: a user (the
 * least privilege). */
int vm_is_sys(endpoint_t ep)
{
    int slot = vm_slot_of(ep);
    if (slot < 0)
        return 0;
    if (cls_ep[slot] != ep) {
        struct proc_info pi;
        if (sys_getproc(ep, &pi) != OK)
            return 0;
        vm_set_class(ep, (pi.priv_flags & PRIV_SYS_PROC) != 0);
    }
    return cls_sys[slot];
}

/* vm_set_class: remember whether ep is a system process. */
void vm_set_class(endpoint_t ep, int is_sys)
{
    int slot = vm_slot_of(ep);
    if (slot < 0)
        return;
    cls_ep[slot] = ep;
    cls_sys[slot] = is_sys ? 1 : 0;
}

/* do_callmask: VM_CALLMASK(m_vm.ep, m_vm.call, m_vm.allow), from RS only.
 * m_vm.ep = NONE or any user process: the mask shared by all user
 * processes; a system process: its own mask. m_vm.call is a VM request
 * type (VM_FORK ...). Reply OK with m_vm.value = the resulting mask, EPERM
 * (not RS), EINVAL (bad call) or ESRCH (no such process). */
int do_callmask(message *reply)
{
    endpoint_t target = m_in.m_vm.ep;
    int is_sys = 0;

    if (ENDPOINT_SLOT(who_e) != RS_PROC_NR || !vm_is_sys(who_e))
        return EPERM;
    if (target != NONE) {
        struct proc_info pi;
        if (vm_slot_of(target) < 0 || sys_getproc(target, &pi) != OK)
            return ESRCH;
        is_sys = (pi.priv_flags & PRIV_SYS_PROC) != 0;
        vm_set_class(target, is_sys);
    }
    int r = vm_mask_set(&vm_masks, target, is_sys, m_in.m_vm.call, m_in.m_vm.allow);
    if (r != OK)
        return r;
    reply->m_vm.ep = target;
    reply->m_vm.value = (target == NONE) ? vm_masks.user : vm_mask_of(&vm_masks, target, is_sys);
    return OK;
}
