/* A minimal test harness for the PM/VM host unit tests. */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>

extern int unit_failures;
extern int unit_checks;

/* CHECK(cond): count a check; print where it failed. */
#define CHECK(cond) do { \
    unit_checks++; \
    if (!(cond)) { \
        unit_failures++; \
        fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    } \
} while (0)

void test_ptab(void);
void test_status(void);
void test_vm(void);

#endif
