/*
 * host_platform.h: what the host platform (arch/host) offers tests beyond
 * arch.h. "User memory" is one arena of plain host memory mapped below 4 GB,
 * so a host pointer into it is a valid vir_bytes for every process; any
 * address outside the arena (0 included) is EFAULT for arch_copy*.
 */
#ifndef KERNEL_ARCH_HOST_HOST_PLATFORM_H
#define KERNEL_ARCH_HOST_HOST_PLATFORM_H

#include <setjmp.h>
#include <stddef.h>
#include <crucible/types.h>

/* Empties the arena and the console capture, disarms the shutdown hook. */
void host_reset(void);

/* Returns n zeroed bytes of user memory (8-byte aligned); aborts if full. */
vir_bytes host_ualloc(size_t n);
/* Returns the host pointer for user address v (no check). */
void *host_uptr(vir_bytes v);

/* Everything written to the console since host_reset, NUL-terminated. */
const char *host_console(void);

/* arch_shutdown: if armed, stores the value and longjmps to host_shutdown_jmp
 * with 1; otherwise exits the process with the value. */
extern jmp_buf host_shutdown_jmp;
extern int host_shutdown_armed;
extern int host_shutdown_value;

#endif
