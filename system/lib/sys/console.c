/*
 * lib/sys console.c: the STRONG __console_write of system processes
 * (object library sys_console; it replaces libc's weak TTY_WRITE one).
 * Output goes to TTY in TTY_WRITE_INLINE messages of up to 48 bytes, each
 * with a non-blocking SENDNB (TTY must not reply to them). If TTY cannot
 * take a message for any reason (not receiving, dead, or we are TTY), the
 * rest of the output goes to the kernel console through SYS_DIAGCTL
 * (DIAG_PRINT), so a server never blocks on printing.
 */
#include <crucible/syslib.h>
#include <stdio.h>

#define INLINE_MAX ((size_t)sizeof(((mess_tty *)0)->data))

/* __console_write: write buf[0..len); returns len, or -1 if even the
 * kernel console refused. */
int __console_write(const char *buf, size_t len)
{
    size_t done = 0;
    message m;

    if (sef_self_endpoint != TTY_PROC_NR) {
        while (done < len) {
            size_t n = len - done < INLINE_MAX ? len - done : INLINE_MAX;
            memset(&m, 0, sizeof m);
            m.m_type = TTY_WRITE_INLINE;
            m.m_tty.len = (uint32_t)n;
            memcpy(m.m_tty.data, buf + done, n);
            if (ipc_sendnb(TTY_PROC_NR, &m) != OK)
                break;
            done += n;
        }
    }
    if (done < len && sys_diagctl(DIAG_PRINT, buf + done, len - done) != OK)
        return -1;
    return (int)len;
}
