/* VM's functions. A handler reads m_in / who_e, fills *reply and returns
 * OK or an error (the reply's m_type). */
#ifndef VM_PROTO_H
#define VM_PROTO_H

#include <crucible/sef.h>
#include "vmproc.h"

typedef int (*vm_handler_t)(message *reply);

/* table.c */
vm_handler_t vm_call_handler(int type);

/* proc.c */
int do_fork(message *reply);
int do_exec(message *reply);
int do_exit(message *reply);
int do_info(message *reply);

/* callmask.c */
int vm_is_sys(endpoint_t ep);
void vm_set_class(endpoint_t ep, int is_sys);
int do_callmask(message *reply);

/* sanity.c */
int vm_sanity(const char **invariant);

#endif
