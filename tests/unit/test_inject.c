/*
 * test_inject.c: host unit tests of the fault-injection engine and its
 * parser (inject/engine.c, inject/parse.c) and of the kernel control
 * channel over the host platform's in-memory channel (arch/host/ctl.c).
 */
#include <string.h>
#include "ktest.h"
#include "inject_kern.h"

void host_ctl_input(const char *s);
const char *host_ctl_output(void);
void host_ctl_reset(void);

/* Parses s as a `fault add` argument list; returns the parser's result. */
static int parse(const char *s, struct inj_fault *f, char *err)
{
    return inj_parse_fault(s, strlen(s), ' ', '=', f, err, INJ_ERR_LEN);
}

KTEST(parse_good_and_defaults)
{
    struct inj_fault f;
    char err[INJ_ERR_LEN];

    CHECK_EQ(parse("site=ipc action=corrupt target=hello source=pm type=0xc00 arg=8 mask=0xff", &f, err), 0);
    CHECK_EQ(f.site, INJ_SITE_IPC);
    CHECK_EQ(f.action, INJ_ACT_CORRUPT);
    CHECK(strcmp(f.target, "hello") == 0 && strcmp(f.source, "pm") == 0);
    CHECK(f.has_type && f.type == 0xc00);
    CHECK_EQ(f.nth, 1);
    CHECK_EQ(f.prob, 1000000);
    CHECK_EQ(f.seed, 1);
    CHECK_EQ(f.mask, 0xff);
    CHECK_EQ(parse("site=kcall action=fail target=any arg=-5", &f, err), 0);
    CHECK(f.target[0] == '\0' && f.arg == -5);
}

KTEST(parse_errors)
{
    static const char *const bad[] = {
        "site=ipc action=drop", "site=ipc target=x", "action=drop target=x",
        "site=foo action=drop target=x", "site=ipc action=crash target=x",
        "site=ipc action=drop target=x nth=0", "site=ipc action=drop target=x prob=1000001",
        "site=ipc action=drop target=x persistent=2", "site=ipc action=drop target=x bogus=1",
        "site=ipc action=drop target=x nth", "site=ipc action=corrupt target=x arg=64",
        "site=ipc action=delay target=x", "site=ipc action=drop target=a\"b",
        "site=ipc action=drop target=x type=12z",
    };
    struct inj_fault f;
    char err[INJ_ERR_LEN];
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        CHECK_EQ(parse(bad[i], &f, err), -1);
        CHECK(err[0] != '\0');
    }
}

KTEST(match_nth_persistent_prob)
{
    struct inj_table t;
    struct inj_fault f;
    char err[INJ_ERR_LEN];
    int i, fired = 0, fired2 = 0;

    inj_table_init(&t);
    CHECK_EQ(parse("site=sef action=crash target=hello nth=3", &f, err), 0);
    CHECK_EQ(inj_add(&t, &f), 1);
    for (i = 0; i < 10; i++)
        if (inj_match(&t, INJ_SITE_SEF, "hello", NULL, 1, 1, 5))
            fired = fired ? fired : i + 1;
    CHECK_EQ(fired, 3);
    CHECK_EQ(t.f[0].matches, 10);
    CHECK_EQ(t.f[0].activations, 1);
    CHECK(inj_match(&t, INJ_SITE_SEF, "pm", NULL, 1, 1, 5) == NULL);
    CHECK_EQ(inj_clear(&t, 0), 1);

    CHECK_EQ(parse("site=ipc action=drop target=any persistent=1 prob=250000 seed=9", &f, err), 0);
    CHECK(inj_add(&t, &f) > 0);
    for (i = 0, fired = 0; i < 4000; i++)
        fired += inj_match(&t, INJ_SITE_IPC, "x", "y", 1, 0, 1) != NULL;
    CHECK(fired > 800 && fired < 1200);
    /* the same seed gives the same sequence */
    inj_clear(&t, 0);
    inj_add(&t, &f);
    for (i = 0; i < 4000; i++)
        fired2 += inj_match(&t, INJ_SITE_IPC, "x", "y", 1, 0, 1) != NULL;
    CHECK_EQ(fired, fired2);
}

KTEST(boot_list)
{
    struct inj_table t;
    char err[INJ_ERR_LEN];
    const char *v = "site:sef,action:crash,target:hello,type:0xc00;site:kcall,action:fail,target:pm";

    inj_table_init(&t);
    CHECK_EQ(inj_parse_boot(v, strlen(v), &t, err, sizeof(err)), 2);
    CHECK_EQ(t.nr_loaded, 2);
    CHECK_EQ(inj_parse_boot("site:sef", 8, &t, err, sizeof(err)), -1);
}

KTEST(control_commands)
{
    kt_boot();
    host_ctl_reset();
    host_ctl_input("ticks\nfault add site=ipc action=drop target=nobody\nfault list\n"
                   "bogus\nfault clear\n");
    ctl_tick();
    CHECK(strstr(host_ctl_output(), "{\"ok\":true,\"ticks\":") != NULL);
    CHECK(strstr(host_ctl_output(), "{\"ok\":true,\"id\":") != NULL);
    CHECK(strstr(host_ctl_output(), "\"target\":\"nobody\"") != NULL);
    CHECK(strstr(host_ctl_output(), "{\"ok\":false,\"error\":\"unknown command\"}") != NULL);
    CHECK(strstr(host_ctl_output(), "{\"ok\":true,\"cleared\":1}") != NULL);
    CHECK_EQ(inj_armed, 0);
}

static const struct ktest_case cases[] = {
    KTEST_ENTRY(parse_good_and_defaults),
    KTEST_ENTRY(parse_errors),
    KTEST_ENTRY(match_nth_persistent_prob),
    KTEST_ENTRY(boot_list),
    KTEST_ENTRY(control_commands),
};

/* Runs the cases named on the command line, or all. */
int main(int argc, char **argv)
{
    return ktest_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
