/*
 * RS decisions as pure functions (see logic.h): backoff and giving up, the
 * live-update state machine, reading signals, checking labels, building
 * argument blocks. Nothing here talks to anyone; tests/unit/rs runs it on
 * the host.
 */
#include <string.h>

#include "logic.h"

/* rs_ticks_due: t has come when now - t, taken as signed, is not negative. */
int rs_ticks_due(clock_t_ now, clock_t_ t)
{
    return (int32_t)(now - t) >= 0;
}

/* rs_backoff_reset: no failures recorded. */
void rs_backoff_reset(struct rs_backoff *b)
{
    int i;

    for (i = 0; i <= RS_MAX_FAILURES; i++)
        b->fail_at[i] = 0;
    b->nfail = 0;
}

/* rs_backoff_delay: 0 for the first failure, RS_BACKOFF_BASE doubled for
 * each one after the second, capped at RS_BACKOFF_MAX_SHIFT doublings. */
clock_t_ rs_backoff_delay(int n)
{
    int shift;

    if (n <= 1)
        return 0;
    shift = n - 2;
    if (shift > RS_BACKOFF_MAX_SHIFT)
        shift = RS_BACKOFF_MAX_SHIFT;
    return (clock_t_)RS_BACKOFF_BASE << shift;
}

/* rs_backoff_failure: drop old failures, append this one, decide. */
int rs_backoff_failure(struct rs_backoff *b, clock_t_ now, clock_t_ *delay)
{
    int i, keep = 0;

    /* Keep only the failures less than RS_FAIL_WINDOW ticks ago. */
    for (i = 0; i < b->nfail; i++) {
        if ((clock_t_)(now - b->fail_at[i]) < (clock_t_)RS_FAIL_WINDOW)
            b->fail_at[keep++] = b->fail_at[i];
    }
    b->nfail = keep;

    if (b->nfail == RS_MAX_FAILURES + 1) {
        /* Cannot happen (we give up at RS_MAX_FAILURES + 1), but stay safe. */
        for (i = 1; i <= RS_MAX_FAILURES; i++)
            b->fail_at[i - 1] = b->fail_at[i];
        b->nfail--;
    }
    b->fail_at[b->nfail++] = now;

    if (b->nfail > RS_MAX_FAILURES) {
        *delay = 0;
        return RS_BO_GIVE_UP;
    }
    *delay = rs_backoff_delay(b->nfail);
    return RS_BO_RESTART;
}

/* rs_backoff_consistent: count in range, entries ordered, none in the future. */
int rs_backoff_consistent(const struct rs_backoff *b, clock_t_ now)
{
    int i;

    if (b->nfail < 0 || b->nfail > RS_MAX_FAILURES + 1)
        return 0;
    for (i = 0; i < b->nfail; i++) {
        if (!rs_ticks_due(now, b->fail_at[i]))
            return 0;
        if (i > 0 && !rs_ticks_due(b->fail_at[i], b->fail_at[i - 1]))
            return 0;
    }
    return 1;
}

/* rs_lu_reset: back to no update, nobody waiting. */
void rs_lu_reset(struct rs_lu *lu)
{
    lu->phase = LU_IDLE;
    lu->state = SEF_LU_STATE_NULL;
    lu->timeout = 0;
    lu->deadline = 0;
    lu->caller = NONE;
    lu->other = NONE;
    lu->result = OK;
}

/* rs_lu_begin: validate, then enter LU_PREPARE. */
int rs_lu_begin(struct rs_lu *lu, int busy, int state, int timeout, clock_t_ now)
{
    if (busy || lu->phase != LU_IDLE)
        return EBUSY;
    if (state < SEF_LU_STATE_WORK_FREE)
        return EINVAL;
    if (timeout < 0 || timeout > RS_LU_MAX_TIMEOUT)
        return EINVAL;
    rs_lu_reset(lu);
    lu->phase = LU_PREPARE;
    lu->state = state;
    lu->timeout = timeout ? (clock_t_)timeout : (clock_t_)RS_LU_DEFAULT_TIMEOUT;
    lu->deadline = now + lu->timeout;
    return OK;
}

/* lu_end: the update is over with reply 'result' (OK or an error). A
 * result the service chose is passed on only if it is a crucible error:
 * anything else, EDONTREPLY included (which would send the caller no
 * reply at all), becomes EGENERIC (found by fuzz/rs: a prepare answer's
 * garbage result reached the caller as its reply type). */
static int lu_end(struct rs_lu *lu, int action, int result)
{
    lu->phase = LU_IDLE;
    lu->result = result == OK || (result >= EGENERIC && result < 0 && result != EDONTREPLY)
                 ? result : EGENERIC;
    return action;
}

