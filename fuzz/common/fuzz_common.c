/* fuzz_common.c: tracing and failure reporting for harnesses (fuzz_common.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"

int fz_trace;

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
