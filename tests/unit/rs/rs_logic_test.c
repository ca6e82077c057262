/*
 * Host unit test of RS's decisions (system/servers/rs/logic.c): backoff
 * schedule, give-up rule (more than 5 failures within 5 s), tick wrap, the
 * live-update state machine with its rollback decisions, signal
 * classification, labels and argument blocks. Prints one line per failed
 * check and exits 1 if any failed.
 */
#include <stdio.h>
#include <string.h>
#include "logic.h"

static int failures, checks;

#define CHECK(cond) do { \
    checks++; \
    if (!(cond)) { \
        failures++; \
        printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    } \
} while (0)

/* The documented schedule: 0, 10, 20, 40, 80, then give up on the 6th
 * failure within 5 seconds. */
static void test_backoff_schedule(void)
{
    struct rs_backoff b;
    clock_t_ d = 12345;
    clock_t_ want[] = { 0, 10, 20, 40, 80 };
    clock_t_ t = 1000;
    int i;

    rs_backoff_reset(&b);
    for (i = 0; i < 5; i++) {
        CHECK(rs_backoff_failure(&b, t, &d) == RS_BO_RESTART);
        CHECK(d == want[i]);
        t += d + 1;                     /* fails right after each restart */
    }
    CHECK(rs_backoff_failure(&b, t, &d) == RS_BO_GIVE_UP);
    CHECK(rs_backoff_consistent(&b, t));
}

/* Failures more than the window apart never add up. */
static void test_backoff_spread(void)
{
    struct rs_backoff b;
    clock_t_ d;
    int i;

    rs_backoff_reset(&b);
    for (i = 0; i < 100; i++) {
        CHECK(rs_backoff_failure(&b, (clock_t_)i * RS_FAIL_WINDOW, &d) == RS_BO_RESTART);
        CHECK(d == 0);
    }
}

/* The window edge: 5 failures at 0..4, the 6th at 4999 gives up; at 5000
 * the first has left the window, so it is the 5th (delay 80). */
static void test_backoff_window_edge(void)
{
    struct rs_backoff b;
    clock_t_ d;
    int i;

    rs_backoff_reset(&b);
    for (i = 0; i < 5; i++)
        CHECK(rs_backoff_failure(&b, (clock_t_)i, &d) == RS_BO_RESTART);
    {
        struct rs_backoff c = b;
        CHECK(rs_backoff_failure(&c, RS_FAIL_WINDOW - 1, &d) == RS_BO_GIVE_UP);
    }
    CHECK(rs_backoff_failure(&b, RS_FAIL_WINDOW, &d) == RS_BO_RESTART);
    CHECK(d == 80);
    CHECK(b.nfail == 5);
}

/* Ticks wrap around 2^32 without breaking the window. */
static void test_backoff_wrap(void)
{
    struct rs_backoff b;
    clock_t_ d, t = 0xFFFFFFF0u;
    int i;

    CHECK(rs_ticks_due(5, 0xFFFFFFF0u));
    CHECK(!rs_ticks_due(0xFFFFFFF0u, 5));
    CHECK(rs_ticks_due(7, 7));
    rs_backoff_reset(&b);
    for (i = 0; i < 5; i++) {
        CHECK(rs_backoff_failure(&b, t, &d) == RS_BO_RESTART);
        t += 8;                         /* crosses zero */
    }
    CHECK(rs_backoff_consistent(&b, t));
    CHECK(rs_backoff_failure(&b, t, &d) == RS_BO_GIVE_UP);
    rs_backoff_reset(&b);
    CHECK(rs_backoff_failure(&b, 0xFFFFFF00u, &d) == RS_BO_RESTART);
    CHECK(rs_backoff_failure(&b, 0xFFFFFF00u + RS_FAIL_WINDOW, &d) == RS_BO_RESTART);
    CHECK(d == 0);                      /* the first one left the window */
}

