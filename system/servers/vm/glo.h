/* VM's globals. */
#ifndef VM_GLO_H
#define VM_GLO_H

#include <crucible/sef.h>
#include "vmproc.h"

extern struct vm_masks vm_masks;
extern struct vm_acct vm_acct;

/* Privilege class cache: is the process at a slot a system process?
 * Valid for cls_ep[slot] only (endpoints change when slots are reused). */
extern endpoint_t cls_ep[NR_PROCS];
extern uint8_t cls_sys[NR_PROCS];

extern message m_in;            /* the request in progress */
extern endpoint_t who_e;        /* its sender */

#endif
