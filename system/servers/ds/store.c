/*
 * DS's store: fixed tables of entries and subscribers, and the rules for
 * changing them. Pure: no IPC here (only the C library's string
 * functions); the
 * request handlers copy data in and out and send the notifications this
 * code asks for.
 *
 * Rules:
 * - Keys are 1..DS_MAX_KEYLEN-1 bytes and unique across all types.
 * - Publishing an existing key needs DSF_OVERWRITE (else EEXIST), the same
 *   type (else EEXIST) and the caller must own it or be RS (else EPERM).
 * - Labels (DSF_TYPE_LABEL) are published and deleted by RS only. A label
 *   published again under a new endpoint moves the old endpoint's keys to
 *   it (the service was restarted under a new endpoint).
 * - Deleting needs the key's type and ownership (or RS).
 * - A subscriber has one subscription; subscribing again replaces it and
 *   forgets its changed keys. On every publish, the changed bit of that
 *   entry is set for each subscriber whose regex (and type filter) matches,
 *   and those subscribers are reported in the notify mask. Deleting a key
 *   clears its bit everywhere and notifies nobody.
 */
#include <string.h>

#include "store.h"

/* Copy a NUL-terminated string of at most n-1 bytes into d[n] and zero the
 * rest of d, so stored keys compare and check byte for byte. */
static void key_copy(char *d, const char *s, size_t n)
{
    size_t k = strnlen(s, n - 1);

    memcpy(d, s, k);
    memset(d + k, 0, n - k);
}

/* Whether two NUL-terminated keys (within DS_MAX_KEYLEN) are equal. */
static int key_equal(const char *a, const char *b)
{
    return strncmp(a, b, DS_MAX_KEYLEN) == 0;
}

/* Empty the store: no entries, no subscribers. */
void ds_store_init(struct ds_store *s)
{
    memset(s, 0, sizeof(*s));
}

/*
 * Check a key read from a message or a caller: its length (bytes before
 * the NUL, which must come within maxlen bytes and within DS_MAX_KEYLEN-1
 * characters) on success; EINVAL for an empty key, ENAMETOOLONG for a
 * longer one.
 */
int ds_key_check(const char *key, size_t maxlen)
{
    size_t lim = maxlen < DS_MAX_KEYLEN ? maxlen : DS_MAX_KEYLEN;
    size_t n = strnlen(key, lim);

    if (n == lim)
        return ENAMETOOLONG;
    return n == 0 ? EINVAL : (int)n;
}

/*
 * Check request flags: exactly one DSF_TYPE_* bit, and besides it only the
 * bits in allowed_extra. Returns the type bit or EINVAL.
 */
int ds_type_check(int flags, int allowed_extra)
{
    int type = flags & DSF_TYPE_MASK;

    if (flags & ~(DSF_TYPE_MASK | allowed_extra))
        return EINVAL;
    if (type != DSF_TYPE_U32 && type != DSF_TYPE_STR &&
        type != DSF_TYPE_MEM && type != DSF_TYPE_LABEL)
        return EINVAL;
    return type;
}

/* Slot of the entry with this key (any type), or -1. */
static int find_key(const struct ds_store *s, const char *key)
{
    int i;

    for (i = 0; i < DS_NR_ENTRIES; i++)
        if (s->entry[i].type != 0 && key_equal(s->entry[i].key, key))
            return i;
    return -1;
}

/* Whether subscriber sub wants to hear about entry e. */
static int sub_matches(const struct ds_sub *sub, const struct ds_entry *e)
{
    if (sub->types != 0 && !(sub->types & e->type))
        return 0;
    return ds_regex_match(sub->regex, e->key) == 1;
}

/* Set entry slot's changed bit for every matching subscriber and return
 * those subscribers as a notify mask. */
static ds_notify_mask mark_changed(struct ds_store *s, int slot)
{
    ds_notify_mask mask = 0;
    int i;

    for (i = 0; i < DS_NR_SUBS; i++) {
        struct ds_sub *sub = &s->sub[i];

        if (!sub->in_use)
            continue;
        if (sub_matches(sub, &s->entry[slot])) {
            BIT_SET(sub->changed, slot);
            mask |= 1u << i;
        } else {
            BIT_UNSET(sub->changed, slot);
        }
    }
    return mask;
}

