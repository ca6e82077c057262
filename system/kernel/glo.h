/* Kernel globals. Defined once, in kernel/main.c. */
#ifndef KERNEL_GLO_H
#define KERNEL_GLO_H

#include "proc.h"

extern struct proc proc_table[NR_ALL_SLOTS];
extern struct priv priv_table[NR_SYS_PROCS];
extern struct proc *current_proc;   /* the process that trapped or runs */
extern clock_t_ kernel_ticks;       /* ticks since boot */
extern uint32_t kernel_boottime;    /* seconds since 1970 at boot */
extern struct kinfo kernel_info;    /* cmdline, modules count, hz, memory */
extern struct module_info boot_modules[MAX_BOOT_MODULES];

#endif
