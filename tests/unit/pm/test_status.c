/* PM's status word agrees with the host's <sys/wait.h> macros (the usual
 * encoding, which lib/c's sys/wait.h must follow too). Kept apart from the
 * Crucible headers: the host's signal and errno names differ from ours. */
#include <sys/wait.h>
#include "unit.h"

int pm_status_word(int exit_status, int sig);

/* test_status: exit statuses and terminating signals round-trip. */
void test_status(void)
{
    for (int st = 0; st < 256; st++) {
        int w = pm_status_word(st, 0);
        CHECK(WIFEXITED(w));
        CHECK(!WIFSIGNALED(w));
        CHECK(WEXITSTATUS(w) == st);
    }
    CHECK(WEXITSTATUS(pm_status_word(0x1ff, 0)) == 0xff);  /* low 8 bits only */
    for (int sig = 1; sig < 32; sig++) {
        int w = pm_status_word(0, sig);
        CHECK(WIFSIGNALED(w));
        CHECK(!WIFEXITED(w));
        CHECK(WTERMSIG(w) == sig);
    }
}
