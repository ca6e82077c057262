/*
 * utest: reporting for the user-level in-guest tests (smoke, test_proc,
 * test_priv), in the format of docs/os.md "Tests inside the guest":
 *   crucible-test: <program> <case> PASS
 *   crucible-test: <program> <case> FAIL <what went wrong>
 *   crucible-test: <program> done pass=<n> fail=<m>
 * Header-neutral: includes neither libc's nor the ABI's errno names, so
 * both kinds of test file can use it.
 */
#ifndef UTEST_H
#define UTEST_H

/* ut_begin: name the program for every line that follows. */
void ut_begin(const char *program);
/* ut_check: report case as PASS if ok, else FAIL with the printf-style
 * reason. Returns ok. */
int ut_check(const char *name, int ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* ut_done: print the summary; returns the exit status (0 iff no FAIL). */
int ut_done(void);

#endif
