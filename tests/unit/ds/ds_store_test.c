/*
 * Host unit tests of DS's store and regex matcher (system/servers/ds/store.c,
 * regex.c). Prints one line per failed check and exits 1 if any failed.
 */
#include <stdio.h>
#include <string.h>
#include "store.h"

static int failures, checks;

#define CHECK(cond) do { \
        checks++; \
        if (!(cond)) { \
            failures++; \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        } \
    } while (0)

#define EQ(a, b) do { \
        long _a = (long)(a), _b = (long)(b); \
        checks++; \
        if (_a != _b) { \
            failures++; \
            printf("FAIL %s:%d: %s == %ld, expected %s == %ld\n", \
                   __FILE__, __LINE__, #a, _a, #b, _b); \
        } \
    } while (0)

static struct ds_store st;

#define USER_A 20
#define USER_B 21

/* The store's invariants hold; report the broken one otherwise. */
static void check_invariants(int line)
{
    const char *what = "";
    int r = ds_store_invariants(&st, &what);

    checks++;
    if (r != OK) {
        failures++;
        printf("FAIL line %d: invariant broken: %s\n", line, what);
    }
}
#define INVARIANTS() check_invariants(__LINE__)

/* Regex: literal, '.', quantifiers, anchors, classes, escapes, errors. */
static void test_regex(void)
{
    static const struct { const char *re, *text; int want; } cases[] = {
        { "abc", "abc", 1 },        { "abc", "xabcx", 1 },
        { "abc", "ab", 0 },         { "^abc", "xabc", 0 },
        { "^abc", "abcd", 1 },      { "abc$", "abcd", 0 },
        { "abc$", "xxabc", 1 },     { "^abc$", "abc", 1 },
        { "^abc$", "abcc", 0 },     { "a.c", "abc", 1 },
        { "a.c", "ac", 0 },         { "^ab*c$", "ac", 1 },
        { "^ab*c$", "abbbc", 1 },   { "^ab+c$", "ac", 0 },
        { "^ab+c$", "abbc", 1 },    { "^ab?c$", "ac", 1 },
        { "^ab?c$", "abc", 1 },     { "^ab?c$", "abbc", 0 },
        { "^[a-c]+$", "abcabc", 1 },{ "^[a-c]+$", "abcd", 0 },
        { "^[^.]+$", "abc", 1 },    { "^[^.]+$", "a.c", 0 },
        { "^[]a]$", "]", 1 },       { "^[a-]$", "-", 1 },
        { "^[0-9_x]*$", "12_x3", 1 },
        { "^test\\.sub\\..*", "test.sub.a", 1 },
        { "^test\\.sub\\..*", "test.subxa", 0 },
        { "^test\\.sub\\..*", "xtest.sub.a", 0 },
        { "^drv\\.up\\.", "drv.up.hello", 1 },
        { "", "anything", 1 },      { "", "", 1 },
        { "^$", "", 1 },            { "^$", "a", 0 },
        { "a\\$", "a$", 1 },        { "x^", "x^", 1 },
        { "a$b", "a$b", 1 },        { ".*", "", 1 },
        { "^a*a*a*a*a*a*a*a*a*b$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0 },
        { "^(a)$", "(a)", 1 },      { "^a**", "a", EINVAL },
        { "*a", "a", EINVAL },      { "[abc", "a", EINVAL },
        { "[z-a]", "a", EINVAL },   { "ab\\", "ab", EINVAL },
        { "^+", "a", EINVAL },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int r = ds_regex_match(cases[i].re, cases[i].text);
        checks++;
        if (r != cases[i].want) {
            failures++;
            printf("FAIL regex \"%s\" on \"%s\": %d, expected %d\n",
                   cases[i].re, cases[i].text, r, cases[i].want);
        }
    }
}

/* Publish, retrieve, overwrite, ownership, delete, type and size checks. */
static void test_publish(void)
{
    ds_notify_mask n;
    const struct ds_entry *e;
    char key32[DS_MAX_KEYLEN + 1];
    uint8_t big[DS_MAX_DATA + 1];

    ds_store_init(&st);
    EQ(ds_store_publish(&st, USER_A, "a.u32", DSF_TYPE_U32, 7, NULL, 0, &n), OK);
    e = ds_store_lookup(&st, "a.u32", DSF_TYPE_U32);
    CHECK(e != NULL && e->value == 7 && e->owner == USER_A);
    CHECK(ds_store_lookup(&st, "a.u32", DSF_TYPE_STR) == NULL);
    CHECK(ds_store_lookup(&st, "nope", DSF_TYPE_U32) == NULL);

    EQ(ds_store_publish(&st, USER_A, "a.u32", DSF_TYPE_U32, 8, NULL, 0, &n), EEXIST);
    EQ(ds_store_publish(&st, USER_A, "a.u32", DSF_TYPE_U32 | DSF_OVERWRITE, 8, NULL, 0, &n), OK);
    EQ(ds_store_lookup(&st, "a.u32", DSF_TYPE_U32)->value, 8);
    EQ(ds_store_publish(&st, USER_B, "a.u32", DSF_TYPE_U32 | DSF_OVERWRITE, 9, NULL, 0, &n), EPERM);
    EQ(ds_store_publish(&st, RS_PROC_NR, "a.u32", DSF_TYPE_U32 | DSF_OVERWRITE, 10, NULL, 0, &n), OK);
    EQ(ds_store_lookup(&st, "a.u32", DSF_TYPE_U32)->owner, USER_A);
    /* Same key, other type: refused even with overwrite. */
    EQ(ds_store_publish(&st, USER_A, "a.u32", DSF_TYPE_STR | DSF_OVERWRITE, 0, "x", 2, &n), EEXIST);

    /* Strings: stored up to the NUL, with a NUL. */
    EQ(ds_store_publish(&st, USER_A, "a.str", DSF_TYPE_STR, 0, "hello\0junk", 10, &n), OK);
    e = ds_store_lookup(&st, "a.str", DSF_TYPE_STR);
    CHECK(e != NULL && e->len == 6 && strcmp((const char *)e->data, "hello") == 0);
    EQ(ds_store_publish(&st, USER_A, "a.str2", DSF_TYPE_STR, 0, "abc", 3, &n), OK);
    EQ(ds_store_lookup(&st, "a.str2", DSF_TYPE_STR)->len, 4);

    /* Memory: exactly len bytes, up to DS_MAX_DATA. */
    memset(big, 0xab, sizeof(big));
    EQ(ds_store_publish(&st, USER_A, "a.mem", DSF_TYPE_MEM, 0, big, DS_MAX_DATA, &n), OK);
    EQ(ds_store_lookup(&st, "a.mem", DSF_TYPE_MEM)->len, DS_MAX_DATA);
    EQ(ds_store_publish(&st, USER_A, "a.mem2", DSF_TYPE_MEM, 0, big, DS_MAX_DATA + 1, &n), E2BIG);
    EQ(ds_store_publish(&st, USER_A, "a.str3", DSF_TYPE_STR, 0, big, DS_MAX_DATA, &n), E2BIG);
    EQ(ds_store_publish(&st, USER_A, "a.mem3", DSF_TYPE_MEM, 0, NULL, 4, &n), EINVAL);
    EQ(ds_store_publish(&st, USER_A, "a.mem4", DSF_TYPE_MEM, 0, NULL, 0, &n), OK);

    /* Keys: empty, 31 chars ok, 32 chars (no NUL in the field) refused. */
    memset(key32, 'k', sizeof(key32));
    key32[DS_MAX_KEYLEN - 1] = '\0';
    EQ(ds_store_publish(&st, USER_A, key32, DSF_TYPE_U32, 1, NULL, 0, &n), OK);
    key32[DS_MAX_KEYLEN - 1] = 'k';
    key32[DS_MAX_KEYLEN] = '\0';
    EQ(ds_store_publish(&st, USER_A, key32, DSF_TYPE_U32, 1, NULL, 0, &n), ENAMETOOLONG);
    EQ(ds_store_publish(&st, USER_A, "", DSF_TYPE_U32, 1, NULL, 0, &n), EINVAL);

    /* Flags: exactly one type; unknown bits refused. */
    EQ(ds_store_publish(&st, USER_A, "f", 0, 1, NULL, 0, &n), EINVAL);
    EQ(ds_store_publish(&st, USER_A, "f", DSF_TYPE_U32 | DSF_TYPE_STR, 1, NULL, 0, &n), EINVAL);
    EQ(ds_store_publish(&st, USER_A, "f", DSF_TYPE_U32 | DSF_INITIAL, 1, NULL, 0, &n), EINVAL);
    EQ(ds_store_publish(&st, USER_A, "f", DSF_TYPE_U32 | 0x1000, 1, NULL, 0, &n), EINVAL);

    /* Labels: RS only, reverse lookup. */
    EQ(ds_store_publish(&st, USER_A, "pm", DSF_TYPE_LABEL, PM_PROC_NR, NULL, 0, &n), EPERM);
    EQ(ds_store_publish(&st, RS_PROC_NR, "pm", DSF_TYPE_LABEL, PM_PROC_NR, NULL, 0, &n), OK);
    EQ(ds_store_publish(&st, RS_PROC_NR, "rs", DSF_TYPE_LABEL, RS_PROC_NR, NULL, 0, &n), OK);
    e = ds_store_find_label(&st, RS_PROC_NR);
    CHECK(e != NULL && strcmp(e->key, "rs") == 0);
    CHECK(ds_store_find_label(&st, 55) == NULL);
    EQ(ds_store_delete(&st, USER_A, "pm", DSF_TYPE_LABEL), EPERM);
    INVARIANTS();

    /* Delete: type must match; owner or RS. */
    EQ(ds_store_delete(&st, USER_A, "a.u32", DSF_TYPE_STR), ENOENT);
    EQ(ds_store_delete(&st, USER_B, "a.u32", DSF_TYPE_U32), EPERM);
    EQ(ds_store_delete(&st, USER_A, "a.u32", DSF_TYPE_U32), OK);
    EQ(ds_store_delete(&st, USER_A, "a.u32", DSF_TYPE_U32), ENOENT);
    CHECK(ds_store_lookup(&st, "a.u32", DSF_TYPE_U32) == NULL);
    EQ(ds_store_delete(&st, RS_PROC_NR, "a.str", DSF_TYPE_STR), OK);
    EQ(ds_store_delete(&st, USER_A, "x", 0), EINVAL);
    INVARIANTS();
}

/* A label published again under a new endpoint (RS restarted the service
 * under a new one): the old endpoint's keys are the new one's; nobody
 * else's move, and the labels stay RS's. */
static void test_label_moves_owner(void)
{
    ds_notify_mask n;
    uint32_t v = 1;

    ds_store_init(&st);
    EQ(ds_store_publish(&st, RS_PROC_NR, "svc", DSF_TYPE_LABEL, USER_A, NULL, 0, &n), OK);
    EQ(ds_store_publish(&st, USER_A, "svc.count", DSF_TYPE_U32, 5, NULL, 0, &n), OK);
    EQ(ds_store_publish(&st, USER_A, "svc.name", DSF_TYPE_STR, 0, "x", 2, &n), OK);
    EQ(ds_store_publish(&st, USER_B, "other", DSF_TYPE_U32, 6, NULL, 0, &n), OK);
    EQ(ds_store_publish(&st, 30, "svc.count", DSF_TYPE_U32 | DSF_OVERWRITE, 7, NULL, 0, &n),
       EPERM);
    EQ(ds_store_publish(&st, RS_PROC_NR, "svc", DSF_TYPE_LABEL | DSF_OVERWRITE, 30, NULL, 0,
                        &n), OK);
    EQ(ds_store_lookup(&st, "svc.count", DSF_TYPE_U32)->owner, 30);
    EQ(ds_store_lookup(&st, "svc.name", DSF_TYPE_STR)->owner, 30);
    EQ(ds_store_lookup(&st, "other", DSF_TYPE_U32)->owner, USER_B);
    EQ(ds_store_lookup(&st, "svc", DSF_TYPE_LABEL)->owner, RS_PROC_NR);
    EQ(ds_store_publish(&st, 30, "svc.count", DSF_TYPE_U32 | DSF_OVERWRITE, 7, NULL, 0, &n), OK);
    EQ(ds_store_publish(&st, USER_A, "svc.count", DSF_TYPE_U32 | DSF_OVERWRITE, v, NULL, 0,
                        &n), EPERM);
    INVARIANTS();
}

/* Subscribers: regex and type filters, change bits, initial, delete, full. */
static void test_subscribe(void)
{
    ds_notify_mask n;
    const struct ds_entry *e;
    int slot;

    ds_store_init(&st);
    EQ(ds_store_publish(&st, USER_A, "test.sub.old", DSF_TYPE_U32, 1, NULL, 0, &n), OK);
    EQ(n, 0);
    EQ(ds_store_check(&st, USER_B), ESRCH);
    EQ(ds_store_subscribe(&st, USER_B, "^test\\.sub\\..*", 0, &n), OK);
    EQ(n, 0);                   /* no DSF_INITIAL: existing keys not reported */
    EQ(ds_store_check(&st, USER_B), ENOENT);

    EQ(ds_store_publish(&st, USER_A, "test.sub.a", DSF_TYPE_U32, 2, NULL, 0, &n), OK);
    EQ(n, 1u << 0);
    EQ(ds_store_publish(&st, USER_A, "test.other", DSF_TYPE_U32, 3, NULL, 0, &n), OK);
    EQ(n, 0);
    INVARIANTS();
    slot = ds_store_check(&st, USER_B);
    CHECK(slot >= 0);
    if (slot >= 0)
        CHECK(strcmp(st.entry[slot].key, "test.sub.a") == 0);
    EQ(ds_store_check(&st, USER_B), ENOENT);

    /* Overwrite marks again; delete unmarks without notifying. */
    EQ(ds_store_publish(&st, USER_A, "test.sub.a", DSF_TYPE_U32 | DSF_OVERWRITE, 4, NULL, 0, &n), OK);
    EQ(n, 1u << 0);
    EQ(ds_store_delete(&st, USER_A, "test.sub.a", DSF_TYPE_U32), OK);
    INVARIANTS();
    EQ(ds_store_check(&st, USER_B), ENOENT);

    /* Resubscribe with DSF_INITIAL and a type filter. */
    EQ(ds_store_publish(&st, USER_A, "test.sub.s", DSF_TYPE_STR, 0, "v", 2, &n), OK);
    EQ(ds_store_subscribe(&st, USER_B, "^test\\.sub\\.", DSF_TYPE_U32 | DSF_INITIAL, &n), OK);
    EQ(n, 1u << 0);
    slot = ds_store_check(&st, USER_B);
    CHECK(slot >= 0 && strcmp(st.entry[slot].key, "test.sub.old") == 0);
    EQ(ds_store_check(&st, USER_B), ENOENT);     /* the string is filtered out */
    EQ(ds_store_publish(&st, USER_A, "test.sub.s", DSF_TYPE_STR | DSF_OVERWRITE, 0, "w", 2, &n), OK);
    EQ(n, 0);

    /* A second subscriber with a class; both notified. */
    EQ(ds_store_subscribe(&st, USER_A, "sub\\.[a-z]$", 0, &n), OK);
    EQ(ds_store_publish(&st, RS_PROC_NR, "test.sub.q", DSF_TYPE_U32, 5, NULL, 0, &n), OK);
    EQ(n, (1u << 0) | (1u << 1));
    EQ(ds_store_publish(&st, RS_PROC_NR, "test.sub.qq", DSF_TYPE_U32, 5, NULL, 0, &n), OK);
    EQ(n, 1u << 0);
    INVARIANTS();
    slot = ds_store_check(&st, USER_A);
    e = slot >= 0 ? &st.entry[slot] : NULL;
    CHECK(e != NULL && strcmp(e->key, "test.sub.q") == 0 && e->owner == RS_PROC_NR);

    /* Bad subscriptions. */
    EQ(ds_store_subscribe(&st, USER_A, "[x", 0, &n), EINVAL);
    EQ(ds_store_subscribe(&st, USER_A, "x", DSF_OVERWRITE, &n), EINVAL);
    EQ(ds_store_subscribe(&st, USER_A, "", 0, &n), EINVAL);

    /* Dropping a subscriber frees its slot. */
    ds_store_drop_sub(&st, 1);
    EQ(ds_store_check(&st, USER_A), ESRCH);
    INVARIANTS();
}

/* Full tables: ENOSPC for entries and subscribers; freed slots reused. */
static void test_full(void)
{
    ds_notify_mask n;
    char key[DS_MAX_KEYLEN];
    int i;

    ds_store_init(&st);
    for (i = 0; i < DS_NR_ENTRIES; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        EQ(ds_store_publish(&st, USER_A, key, DSF_TYPE_U32, i, NULL, 0, &n), OK);
    }
    EQ(ds_store_publish(&st, USER_A, "one.more", DSF_TYPE_U32, 0, NULL, 0, &n), ENOSPC);
    /* Overwriting an existing key still works when full. */
    EQ(ds_store_publish(&st, USER_A, "k3", DSF_TYPE_U32 | DSF_OVERWRITE, 33, NULL, 0, &n), OK);
    EQ(ds_store_delete(&st, USER_A, "k5", DSF_TYPE_U32), OK);
    EQ(ds_store_publish(&st, USER_A, "one.more", DSF_TYPE_U32, 0, NULL, 0, &n), OK);
    INVARIANTS();

    for (i = 0; i < DS_NR_SUBS; i++)
        EQ(ds_store_subscribe(&st, 100 + i, "^k1", DSF_INITIAL, &n), OK);
    EQ(ds_store_subscribe(&st, 500, "^k1", 0, &n), ENOSPC);
    /* An existing subscriber may resubscribe when full. */
    EQ(ds_store_subscribe(&st, 100, "^k2", 0, &n), OK);
    EQ(ds_store_publish(&st, USER_A, "k1", DSF_TYPE_U32 | DSF_OVERWRITE, 0, NULL, 0, &n), OK);
    EQ(n, ((1u << DS_NR_SUBS) - 1) & ~1u);
    INVARIANTS();
}

/* Invariants catch corruption. */
static void test_invariants(void)
{
    ds_notify_mask n;
    const char *what = NULL;

    ds_store_init(&st);
    EQ(ds_store_publish(&st, USER_A, "a", DSF_TYPE_U32, 1, NULL, 0, &n), OK);
    EQ(ds_store_publish(&st, USER_A, "b", DSF_TYPE_U32, 1, NULL, 0, &n), OK);
    EQ(ds_store_subscribe(&st, USER_B, "^a$", 0, &n), OK);
    INVARIANTS();
    st.entry[1].key[0] = 'a';
    EQ(ds_store_invariants(&st, &what), EGENERIC);
    CHECK(what != NULL && strcmp(what, "no duplicate keys") == 0);
    st.entry[1].key[0] = 'b';
    st.entry[1].type = 3;
    EQ(ds_store_invariants(&st, &what), EGENERIC);
    st.entry[1].type = DSF_TYPE_U32;
    BIT_SET(st.sub[0].changed, 1);
    EQ(ds_store_invariants(&st, &what), EGENERIC);
    BIT_UNSET(st.sub[0].changed, 1);
    st.sub[0].regex[0] = '*';
    EQ(ds_store_invariants(&st, &what), EGENERIC);
    st.sub[0].regex[0] = '^';
    INVARIANTS();
    st.entry[1].type = DSF_TYPE_LABEL;
    EQ(ds_store_invariants(&st, &what), EGENERIC);
    st.entry[1].type = DSF_TYPE_U32;
    INVARIANTS();
}

/* Whether the invariants fail, naming want. */
static int broken(const char *want)
{
    const char *what = NULL;

    return ds_store_invariants(&st, &what) == EGENERIC && what != NULL &&
           strcmp(what, want) == 0;
}

/* The cheap check (one read of the free entries, O(used) for the rest)
 * still catches each kind of corruption, wherever it is. */
static void test_invariants_each(void)
{
    ds_notify_mask n;
    size_t off;
    int slot, i;
    char key[8];

    ds_store_init(&st);
    for (i = 0; i < 40; i++) {
        key[0] = 'k';
        key[1] = (char)('0' + i / 10);
        key[2] = (char)('0' + i % 10);
        key[3] = '\0';
        EQ(ds_store_publish(&st, USER_A, key, DSF_TYPE_STR, 0, "v", 2, &n), OK);
    }
    EQ(ds_store_delete(&st, USER_A, "k05", DSF_TYPE_STR), OK);
    EQ(ds_store_subscribe(&st, USER_B, "^k1", 0, &n), OK);
    EQ(ds_store_publish(&st, USER_A, "k12", DSF_TYPE_STR | DSF_OVERWRITE, 0, "w", 2, &n), OK);
    INVARIANTS();
    /* A stray byte anywhere in a free entry: a deleted one between used
     * ones, one never used, the last one; header, key, data. */
    for (slot = 5; slot < DS_NR_ENTRIES; slot += DS_NR_ENTRIES - 6) {
        for (off = 0; off < sizeof(struct ds_entry); off++) {
            uint8_t *b = (uint8_t *)&st.entry[slot] + off;

            if (off < sizeof(int))
                continue;       /* the type: the entry would be used */
            *b = 0x01;
            CHECK(broken("free entry is zero"));
            *b = 0x80;
            CHECK(broken("free entry is zero"));
            *b = 0;
        }
    }
    INVARIANTS();
    /* Duplicate keys: adjacent, far apart, and the last slot. */
    memcpy(st.entry[1].key, st.entry[0].key, DS_MAX_KEYLEN);
    CHECK(broken("no duplicate keys"));
    memcpy(st.entry[1].key, "k01", 4);
    memcpy(st.entry[39].key, st.entry[2].key, DS_MAX_KEYLEN);
    CHECK(broken("no duplicate keys"));
    memcpy(st.entry[39].key, "k39", 4);
    INVARIANTS();
    /* Bad types. */
    st.entry[7].type = DSF_TYPE_U32 | DSF_TYPE_STR;
    CHECK(broken("entry type valid"));
    st.entry[7].type = 0x4000;
    CHECK(broken("entry type valid"));
    st.entry[7].type = DSF_TYPE_STR;
    /* A label that is not RS's. */
    st.entry[8].type = DSF_TYPE_LABEL;
    st.entry[8].len = 0;
    CHECK(broken("label entry owned by RS, names an endpoint"));
    st.entry[8].type = DSF_TYPE_STR;
    st.entry[8].len = 2;
    INVARIANTS();
    /* Changed bits: for a free entry, for one the regex does not match. */
    BIT_SET(st.sub[0].changed, 5);
    CHECK(broken("changed bits only for matching entries"));
    BIT_UNSET(st.sub[0].changed, 5);
    BIT_SET(st.sub[0].changed, 20);
    CHECK(broken("changed bits only for matching entries"));
    BIT_UNSET(st.sub[0].changed, 20);
    /* A stray byte in a free subscriber slot. */
    st.sub[DS_NR_SUBS - 1].regex[3] = 'x';
    CHECK(broken("free subscriber slot is zero"));
    st.sub[DS_NR_SUBS - 1].regex[3] = 0;
    INVARIANTS();
}

/* Run every test; exit 1 if one failed. */
int main(void)
{
    test_regex();
    test_publish();
    test_label_moves_owner();
    test_subscribe();
    test_full();
    test_invariants();
    test_invariants_each();
    printf("ds_store_test: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
