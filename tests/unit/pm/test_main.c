/* Runs every PM/VM unit test; exit status 0 iff all checks passed. */
#include "unit.h"

int unit_failures;
int unit_checks;

/* main: run the suites and summarize. */
int main(void)
{
    test_ptab();
    test_status();
    test_vm();
    printf("pm_unit: %d checks, %d failed\n", unit_checks, unit_failures);
    return unit_failures ? 1 : 0;
}
