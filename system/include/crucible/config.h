/*
 * System-wide sizes and rates. Changing one of these changes the ABI: every
 * part of the system is rebuilt from the same values. (The one exception:
 * the fuzz harnesses fuzz/pm and fuzz/ipc_core build PM and its fake
 * kernel, or the kernel core, alone with fewer process slots, see
 * FUZZ_DEFS_* in fuzz/CMakeLists.txt.)
 */
#ifndef CRUCIBLE_CONFIG_H
#define CRUCIBLE_CONFIG_H

#define NR_TASKS        4       /* kernel tasks: slots -4 .. -1 */
#ifndef NR_PROCS
#define NR_PROCS        64      /* process slots 0 .. NR_PROCS-1 */
#endif
#define NR_SYS_PROCS    32      /* privilege structures for system processes */
#define NR_ALL_SLOTS    (NR_TASKS + NR_PROCS)

#define HZ              1000    /* clock ticks per second */
#define DEFAULT_QUANTUM 20      /* ticks a process runs before preemption */
#define NR_SCHED_QUEUES 16      /* priorities 0 (highest) .. 15 */
#define TASK_Q          0       /* kernel tasks and the most urgent servers */
#define SERVER_Q        4       /* system servers */
#define USER_Q          8       /* user processes by default */
#define IDLE_Q          15

#define PROC_NAME_LEN   16
#define MAX_BOOT_MODULES 32
#define CMDLINE_MAX     256
#define PAGE_SIZE       4096

/* Layout of every process's address space (i386 and host alike). */
#define USER_BASE       0x40000000u  /* lowest user address; ELFs link here */
#define USER_STACK_TOP  0xBFFFF000u  /* initial stack pointer region top */
#define USER_STACK_SIZE (64 * 1024)
#define USER_HEAP_SIZE  (256 * 1024) /* fixed heap after bss, for malloc */

#endif