/*
 * RS published a label under a new endpoint: the service runs as 'to' now
 * (RS restarted it under a new endpoint when the old one could not be
 * swapped out), and 'from' is gone. The keys 'from' owned are 'to's now,
 * so that the new instance can store them again (its init does). Label
 * entries stay RS's.
 */
static void move_owner(struct ds_store *s, endpoint_t from, endpoint_t to)
{
    int i;

    for (i = 0; from != RS_PROC_NR && i < DS_NR_ENTRIES; i++)
        if (s->entry[i].type != 0 && s->entry[i].type != DSF_TYPE_LABEL &&
            s->entry[i].owner == from)
            s->entry[i].owner = to;
}

/*
 * Publish key with flags (one type bit, maybe DSF_OVERWRITE) for caller.
 * value is the u32 or the label's endpoint; data[len] the string or memory
 * (a string is stored up to its first NUL or len, plus a NUL). Returns OK
 * and the subscribers to notify in *notify; or EINVAL (flags, key, no data,
 * a label naming NONE, ANY or SELF),
 * ENAMETOOLONG (key), E2BIG (data), EPERM (label from a non-RS caller,
 * or someone else's key), EEXIST (key exists: no DSF_OVERWRITE or another
 * type), ENOSPC (table full). On error nothing changed and *notify is 0.
 */
int ds_store_publish(struct ds_store *s, endpoint_t caller, const char *key,
                     int flags, uint32_t value, const void *data, size_t len,
                     ds_notify_mask *notify)
{
    const uint8_t *src = data;
    struct ds_entry *e;
    int type, slot, r;
    size_t n = 0;

    *notify = 0;
    if ((type = ds_type_check(flags, DSF_OVERWRITE)) < 0)
        return type;
    if ((r = ds_key_check(key, DS_MAX_KEYLEN)) < 0)
        return r;
    if (type == DSF_TYPE_LABEL && caller != RS_PROC_NR)
        return EPERM;
    /* A label names an endpoint (ds_store_invariants): not a pseudo one. */
    if (type == DSF_TYPE_LABEL && ((endpoint_t)value == NONE ||
        (endpoint_t)value == ANY || (endpoint_t)value == SELF))
        return EINVAL;
    if (type == DSF_TYPE_MEM || type == DSF_TYPE_STR) {
        if (len > DS_MAX_DATA)
            return E2BIG;
        if (len > 0 && data == NULL)
            return EINVAL;
        if (type == DSF_TYPE_STR) {
            while (n < len && src[n] != '\0')
                n++;
            if (n + 1 > DS_MAX_DATA)
                return E2BIG;
        } else {
            n = len;
        }
    }

    if ((slot = find_key(s, key)) >= 0) {
        e = &s->entry[slot];
        if (!(flags & DSF_OVERWRITE) || e->type != type)
            return EEXIST;
        if (e->owner != caller && caller != RS_PROC_NR)
            return EPERM;
        if (type == DSF_TYPE_LABEL && e->value != value)
            move_owner(s, (endpoint_t)e->value, (endpoint_t)value);
    } else {
        for (slot = 0; slot < DS_NR_ENTRIES; slot++)
            if (s->entry[slot].type == 0)
                break;
        if (slot == DS_NR_ENTRIES)
            return ENOSPC;
        e = &s->entry[slot];
        memset(e, 0, sizeof(*e));
        key_copy(e->key, key, DS_MAX_KEYLEN);
        e->type = type;
        e->owner = caller;
    }

    e->value = (type == DSF_TYPE_U32 || type == DSF_TYPE_LABEL) ? value : 0;
    memset(e->data, 0, sizeof(e->data));
    if (type == DSF_TYPE_MEM || type == DSF_TYPE_STR) {
        size_t i;
        for (i = 0; i < n; i++)
            e->data[i] = src[i];
        e->len = type == DSF_TYPE_STR ? n + 1 : n;
    } else {
        e->len = 0;
    }
    *notify = mark_changed(s, slot);
    return OK;
}