/* Delays double and are capped. */
static void test_backoff_delay(void)
{
    CHECK(rs_backoff_delay(0) == 0);
    CHECK(rs_backoff_delay(1) == 0);
    CHECK(rs_backoff_delay(2) == 10);
    CHECK(rs_backoff_delay(6) == 160);
    CHECK(rs_backoff_delay(1000) == (clock_t_)RS_BACKOFF_BASE << RS_BACKOFF_MAX_SHIFT);
}

/* A malformed record is reported. */
static void test_backoff_consistent(void)
{
    struct rs_backoff b;

    rs_backoff_reset(&b);
    CHECK(rs_backoff_consistent(&b, 0));
    b.nfail = 2;
    b.fail_at[0] = 50;
    b.fail_at[1] = 40;                  /* out of order */
    CHECK(!rs_backoff_consistent(&b, 100));
    b.fail_at[1] = 200;                 /* in the future */
    CHECK(!rs_backoff_consistent(&b, 100));
    b.nfail = -1;
    CHECK(!rs_backoff_consistent(&b, 100));
}

/* rs_lu_begin validates and enforces one update at a time. */
static void test_lu_begin(void)
{
    struct rs_lu lu;

    rs_lu_reset(&lu);
    CHECK(lu.phase == LU_IDLE && lu.caller == NONE);
    CHECK(rs_lu_begin(&lu, 1, SEF_LU_STATE_WORK_FREE, 100, 0) == EBUSY);
    CHECK(lu.phase == LU_IDLE);
    CHECK(rs_lu_begin(&lu, 0, SEF_LU_STATE_NULL, 100, 0) == EINVAL);
    CHECK(rs_lu_begin(&lu, 0, -3, 100, 0) == EINVAL);
    CHECK(rs_lu_begin(&lu, 0, SEF_LU_STATE_WORK_FREE, -1, 0) == EINVAL);
    CHECK(rs_lu_begin(&lu, 0, SEF_LU_STATE_WORK_FREE, RS_LU_MAX_TIMEOUT + 1, 0) == EINVAL);
    CHECK(lu.phase == LU_IDLE);
    CHECK(rs_lu_begin(&lu, 0, SEF_LU_STATE_WORK_FREE, 0, 100) == OK);
    CHECK(lu.phase == LU_PREPARE);
    CHECK(lu.timeout == RS_LU_DEFAULT_TIMEOUT);
    CHECK(lu.deadline == 100 + RS_LU_DEFAULT_TIMEOUT);
    /* A second begin on the same service while in flight. */
    CHECK(rs_lu_begin(&lu, 0, SEF_LU_STATE_WORK_FREE, 0, 100) == EBUSY);
    rs_lu_reset(&lu);
    CHECK(rs_lu_begin(&lu, 0, SEF_LU_STATE_CUSTOM + 3, 50, 0) == OK);
    CHECK(lu.state == SEF_LU_STATE_CUSTOM + 3);
}

/* start an update at tick 'now' with timeout 100 */
static void lu_start(struct rs_lu *lu, clock_t_ now)
{
    rs_lu_reset(lu);
    CHECK(rs_lu_begin(lu, 0, SEF_LU_STATE_REQUEST_FREE, 100, now) == OK);
}

/* The happy path: ready, new instance, init OK -> commit. */
static void test_lu_commit(void)
{
    struct rs_lu lu;

    lu_start(&lu, 0);
    CHECK(!rs_lu_expired(&lu, 99));
    CHECK(rs_lu_event(&lu, LUE_PREPARE_REPLY, ENOTREADY, 10) == LUA_NONE);
    CHECK(lu.phase == LU_PREPARE);
    CHECK(rs_lu_event(&lu, LUE_INIT_REPLY, OK, 20) == LUA_NONE);  /* not yet */
    CHECK(rs_lu_event(&lu, LUE_PREPARE_REPLY, OK, 50) == LUA_START_NEW);
    CHECK(lu.phase == LU_INIT);
    CHECK(lu.deadline == 150);          /* each phase gets the full timeout */
    CHECK(!rs_lu_expired(&lu, 120));
    CHECK(rs_lu_event(&lu, LUE_PREPARE_REPLY, OK, 60) == LUA_NONE);  /* stray */
    CHECK(rs_lu_event(&lu, LUE_INIT_REPLY, OK, 70) == LUA_COMMIT);
    CHECK(lu.phase == LU_IDLE && lu.result == OK);
    CHECK(!rs_lu_expired(&lu, 1000));
    CHECK(rs_lu_event(&lu, LUE_TIMEOUT, 0, 1000) == LUA_NONE);
}

