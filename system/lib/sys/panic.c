/* lib/sys panic.c: panic() for system processes (and any program that
 * links libsys): one console line, then exit so RS can recover us. */
#include <crucible/syslib.h>
#include <stdio.h>

/* panic: print "<name>: panic: <message>" and sys_exit(-1). If the exit
 * call fails (a user process, an injected fault), take a CPU exception
 * instead, which ends us through our signal manager. Never returns. */
void panic(const char *fmt, ...)
{
    char buf[160];
    va_list ap;
    int n;

    n = snprintf(buf, sizeof buf, "%s: panic: ",
                 sef_self_name[0] ? sef_self_name : "?");
    va_start(ap, fmt);
    vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
    va_end(ap);
    printf("%s\n", buf);
    sys_exit(-1);
    for (;;)
        __builtin_trap();
}