/* The entry with this key and type, or NULL. key must be checked first. */
const struct ds_entry *ds_store_lookup(const struct ds_store *s,
                                       const char *key, int type)
{
    int slot = find_key(s, key);

    if (slot < 0 || s->entry[slot].type != type)
        return NULL;
    return &s->entry[slot];
}

/* The label entry whose endpoint is ep, or NULL. */
const struct ds_entry *ds_store_find_label(const struct ds_store *s,
                                           endpoint_t ep)
{
    int i;

    for (i = 0; i < DS_NR_ENTRIES; i++)
        if (s->entry[i].type == DSF_TYPE_LABEL &&
            (endpoint_t)s->entry[i].value == ep)
            return &s->entry[i];
    return NULL;
}

/*
 * Delete key of the given type for caller. Returns OK; EINVAL (type, key),
 * ENAMETOOLONG (key), ENOENT (no such key of that type), EPERM (not the
 * owner and not RS; a label and the caller is not RS). The entry's changed
 * bits are cleared; nobody is notified.
 */
int ds_store_delete(struct ds_store *s, endpoint_t caller, const char *key,
                    int type)
{
    int slot, i, r;

    if ((r = ds_type_check(type, 0)) < 0)
        return r;
    if ((r = ds_key_check(key, DS_MAX_KEYLEN)) < 0)
        return r;
    slot = find_key(s, key);
    if (slot < 0 || s->entry[slot].type != type)
        return ENOENT;
    if (caller != RS_PROC_NR &&
        (type == DSF_TYPE_LABEL || s->entry[slot].owner != caller))
        return EPERM;
    memset(&s->entry[slot], 0, sizeof(s->entry[slot]));
    for (i = 0; i < DS_NR_SUBS; i++)
        BIT_UNSET(s->sub[i].changed, slot);
    return OK;
}

/* Subscriber slot of ep, or -1. */
static int find_sub(const struct ds_store *s, endpoint_t ep)
{
    int i;

    for (i = 0; i < DS_NR_SUBS; i++)
        if (s->sub[i].in_use && s->sub[i].ep == ep)
            return i;
    return -1;
}

/*
 * Subscribe caller to the keys matching regex, of the types in flags
 * (none: every type); DSF_INITIAL also marks the existing matching keys as
 * changed. Replaces the caller's previous subscription. Returns OK and in
 * *notify the caller's own bit when DSF_INITIAL marked something; EINVAL
 * (flags, malformed regex), E2BIG/ENAMETOOLONG (regex too long), ENOSPC
 * (no free subscriber slot).
 */
int ds_store_subscribe(struct ds_store *s, endpoint_t caller,
                       const char *regex, int flags, ds_notify_mask *notify)
{
    struct ds_regex re;
    struct ds_sub *sub;
    int slot, i, r;

    *notify = 0;
    if (flags & ~(DSF_TYPE_MASK | DSF_INITIAL))
        return EINVAL;
    if ((r = ds_key_check(regex, DS_MAX_KEYLEN)) < 0)
        return r;
    if ((r = ds_regex_compile(&re, regex, DS_MAX_KEYLEN)) != OK)
        return r;
    if ((slot = find_sub(s, caller)) < 0) {
        for (slot = 0; slot < DS_NR_SUBS; slot++)
            if (!s->sub[slot].in_use)
                break;
        if (slot == DS_NR_SUBS)
            return ENOSPC;
    }
    sub = &s->sub[slot];
    memset(sub, 0, sizeof(*sub));
    sub->in_use = 1;
    sub->ep = caller;
    sub->types = flags & DSF_TYPE_MASK;
    key_copy(sub->regex, regex, DS_MAX_KEYLEN);
    if (flags & DSF_INITIAL) {
        for (i = 0; i < DS_NR_ENTRIES; i++) {
            if (s->entry[i].type != 0 && sub_matches(sub, &s->entry[i])) {
                BIT_SET(sub->changed, i);
                *notify = 1u << slot;
            }
        }
    }
    return OK;
}