/* Refusal or timeout while preparing: cancel, nothing was swapped. */
static void test_lu_cancel(void)
{
    struct rs_lu lu;

    lu_start(&lu, 0);
    CHECK(rs_lu_event(&lu, LUE_PREPARE_REPLY, EINVAL, 5) == LUA_CANCEL);
    CHECK(lu.phase == LU_IDLE && lu.result == EINVAL);

    lu_start(&lu, 0);
    CHECK(rs_lu_event(&lu, LUE_PREPARE_REPLY, 7, 5) == LUA_CANCEL);
    CHECK(lu.result == EGENERIC);       /* a positive "error" is not a result */

    /* nor a negative one beyond crucible's errors, nor EDONTREPLY (it
     * would leave the caller without a reply) */
    lu_start(&lu, 0);
    CHECK(rs_lu_event(&lu, LUE_PREPARE_REPLY, -552595440, 5) == LUA_CANCEL);
    CHECK(lu.result == EGENERIC);
    lu_start(&lu, 0);
    CHECK(rs_lu_event(&lu, LUE_PREPARE_REPLY, EDONTREPLY, 5) == LUA_CANCEL);
    CHECK(lu.result == EGENERIC);
    lu_start(&lu, 0);
    CHECK(rs_lu_event(&lu, LUE_PREPARE_REPLY, OK, 5) == LUA_START_NEW);
    CHECK(rs_lu_event(&lu, LUE_INIT_REPLY, EGENERIC - 1, 6) == LUA_ROLLBACK);
    CHECK(lu.result == EGENERIC);

    lu_start(&lu, 0);
    CHECK(rs_lu_expired(&lu, 100));
    CHECK(rs_lu_event(&lu, LUE_TIMEOUT, 0, 100) == LUA_CANCEL);
    CHECK(lu.phase == LU_IDLE && lu.result == ETIMEDOUT);

    /* The new instance could not be started: cancel, not roll back. */
    lu_start(&lu, 0);
    CHECK(rs_lu_event(&lu, LUE_PREPARE_REPLY, OK, 5) == LUA_START_NEW);
    CHECK(rs_lu_event(&lu, LUE_START_FAILED, ENOMEM, 6) == LUA_CANCEL);
    CHECK(lu.phase == LU_IDLE && lu.result == ENOMEM);
}

/* Failures of the new instance roll back; a crash of the old one aborts. */
static void test_lu_rollback(void)
{
    struct rs_lu lu;

    lu_start(&lu, 0);
    CHECK(rs_lu_event(&lu, LUE_PREPARE_REPLY, OK, 5) == LUA_START_NEW);
    CHECK(rs_lu_event(&lu, LUE_INIT_REPLY, EIO, 6) == LUA_ROLLBACK);
    CHECK(lu.phase == LU_IDLE && lu.result == EIO);

    lu_start(&lu, 0);
    CHECK(rs_lu_event(&lu, LUE_PREPARE_REPLY, OK, 5) == LUA_START_NEW);
    CHECK(rs_lu_expired(&lu, 105));
    CHECK(rs_lu_event(&lu, LUE_TIMEOUT, 0, 105) == LUA_ROLLBACK);
    CHECK(lu.result == ETIMEDOUT);

    lu_start(&lu, 0);
    CHECK(rs_lu_event(&lu, LUE_PREPARE_REPLY, OK, 5) == LUA_START_NEW);
    CHECK(rs_lu_event(&lu, LUE_CRASH, 0, 6) == LUA_ROLLBACK);
    CHECK(lu.result == ERESTART);

    lu_start(&lu, 0);
    CHECK(rs_lu_event(&lu, LUE_CRASH, 0, 6) == LUA_ABORT);
    CHECK(lu.phase == LU_IDLE && lu.result == ERESTART);

    rs_lu_reset(&lu);
    CHECK(rs_lu_event(&lu, LUE_CRASH, 0, 6) == LUA_NONE);
    CHECK(rs_lu_event(&lu, LUE_PREPARE_REPLY, OK, 6) == LUA_NONE);
}

