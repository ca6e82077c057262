/* The hello driver's globals. */
#ifndef HELLO_GLO_H
#define HELLO_GLO_H

#include <crucible/types.h>

extern uint32_t hello_counter;      /* answers given, across restarts */
extern uint32_t hello_published;    /* the counter as last stored in DS */
extern int hello_restarts;          /* restarts, as RS told us at init */
extern uint32_t hello_starts;       /* instances started, incl. this one */

#endif
