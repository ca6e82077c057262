/*
 * parse.c: the text forms of a fault (inject.h): the arguments of the
 * control channel's `fault add` (key=value separated by spaces) and the
 * boot-time `inject=` list (key:value separated by commas, faults by ';').
 * Every bad field gives a one-line error naming it. Freestanding.
 */
#include "inject.h"

/* Appends the NUL-terminated strings a, b, c to err (errlen bytes), as one
 * message, truncated to fit. */
static void set_err(char *err, size_t errlen, const char *a, const char *b,
                    const char *c)
{
    const char *parts[3];
    size_t n = 0;
    int i;

    parts[0] = a;
    parts[1] = b;
    parts[2] = c;
    if (err == 0 || errlen == 0)
        return;
    for (i = 0; i < 3; i++) {
        const char *s = parts[i];
        while (s && *s && n + 1 < errlen)
            err[n++] = *s++;
    }
    err[n] = '\0';
}

/* Nonzero if the n characters at s equal the NUL-terminated word w. */
static int word_eq(const char *s, size_t n, const char *w)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (w[i] == '\0' || w[i] != s[i])
            return 0;
    return w[n] == '\0';
}

/* Copies the n characters at s into dst (cap bytes) as a NUL-terminated
 * string. Returns 0, or -1 if it does not fit. */
static int copy_word(char *dst, size_t cap, const char *s, size_t n)
{
    size_t i;

    if (n + 1 > cap)
        return -1;
    for (i = 0; i < n; i++)
        dst[i] = s[i];
    dst[n] = '\0';
    return 0;
}

/* Parses the n characters at s as a number: decimal, 0x/0X hex, with an
 * optional leading '-' when 'neg_ok'. Returns 0 with *out set, -1 if it is
 * not a number or does not fit in 32 bits. */
