/*
 * test_proc: user processes through PM and VM. fork/exit/wait statuses,
 * WNOHANG, ECHILD, waiting for a given pid, 100 fork/exit/wait cycles
 * without leaking slots, exec with arguments and of a missing program,
 * kill and signal dispositions, signals from CPU exceptions, getsysinfo's
 * size check and the monotonic clock.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysinfo.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "pm_info.h"
#include "utest.h"

#define PM_FLAG_PRIV_PROC 0x10      /* pm_info.h: pm_proc_info.flags */
#define SPIN_LIMIT 200000000u

static struct pm_proc_info ptab[NR_PROCS];

/* spin: a child that runs until it is killed (never returns). */
static void spin(void)
{
    for (volatile unsigned i = 0;; i++)
        ;
}

/* spawn_exit: fork a child that exits at once with status. Returns its
 * pid or -1. */
static pid_t spawn_exit(int status)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(status);
    return pid;
}

/* wait_status: waitpid(pid) and return the status word, or -1. */
static int wait_status(pid_t pid)
{
    int status = 0;
    if (pid <= 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

/* exited_with: nonzero if status says "exited with code". */
static int exited_with(int status, int code)
{
    return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

/* killed_by: nonzero if status says "terminated by sig". */
static int killed_by(int status, int sig)
{
    return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

/* count_procs: in-use entries of PM's table, or -1. */
static int count_procs(void)
{
    if (getsysinfo(SI_PROC_TAB, ptab, sizeof(ptab)) != 0)
        return -1;
    int n = 0;
    for (int i = 0; i < NR_PROCS; i++)
        if (ptab[i].flags != 0)
            n++;
    return n;
}

static void test_exit_status(void)
{
    int codes[] = { 0, 1, 77, 255, 256 + 3 };
    int ok = 1, bad = 0, got = 0;
    for (unsigned i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        int st = wait_status(spawn_exit(codes[i]));
        if (!exited_with(st, codes[i] & 0xff)) {
            ok = 0;
            bad = codes[i];
            got = st;
        }
    }
    ut_check("exit_status", ok, "exit(%d) gave status 0x%x", bad, got);
}

static void test_wnohang_kill(void)
{
    pid_t pid = fork();
    if (pid == 0)
        spin();
    int status = 0;
    pid_t w = waitpid(pid, &status, WNOHANG);
    ut_check("wnohang", pid > 0 && w == 0, "waitpid(WNOHANG) on a running child = %d", (int)w);
    int k = kill(pid, SIGKILL);
    int st = wait_status(pid);
    ut_check("kill_sigkill", k == 0 && killed_by(st, SIGKILL), "kill %d status 0x%x", k, st);
}

static void test_echild(void)
{
    int st;
    pid_t a = waitpid(-1, &st, 0);
    int ea = errno;
    pid_t b = waitpid(12345, &st, 0);
    int eb = errno;
    pid_t c = waitpid(-1, &st, WNOHANG);
    int ec = errno;
    ut_check("echild", a == -1 && ea == ECHILD && b == -1 && eb == ECHILD &&
             c == -1 && ec == ECHILD, "waitpid without children: %d/%d %d/%d %d/%d",
             (int)a, ea, (int)b, eb, (int)c, ec);
    pid_t d = waitpid(-1, &st, 0x40);
    int ed = errno;
    ut_check("wait_badopts", d == -1 && ed == EINVAL, "waitpid(options 0x40) = %d errno %d",
             (int)d, ed);
}

static void test_wait_specific(void)
{
    pid_t a = spawn_exit(11);
    pid_t b = spawn_exit(22);
    int sb = wait_status(b);
    int sa = wait_status(a);
    ut_check("wait_pid", exited_with(sb, 22) && exited_with(sa, 11),
             "b 0x%x a 0x%x", sb, sa);
    /* a child of someone else (our parent, init) cannot be waited for */
    pid_t w = waitpid(1, &sa, WNOHANG);
    ut_check("wait_notchild", w == -1 && errno == ECHILD, "waitpid(1) = %d", (int)w);
}

static void test_many_forks(void)
{
    int before = count_procs();
    int bad = -1;
    pid_t last = 0;
    for (int i = 0; i < 100 && bad < 0; i++) {
        pid_t pid = spawn_exit(i);
        if (pid <= 0 || pid == last || !exited_with(wait_status(pid), i))
            bad = i;
        last = pid;
    }
    int after = count_procs();
    ut_check("fork_100", bad < 0, "cycle %d failed", bad);
    ut_check("no_slot_leak", before > 0 && before == after,
             "processes before %d after %d", before, after);
}

static void test_getppid(void)
{
    pid_t me = getpid();
    pid_t pid = fork();
    if (pid == 0)
        _exit(getppid() == me ? 0 : 1);
    int st = wait_status(pid);
    ut_check("getppid", exited_with(st, 0), "child status 0x%x", st);
}

/* A grandchild whose parent exits goes to init (ppid 1). It is then
 * killed; init reaps it later. */
static void test_orphan(void)
{
    pid_t child = fork();
    if (child == 0) {
        pid_t g = fork();
        if (g == 0)
            spin();
        _exit(g > 0 ? 0 : 1);
    }
    int st = wait_status(child);
    int orphan = 0;
    if (count_procs() > 0)
        for (int i = 0; i < NR_PROCS && orphan == 0; i++)
            if (ptab[i].flags != 0 && ptab[i].ppid == 1 && ptab[i].pid > child)
                orphan = ptab[i].pid;
    int k = orphan ? kill(orphan, SIGKILL) : -1;
    ut_check("orphan_to_init", exited_with(st, 0) && orphan > 0 && k == 0,
             "child status 0x%x, orphan %d, kill %d", st, orphan, k);
}

static void test_exec(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = { "echoargs", "hello", "world", NULL };
        execv("echoargs", argv);
        _exit(99);
    }
    int st = wait_status(pid);
    ut_check("exec_args", exited_with(st, 42), "echoargs status 0x%x", st);

    pid = fork();
    if (pid == 0) {
        char *argv[] = { "no_such_prog", NULL };
        int r = execv("no_such_prog", argv);
        _exit(r == -1 && errno == ENOENT ? 7 : 8);
    }
    st = wait_status(pid);
    ut_check("exec_missing", exited_with(st, 7), "child status 0x%x (8: wrong error)", st);
}

static void test_signals(void)
{
    pid_t pid = fork();
    if (pid == 0)
        spin();
    int k = kill(pid, SIGTERM);
    int st = wait_status(pid);
    ut_check("kill_sigterm", k == 0 && killed_by(st, SIGTERM), "kill %d status 0x%x", k, st);

    pid = fork();
    if (pid == 0) {
        if (signal(SIGUSR1, SIG_IGN) == SIG_ERR)
            _exit(2);
        kill(getpid(), SIGUSR1);
        _exit(3);
    }
    st = wait_status(pid);
    ut_check("sig_ign", exited_with(st, 3), "child status 0x%x", st);

    pid = fork();
    if (pid == 0) {
        kill(getpid(), SIGUSR1);
        _exit(3);
    }
    st = wait_status(pid);
    ut_check("sig_dfl", killed_by(st, SIGUSR1), "child status 0x%x", st);

    pid = fork();
    if (pid == 0) {
        kill(getpid(), SIGCHLD);        /* ignored by default */
        _exit(4);
    }
    st = wait_status(pid);
    ut_check("sigchld_ignored", exited_with(st, 4), "child status 0x%x", st);

    int e1 = kill(getpid(), 0);
    int e2 = kill(29999, 0);
    int errno2 = errno;
    int e3 = kill(getpid(), 1000);
    int errno3 = errno;
    int e4 = kill(0, SIGTERM);
    int errno4 = errno;
    ut_check("kill_errors", e1 == 0 && e2 == -1 && errno2 == ESRCH && e3 == -1 &&
             errno3 == EINVAL && e4 == -1 && errno4 == EINVAL,
             "probe %d, no pid %d/%d, bad sig %d/%d, pid 0 %d/%d",
             e1, e2, errno2, e3, errno3, e4, errno4);

    /* a system process is out of reach (probe only: nothing is sent) */
    int sys_pid = 0;
    if (count_procs() > 0)
        for (int i = 0; i < NR_PROCS && sys_pid == 0; i++)
            if (ptab[i].flags & PM_FLAG_PRIV_PROC)
                sys_pid = ptab[i].pid;
    int e5 = sys_pid ? kill(sys_pid, 0) : 0;
    ut_check("kill_system_eperm", sys_pid > 0 && e5 == -1 && errno == EPERM,
             "pid %d: %d errno %d", sys_pid, e5, errno);
}

static void test_faults(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        /* both operands volatile: the compiler may not turn the division
         * into a select (it does for a constant numerator) */
        volatile int seven = 7, zero = 0;
        volatile int x = seven / zero;
        (void)x;
        _exit(0);
    }
    int st = wait_status(pid);
    ut_check("fault_sigfpe", killed_by(st, SIGFPE), "child status 0x%x", st);

    pid = fork();
    if (pid == 0) {
        *(volatile int *)0 = 1;
        _exit(0);
    }
    st = wait_status(pid);
    ut_check("fault_sigsegv", killed_by(st, SIGSEGV), "child status 0x%x", st);

    pid = fork();
    if (pid == 0) {
        signal(SIGSEGV, SIG_IGN);       /* cannot ignore a real fault */
        *(volatile int *)0 = 1;
        _exit(0);
    }
    st = wait_status(pid);
    ut_check("fault_ignored_still_kills", killed_by(st, SIGSEGV), "child status 0x%x", st);
}

static void test_getsysinfo(void)
{
    int bad = getsysinfo(SI_PROC_TAB, ptab, sizeof(ptab) - 1);
    int ebad = errno;
    ut_check("sysinfo_badsize", bad == -1 && ebad == EINVAL, "%d errno %d", bad, ebad);
    int big = getsysinfo(SI_PROC_TAB, ptab, sizeof(ptab) + sizeof(ptab[0]));
    ut_check("sysinfo_bigsize", big == -1 && errno == EINVAL, "%d errno %d", big, errno);
    memset(ptab, 0, sizeof(ptab));
    int good = getsysinfo(SI_PROC_TAB, ptab, sizeof(ptab));
    pid_t me = getpid();
    int found = 0, init_ok = 0;
    for (int i = 0; i < NR_PROCS; i++) {
        if (ptab[i].flags != 0 && ptab[i].pid == me)
            found = 1;
        if (ptab[i].flags != 0 && ptab[i].pid == 1)
            init_ok = 1;
    }
    ut_check("sysinfo_proctab", good == 0 && found && init_ok,
             "%d errno %d, self %d, init %d", good, errno, found, init_ok);
    int what = getsysinfo(77, ptab, sizeof(ptab));
    ut_check("sysinfo_badwhat", what == -1 && errno == EINVAL, "%d errno %d", what, errno);
}

static void test_clock(void)
{
    struct timespec a, b, res;
    int ra = clock_gettime(CLOCK_MONOTONIC, &a);
    unsigned spins = 0;
    int rb;
    do {
        rb = clock_gettime(CLOCK_MONOTONIC, &b);
        spins++;
    } while (rb == 0 && b.tv_sec == a.tv_sec && b.tv_nsec == a.tv_nsec && spins < SPIN_LIMIT / 1000);
    int later = b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec > a.tv_nsec);
    ut_check("clock_monotonic", ra == 0 && rb == 0 && later &&
             a.tv_nsec >= 0 && a.tv_nsec < 1000000000L,
             "%d %d: %ld.%09ld then %ld.%09ld", ra, rb, (long)a.tv_sec, a.tv_nsec,
             (long)b.tv_sec, b.tv_nsec);
    int rr = clock_getres(CLOCK_MONOTONIC, &res);
    ut_check("clock_getres", rr == 0 && res.tv_sec == 0 && res.tv_nsec > 0,
             "%d: %ld.%09ld", rr, (long)res.tv_sec, res.tv_nsec);
    struct timespec rt;
    int rrt = clock_gettime(CLOCK_REALTIME, &rt);
    ut_check("clock_realtime", rrt == 0 && rt.tv_sec > 0, "%d: %ld", rrt, (long)rt.tv_sec);
}

/* main: run every case; exit 0 iff all passed. */
int main(void)
{
    ut_begin("test_proc");
    test_exit_status();
    test_wnohang_kill();
    test_echild();
    test_wait_specific();
    test_many_forks();
    test_getppid();
    test_exec();
    test_orphan();
    test_signals();
    test_faults();
    test_getsysinfo();
    test_clock();
    return ut_done();
}
