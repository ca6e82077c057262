/* The hello driver's state in DS: the counter and the driver-up key. */
#include <crucible/syslib.h>
#include "proto.h"
#include "glo.h"

/*
 * Store the counter in DS (key hello.counter, overwriting). Returns OK and
 * records the stored value in hello_published, or DS's error.
 */
int hello_save(void)
{
    uint32_t value = hello_counter;
    int r;

    r = ds_publish_u32(HELLO_COUNTER_KEY, value, DSF_OVERWRITE);
    if (r == OK)
        hello_published = value;
    return r;
}

/*
 * Read the counter back from DS after a restart or live update. A missing
 * key (we never answered before) means 0. Returns OK or DS's error (the
 * init then fails and RS tries again).
 */
int hello_restore(void)
{
    uint32_t value = 0;
    int r;

    r = ds_retrieve_u32(HELLO_COUNTER_KEY, &value);
    if (r == ENOENT)
        value = 0;
    else if (r != OK)
        return r;
    hello_counter = value;
    hello_published = value;
    return OK;
}

/*
 * Announce that the driver is up: publish drv.up.hello = the number of
 * instances started so far (1 on a fresh start, one more than the stored
 * value otherwise; restarts + 1 if DS has no value). Returns DS's result.
 */
int hello_announce(int fresh)
{
    uint32_t starts = 0;

    if (fresh || ds_retrieve_u32(HELLO_UP_KEY, &starts) != OK)
        starts = fresh ? 0 : (uint32_t)hello_restarts;
    hello_starts = starts + 1;
    return ds_publish_u32(HELLO_UP_KEY, hello_starts, DSF_OVERWRITE);
}

/* SEF live update, state save: store the counter for the new instance.
 * Returns OK or DS's error (which refuses the update). */
int hello_state_save(int state)
{
    (void)state;
    return hello_save();
}
