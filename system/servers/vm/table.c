/* VM's request table: request number -> handler. */
#include "proto.h"

#define CALL(t) [(t) - VM_BASE]

static const vm_handler_t vm_calls[NR_VM_CALLS] = {
    CALL(VM_FORK)     = do_fork,
    CALL(VM_EXEC)     = do_exec,
    CALL(VM_EXIT)     = do_exit,
    CALL(VM_INFO)     = do_info,
    CALL(VM_CALLMASK) = do_callmask,
};

/* vm_call_handler: the handler of request type, or NULL if VM has none. */
vm_handler_t vm_call_handler(int type)
{
    if (type < VM_BASE || type >= VM_BASE + NR_VM_CALLS)
        return NULL;
    return vm_calls[type - VM_BASE];
}