/*
 * The next changed entry for subscriber caller (lowest slot first): its
 * slot, with the changed bit now cleared. ENOENT when nothing changed,
 * ESRCH when caller has no subscription.
 */
int ds_store_check(struct ds_store *s, endpoint_t caller)
{
    int slot = find_sub(s, caller), i;

    if (slot < 0)
        return ESRCH;
    for (i = 0; i < DS_NR_ENTRIES; i++) {
        if (BIT_ISSET(s->sub[slot].changed, i)) {
            BIT_UNSET(s->sub[slot].changed, i);
            if (s->entry[i].type != 0)
                return i;
        }
    }
    return ENOENT;
}

/* Forget subscriber slot (its endpoint is dead). */
void ds_store_drop_sub(struct ds_store *s, int slot)
{
    if (slot >= 0 && slot < DS_NR_SUBS)
        memset(&s->sub[slot], 0, sizeof(s->sub[slot]));
}

/* A 32-bit word that may alias any object (the invariant checks read
 * structures word by word). */
typedef uint32_t __attribute__((may_alias)) ds_word;
CRUCIBLE_STATIC_ASSERT(sizeof(struct ds_entry) % sizeof(ds_word) == 0 &&
                       sizeof(struct ds_sub) % sizeof(ds_word) == 0 &&
                       DS_MAX_KEYLEN % sizeof(ds_word) == 0,
                       "store slots and keys are whole words");
CRUCIBLE_STATIC_ASSERT(DS_NR_ENTRIES <= 32767, "slot numbers fit an int16_t");

/*
 * The sanity check runs after every message (DESIGN §2), so it must cost
 * little; it still reads every byte it vouches for. Costs, for n used
 * entries out of N = DS_NR_ENTRIES:
 * - "free entry is zero": whatever zeroes free entries (ds_store_init,
 *   ds_store_delete), a free entry can be dirtied by something that is not
 *   a mutator (a stray write past a used entry's data, a corrupt_state
 *   fault, a store taken over from a previous instance); no summary kept by
 *   the mutators would see it, so every free byte is read, once, by
 *   ds_inv_free_zero: one OR-accumulation over all entries (a used entry
 *   contributes 0 through a mask, no branch per word), which the compiler
 *   vectorises. It reads only the store object, whose bounds and alignment
 *   are given by its type, so it is left out of ASan's and UBSan's per-load
 *   checks (which cost several times the load and stop vectorisation); the
 *   bytes themselves are the check.
 * - "no duplicate keys": O(n) with an open-addressing table of the used
 *   slots hashed by key (keys are NUL-padded, checked before, so equal keys
 *   are equal words), instead of n^2 / 2 key comparisons.
 * - "changed bits only for matching entries": only the set bits are
 *   visited (a word at a time), and each costs one regex match.
 * The invariants and their names are those of the full scan; none is
 * sampled or skipped.
 */
#if defined(__has_attribute)
#if __has_attribute(no_sanitize)
#define DS_INV_NOASAN __attribute__((no_sanitize("address", "undefined")))
#endif
#endif
#ifndef DS_INV_NOASAN
#define DS_INV_NOASAN
#endif

/* Nonzero if every free entry (type 0) of s is all zero. */
DS_INV_NOASAN
static int ds_inv_free_zero(const struct ds_store *s)
{
    ds_word acc = 0;
    int i;

    for (i = 0; i < DS_NR_ENTRIES; i++) {
        const ds_word *w = (const ds_word *)&s->entry[i];
        /* All ones for a free entry, 0 for a used one (its type word is
         * nonzero; that word is the entry's first, see the struct). */
        ds_word m = (ds_word)0 - (ds_word)(s->entry[i].type == 0);
        ds_word a = 0;
        size_t k;

        for (k = 0; k < sizeof(struct ds_entry) / sizeof *w; k++)
            a |= w[k];
        acc |= a & m;
    }
    return acc == 0;
}

