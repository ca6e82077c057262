/*
 * smoke: the quick user-level check init runs by default. getpid, one
 * fork/wait round trip, printf, and getsysinfo's expected-size check.
 */
#include <errno.h>
#include <stdio.h>
#include <sysinfo.h>
#include <unistd.h>
#include <sys/wait.h>
#include "utest.h"

/* main: run the cases; exit 0 iff all passed. */
int main(void)
{
    ut_begin("smoke");

    pid_t me = getpid();
    ut_check("getpid", me > 1, "getpid() = %d", (int)me);

    pid_t pid = fork();
    if (pid == 0)
        _exit(5);
    int status = -1;
    pid_t w = pid > 0 ? waitpid(pid, &status, 0) : -1;
    ut_check("fork_wait", pid > 0 && w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 5,
             "fork %d waitpid %d status 0x%x", (int)pid, (int)w, status);

    int n = printf("smoke: hello from pid %d\n", (int)me);
    ut_check("printf", n > 0, "printf returned %d", n);

    static struct kinfo ki;
    int good = getsysinfo(SI_KINFO, &ki, sizeof(ki));
    ut_check("getsysinfo_size", good == 0 && ki.version == KINFO_VERSION,
             "right size: %d (errno %d), version %u", good, errno, (unsigned)ki.version);
    int bad = getsysinfo(SI_KINFO, &ki, sizeof(ki) - 4);
    int bad_errno = errno;
    ut_check("getsysinfo_badsize", bad == -1 && bad_errno == EINVAL,
             "wrong size: %d errno %d", bad, bad_errno);

    return ut_done();
}
