/* fuzz_common.c: tracing and failure reporting for harnesses (fuzz_common.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"

int fz_trace;

/*
 * ASan's defaults for every harness (ASAN_OPTIONS still overrides them).
 * A 1 MB quarantine instead of 256 MB: freed memory is held back so that a
 * use after free lands on poisoned bytes, but the code under test
 * allocates nothing (the servers' and the kernel's tables are static); the
 * heap is the engine's, which allocates and frees every input. Held back,
 * those blocks made each allocation touch fresh pages: page faults were
 * 3-4% of a `ds` execution, and the process grew to ~300 MB in seconds.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "quarantine_size_mb=1";
}

/* See fuzz_common.h. */
void fz_tracef(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* See fuzz_common.h. */
void fz_fail(const char *harness, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "crucible-fuzz: FAIL %s: ", harness);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    abort();
}
