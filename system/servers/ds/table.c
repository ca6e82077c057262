/* DS's request table: request type -> handler. */
#include <crucible/syslib.h>
#include "proto.h"

#define DS_NR_CALLS (DS_RETRIEVE_LABEL - DS_BASE + 1)

static int (*const ds_calls[DS_NR_CALLS])(message *) = {
    [DS_PUBLISH - DS_BASE]        = do_publish,
    [DS_RETRIEVE - DS_BASE]       = do_retrieve,
    [DS_DELETE - DS_BASE]         = do_delete,
    [DS_SUBSCRIBE - DS_BASE]      = do_subscribe,
    [DS_CHECK - DS_BASE]          = do_check,
    [DS_RETRIEVE_LABEL - DS_BASE] = do_retrieve_label,
};

/*
 * Run the handler of request m (its reply fields are filled into m) and
 * return its result; EBADREQUEST for a type DS does not know.
 */
int ds_dispatch(message *m)
{
    uint32_t idx = (uint32_t)m->m_type - DS_BASE;

    if (idx >= DS_NR_CALLS || ds_calls[idx] == NULL)
        return EBADREQUEST;
    return ds_calls[idx](m);
}
