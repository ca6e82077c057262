/* exec: replace a user process's image with a boot module, through VM. */
#include "glo.h"
#include "proto.h"

#define PM_MAX_ARGS 4096        /* bytes of NUL-separated arguments */

static struct module_info mods[MAX_BOOT_MODULES];

/* find_module: the index of the program module called name, ENOENT if
 * there is none, EACCES if the name is a boot-table process (a server,
 * not a program). */
static int find_module(const char *name)
{
    int r = sys_getmodules(mods);
    if (r != OK)
        return r;
    for (int i = 0; i < MAX_BOOT_MODULES; i++) {
        if (mods[i].name[0] == '\0' || strncmp(mods[i].name, name, PROC_NAME_LEN) != 0)
            continue;
        return mods[i].boot_slot >= 0 ? EACCES : i;
    }
    return ENOENT;
}

/* do_exec: PM_EXEC(m_pm.name, m_pm.ptr/len = NUL-separated arguments in the
 * caller). On success the caller's old image is gone and it gets no reply
 * (EDONTREPLY); otherwise the error: EINVAL (empty name), E2BIG (arguments
 * too long), ENOENT (no such program), EACCES (not a program), or VM's. */
int do_exec(message *reply)
{
    (void)reply;
    char name[PROC_NAME_LEN];
    memcpy(name, m_in.m_pm.name, PROC_NAME_LEN);
    name[PROC_NAME_LEN - 1] = '\0';
    if (name[0] == '\0')
        return EINVAL;
    if (m_in.m_pm.len > PM_MAX_ARGS)
        return E2BIG;
    if (m_in.m_pm.len > 0 && m_in.m_pm.ptr == 0)
        return EFAULT;

    int module = find_module(name);
    if (module < 0)
        return module;

    message m;
    memset(&m, 0, sizeof(m));
    m.m_type = VM_EXEC;
    m.m_vm.ep = who_e;
    m.m_vm.module = module;
    m.m_vm.args_ep = who_e;
    m.m_vm.args_ptr = m_in.m_pm.ptr;
    m.m_vm.args_len = m_in.m_pm.len;
    memcpy(m.m_vm.name, name, PROC_NAME_LEN);
    int r = ipc_sendrec(VM_PROC_NR, &m);
    if (r != OK)
        return r;
    if (m.m_type != OK)
        return m.m_type;
    memcpy(mp->mp_name, name, PROC_NAME_LEN);
    return EDONTREPLY;
}
