/*
 * What every kernel file includes. The kernel core (this directory and
 * system/) is platform-neutral: it reaches the machine only through arch.h.
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <crucible/types.h>
#include <crucible/config.h>
#include <crucible/errno.h>
#include <crucible/endpoint.h>
#include <crucible/ipc.h>
#include <crucible/com.h>
#include <crucible/priv.h>
#include <crucible/signal.h>
#include <crucible/sysinfo.h>

#include "arch.h"
#include "proc.h"
#include "proto.h"
#include "glo.h"

/* Kernel assertions state preconditions; a failure is a kernel panic. */
#define KASSERT(c) do { if (!(c)) \
    kernel_panic("assertion failed: %s at %s:%d", #c, __FILE__, __LINE__); } while (0)

/* The status QEMU exits with on a kernel panic: isa-debug-exit (v<<1)|1. */
#define PANIC_EXIT_VALUE 0x7d   /* QEMU exit status 251 */

#endif
