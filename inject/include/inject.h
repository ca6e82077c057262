/*
 * inject.h: the fault-injection engine shared by the kernel (and the host
 * platform, which links the kernel core). A fault is target + trigger +
 * action at one site (docs/inject.md). The engine keeps a fixed table of
 * faults, decides whether a fault fires for an event (match by label,
 * message type, Nth match, tick, probability under its own seeded PRNG),
 * and counts matches and activations. It allocates nothing and uses no C
 * library: it builds freestanding and under the host compiler alike.
 * parse.c turns the text forms (`fault add` arguments, boot-time
 * `inject=`) into a fault record.
 */
#ifndef CRUCIBLE_INJECT_H
#define CRUCIBLE_INJECT_H

#include <stddef.h>
#include <stdint.h>

#define INJ_MAX_FAULTS  16      /* faults loaded at once */
#define INJ_LABEL_LEN   16      /* labels, as process names (PROC_NAME_LEN) */
#define INJ_ERR_LEN     96      /* room for a parse error message */

/* Sites: where a hook calls the engine. */
enum inj_site {
    INJ_SITE_NONE = 0,
    INJ_SITE_IPC,               /* kernel message delivery; target = receiver */
    INJ_SITE_KCALL,             /* kernel-call entry; target = caller */
    INJ_SITE_SEF,               /* sef_receive of a system process */
    INJ_NR_SITES
};

/* Actions, each valid at one site (inj_action_site). */
enum inj_action {
    INJ_ACT_NONE = 0,
    INJ_ACT_DROP,               /* ipc */
    INJ_ACT_DELAY,              /* ipc: arg = ticks */
    INJ_ACT_DUPLICATE,          /* ipc */
    INJ_ACT_CORRUPT,            /* ipc: arg = byte offset 0..63, mask = bits */
    INJ_ACT_REORDER,            /* ipc */
    INJ_ACT_FAIL,               /* kcall: arg = the error returned */
    INJ_ACT_CRASH,              /* sef: a real CPU exception */
    INJ_ACT_PANIC,              /* sef: libsys panic */
    INJ_ACT_EXIT,               /* sef: sys_exit */
    INJ_ACT_HANG,               /* sef: block forever, idle */
    INJ_ACT_REPLY_ERROR,        /* sef: answer with error arg, drop the message */
    INJ_ACT_CORRUPT_STATE,      /* sef: flip mask in state variable number arg */
    INJ_NR_ACTIONS
};

/* One fault: the spec (what `fault add` says) and its counters. */
struct inj_fault {
    int      id;                /* > 0 while loaded; 0 = free entry */
    int      site;              /* INJ_SITE_* */
    int      action;            /* INJ_ACT_* */
    char     target[INJ_LABEL_LEN]; /* label; "" = any */
    char     source[INJ_LABEL_LEN]; /* ipc: sender label; "" = any */
    int      has_type;          /* nonzero: only messages of 'type' */
    int32_t  type;              /* message type or kernel call number */
    uint32_t nth;               /* fire from the Nth match on (1 = first) */
    uint32_t after;             /* only at ticks > after */
    uint32_t prob;              /* parts per million, 0..1000000 */
    uint32_t seed;              /* PRNG seed */
    int      persistent;        /* 1: every match from the Nth; 0: once */
    int32_t  arg;
    uint32_t mask;
    /* counters and state */
    uint32_t matches;           /* events that matched target/source/type/after */
    uint32_t activations;       /* times the fault fired */
    uint64_t rng;               /* PRNG state, seeded from 'seed' at add */
};

struct inj_table {
    struct inj_fault f[INJ_MAX_FAULTS];
    int nr_loaded;              /* entries with id > 0 */
    int next_id;                /* the id the next add gets */
};

/* ---- engine.c ---- */

/* Empty t; ids start at 1. */
void inj_table_init(struct inj_table *t);

/* Load a copy of *spec (as filled by inj_parse_fault) and return its new
 * id (> 0), or -1 when the table is full. Counters start at 0; the PRNG is
 * seeded from spec->seed. */
int inj_add(struct inj_table *t, const struct inj_fault *spec);

/* Unload fault 'id' (id <= 0: all). Returns how many were unloaded. */
int inj_clear(struct inj_table *t, int id);

/* The fault with this id, or NULL. */
struct inj_fault *inj_find(struct inj_table *t, int id);

/*
 * The decision at a hook: returns the first loaded fault of 'site' that
 * fires for this event, or NULL. target/source are labels (source NULL or
 * "" when the site has none); has_type says whether 'type' is meaningful.
 * Each fault whose filters match counts a match; it fires on its nth match
 * (and, if persistent, on every later one) when the probability draw
 * succeeds; a non-persistent fault fires at most once. The counters of
 * every matching fault are updated even when an earlier one fires.
 */
struct inj_fault *inj_match(struct inj_table *t, int site, const char *target,
                            const char *source, int has_type, int32_t type,
                            uint32_t now);

/* Names for the text forms: "ipc", "drop", ... ("?" if out of range);
 * and the site an action belongs to (INJ_SITE_NONE if invalid). */
const char *inj_site_name(int site);
const char *inj_action_name(int action);
int inj_action_site(int action);

/* The engine's PRNG (splitmix64), exposed for tests: next value of *state. */
uint64_t inj_prng_next(uint64_t *state);

/* ---- parse.c ---- */

/*
 * Parse one fault from text: fields "key<eq>value" separated by 'sep'
 * (`fault add`: ' ' and '='; boot-time inject=: ',' and ':'), up to len
 * characters of s (len may stop at a NUL earlier). Keys: site, action,
 * target, source, type, nth, after, prob, seed, persistent, arg, mask;
 * numbers decimal, 0x hex, or negative decimal for arg. site, action and
 * target are required; the action must belong to the site. Returns 0 with
 * *out filled (defaults: nth 1, prob 1000000, seed 1, persistent 0), or -1
 * with a one-line message in err (errlen bytes, NUL-terminated).
 */
int inj_parse_fault(const char *s, size_t len, char sep, char eq,
                    struct inj_fault *out, char *err, size_t errlen);

/*
 * Parse a boot-time fault list (the value of inject=: faults separated by
 * ';', each as inj_parse_fault with ',' and ':') into t. Returns the number
 * loaded; on the first bad fault stops and returns -1 with err filled.
 */
int inj_parse_boot(const char *value, size_t len, struct inj_table *t,
                   char *err, size_t errlen);

#endif
