/*
 * DS's store and regular-expression matcher: pure functions over plain
 * structures, with no IPC and no library calls, so the host unit tests
 * (tests/unit/ds) link them as they are.
 */
#ifndef DS_STORE_H
#define DS_STORE_H

#include <crucible/types.h>
#include <crucible/errno.h>
#include <crucible/endpoint.h>
#include <crucible/com.h>

/* Keys the store holds, and subscribers (one subscription each). The
 * single-handler fuzz harness (fuzz/ds) builds DS with fewer of both
 * (fuzz/CMakeLists.txt): a full store is then a few steps away, and its
 * per-step reset and sanity check read less. */
#ifndef DS_NR_ENTRIES
#define DS_NR_ENTRIES   128
#endif
#ifndef DS_NR_SUBS
#define DS_NR_SUBS      16
#endif
#define DS_RE_MAX_ATOMS (DS_MAX_KEYLEN - 1)

/* ---- regular expressions (regex.c) ---- */

/*
 * A compiled pattern: a sequence of atoms, each a set of bytes with a
 * quantifier, optionally anchored at the start and the end of the text.
 */
struct ds_re_atom {
    uint32_t set[8];            /* bit c: the atom matches byte c */
    char     quant;             /* 0 (once), '?', '*' or '+' */
};

struct ds_regex {
    struct ds_re_atom atom[DS_RE_MAX_ATOMS];
    int      natoms;
    int      anchor_start;      /* pattern began with '^' */
    int      anchor_end;        /* pattern ended with '$' */
};

int ds_regex_compile(struct ds_regex *re, const char *pattern, size_t maxlen);
int ds_regex_exec(const struct ds_regex *re, const char *text, size_t maxlen);
int ds_regex_match(const char *pattern, const char *text);

/* ---- the store (store.c) ---- */

struct ds_entry {
    int        type;            /* one DSF_TYPE_* bit; 0: the slot is free */
    char       key[DS_MAX_KEYLEN];  /* NUL-terminated, 1..DS_MAX_KEYLEN-1 chars */
    endpoint_t owner;           /* who published it */
    uint32_t   value;           /* u32 value; label: the endpoint */
    uint32_t   len;             /* string (with its NUL) or memory bytes */
    uint8_t    data[DS_MAX_DATA];
};

struct ds_sub {
    int        in_use;
    endpoint_t ep;              /* the subscriber */
    int        types;           /* DSF_TYPE_* it wants; 0: every type */
    char       regex[DS_MAX_KEYLEN];    /* NUL-terminated pattern */
    uint32_t   changed[BITMAP_WORDS(DS_NR_ENTRIES)];   /* by entry slot */
};

struct ds_store {
    struct ds_entry entry[DS_NR_ENTRIES];
    struct ds_sub   sub[DS_NR_SUBS];
};

/* Bit i of a notify mask: subscriber slot i must be notified. */
typedef uint32_t ds_notify_mask;
CRUCIBLE_STATIC_ASSERT(DS_NR_SUBS <= 32, "notify mask holds every subscriber");

void ds_store_init(struct ds_store *s);
int ds_key_check(const char *key, size_t maxlen);
int ds_type_check(int flags, int allowed_extra);
int ds_store_publish(struct ds_store *s, endpoint_t caller, const char *key,
                     int flags, uint32_t value, const void *data, size_t len,
                     ds_notify_mask *notify);
const struct ds_entry *ds_store_lookup(const struct ds_store *s,
                                       const char *key, int type);
const struct ds_entry *ds_store_find_label(const struct ds_store *s,
                                           endpoint_t ep);
int ds_store_delete(struct ds_store *s, endpoint_t caller, const char *key,
                    int type);
int ds_store_subscribe(struct ds_store *s, endpoint_t caller,
                       const char *regex, int flags, ds_notify_mask *notify);
int ds_store_check(struct ds_store *s, endpoint_t caller);
void ds_store_drop_sub(struct ds_store *s, int slot);
int ds_store_invariants(const struct ds_store *s, const char **what);

#endif
