/* The hello driver's request table: request type -> handler. */
#include <crucible/syslib.h>
#include "proto.h"

#define HELLO_NR_CALLS (HELLO_WATCH - HELLO_BASE + 1)

static int (*const hello_calls[HELLO_NR_CALLS])(message *) = {
    [HELLO_GET - HELLO_BASE]   = do_get,
    [HELLO_CRASH - HELLO_BASE] = do_crash,
    [HELLO_WATCH - HELLO_BASE] = do_watch,
};

/*
 * Run the handler of request m and return its result; EBADREQUEST for a
 * type the driver does not know.
 */
int hello_dispatch(message *m)
{
    uint32_t idx = (uint32_t)m->m_type - HELLO_BASE;

    if (idx >= HELLO_NR_CALLS || hello_calls[idx] == NULL)
        return EBADREQUEST;
    return hello_calls[idx](m);
}
