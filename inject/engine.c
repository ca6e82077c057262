/*
 * engine.c: the platform-neutral fault-injection engine (inject.h): the
 * fault table, the match/fire decision and the engine's own PRNG
 * (splitmix64). Freestanding: no allocation, no C library.
 */
#include "inject.h"

/* Nonzero if the NUL-terminated strings a and b are equal. */
static int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* Returns the next value of the splitmix64 sequence in *state (any seed,
 * including 0, gives a full-period sequence). */
uint64_t inj_prng_next(uint64_t *state)
{
    uint64_t z;

    *state += 0x9e3779b97f4a7c15ull;
    z = *state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Must be called with t non-NULL. Empties the table. */
void inj_table_init(struct inj_table *t)
{
    *t = (struct inj_table){ .next_id = 1 };
}

/* See inject.h. Copies spec field by field into a free entry. */
int inj_add(struct inj_table *t, const struct inj_fault *spec)
{
    int i;

    if (t == 0 || spec == 0)
        return -1;
    for (i = 0; i < INJ_MAX_FAULTS; i++) {
        struct inj_fault *f = &t->f[i];
        if (f->id != 0)
            continue;
        *f = *spec;
        f->id = t->next_id++;
        if (t->next_id <= 0)
            t->next_id = 1;
        f->matches = 0;
        f->activations = 0;
        f->rng = (uint64_t)spec->seed;
        if (f->nth == 0)
            f->nth = 1;
        t->nr_loaded++;
        return f->id;
    }
    return -1;
}

/* See inject.h. */
int inj_clear(struct inj_table *t, int id)
{
    int i, n = 0;

    if (t == 0)
        return 0;
    for (i = 0; i < INJ_MAX_FAULTS; i++) {
        struct inj_fault *f = &t->f[i];
        if (f->id == 0 || (id > 0 && f->id != id))
            continue;
        f->id = 0;
        t->nr_loaded--;
        n++;
    }
    return n;
}

/* See inject.h. */
struct inj_fault *inj_find(struct inj_table *t, int id)
{
    int i;

    if (t == 0 || id <= 0)
        return 0;
    for (i = 0; i < INJ_MAX_FAULTS; i++)
        if (t->f[i].id == id)
            return &t->f[i];
    return 0;
}

/* Nonzero if f's filters accept this event (not counting nth/prob). */
static int filters_match(const struct inj_fault *f, const char *target,
                         const char *source, int has_type, int32_t type,
                         uint32_t now)
{
    if (f->target[0] && (target == 0 || !str_eq(f->target, target)))
        return 0;
    if (f->source[0] && (source == 0 || !str_eq(f->source, source)))
        return 0;
    if (f->has_type && (!has_type || f->type != type))
        return 0;
    return now > f->after || f->after == 0;
}

/* Draws from f's PRNG: nonzero with probability f->prob / 1000000. A
 * certain fault (prob >= 1000000) does not consume the sequence. */
static int draw(struct inj_fault *f)
{
    uint32_t r;

    if (f->prob >= 1000000u)
        return 1;
    r = (uint32_t)(inj_prng_next(&f->rng) >> 32);
    return (uint32_t)(((uint64_t)r * 1000000u) >> 32) < f->prob;
}

/* See inject.h. */
struct inj_fault *inj_match(struct inj_table *t, int site, const char *target,
                            const char *source, int has_type, int32_t type,
                            uint32_t now)
{
    struct inj_fault *fired = 0;
    int i, left;

    if (t == 0 || t->nr_loaded == 0)
        return 0;
    /* Stop once every loaded fault has been seen: this runs on every
     * message while a plan is loaded. */
    for (i = 0, left = t->nr_loaded; i < INJ_MAX_FAULTS && left > 0; i++) {
        struct inj_fault *f = &t->f[i];
        if (f->id == 0)
            continue;
        left--;
        if (f->site != site)
            continue;
        if (!filters_match(f, target, source, has_type, type, now))
            continue;
        f->matches++;
        if (f->matches < f->nth)
            continue;
        if (!f->persistent && f->activations > 0)
            continue;
        if (fired != 0 || !draw(f))
            continue;
        f->activations++;
        fired = f;
    }
    return fired;
}

static const char *const site_names[INJ_NR_SITES] = {
    "none", "ipc", "kcall", "sef"
};
static const char *const action_names[INJ_NR_ACTIONS] = {
    "none", "drop", "delay", "duplicate", "corrupt", "reorder", "fail",
    "crash", "panic", "exit", "hang", "reply_error", "corrupt_state"
};

/* See inject.h. */
const char *inj_site_name(int site)
{
    return site >= 0 && site < INJ_NR_SITES ? site_names[site] : "?";
}

/* See inject.h. */
const char *inj_action_name(int action)
{
    return action >= 0 && action < INJ_NR_ACTIONS ? action_names[action] : "?";
}

/* See inject.h. */
int inj_action_site(int action)
{
    switch (action) {
    case INJ_ACT_DROP: case INJ_ACT_DELAY: case INJ_ACT_DUPLICATE:
    case INJ_ACT_CORRUPT: case INJ_ACT_REORDER:
        return INJ_SITE_IPC;
    case INJ_ACT_FAIL:
        return INJ_SITE_KCALL;
    case INJ_ACT_CRASH: case INJ_ACT_PANIC: case INJ_ACT_EXIT:
    case INJ_ACT_HANG: case INJ_ACT_REPLY_ERROR: case INJ_ACT_CORRUPT_STATE:
        return INJ_SITE_SEF;
    default:
        return INJ_SITE_NONE;
    }
}
