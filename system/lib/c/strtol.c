/* lib/c strtol.c: number parsing (strtol, strtoul, atoi, atol, abs). */
#include <stdlib.h>
#include <ctype.h>
#include <limits.h>
#include <errno.h>

/* Value of digit c in bases up to 36, or 99 if c is not a digit. */
static int digit_value(int c)
{
    if (isdigit(c))
        return c - '0';
    if (islower(c))
        return c - 'a' + 10;
    if (isupper(c))
        return c - 'A' + 10;
    return 99;
}

/*
 * Parse an optionally signed number: leading space, sign, "0x" for base 16
 * or 0, a leading 0 meaning octal for base 0. *neg gets the sign, *ok is 0
 * if no digit was found (then *end = s). Saturates at ULONG_MAX with
 * *ovf = 1.
 */
static unsigned long parse(const char *s, char **end, int base, int *neg, int *ok, int *ovf)
{
    const char *p = s;
    unsigned long v = 0;
    *neg = 0;
    *ok = 0;
    *ovf = 0;
    if (base < 0 || base == 1 || base > 36) {
        if (end)
            *end = (char *)s;
        return 0;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        *neg = (*p++ == '-');
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')
        && digit_value((unsigned char)p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    for (;; p++) {
        int d = digit_value((unsigned char)*p);
        if (d >= base)
            break;
        *ok = 1;
        if (v > (ULONG_MAX - (unsigned long)d) / (unsigned long)base)
            *ovf = 1;
        else
            v = v * (unsigned long)base + (unsigned long)d;
    }
    if (end)
        *end = (char *)(*ok ? p : s);
    return *ovf ? ULONG_MAX : v;
}

/* strtol: parse a long; out of range saturates at LONG_MIN/LONG_MAX with
 * errno = ERANGE. */
long strtol(const char *s, char **end, int base)
{
    int neg, ok, ovf;
    unsigned long v = parse(s, end, base, &neg, &ok, &ovf);
    if (neg) {
        if (ovf || v > (unsigned long)LONG_MAX + 1) {
            errno = ERANGE;
            return LONG_MIN;
        }
        return v == (unsigned long)LONG_MAX + 1 ? LONG_MIN : -(long)v;
    }
    if (ovf || v > (unsigned long)LONG_MAX) {
        errno = ERANGE;
        return LONG_MAX;
    }
    return (long)v;
}

/* strtoul: parse an unsigned long (a '-' negates it, as in C); overflow
 * gives ULONG_MAX and errno = ERANGE. */
unsigned long strtoul(const char *s, char **end, int base)
{
    int neg, ok, ovf;
    unsigned long v = parse(s, end, base, &neg, &ok, &ovf);
    if (ovf) {
        errno = ERANGE;
        return ULONG_MAX;
    }
    return neg ? -v : v;
}

/* atoi/atol: strtol in base 10 without error reporting. */
int atoi(const char *s)  { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }

/* abs/labs: absolute value (the most negative value stays as it is). */
int abs(int v)    { return v < 0 ? (int)(0u - (unsigned int)v) : v; }
long labs(long v) { return v < 0 ? (long)(0ul - (unsigned long)v) : v; }
