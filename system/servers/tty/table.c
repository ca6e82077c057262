/* TTY's request table: request type -> handler. */
#include <crucible/syslib.h>
#include "proto.h"

#define TTY_NR_CALLS (TTY_WRITE_INLINE - TTY_BASE + 1)

static int (*const tty_calls[TTY_NR_CALLS])(message *) = {
    [TTY_WRITE - TTY_BASE]        = do_write,
    [TTY_WRITE_INLINE - TTY_BASE] = do_write_inline,
};

/*
 * Run the handler of request m and return its result (a byte count or an
 * error); EBADREQUEST for a type TTY does not know.
 */
int tty_dispatch(message *m)
{
    uint32_t idx = (uint32_t)m->m_type - TTY_BASE;

    if (idx >= TTY_NR_CALLS || tty_calls[idx] == NULL)
        return EBADREQUEST;
    return tty_calls[idx](m);
}
