/*
 * SYS_STATECTL(request): state management of the caller itself.
 *
 * Who: every system process (a basic call).
 * In:  m_sys_statectl.request
 *   STATE_CLEAR_IPC_REFS  processes still waiting for a reply from the
 *                         caller's endpoint (a previous instance's callers)
 *                         get ERESTART and can retry (ipc_clear_reply_refs).
 * Errors: EINVAL unknown request.
 */
#include "system.h"

int do_statectl(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);

    switch (m->m_sys_statectl.request) {
    case STATE_CLEAR_IPC_REFS:
        ipc_clear_reply_refs(caller);
        return OK;
    default:
        return EINVAL;
    }
}
