/*
 * VM, the memory manager. VM creates and replaces the address spaces of
 * user processes for PM (VM_FORK through sys_fork, VM_EXEC through
 * sys_exec, VM_EXIT), accounts the pages each process owns (VM_INFO), and
 * guards all of it with call masks (seed 004): one mask shared by every
 * user process and one per system process, checked on every request; RS
 * changes them with VM_CALLMASK. A request outside the caller's mask gets
 * EPERM; an unknown request EBADREQUEST.
 */
#include "glo.h"
#include "proto.h"

struct vm_masks vm_masks;
struct vm_acct vm_acct;
endpoint_t cls_ep[NR_PROCS];
uint8_t cls_sys[NR_PROCS];
message m_in;
endpoint_t who_e;

/* vm_init: SEF init callback for a fresh start (and the fallback of
 * vm_init_again): boot masks, empty accounting (rebuilt as processes fork,
 * exec and ask). RS sets its masks again after every restart or update.
 * Returns OK. */
static int vm_init(int type, sef_init_info_t *info)
{
    (void)type;
    (void)info;
    vm_masks_init(&vm_masks);
    vm_acct_init(&vm_acct);
    for (int i = 0; i < NR_PROCS; i++) {
        cls_ep[i] = NONE;
        cls_sys[i] = 0;
    }
    return OK;
}

/* vm_init_again: SEF init after a restart or for a live update: keep the
 * masks, accounting and class cache SEF copied from the previous instance
 * if they pass VM's invariants (vm_sanity), forgetting the accounting of
 * processes that are gone from the kernel; else report it (console,
 * info->xfer = SEF_XFER_REJECTED) and start as fresh. RS re-sends every
 * mask afterwards, which changes nothing in a kept copy. Returns OK. */
static int vm_init_again(int type, sef_init_info_t *info)
{
    const char *bad = "?";
    struct proc_info pi;

    if (info->xfer == SEF_XFER_OK) {
        if (vm_sanity(&bad) == OK) {
            for (int i = 0; i < NR_PROCS; i++) {
                endpoint_t ep = vm_acct.proc[i].vm_endpoint;
                if ((vm_acct.proc[i].vm_flags & VMF_INUSE) &&
                    (sys_getproc(ep, &pi) != OK || pi.endpoint != ep))
                    (void)vm_acct_forget(&vm_acct, ep);
            }
            return OK;
        }
        printf("vm: state from the previous instance rejected (%s), starting fresh\n",
               bad);
        info->xfer = SEF_XFER_REJECTED;
    }
    return vm_init(type, info);
}

/* vm_handle: check and run the request in m_in, then answer it. */
static void vm_handle(void)
{
    message reply;
    int r;

    memset(&reply, 0, sizeof(reply));
    who_e = m_in.m_source;
    vm_handler_t handler = vm_call_handler(m_in.m_type);
    if (handler == NULL)
        r = EBADREQUEST;
    else if (!vm_mask_allows(&vm_masks, who_e, vm_is_sys(who_e), m_in.m_type))
        r = EPERM;
    else
        r = handler(&reply);
    sef_reply(who_e, &reply, r);
}

/* main: start through SEF, then serve requests forever. */
int main(void)
{
    sef_setcb_init_fresh(vm_init);
    sef_setcb_init_restart(vm_init_again);
    sef_setcb_init_lu(vm_init_again);
    sef_setcb_sanity(vm_sanity);
    /* What a restarted or updated VM takes over. */
    (void)sef_state_register_xfer("masks", &vm_masks, sizeof(vm_masks));
    (void)sef_state_register_xfer("acct", &vm_acct, sizeof(vm_acct));
    (void)sef_state_register_xfer("cls_ep", cls_ep, sizeof(cls_ep));
    (void)sef_state_register_xfer("cls_sys", cls_sys, sizeof(cls_sys));
    sef_startup();

    for (;;) {
        if (sef_receive(&m_in) != OK)
            continue;
        if (IS_NOTIFY(&m_in) && ENDPOINT_SLOT(m_in.m_source) < 0)
            continue;           /* nothing to do on kernel notifications */
        vm_handle();
    }
    return 0;
}
