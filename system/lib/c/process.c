/*
 * lib/c process.c: process calls answered by PM: exit/_exit, fork,
 * waitpid/wait, getpid/getppid, execv, kill, raise.
 *
 * Reply conventions libc relies on (PM must follow them):
 *   fork:    parent: m_type = OK and m_pm.pid = child pid (or m_type =
 *            the child pid); child: m_type = 0, m_pm.pid = 0.
 *   getpid/getppid: m_pm.pid = the pid (or m_type = the pid).
 *   wait:    m_pm.pid = the child that ended (0 with WNOHANG if none yet;
 *            or m_type = that pid), m_pm.status = the <sys/wait.h> word.
 *   exec:    no reply on success.
 * Errors are a negative m_type.
 */
#include <unistd.h>
#include <sys/wait.h>
#include <signal.h>
#include <string.h>
#include "libc_priv.h"

/* The pid of a PM reply: the positive result, else m_pm.pid. */
static pid_t reply_pid(int r, const message *m)
{
    return r > 0 ? r : m->m_pm.pid;
}

/* _exit: PM_EXIT with status; never returns. If PM does not end us (its
 * call failed), take an exception so PM's signal path does. */
void _exit(int status)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_pm.status = status;
    libc_pm_call(PM_EXIT, &m);
    for (;;)
        __builtin_trap();
}

/* exit: end the program with status (no atexit handlers, no buffers). */
void exit(int status)
{
    _exit(status);
}

/* abort: end the program with SIGABRT (or a trap if that fails). */
void abort(void)
{
    raise(SIGABRT);
    for (;;)
        __builtin_trap();
}

/* fork: child pid in the parent, 0 in the child, -1 with errno. */
pid_t fork(void)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    r = libc_pm_call(PM_FORK, &m);
    if (r < 0)
        return libc_result(r);
    return reply_pid(r, &m);
}

/* waitpid: see <sys/wait.h>. */
pid_t waitpid(pid_t pid, int *status, int options)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    m.m_pm.pid = pid;
    m.m_pm.options = options;
    r = libc_pm_call(PM_WAIT, &m);
    if (r < 0)
        return libc_result(r);
    r = reply_pid(r, &m);
    if (status && r > 0)
        *status = m.m_pm.status;
    return r;
}

/* wait: waitpid(-1, status, 0). */
pid_t wait(int *status)
{
    return waitpid(-1, status, 0);
}

/* getpid: this process's pid (-1 with errno if PM cannot be reached). */
pid_t getpid(void)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    r = libc_pm_call(PM_GETPID, &m);
    if (r < 0)
        return libc_result(r);
    return reply_pid(r, &m);
}

/* getppid: the parent's pid. */
pid_t getppid(void)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    r = libc_pm_call(PM_GETPPID, &m);
    if (r < 0)
        return libc_result(r);
    return reply_pid(r, &m);
}

/* Largest argument block execv builds on its stack. */
#define EXEC_ARGS_MAX 512

/* execv: PM_EXEC{name = module name, ptr/len = argv as NUL-separated
 * strings, the final NUL included; what = -1 (PM finds the module by
 * name)}. Returns -1 with errno (ENOENT: no such module, E2BIG,
 * ENAMETOOLONG); never returns on success. */
int execv(const char *name, char *const argv[])
{
    char args[EXEC_ARGS_MAX];
    size_t used = 0;
    message m;
    int i, r;

    if (strlen(name) >= sizeof m.m_pm.name)
        return libc_result(ENAMETOOLONG);
    for (i = 0; argv && argv[i]; i++) {
        size_t n = strlen(argv[i]) + 1;
        if (used + n > sizeof args)
            return libc_result(E2BIG);
        memcpy(args + used, argv[i], n);
        used += n;
    }
    memset(&m, 0, sizeof m);
    strlcpy(m.m_pm.name, name, sizeof m.m_pm.name);
    m.m_pm.what = -1;
    m.m_pm.ptr = used ? (vir_bytes)(uintptr_t)args : 0;
    m.m_pm.len = (uint32_t)used;
    r = libc_pm_call(PM_EXEC, &m);
    /* Any answer at all means the exec did not happen. */
    return libc_result(r < 0 ? r : EGENERIC);
}

/* kill: send sig to process pid (PM_KILL). 0 or -1 with errno. */
int kill(pid_t pid, int sig)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    m.m_pm.pid = pid;
    m.m_pm.sig = sig;
    r = libc_pm_call(PM_KILL, &m);
    return r < 0 ? libc_result(r) : 0;
}

/* raise: kill(getpid(), sig). */
int raise(int sig)
{
    pid_t me = getpid();
    if (me < 0)
        return -1;
    return kill(me, sig);
}