/* Signals: exit beats crash, SIGKILL is reported only when alone. */
static void test_sig_classify(void)
{
    int sig = -1;

    CHECK(rs_sig_classify(0, 0, &sig) == RS_SIG_NONE);
    CHECK(rs_sig_classify(SIGMASK(SIGSEGV), 0, &sig) == RS_SIG_CRASH && sig == SIGSEGV);
    CHECK(rs_sig_classify(SIGMASK(SIGKILL) | SIGMASK(SIGSEGV), 0, &sig) == RS_SIG_CRASH);
    CHECK(sig == SIGSEGV);
    CHECK(rs_sig_classify(SIGMASK(SIGKILL), 0, &sig) == RS_SIG_CRASH && sig == SIGKILL);
    CHECK(rs_sig_classify(SIGMASK(SIGKILL), 1, &sig) == RS_SIG_EXIT);
    CHECK(rs_sig_classify(SIGMASK(SIGCHLD), 0, &sig) == RS_SIG_OTHER && sig == SIGCHLD);
    CHECK(rs_sig_classify(SIGMASK(SIGCHLD) | SIGMASK(SIGFPE), 0, &sig) == RS_SIG_CRASH);
    CHECK(sig == SIGFPE);
    CHECK(rs_sig_classify(SIGMASK(SIGILL), 0, &sig) == RS_SIG_CRASH && sig == SIGILL);
}

/* Labels come from messages: empty and unterminated ones are refused. */
static void test_label(void)
{
    char l[RS_LABEL_LEN];

    memset(l, 0, sizeof(l));
    CHECK(!rs_label_ok(l));
    strcpy(l, "hello");
    CHECK(rs_label_ok(l));
    memset(l, 'a', sizeof(l));
    CHECK(!rs_label_ok(l));
    l[RS_LABEL_LEN - 1] = '\0';
    CHECK(rs_label_ok(l));
}

/* Argument blocks: module first, then the words, NUL after each. */
static void test_args(void)
{
    char buf[64], small[8];
    size_t n;

    n = rs_args_build(buf, sizeof(buf), "test_ipc", "peer", NULL);
    CHECK(n == 14 && memcmp(buf, "test_ipc\0peer\0", 14) == 0);
    n = rs_args_build(buf, sizeof(buf), "hello", NULL, NULL);
    CHECK(n == 6 && memcmp(buf, "hello\0", 6) == 0);
    n = rs_args_build(buf, sizeof(buf), "x", "  a  bc ", NULL);
    CHECK(n == 7 && memcmp(buf, "x\0a\0bc\0", 7) == 0);
    CHECK(rs_args_build(small, sizeof(small), "test_ipc", NULL, NULL) == 0);
    CHECK(rs_args_build(small, sizeof(small), "abc", "defg", NULL) == 0);
    CHECK(rs_args_build(small, sizeof(small), "abc", "def", NULL) == 8);
    n = rs_args_build(buf, sizeof(buf), "fuzzplay", NULL, " 0a0b ff");
    CHECK(n == 17 && memcmp(buf, "fuzzplay\0" "0a0b\0ff\0", 17) == 0);
    n = rs_args_build(buf, sizeof(buf), "x", "a", "b c");
    CHECK(n == 8 && memcmp(buf, "x\0a\0b\0c\0", 8) == 0);
    CHECK(rs_args_build(small, sizeof(small), "abc", "d", "ef") == 0);
}

int main(void)
{
    test_backoff_schedule();
    test_backoff_spread();
    test_backoff_window_edge();
    test_backoff_wrap();
    test_backoff_delay();
    test_backoff_consistent();
    test_lu_begin();
    test_lu_commit();
    test_lu_cancel();
    test_lu_rollback();
    test_sig_classify();
    test_label();
    test_args();
    printf("rs_logic: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
