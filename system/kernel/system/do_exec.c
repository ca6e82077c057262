/*
 * SYS_EXEC(target, module, args_ep, args_ptr, args_len)
 *
 * Who: VM (user exec for PM) and RS (new service instances).
 * In:  m_sys_exec.target   process whose image is replaced (SELF allowed)
 *      m_sys_exec.module   boot module index (GET_MODULES)
 *      m_sys_exec.args_ep  process whose memory holds the arguments (SELF ok)
 *      m_sys_exec.args_ptr NUL-separated strings, or 0 with args_len 0
 *      m_sys_exec.args_len bytes, including the final NUL
 * The arguments are copied into the kernel (at most KEXEC_ARGS_MAX bytes),
 * then arch_proc_exec() replaces the image and registers. On success the
 * target's pending receive / reply state is dropped: it starts afresh at
 * the entry point, runnable unless something else (NO_PRIV, a signal) holds
 * it. Its name becomes the module's name. When the caller execs itself
 * there is no reply (EDONTREPLY): its old message buffer is gone.
 * Errors: EDEADSRCDST bad target or args_ep; EPERM kernel task; EBUSY the
 *   target is blocked sending; EINVAL bad module or args not NUL-terminated;
 *   E2BIG args too long; EFAULT args not readable; ENOEXEC/ENOMEM from
 *   arch_proc_exec (the target keeps its state then).
 */
#include "system.h"

static char exec_args[KEXEC_ARGS_MAX];

int do_exec(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    mess_sys_exec *e = &m->m_sys_exec;
    struct proc *target, *args_p;
    size_t len = e->args_len;
    int r;

    if ((r = kcall_proc(caller, e->target, KC_SELF_OK, &target)) != OK)
        return r;
    if (target->p_rts_flags & RTS_SENDING)
        return EBUSY;
    if (e->module < 0 || e->module >= MAX_BOOT_MODULES ||
        (uint32_t)e->module >= kernel_info.nr_modules ||
        boot_modules[e->module].name[0] == '\0')
        return EINVAL;

    if (len > KEXEC_ARGS_MAX)
        return E2BIG;
    if (len > 0) {
        if (e->args_ptr == 0)
            return EFAULT;
        if ((r = kcall_proc(caller, e->args_ep, KC_SELF_OK, &args_p)) != OK)
            return r;
        if ((r = arch_copy_from_proc(args_p, e->args_ptr, exec_args, len)) != OK)
            return r;
        if (exec_args[len - 1] != '\0')
            return EINVAL;
    }

    if ((r = arch_proc_exec(target, e->module, exec_args, len)) != OK)
        return r;

    /* A fresh start: forget what the old image was waiting for. */
    target->p_misc_flags &= ~(uint32_t)MF_REPLY_PEND;
    target->p_getfrom_e = NONE;
    target->p_recv_buf = 0;
    target->p_asyntab = 0;
    target->p_asynsize = 0;
    kstrlcpy(target->p_name, boot_modules[e->module].name, PROC_NAME_LEN);
    if (target->p_rts_flags & RTS_RECEIVING)
        rts_clear(target, RTS_RECEIVING);

    return target == caller ? EDONTREPLY : OK;
}
