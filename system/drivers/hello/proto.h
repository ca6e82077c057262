/* The hello driver's functions. */
#ifndef HELLO_PROTO_H
#define HELLO_PROTO_H

#include <crucible/ipc.h>

#define HELLO_LABEL         "hello"
#define HELLO_COUNTER_KEY   "hello.counter"
#define HELLO_UP_KEY        DS_DRIVER_UP HELLO_LABEL    /* "drv.up.hello" */

/* hello.c */
int do_get(message *m);
int do_crash(message *m);

/* events.c */
int do_watch(message *m);
void hello_proc_event(const message *m);
void hello_answer_held(void);

/* state.c */
int hello_save(void);
int hello_restore(void);
int hello_announce(int fresh);
int hello_state_save(int state);

/* table.c */
int hello_dispatch(message *m);

/* sanity.c */
int hello_sanity(const char **invariant);

#endif
