/*
 * table.c: the kernel's boot table. A boot module whose name is listed here
 * becomes a process at the listed slot (endpoint.h) when the kernel boots;
 * any other module is a program that can be exec'd by name later.
 */
#include "kernel.h"

static const struct boot_entry boot_table[] = {
    /* name     slot            priority    quantum */
    { "pm",    PM_PROC_NR,     SERVER_Q,   DEFAULT_QUANTUM },
    { "vfs",   VFS_PROC_NR,    SERVER_Q,   DEFAULT_QUANTUM },
    { "rs",    RS_PROC_NR,     SERVER_Q,   DEFAULT_QUANTUM },
    { "ds",    DS_PROC_NR,     SERVER_Q,   DEFAULT_QUANTUM },
    { "vm",    VM_PROC_NR,     SERVER_Q,   DEFAULT_QUANTUM },
    { "tty",   TTY_PROC_NR,    TASK_Q + 1, DEFAULT_QUANTUM },
    { "sched", SCHED_PROC_NR,  SERVER_Q,   DEFAULT_QUANTUM },
    { "ipc",   IPC_PROC_NR,    SERVER_Q,   DEFAULT_QUANTUM },
    { "hello", HELLO_PROC_NR,  SERVER_Q + 1, DEFAULT_QUANTUM },
    { "init",  INIT_PROC_NR,   USER_Q,     DEFAULT_QUANTUM },
};

/* Returns the boot table entry named 'name', or NULL. */
const struct boot_entry *boot_table_lookup(const char *name)
{
    size_t i;

    KASSERT(name != NULL);
    for (i = 0; i < sizeof(boot_table) / sizeof(boot_table[0]); i++)
        if (kstrcmp(boot_table[i].name, name) == 0)
            return &boot_table[i];
    return NULL;
}
