/*
 * init, the first user process (pid 1). Runs the programs named by the
 * kernel command line (run=a,b,c; default smoke), one after the other:
 * system programs through RS (RS_UP with RSU_WAIT), user programs with
 * fork + execv + waitpid. Then prints the ready line the host waits for,
 * `crucible: ready services=N ticks=T`, and with halt=1 ends the machine
 * through PM_REBOOT with status 0 if every program passed, 1 otherwise.
 * Otherwise it stays and reaps orphans forever (PM blocks init's wait even
 * when it has no children, so this does not spin).
 */
#include <sysinfo.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "init.h"

#define MAX_RUN 256

static struct kinfo ki;

/* cmdline_value: copy the value of key=... from the kernel command line
 * into buf (at most len-1 chars). Returns 1 if key was present, else 0. */
static int cmdline_value(const char *cmdline, const char *key, char *buf, size_t len)
{
    size_t klen = strlen(key);
    const char *p = cmdline;
    while (*p != '\0') {
        while (*p == ' ')
            p++;
        const char *word = p;
        while (*p != '\0' && *p != ' ')
            p++;
        if ((size_t)(p - word) > klen && strncmp(word, key, klen) == 0 && word[klen] == '=') {
            size_t n = (size_t)(p - word) - klen - 1;
            if (n >= len)
                n = len - 1;
            memcpy(buf, word + klen + 1, n);
            buf[n] = '\0';
            return 1;
        }
    }
    return 0;
}

/* run_user: fork and exec the user program name, wait for it. Returns 0 if
 * it exited with status 0, 1 otherwise (failed, signalled, not started). */
static int run_user(const char *name)
{
    pid_t pid = fork();
    if (pid < 0) {
        printf("init: cannot fork for %s\n", name);
        return 1;
    }
    if (pid == 0) {
        char *argv[2];
        argv[0] = (char *)name;
        argv[1] = NULL;
        execv(name, argv);
        printf("init: cannot run %s\n", name);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        printf("init: lost %s\n", name);
        return 1;
    }
    if (WIFSIGNALED(status)) {
        printf("init: %s killed by signal %d\n", name, WTERMSIG(status));
        return 1;
    }
    if (WEXITSTATUS(status) != 0) {
        printf("init: %s exited with status %d\n", name, WEXITSTATUS(status));
        return 1;
    }
    return 0;
}

/* run_one: run program name, as a system program if RS knows it, else as
 * a user program. Returns 0 if it passed, 1 if not. */
static int run_one(const char *name)
{
    int status = 0;
    int r = rs_program_wait(name, &status);
    if (init_is_enoent(r))
        return run_user(name);
    if (r != 0) {
        printf("init: RS cannot run %s (%d)\n", name, r);
        return 1;
    }
    if (status != 0) {
        printf("init: %s exited with status %d\n", name, status);
        return 1;
    }
    return 0;
}

/* run_all: run each comma-separated program of list in order. Returns the
 * number that failed. */
static int run_all(char *list)
{
    int failures = 0;
    char *p = list;
    while (*p != '\0') {
        char *name = p;
        while (*p != '\0' && *p != ',')
            p++;
        if (*p == ',')
            *p++ = '\0';
        if (*name != '\0')
            failures += run_one(name);
    }
    return failures;
}

/* uptime_ticks: ticks since boot from CLOCK_MONOTONIC, 0 if unknown. */
static unsigned long uptime_ticks(void)
{
    struct timespec ts;
    unsigned long hz = ki.hz ? ki.hz : 1000;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (unsigned long)ts.tv_sec * hz +
           (unsigned long)ts.tv_nsec / (1000000000ul / hz);
}

/* main: run the programs, announce readiness, then halt or reap forever. */
int main(void)
{
    static char run[MAX_RUN];
    char halt[8];
    int failures = 0;

    if (getsysinfo(SI_KINFO, &ki, sizeof(ki)) != 0) {
        printf("init: cannot read the kernel command line\n");
        ki.cmdline[0] = '\0';
    }
    ki.cmdline[CMDLINE_MAX - 1] = '\0';
    if (!cmdline_value(ki.cmdline, "run", run, sizeof(run)))
        strlcpy(run, "smoke", sizeof(run));
    int do_halt = cmdline_value(ki.cmdline, "halt", halt, sizeof(halt)) &&
                  strcmp(halt, "1") == 0;

    failures = run_all(run);
    printf("crucible: ready services=%d ticks=%lu\n", rs_services(), uptime_ticks());

    if (do_halt) {
        reboot(failures ? 1 : 0);
        printf("init: reboot failed\n");
    }
    for (;;) {
        int status;
        (void)wait(&status);
    }
}
