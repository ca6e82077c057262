/*
 * ktest.h: a tiny unit-test harness for the kernel core on the host
 * platform (kcore_host). A test file defines cases with KTEST(name) and
 * lists them in a KTEST_TABLE; the executable runs one case named on the
 * command line (ctest registers each case) or all of them. Each case starts
 * from a freshly booted kernel (kt_boot).
 */
#ifndef TESTS_UNIT_KTEST_H
#define TESTS_UNIT_KTEST_H

#include <stdio.h>
#include "kernel.h"
#include "host_platform.h"

extern int kt_failures;

#define CHECK(c) do { if (!(c)) { \
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); \
    kt_failures++; } } while (0)
#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
    if (a_ != b_) { fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %lld, %s == %lld\n", \
        __FILE__, __LINE__, #a, a_, #b, b_); kt_failures++; } } while (0)

struct ktest_case { const char *name; void (*fn)(void); };
#define KTEST(name) static void kt_case_##name(void)
#define KTEST_ENTRY(name) { #name, kt_case_##name }

/* Runs the cases of 'table' (n entries) as argv asks; returns the exit status. */
int ktest_main(int argc, char **argv, const struct ktest_case *table, size_t n);

/* What kt_ipc returns for a caller that blocked. */
#define KT_BLOCKED 0x7e57b10c

/* Boots a fresh kernel: modules pm vfs rs ds vm tty sched ipc hello init
 * (boot processes, all but RS with RTS_NO_PRIV) and "prog" (a program). */
void kt_boot(void);
/* Gives the boot process at slot a full system privilege (all traps, all
 * targets, all calls, manager RS, preemptible) and lets it run. */
struct proc *kt_sys(int slot);
/* A new user process (shared user privilege, runnable) named name. */
struct proc *kt_user(const char *name);
/* A message in user memory with m_type type and i32 payload word 0 = val. */
vir_bytes kt_msg(int type, int val);
/* Host view of a user message. */
message *kt_m(vir_bytes v);
/* p traps with IPC: returns its result, or KT_BLOCKED if it blocked. */
int kt_ipc(struct proc *p, int prim, endpoint_t ep, vir_bytes msg, uint32_t count);
/* p's result since its last trap, or KT_BLOCKED if it is still waiting. */
int kt_result(struct proc *p);
/* Runs fn(arg); returns 1 if it ended in a kernel panic (arch_shutdown with
 * PANIC_EXIT_VALUE), 0 if it returned. */
int kt_panics(void (*fn)(void *), void *arg);

#endif