/* The length of the string in key[DS_MAX_KEYLEN]: DS_MAX_KEYLEN when it
 * has no NUL. What ds_key_check decides (0 and DS_MAX_KEYLEN are its
 * errors), as a checker-only copy: the checker runs after every message,
 * and the fuzz builds trace every comparison of the code under test
 * (ds_key_check is) but not of the checkers (ds_inv_*). */
static int ds_inv_key_len(const char *key)
{
    int i;

    for (i = 0; i < DS_MAX_KEYLEN; i++)
        if (key[i] == '\0')
            break;
    return i;
}

/* Nonzero if the n bytes at p are all zero; p is word-aligned and n a
 * multiple of the word size (a subscriber slot). */
static int all_zero(const void *p, size_t n)
{
    const ds_word *w = p;
    ds_word acc = 0;
    size_t i;

    for (i = 0; i < n / sizeof *w; i++)
        acc |= w[i];
    return acc == 0;
}

/* A power of two, at least 2 * DS_NR_ENTRIES (and no larger than that
 * needs: it is cleared at every check). */
#define DS_INV_HASH (DS_NR_ENTRIES <= 16 ? 32 : DS_NR_ENTRIES <= 32 ? 64 : \
                     DS_NR_ENTRIES <= 64 ? 128 : DS_NR_ENTRIES <= 128 ? 256 : 512)
CRUCIBLE_STATIC_ASSERT(DS_INV_HASH >= 2 * DS_NR_ENTRIES &&
                       (DS_INV_HASH & (DS_INV_HASH - 1)) == 0,
                       "hash table at most half full");

/* Nonzero if two used entries of s have the same key. Every used entry's
 * key must already be checked NUL-padded, so keys compare as words. */
static int ds_inv_dup_keys(const struct ds_store *s)
{
    int16_t tab[DS_INV_HASH];   /* slot + 1; 0: empty */
    size_t i, k;
    int j;

    memset(tab, 0, sizeof(tab));
    for (j = 0; j < DS_NR_ENTRIES; j++) {
        const ds_word *kw = (const ds_word *)s->entry[j].key;
        uint32_t h = 2166136261u;

        if (s->entry[j].type == 0)
            continue;
        for (k = 0; k < DS_MAX_KEYLEN / sizeof *kw; k++)
            h = (h ^ kw[k]) * 16777619u;
        h ^= h >> 15;
        for (i = h & (DS_INV_HASH - 1); tab[i] != 0;
             i = (i + 1) & (DS_INV_HASH - 1)) {
            const ds_word *ow = (const ds_word *)s->entry[tab[i] - 1].key;
            ds_word d = 0;

            for (k = 0; k < DS_MAX_KEYLEN / sizeof *kw; k++)
                d |= kw[k] ^ ow[k];
            if (d == 0)
                return 1;
        }
        tab[i] = (int16_t)(j + 1);
    }
    return 0;
}

/*
 * The regexes the checker compiled last, by subscriber slot. A text equal,
 * byte for byte, to the one compiled last time compiles to the same
 * pattern, so the checker compares the text (reading every byte it
 * vouches for) instead of compiling it after every message. Checker
 * state only: nothing else reads it, and a stale entry is only a miss.
 */
static struct ds_inv_re {
    char            text[DS_MAX_KEYLEN];
    struct ds_regex re;
    int             ok;         /* text compiled (re valid) */
} ds_inv_re[DS_NR_SUBS];

/* The compiled pattern of the NUL-padded text of subscriber slot (see
 * above), or NULL when it does not compile. */
static const struct ds_regex *ds_inv_regex(int slot, const char *text)
{
    struct ds_inv_re *c = &ds_inv_re[slot];
    const ds_word *a = (const ds_word *)text, *b = (const ds_word *)c->text;
    ds_word d = 0;
    size_t k;

    for (k = 0; k < DS_MAX_KEYLEN / sizeof *a; k++)
        d |= a[k] ^ b[k];
    if (!c->ok || d != 0) {
        c->ok = ds_regex_compile(&c->re, text, DS_MAX_KEYLEN) == OK;
        for (k = 0; k < DS_MAX_KEYLEN; k++)
            c->text[k] = text[k];
    }
    return c->ok ? &c->re : NULL;
}

