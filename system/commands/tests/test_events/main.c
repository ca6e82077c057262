/*
 * test_events: PM's process events (seed 002) on the real OS, with the
 * hello driver as the subscriber (HELLO_WATCH, docs/os.md). A user
 * program (init forks and execs it): its children's exits are the events.
 *
 * Cases, in order:
 *   watch_bad_mode        HELLO_WATCH with mode 7: EINVAL
 *   held_until_answered   hello holding, a child's exit stays pending in PM
 *                         (EXITING; the parent's WNOHANG wait sees nothing)
 *                         until hello answers; then the parent reaps it
 *   told_again_after_crash hello crashed while holding an exit: the
 *                         restarted instance is told again and answers; the
 *                         parent reaps the child
 *   stopped_not_held      after HELLO_WATCH_STOP an exit is reaped at once
 *
 * Crucible headers come first: error codes are the negative crucible ones
 * (libc's <errno.h> then defines only errno).
 */
#include <crucible/syslib.h>
#include <string.h>
#include <sysinfo.h>
#include <unistd.h>
#include <sys/wait.h>
#include "pm_info.h"
#include "utest.h"

#define PM_FLAG_EXITING 0x08        /* pm_info.h: pm_proc_info.flags */
#define POLLS 1000

static struct pm_proc_info ptab[NR_PROCS];

/* hello_call: request type (value: m_hello.value) to hello; hello's
 * answer (m_type) or the IPC error. */
static int hello_call(int type, int value)
{
    message m;

    memset(&m, 0, sizeof m);
    m.m_type = type;
    m.m_hello.value = value;
    int r = ipc_sendrec(HELLO_PROC_NR, &m);
    return r != OK ? r : m.m_type;
}

/* child_exit: fork a child that exits at once with status; its pid. */
static pid_t child_exit(int status)
{
    pid_t pid = fork();

    if (pid == 0)
        _exit(status);
    return pid;
}

/* held: nonzero once PM holds pid's exit (EXITING), asking PM's table up
 * to POLLS times (each call lets the child run). */
static int held(pid_t pid)
{
    for (int n = 0; n < POLLS; n++) {
        if (getsysinfo(SI_PROC_TAB, ptab, sizeof(ptab)) != 0)
            return 0;
        for (int i = 0; i < NR_PROCS; i++)
            if (ptab[i].pid == pid && (ptab[i].flags & PM_FLAG_EXITING))
                return 1;
    }
    return 0;
}

/* reaped: waitpid(pid) (blocking); nonzero if it exited with code. */
static int reaped(pid_t pid, int code)
{
    int st = 0;

    return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == code;
}

static void test_held_until_answered(void)
{
    int st = 0;
    int hold = hello_call(HELLO_WATCH, HELLO_WATCH_HOLD);
    pid_t pid = child_exit(9);
    int h = held(pid);
    pid_t early = waitpid(pid, &st, WNOHANG);
    int answer = hello_call(HELLO_WATCH, HELLO_WATCH_ANSWER);
    int ok = reaped(pid, 9);

    ut_check("held_until_answered", hold == OK && h && early == 0 && answer == OK && ok,
             "hold %d held %d early wait %d answer %d reaped %d", hold, h, (int)early,
             answer, ok);
}

static void test_told_again_after_crash(void)
{
    int hold = hello_call(HELLO_WATCH, HELLO_WATCH_HOLD);
    pid_t pid = child_exit(10);
    int h = held(pid);
    int crash = hello_call(HELLO_CRASH, 0);
    int ok = reaped(pid, 10);                   /* the new instance answers */

    ut_check("told_again_after_crash", hold == OK && h && crash == ERESTART && ok,
             "hold %d held %d crash %d reaped %d", hold, h, crash, ok);
}

static void test_stopped_not_held(void)
{
    int hold = hello_call(HELLO_WATCH, HELLO_WATCH_HOLD);
    int stop = hello_call(HELLO_WATCH, HELLO_WATCH_STOP);
    int ok = reaped(child_exit(11), 11);

    ut_check("stopped_not_held", hold == OK && stop == OK && ok,
             "hold %d stop %d reaped %d", hold, stop, ok);
}

int main(void)
{
    ut_begin("test_events");
    int bad = hello_call(HELLO_WATCH, 7);
    ut_check("watch_bad_mode", bad == EINVAL, "HELLO_WATCH mode 7: %d", bad);
    test_held_until_answered();
    test_told_again_after_crash();
    test_stopped_not_held();
    return ut_done();
}
