/*
 * panic.c: the kernel's last words. One console line beginning
 * "crucible: panic: " (the host harness looks for it), then the machine
 * ends with PANIC_EXIT_VALUE.
 */
#include <stdarg.h>
#include "kernel.h"
#include "inject_kern.h"

/* Callable anywhere. Prints "crucible: panic: <formatted fmt>\n" as one
 * line (newlines in the message become spaces) and never returns. */
void kernel_panic(const char *fmt, ...)
{
    static const char prefix[] = "crucible: panic: ";
    char buf[256];
    size_t len = sizeof(prefix) - 1, i;
    va_list ap;
    int r;

    kmemcpy(buf, prefix, len);
    va_start(ap, fmt);
    r = kvsnprintf(buf + len, sizeof(buf) - len - 1, fmt, ap);
    va_end(ap);
    if (r > (int)(sizeof(buf) - len - 2))
        r = (int)(sizeof(buf) - len - 2);
    for (i = len; i < len + (size_t)r; i++)
        if (buf[i] == '\n' || buf[i] == '\r')
            buf[i] = ' ';
    len += (size_t)r;
    buf[len++] = '\n';
    arch_console_write(buf, len);
    ctl_event_panic(buf + sizeof(prefix) - 1, len - 1 - (sizeof(prefix) - 1));
    arch_shutdown(PANIC_EXIT_VALUE);
}
