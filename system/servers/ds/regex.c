/*
 * DS's regular-expression matcher, for subscriptions.
 *
 * Syntax: literal bytes, '.' (any byte), '[...]' classes with ranges
 * ('[a-z0-9_]') and negation ('[^.]'), '\' escaping the next byte, the
 * quantifiers '*', '+' and '?' after an atom, '^' as the first byte anchors
 * at the start and '$' as the last byte anchors at the end (elsewhere both
 * are literals). Without '^' the pattern may match anywhere in the text
 * (POSIX regexec semantics).
 *
 * Matching simulates the pattern's automaton with a set of states (one bit
 * per atom), so it takes time linear in the text times the pattern and
 * never backtracks: a hostile pattern such as "a*a*a*a*a*b" cannot stall DS.
 */
#include "store.h"

/* Add byte c to an atom's set. */
static void set_add(struct ds_re_atom *a, unsigned c)
{
    a->set[c / 32] |= 1u << (c % 32);
}

/* Whether the atom's set holds byte c. */
static int set_has(const struct ds_re_atom *a, unsigned c)
{
    return (a->set[c / 32] >> (c % 32)) & 1u;
}

/*
 * Parse the class that starts after '[' at p[*i], up to end; fill atom a.
 * Returns OK and leaves *i after the closing ']', or EINVAL when the class
 * is unterminated or a range is reversed.
 */
static int parse_class(const char *p, size_t end, size_t *i,
                       struct ds_re_atom *a)
{
    size_t j = *i;
    int negate = 0, first = 1, k;

    if (j < end && p[j] == '^') {
        negate = 1;
        j++;
    }
    for (;;) {
        unsigned lo, hi;

        if (j >= end)
            return EINVAL;
        if (p[j] == ']' && !first)
            break;
        first = 0;
        if (p[j] == '\\') {
            if (++j >= end)
                return EINVAL;
        }
        lo = (unsigned char)p[j++];
        hi = lo;
        if (j + 1 < end && p[j] == '-' && p[j + 1] != ']') {
            j++;
            if (p[j] == '\\' && ++j >= end)
                return EINVAL;
            hi = (unsigned char)p[j++];
            if (hi < lo)
                return EINVAL;
        }
        for (; lo <= hi; lo++)
            set_add(a, lo);
    }
    if (negate) {
        for (k = 0; k < 8; k++)
            a->set[k] = ~a->set[k];
        a->set[0] &= ~1u;       /* never the NUL byte */
    }
    *i = j + 1;
    return OK;
}

/*
 * Compile pattern (at most maxlen bytes, NUL-terminated within them) into
 * re. Returns OK, or EINVAL for a malformed pattern (unterminated class,
 * quantifier without an atom, trailing '\', no NUL within maxlen) and
 * E2BIG for more than DS_RE_MAX_ATOMS atoms.
 */
int ds_regex_compile(struct ds_regex *re, const char *pattern, size_t maxlen)
{
    size_t len = 0, i = 0;
    int k, r;

    while (len < maxlen && pattern[len] != '\0')
        len++;
    if (len == maxlen)
        return EINVAL;

    re->natoms = 0;
    re->anchor_start = 0;
    re->anchor_end = 0;
    if (len > 0 && pattern[0] == '^') {
        re->anchor_start = 1;
        i = 1;
    }
    if (len > i && pattern[len - 1] == '$') {
        /* A '$' escaped by an odd number of '\' is a literal. */
        size_t bs = 0;
        while (bs < len - 1 - i && pattern[len - 2 - bs] == '\\')
            bs++;
        if (bs % 2 == 0) {
            re->anchor_end = 1;
            len--;
        }
    }

    while (i < len) {
        char c = pattern[i];
        struct ds_re_atom *a;

        if (c == '*' || c == '+' || c == '?') {
            if (re->natoms == 0 || re->atom[re->natoms - 1].quant != 0)
                return EINVAL;
            re->atom[re->natoms - 1].quant = c;
            i++;
            continue;
        }
        if (re->natoms == DS_RE_MAX_ATOMS)
            return E2BIG;
        a = &re->atom[re->natoms];
        for (k = 0; k < 8; k++)
            a->set[k] = 0;
        a->quant = 0;
        i++;
        if (c == '.') {
            for (k = 0; k < 8; k++)
                a->set[k] = ~0u;
            a->set[0] &= ~1u;
        } else if (c == '[') {
            if ((r = parse_class(pattern, len, &i, a)) != OK)
                return r;
        } else if (c == '\\') {
            if (i >= len)
                return EINVAL;
            set_add(a, (unsigned char)pattern[i++]);
        } else {
            set_add(a, (unsigned char)c);
        }
        re->natoms++;
    }
    return OK;
}

/* Close a state set under the empty moves: an atom with '*' or '?' may be
 * skipped. Skips only move forward, so one ascending pass suffices. */
static uint64_t closure(const struct ds_regex *re, uint64_t set)
{
    int i;

    for (i = 0; i < re->natoms; i++)
        if (((set >> i) & 1u) &&
            (re->atom[i].quant == '*' || re->atom[i].quant == '?'))
            set |= (uint64_t)1 << (i + 1);
    return set;
}

/* The state set after reading byte c from the states in set. */
static uint64_t step(const struct ds_regex *re, uint64_t set, unsigned c)
{
    uint64_t next = 0;
    int i;

    for (i = 0; i < re->natoms; i++) {
        if (!((set >> i) & 1u) || !set_has(&re->atom[i], c))
            continue;
        switch (re->atom[i].quant) {
        case '*':
            next |= (uint64_t)1 << i;
            break;
        case '+':
            next |= ((uint64_t)1 << i) | ((uint64_t)1 << (i + 1));
            break;
        default:
            next |= (uint64_t)1 << (i + 1);
            break;
        }
    }
    return closure(re, next);
}

/*
 * Whether the compiled pattern re matches text (NUL-terminated or maxlen
 * bytes long): 1 for a match, 0 for none.
 */
int ds_regex_exec(const struct ds_regex *re, const char *text, size_t maxlen)
{
    uint64_t start = closure(re, 1), cur = start;
    uint64_t accept = (uint64_t)1 << re->natoms;
    size_t pos;

    for (pos = 0; pos < maxlen && text[pos] != '\0'; pos++) {
        if (!re->anchor_end && (cur & accept))
            return 1;
        cur = step(re, cur, (unsigned char)text[pos]);
        if (!re->anchor_start)
            cur |= start;
        if (cur == 0)
            return 0;   /* anchored at the start and already failed */
    }
    return (cur & accept) != 0;
}

/*
 * Compile pattern and match it against text (both NUL-terminated within
 * DS_MAX_KEYLEN bytes). Returns 1 (match), 0 (no match) or the compile
 * error.
 */
int ds_regex_match(const char *pattern, const char *text)
{
    struct ds_regex re;
    int r;

    if ((r = ds_regex_compile(&re, pattern, DS_MAX_KEYLEN)) != OK)
        return r;
    return ds_regex_exec(&re, text, DS_MAX_KEYLEN);
}
