/* getsysinfo: copy PM's process table or the kernel's kinfo to a caller
 * that names the exact size it expects (seed 004). */
#include "glo.h"
#include "proto.h"
#include "pm_info.h"

static struct pm_proc_info info_tab[NR_PROCS];

/* fill_proc_tab: snapshot mproc into info_tab. */
static void fill_proc_tab(void)
{
    memset(info_tab, 0, sizeof(info_tab));
    for (int i = 0; i < NR_PROCS; i++) {
        const struct mproc *rmp = &mproc[i];
        if (!(rmp->mp_flags & IN_USE))
            continue;
        struct pm_proc_info *pi = &info_tab[i];
        pi->flags = rmp->mp_flags;
        pi->pid = rmp->mp_pid;
        pi->ppid = (rmp->mp_parent == i) ? 0 : mproc[rmp->mp_parent].mp_pid;
        pi->endpoint = rmp->mp_endpoint;
        pi->status = (rmp->mp_flags & ZOMBIE) ?
            pm_status_word(rmp->mp_exitstatus, rmp->mp_sigstatus) : 0;
        pi->ignore = rmp->mp_ignore;
        memcpy(pi->name, rmp->mp_name, PROC_NAME_LEN);
    }
}

/* do_getsysinfo: PM_GETSYSINFO(m_pm.what, m_pm.ptr, m_pm.len). Copies
 * struct pm_proc_info[NR_PROCS] (SI_PROC_TAB) or struct kinfo (SI_KINFO)
 * to m_pm.ptr in the caller only if m_pm.len is exactly its size. Replies
 * OK, EINVAL (unknown what or wrong size) or the copy's error (EFAULT). */
int do_getsysinfo(message *reply)
{
    (void)reply;
    uint32_t len = m_in.m_pm.len;
    vir_bytes dst = m_in.m_pm.ptr;

    switch (m_in.m_pm.what) {
    case SI_PROC_TAB:
        if (len != sizeof(info_tab))
            return EINVAL;
        fill_proc_tab();
        return sys_vircopy(sef_self_endpoint, (vir_bytes)(uintptr_t)info_tab, who_e, dst, len);
    case SI_KINFO: {
        static struct kinfo ki;
        if (len != sizeof(ki))
            return EINVAL;
        int r = sys_getkinfo(&ki);
        if (r != OK)
            return r;
        return sys_vircopy(sef_self_endpoint, (vir_bytes)(uintptr_t)&ki, who_e, dst, len);
    }
    default:
        return EINVAL;
    }
}