/*
 * The store's invariants. Returns OK, or EGENERIC with *what naming the
 * first broken one:
 * - a free entry is all zero; a used one has one valid type bit, a valid
 *   NUL-padded key, a length within DS_MAX_DATA (0 for u32 and labels; a
 *   string's length counts its NUL, which is its last byte);
 * - no two used entries have the same key;
 * - label entries are owned by RS and name a real endpoint;
 * - a free subscriber slot is all zero; a used one has a real endpoint, a
 *   valid regex, a valid type filter, no other slot with its endpoint, and
 *   changed bits only for used entries it matches.
 * Cost: one read of the free entries, O(used) for the rest (see above).
 */
int ds_store_invariants(const struct ds_store *s, const char **what)
{
    int i, j, k;

    if (!ds_inv_free_zero(s)) {
        *what = "free entry is zero";
        return EGENERIC;
    }
    for (i = 0; i < DS_NR_ENTRIES; i++) {
        const struct ds_entry *e = &s->entry[i];

        if (e->type == 0)
            continue;           /* all zero: ds_inv_free_zero */
        if (ds_type_check(e->type, 0) < 0) {
            *what = "entry type valid";
            return EGENERIC;
        }
        k = ds_inv_key_len(e->key);
        if (k == 0 || k == DS_MAX_KEYLEN) {
            *what = "entry key valid";
            return EGENERIC;
        }
        for (; k < DS_MAX_KEYLEN; k++)
            if (e->key[k] != '\0') {
                *what = "entry key NUL-padded";
                return EGENERIC;
            }
        if (e->len > DS_MAX_DATA ||
            ((e->type == DSF_TYPE_U32 || e->type == DSF_TYPE_LABEL) &&
             e->len != 0) ||
            (e->type == DSF_TYPE_STR &&
             (e->len == 0 || e->data[e->len - 1] != '\0'))) {
            *what = "entry length valid";
            return EGENERIC;
        }
        if (e->type == DSF_TYPE_LABEL &&
            (e->owner != RS_PROC_NR || (endpoint_t)e->value == NONE ||
             (endpoint_t)e->value == ANY || (endpoint_t)e->value == SELF)) {
            *what = "label entry owned by RS, names an endpoint";
            return EGENERIC;
        }
    }
    if (ds_inv_dup_keys(s)) {
        *what = "no duplicate keys";
        return EGENERIC;
    }

    for (i = 0; i < DS_NR_SUBS; i++) {
        const struct ds_sub *sub = &s->sub[i];
        const struct ds_regex *re;

        if (!sub->in_use) {
            if (!all_zero(sub, sizeof *sub)) {
                *what = "free subscriber slot is zero";
                return EGENERIC;
            }
            continue;
        }
        if (sub->in_use != 1 || sub->ep == NONE || sub->ep == ANY ||
            sub->ep == SELF || (sub->types & ~DSF_TYPE_MASK)) {
            *what = "subscriber fields valid";
            return EGENERIC;
        }
        k = ds_inv_key_len(sub->regex);
        if (k == 0 || k == DS_MAX_KEYLEN || (re = ds_inv_regex(i, sub->regex)) == NULL) {
            *what = "subscriber regex valid";
            return EGENERIC;
        }
        for (j = i + 1; j < DS_NR_SUBS; j++)
            if (s->sub[j].in_use && s->sub[j].ep == sub->ep) {
                *what = "one subscription per endpoint";
                return EGENERIC;
            }
        for (k = 0; k < BITMAP_WORDS(DS_NR_ENTRIES); k++) {
            uint32_t bits = sub->changed[k];

            while (bits != 0) {
                j = k * 32 + __builtin_ctz(bits);
                bits &= bits - 1;
                if (j >= DS_NR_ENTRIES || s->entry[j].type == 0 ||
                    ds_regex_exec(re, s->entry[j].key, DS_MAX_KEYLEN) != 1 ||
                    (sub->types != 0 && !(sub->types & s->entry[j].type))) {
                    *what = "changed bits only for matching entries";
                    return EGENERIC;
                }
            }
        }
    }
    return OK;
}
