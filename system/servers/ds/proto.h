/* DS's functions (the pure store and matcher are in store.h). */
#ifndef DS_PROTO_H
#define DS_PROTO_H

#include <crucible/ipc.h>
#include "store.h"

/* publish.c */
int do_publish(message *m);
int do_delete(message *m);

/* retrieve.c */
int do_retrieve(message *m);
int do_retrieve_label(message *m);

/* subscribe.c */
int do_subscribe(message *m);
int do_check(message *m);
void ds_notify_subscribers(ds_notify_mask mask);

/* table.c */
int ds_dispatch(message *m);

/* sanity.c */
int ds_sanity(const char **invariant);

#endif
