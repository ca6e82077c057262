/*
 * DS, the data store: a publish/subscribe store of u32 values, strings,
 * memory ranges (at most DS_MAX_DATA bytes) and labels (label -> endpoint,
 * published by RS). Keys are at most DS_MAX_KEYLEN-1 bytes; a subscriber
 * names the keys it wants with a regular expression and is notified
 * (ipc_notify) when a matching key is published, then asks DS_CHECK which.
 *
 * The store is a fixed table (store.c, pure), the matcher regex.c; the
 * request handlers (publish.c, retrieve.c, subscribe.c) copy data with
 * sys_vircopy. DS keeps its store in its own memory; a restarted or
 * updated DS takes it over from the previous instance (SEF state transfer)
 * when it is consistent, and starts empty otherwise.
 */
#include <crucible/sef.h>
#include "proto.h"
#include "glo.h"

struct ds_store ds_store;

/* SEF init, fresh start: an empty store. Returns OK. */
static int ds_init(int type, sef_init_info_t *info)
{
    (void)type;
    (void)info;
    ds_store_init(&ds_store);
    return OK;
}

/* SEF init after a restart or for a live update: keep the store SEF copied
 * from the previous instance (keys, labels, subscriptions) if it passes
 * DS's invariants; else report it (console, info->xfer =
 * SEF_XFER_REJECTED) and start empty, as without a copy. Returns OK. */
static int ds_init_again(int type, sef_init_info_t *info)
{
    const char *bad = "?";

    if (info->xfer == SEF_XFER_OK) {
        if (ds_store_invariants(&ds_store, &bad) == OK)
            return OK;
        printf("ds: store from the previous instance rejected (%s), starting empty\n",
               bad);
        info->xfer = SEF_XFER_REJECTED;
    }
    return ds_init(type, info);
}

/* DS: start under SEF, then answer requests forever. */
int main(void)
{
    message m;
    int r;

    sef_setcb_init_fresh(ds_init);
    sef_setcb_init_restart(ds_init_again);
    sef_setcb_init_lu(ds_init_again);
    sef_setcb_sanity(ds_sanity);
    /* State for corrupt_state faults: 0 = the first entry, 1 = the first
     * subscriber. */
    (void)sef_state_register("entry0", &ds_store.entry[0], sizeof(ds_store.entry[0]));
    (void)sef_state_register("sub0", &ds_store.sub[0], sizeof(ds_store.sub[0]));
    /* What a restarted or updated DS takes over: the whole store. */
    (void)sef_state_register_xfer("store", &ds_store, sizeof(ds_store));
    sef_startup();

    for (;;) {
        if (sef_receive(&m) != OK)
            continue;
        if (IS_NOTIFY(&m))
            continue;           /* DS expects no notifications */
        r = ds_dispatch(&m);
        if (r != EDONTREPLY)
            sef_reply(m.m_source, &m, r);
    }
}
