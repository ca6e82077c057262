/* lib/sys sys_proc.c: kernel calls about processes: fork, exec, exit,
 * clear, kill, getksig, endksig. Each returns OK or a negative error. */
#include <crucible/syslib.h>

/* sys_fork: copy parent into a free slot (FORK_* flags, "" or NULL name
 * keeps the parent's); the child's endpoint goes to *child. */
int sys_fork(endpoint_t parent, uint32_t flags, const char *name, endpoint_t *child)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    m.m_sys_fork.parent = parent;
    m.m_sys_fork.flags = flags;
    if (name)
        strlcpy(m.m_sys_fork.name, name, sizeof m.m_sys_fork.name);
    r = kernel_call(SYS_FORK, &m);
    if (r == OK && child)
        *child = m.m_sys_fork.child;
    return r;
}

/* sys_exec: replace target's image with boot module `module`, arguments
 * args_len bytes of NUL-separated strings at args in args_ep's memory. */
int sys_exec(endpoint_t target, int module, endpoint_t args_ep, vir_bytes args, size_t args_len)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_exec.target = target;
    m.m_sys_exec.module = module;
    m.m_sys_exec.args_ep = args_ep;
    m.m_sys_exec.args_ptr = args;
    m.m_sys_exec.args_len = (uint32_t)args_len;
    return kernel_call(SYS_EXEC, &m);
}

/* sys_exit: stop this (system) process with status; its signal manager
 * hears SIGKILL. Returns only if the call failed. */
int sys_exit(int status)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_proc.target = SELF;
    m.m_sys_proc.status = status;
    return kernel_call(SYS_EXIT, &m);
}

/* sys_clear: free target's slot and memory (its endpoint goes stale). */
int sys_clear(endpoint_t target)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_proc.target = target;
    return kernel_call(SYS_CLEAR, &m);
}

/* sys_kill: raise sig for target (its signal manager is told). */
int sys_kill(endpoint_t target, int sig)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_proc.target = target;
    m.m_sys_proc.sig = sig;
    return kernel_call(SYS_KILL, &m);
}

/* sys_getksig: next process with pending signals for us (*target = NONE
 * when there is none) and its signals, which the kernel now clears. */
int sys_getksig(endpoint_t *target, sigset_t_ *sigs)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    r = kernel_call(SYS_GETKSIG, &m);
    if (r == OK) {
        *target = m.m_sys_getksig.target;
        *sigs = m.m_sys_getksig.sigs;
    }
    return r;
}

/* sys_endksig: done with target's signals; it may run again. */
int sys_endksig(endpoint_t target)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_proc.target = target;
    return kernel_call(SYS_ENDKSIG, &m);
}
