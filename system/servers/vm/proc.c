/* Address spaces of user processes: fork, exec, exit, and page counts. */
#include "glo.h"
#include "proto.h"

/* refresh: re-read ep's page count from the kernel into the accounting.
 * Returns OK or the kernel's error (the record is then left alone). */
static int refresh(endpoint_t ep, uint32_t *pages)
{
    struct proc_info pi;
    int r = sys_getproc(ep, &pi);
    if (r != OK)
        return r;
    if (pages != NULL)
        *pages = pi.pages;
    return vm_acct_set(&vm_acct, ep, pi.pages);
}

/* do_fork: VM_FORK(m_vm.parent). Copy parent into a new process (left
 * without privilege until its creator allows it) and account both. Reply:
 * OK with m_vm.ep = the child, or EINVAL (bad parent) / sys_fork's error. */
int do_fork(message *reply)
{
    endpoint_t parent = m_in.m_vm.parent;
    endpoint_t child;

    if (vm_slot_of(parent) < 0)
        return EINVAL;
    int r = sys_fork(parent, 0, "", &child);
    if (r != OK)
        return r;
    vm_set_class(child, 0);
    if (refresh(child, NULL) != OK)
        vm_acct_set(&vm_acct, child, 0);
    (void)refresh(parent, NULL);
    reply->m_vm.ep = child;
    return OK;
}

/* do_exec: VM_EXEC(m_vm.ep, module, args_ep, args_ptr, args_len). Replace
 * ep's image with the module; its pending reply is dropped by the kernel.
 * Reply OK or EINVAL / sys_exec's error. */
int do_exec(message *reply)
{
    endpoint_t ep = m_in.m_vm.ep;
    if (vm_slot_of(ep) < 0)
        return EINVAL;
    int r = sys_exec(ep, m_in.m_vm.module, m_in.m_vm.args_ep,
                     m_in.m_vm.args_ptr, m_in.m_vm.args_len);
    if (r != OK)
        return r;
    (void)refresh(ep, &reply->m_vm.value);
    return OK;
}

/* do_exit: VM_EXIT(m_vm.ep). Forget ep's memory (the kernel frees it at
 * sys_clear). Reply OK (also for a process VM never accounted) or EINVAL. */
int do_exit(message *reply)
{
    (void)reply;
    return vm_acct_forget(&vm_acct, m_in.m_vm.ep);
}

/* do_info: VM_INFO(m_vm.ep, SELF for the caller). Reply OK with m_vm.value
 * = pages the process owns, or the kernel's error for a bad endpoint. */
int do_info(message *reply)
{
    endpoint_t ep = (m_in.m_vm.ep == SELF) ? who_e : m_in.m_vm.ep;
    if (vm_slot_of(ep) < 0)
        return EINVAL;
    struct proc_info pi;
    int r = sys_getproc(ep, &pi);
    if (r != OK)
        return r;
    int slot = vm_slot_of(ep);
    if ((vm_acct.proc[slot].vm_flags & VMF_INUSE) && vm_acct.proc[slot].vm_endpoint == ep)
        vm_acct_set(&vm_acct, ep, pi.pages);
    reply->m_vm.ep = ep;
    reply->m_vm.value = pi.pages;
    return OK;
}
