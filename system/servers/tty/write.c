/* TTY: the write requests. */
#include <crucible/syslib.h>
#include "proto.h"
#include "glo.h"

/*
 * TTY_WRITE: m_tty.ptr/len, a buffer in the caller, copied with
 * sys_vircopy in chunks of TTY_CHUNK bytes and written to the console. At
 * most TTY_MAX_WRITE bytes are written per request. Returns the number of
 * bytes written (the caller retries the rest), or an error when nothing
 * was written (the copy's error for a bad pointer, the port's error).
 */
int do_write(message *m)
{
    char buf[TTY_CHUNK];
    uint32_t len = m->m_tty.len, done = 0;
    int r = EIO;

    if (len > TTY_MAX_WRITE)
        len = TTY_MAX_WRITE;
    tty_busy = 1;
    while (done < len) {
        uint32_t n = len - done < TTY_CHUNK ? len - done : TTY_CHUNK;

        r = sys_vircopy(m->m_source, m->m_tty.ptr + done, sef_self_endpoint,
                        (vir_bytes)(uintptr_t)buf, n);
        if (r != OK)
            break;
        r = serial_write(buf, n);
        if (r < 0)
            break;
        done += (uint32_t)r;
        if ((uint32_t)r < n)
            break;
    }
    tty_busy = 0;
    tty_requests++;
    if (done == 0 && len > 0)
        return r;
    m->m_tty.len = done;
    return (int)done;
}

/*
 * TTY_WRITE_INLINE: m_tty.len (at most sizeof(m_tty.data)) bytes in
 * m_tty.data, sent with SENDNB by system processes (libsys console.c) that
 * do not wait for an answer. Returns EDONTREPLY always: a reply would reach
 * the sender later as a stray message in its main loop. A bad length is
 * dropped.
 */
int do_write_inline(message *m)
{
    if (m->m_tty.len <= sizeof(m->m_tty.data)) {
        tty_busy = 1;
        (void)serial_write(m->m_tty.data, m->m_tty.len);
        tty_busy = 0;
    }
    tty_requests++;
    return EDONTREPLY;
}
