/* DS's globals. */
#ifndef DS_GLO_H
#define DS_GLO_H

#include "store.h"

extern struct ds_store ds_store;        /* every key and subscriber */

#endif
