/* utest: see utest.h. */
#include <stdarg.h>
#include <stdio.h>
#include "utest.h"

static const char *prog = "?";
static int passed, failed;

/* ut_begin: see utest.h. */
void ut_begin(const char *program)
{
    prog = program;
    passed = failed = 0;
}

/* ut_check: see utest.h. The FAIL reason is cut to one line of 160. */
int ut_check(const char *name, int ok, const char *fmt, ...)
{
    if (ok) {
        passed++;
        printf("crucible-test: %s %s PASS\n", prog, name);
        return 1;
    }
    char why[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    for (char *p = why; *p; p++)
        if (*p == '\n')
            *p = ' ';
    failed++;
    printf("crucible-test: %s %s FAIL %s\n", prog, name, why);
    return 0;
}

/* ut_done: see utest.h. */
int ut_done(void)
{
    printf("crucible-test: %s done pass=%d fail=%d\n", prog, passed, failed);
    return failed ? 1 : 0;
}