static int parse_num(const char *s, size_t n, int neg_ok, int64_t *out)
{
    uint64_t v = 0, base = 10, limit;
    size_t i = 0;
    int neg = 0;

    if (n > 0 && s[0] == '-') {
        if (!neg_ok)
            return -1;
        neg = 1;
        i = 1;
    }
    if (n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
        base = 16;
        i += 2;
    }
    if (i >= n)
        return -1;
    limit = neg ? 0x80000000ull : 0xffffffffull;
    for (; i < n; i++) {
        char c = s[i];
        uint64_t d;
        if (c >= '0' && c <= '9')
            d = (uint64_t)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (uint64_t)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = (uint64_t)(c - 'A' + 10);
        else
            return -1;
        v = v * base + d;
        if (v > limit)
            return -1;
    }
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

/* Looks the n characters at s up among the names of 'count' items given by
 * name(i); returns the index, or -1. */
static int lookup_name(const char *s, size_t n, int count, const char *(*name)(int))
{
    int i;

    for (i = 1; i < count; i++)
        if (word_eq(s, n, name(i)))
            return i;
    return -1;
}

/* Nonzero for characters allowed in a label. */
static int label_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* Stores the label at s (n characters) into dst; "any" becomes "" (every
 * process). Returns 0, or -1 for an empty, too long or odd label. */
static int parse_label(char *dst, const char *s, size_t n)
{
    size_t i;

    if (n == 0)
        return -1;
    for (i = 0; i < n; i++)
        if (!label_char(s[i]))
            return -1;
    if (word_eq(s, n, "any")) {
        dst[0] = '\0';
        return 0;
    }
    return copy_word(dst, INJ_LABEL_LEN, s, n);
}

/* See inject.h. */
int inj_parse_fault(const char *s, size_t len, char sep, char eq,
                    struct inj_fault *out, char *err, size_t errlen)
{
    static const char *const num_keys[] = {
        "type", "nth", "after", "prob", "seed", "persistent", "arg", "mask"
    };
    struct inj_fault f;
    size_t pos = 0, i;
    int have_site = 0, have_action = 0, have_target = 0;
    char key[16];

    if (s == 0 || out == 0)
        return -1;
    for (i = 0; i < len && s[i]; i++)
        ;
    len = i;
    {
        uint8_t *p = (uint8_t *)&f;
        for (i = 0; i < sizeof(f); i++)
            p[i] = 0;
    }
    f.nth = 1;
    f.prob = 1000000u;
    f.seed = 1;

    while (pos < len) {
        size_t start, klen, vstart, vlen;
        const char *v;

        while (pos < len && (s[pos] == sep || s[pos] == ' '))
            pos++;
        if (pos >= len)
            break;
        start = pos;
        while (pos < len && s[pos] != sep && s[pos] != eq)
            pos++;
        klen = pos - start;
        if (copy_word(key, sizeof(key), s + start, klen) != 0) {
            set_err(err, errlen, "field name too long", "", "");
            return -1;
        }
        if (pos >= len || s[pos] != eq) {
            set_err(err, errlen, "field without a value: ", key, "");
            return -1;
        }
        pos++;
        vstart = pos;
        while (pos < len && s[pos] != sep)
            pos++;
        vlen = pos - vstart;
        v = s + vstart;
        if (vlen == 0) {
            set_err(err, errlen, "empty value for ", key, "");
            return -1;
        }

        if (word_eq(s + start, klen, "site")) {
            f.site = lookup_name(v, vlen, INJ_NR_SITES, inj_site_name);
            if (f.site < 0) {
                set_err(err, errlen, "bad site (ipc, kcall, sef)", "", "");
                return -1;
            }
            have_site = 1;
        } else if (word_eq(s + start, klen, "action")) {
            f.action = lookup_name(v, vlen, INJ_NR_ACTIONS, inj_action_name);
            if (f.action < 0) {
                set_err(err, errlen, "bad action", "", "");
                return -1;
            }
            have_action = 1;
        } else if (word_eq(s + start, klen, "target")) {
            if (parse_label(f.target, v, vlen) != 0) {
                set_err(err, errlen, "bad target label", "", "");
                return -1;
            }
            have_target = 1;
        } else if (word_eq(s + start, klen, "source")) {
            if (parse_label(f.source, v, vlen) != 0) {
                set_err(err, errlen, "bad source label", "", "");
                return -1;
            }
        } else {
            int k, found = -1;
            int64_t n;
            for (k = 0; k < (int)(sizeof(num_keys) / sizeof(num_keys[0])); k++)
                if (word_eq(s + start, klen, num_keys[k]))
                    found = k;
            if (found < 0) {
                set_err(err, errlen, "unknown field: ", key, "");
                return -1;
            }
            if (parse_num(v, vlen, found == 0 || found == 6, &n) != 0) {
                set_err(err, errlen, "bad number for ", key, "");
                return -1;
            }
            switch (found) {
            case 0: f.has_type = 1; f.type = (int32_t)n; break;
            case 1:
                if (n < 1) {
                    set_err(err, errlen, "nth must be >= 1", "", "");
                    return -1;
                }
                f.nth = (uint32_t)n;
                break;
            case 2: f.after = (uint32_t)n; break;
            case 3:
                if (n > 1000000) {
                    set_err(err, errlen, "prob must be 0..1000000 (ppm)", "", "");
                    return -1;
                }
                f.prob = (uint32_t)n;
                break;
            case 4: f.seed = (uint32_t)n; break;
            case 5:
                if (n != 0 && n != 1) {
                    set_err(err, errlen, "persistent must be 0 or 1", "", "");
                    return -1;
                }
                f.persistent = (int)n;
                break;
            case 6: f.arg = (int32_t)n; break;
            default: f.mask = (uint32_t)n; break;
            }
        }
    }
    if (!have_site) {
        set_err(err, errlen, "missing field: site", "", "");
        return -1;
    }
    if (!have_action) {
        set_err(err, errlen, "missing field: action", "", "");
        return -1;
    }
    if (!have_target) {
        set_err(err, errlen, "missing field: target", "", "");
        return -1;
    }
    if (inj_action_site(f.action) != f.site) {
        set_err(err, errlen, "action ", inj_action_name(f.action),
                " does not belong to that site");
        return -1;
    }
    if (f.action == INJ_ACT_CORRUPT && (f.arg < 0 || f.arg > 63)) {
        set_err(err, errlen, "corrupt: arg is a byte offset 0..63", "", "");
        return -1;
    }
    if (f.action == INJ_ACT_DELAY && f.arg <= 0) {
        set_err(err, errlen, "delay: arg must be > 0 ticks", "", "");
        return -1;
    }
    if (f.action == INJ_ACT_CORRUPT_STATE && f.arg < 0) {
        set_err(err, errlen, "corrupt_state: arg is a variable number >= 0", "", "");
        return -1;
    }
    *out = f;
    return 0;
}

/* See inject.h. */
int inj_parse_boot(const char *value, size_t len, struct inj_table *t,
                   char *err, size_t errlen)
{
    size_t pos = 0, i;
    int n = 0;

    if (value == 0 || t == 0)
        return -1;
    for (i = 0; i < len && value[i]; i++)
        ;
    len = i;
    while (pos < len) {
        size_t start = pos;
        struct inj_fault f;

        while (pos < len && value[pos] != ';')
            pos++;
        if (pos > start) {
            if (inj_parse_fault(value + start, pos - start, ',', ':', &f,
                                err, errlen) != 0)
                return -1;
            if (inj_add(t, &f) < 0) {
                set_err(err, errlen, "too many faults", "", "");
                return -1;
            }
            n++;
        }
        pos++;
    }
    return n;
}
