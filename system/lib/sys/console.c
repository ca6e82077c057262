/*
 * lib/sys console.c: the STRONG __console_write of system servers (object
 * library sys_console; it replaces libc's weak TTY_WRITE one). A server
 * must never block on printing, so each write takes exactly one path: if
 * it fits in one TTY_WRITE_INLINE message (48 bytes) it goes to TTY with a
 * non-blocking SENDNB (TTY does not reply to them); otherwise, or if TTY
 * cannot take it (not receiving, dead, or we are TTY), it goes whole to the
 * kernel console through SYS_DIAGCTL (DIAG_PRINT). Never splitting a write
 * across the two paths keeps each line whole and in order even while TTY
 * is being restarted.
 */
#include <crucible/syslib.h>
#include <stdio.h>

#define INLINE_MAX ((size_t)sizeof(((mess_tty *)0)->data))

/* __console_write: write buf[0..len); returns len, or -1 if even the
 * kernel console refused. */
int __console_write(const char *buf, size_t len)
{
    message m;

    if (len == 0)
        return 0;
    if (len <= INLINE_MAX && sef_self_endpoint != TTY_PROC_NR) {
        memset(&m, 0, sizeof m);
        m.m_type = TTY_WRITE_INLINE;
        m.m_tty.len = (uint32_t)len;
        memcpy(m.m_tty.data, buf, len);
        if (ipc_sendnb(TTY_PROC_NR, &m) == OK)
            return (int)len;
    }
    if (sys_diagctl(DIAG_PRINT, buf, len) != OK)
        return -1;
    return (int)len;
}
