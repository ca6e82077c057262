/*
 * lib/c console.c: the default (WEAK) console sink for user programs.
 * TTY_WRITE by SENDREC to TTY with a pointer to the caller's buffer; TTY
 * copies it out with sys_vircopy and answers with the byte count or OK.
 * A request lost because TTY was restarted (ERESTART: the new instance
 * never saw it) is sent again, a few times: the output is written at
 * least once, and a TTY crash loses no line. System servers link libsys's
 * sys_console object, whose strong __console_write replaces this one. Keep this the only thing in the file,
 * so the archive member is never pulled in beside the strong one.
 */
#include <stdio.h>
#include "libc_priv.h"

#define CONSOLE_RETRIES 3   /* sends of one write while TTY restarts */

/* __console_write: write buf[0..len) to the console; len or -1 (errno). */
__attribute__((weak)) int __console_write(const char *buf, size_t len)
{
    message m;
    int r, tries = 0;

    if (len == 0)
        return 0;
    do {
        memset(&m, 0, sizeof m);
        m.m_type = TTY_WRITE;
        m.m_tty.ptr = (vir_bytes)(uintptr_t)buf;
        m.m_tty.len = (uint32_t)len;
        r = ipc_sendrec(TTY_PROC_NR, &m);
        if (r == OK)
            r = m.m_type;
    } while (r == ERESTART && ++tries < CONSOLE_RETRIES);
    if (r < 0)
        return libc_result(r);
    return (int)len;
}