/* rs_lu_event: the transition table of one update.
 *   PREPARE --reply OK-->        INIT     START_NEW
 *   PREPARE --reply ENOTREADY--> PREPARE  (SEF asks again itself; keep waiting)
 *   PREPARE --reply error-->     IDLE     CANCEL   (the error)
 *   PREPARE --timeout-->         IDLE     CANCEL   (ETIMEDOUT)
 *   PREPARE --crash-->           IDLE     ABORT    (ERESTART; recover as a crash)
 *   INIT    --start failed-->    IDLE     CANCEL   (the error; nothing swapped)
 *   INIT    --reply OK-->        IDLE     COMMIT   (OK)
 *   INIT    --reply error-->     IDLE     ROLLBACK (the error)
 *   INIT    --timeout-->         IDLE     ROLLBACK (ETIMEDOUT)
 *   INIT    --crash-->           IDLE     ROLLBACK (ERESTART; the new one died)
 */
int rs_lu_event(struct rs_lu *lu, int event, int result, clock_t_ now)
{
    switch (lu->phase) {
    case LU_PREPARE:
        switch (event) {
        case LUE_PREPARE_REPLY:
            if (result == OK) {
                lu->phase = LU_INIT;
                lu->deadline = now + lu->timeout;
                return LUA_START_NEW;
            }
            if (result == ENOTREADY)
                return LUA_NONE;
            return lu_end(lu, LUA_CANCEL, result);
        case LUE_TIMEOUT:
            return lu_end(lu, LUA_CANCEL, ETIMEDOUT);
        case LUE_CRASH:
            return lu_end(lu, LUA_ABORT, ERESTART);
        default:
            return LUA_NONE;
        }
    case LU_INIT:
        switch (event) {
        case LUE_START_FAILED:
            return lu_end(lu, LUA_CANCEL, result != OK ? result : EGENERIC);
        case LUE_INIT_REPLY:
            if (result == OK)
                return lu_end(lu, LUA_COMMIT, OK);
            return lu_end(lu, LUA_ROLLBACK, result);
        case LUE_TIMEOUT:
            return lu_end(lu, LUA_ROLLBACK, ETIMEDOUT);
        case LUE_CRASH:
            return lu_end(lu, LUA_ROLLBACK, ERESTART);
        default:
            return LUA_NONE;
        }
    default:
        return LUA_NONE;
    }
}

/* rs_lu_expired: in flight and past the deadline. */
int rs_lu_expired(const struct rs_lu *lu, clock_t_ now)
{
    return lu->phase != LU_IDLE && rs_ticks_due(now, lu->deadline);
}

/* rs_sig_classify: exit beats crash beats other. */
int rs_sig_classify(sigset_t_ sigs, int stopped, int *sig)
{
    int s, term = 0, first = 0;

    for (s = 1; s < NSIG; s++) {
        if (!(sigs & SIGMASK(s)))
            continue;
        if (!first)
            first = s;
        if (SIG_TERMINATES(s) && (term == 0 || term == SIGKILL))
            term = s;
    }
    *sig = term ? term : first;
    if (stopped)
        return RS_SIG_EXIT;
    if (term)
        return RS_SIG_CRASH;
    return first ? RS_SIG_OTHER : RS_SIG_NONE;
}

/* rs_label_ok: a NUL within RS_LABEL_LEN bytes and not at the start. */
int rs_label_ok(const char *label)
{
    int i;

    if (label[0] == '\0')
        return 0;
    for (i = 1; i < RS_LABEL_LEN; i++) {
        if (label[i] == '\0')
            return 1;
    }
    return 0;
}

/* Appends each space-separated word of words to buf[*n..len), NUL after
 * each. Returns 0 if it does not fit. */
static int args_words(char *buf, size_t len, size_t *n, const char *words)
{
    const char *p = words;
    size_t w;

    while (p != NULL && *(p += strspn(p, " ")) != '\0') {
        w = strcspn(p, " ");
        if (*n + w >= len)
            return 0;
        memcpy(buf + *n, p, w);
        *n += w;
        buf[(*n)++] = '\0';
        p += w;
    }
    return 1;
}

/* rs_args_build: copy the module name and each word of args and of extra,
 * each ended by a NUL. Returns the bytes used, or 0 if they do not fit in
 * len. */
size_t rs_args_build(char *buf, size_t len, const char *module, const char *args,
                     const char *extra)
{
    size_t n = strlen(module);

    if (n >= len)
        return 0;
    memcpy(buf, module, n);
    buf[n++] = '\0';
    if (!args_words(buf, len, &n, args) || !args_words(buf, len, &n, extra))
        return 0;
    return n;
}
