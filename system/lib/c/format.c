/*
 * lib/c format.c: the printf formatter (__libc_vformat) and the buffer
 * front ends vsnprintf/snprintf. Conversions: d i u x X o c s p %, flags
 * "-0+ #", width and precision (digits or *), length hh h l ll z t j.
 * Unknown conversions are copied through as written.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "format.h"

#define F_LEFT   0x01
#define F_ZERO   0x02
#define F_PLUS   0x04
#define F_SPACE  0x08
#define F_ALT    0x10

/* Emit c `count` times (count <= 0: nothing). */
static void pad(format_sink_t sink, void *ctx, char c, int count, int *total)
{
    char buf[16];
    memset(buf, c, sizeof buf);
    while (count > 0) {
        int n = count > (int)sizeof buf ? (int)sizeof buf : count;
        sink(ctx, buf, (size_t)n);
        *total += n;
        count -= n;
    }
}

/* Emit s[0..n). */
static void emit(format_sink_t sink, void *ctx, const char *s, size_t n, int *total)
{
    if (n) {
        sink(ctx, s, n);
        *total += (int)n;
    }
}

/*
 * One integer conversion: value v (magnitude), negative sign neg, in base
 * (8, 10, 16), upper-case digits if upper; honours flags, width, precision
 * (prec < 0: none), the prefix for # (0 / 0x) and the forced 0x of %p.
 */
static void put_number(format_sink_t sink, void *ctx, int *total, uintmax_t v,
                       int neg, unsigned base, int upper, int flags, int width,
                       int prec, int force_hex_prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];               /* 64-bit octal is 22 digits */
    int n = 0;
    char sign = 0;
    const char *prefix = "";
    int plen, zeros, len;
    int is_zero = (v == 0);

    while (v) {
        buf[sizeof buf - 1 - n++] = digits[v % base];
        v /= base;
    }
    /* Precision 0 with value 0 prints no digits; otherwise at least one. */
    if (n == 0 && prec != 0)
        buf[sizeof buf - 1 - n++] = '0';
    if (neg)
        sign = '-';
    else if (flags & F_PLUS)
        sign = '+';
    else if (flags & F_SPACE)
        sign = ' ';
    if (force_hex_prefix || ((flags & F_ALT) && base == 16 && !is_zero))
        prefix = upper ? "0X" : "0x";
    else if ((flags & F_ALT) && base == 8 && (n == 0 || buf[sizeof buf - n] != '0'))
        prefix = "0";
    plen = (int)strlen(prefix) + (sign != 0);
    zeros = prec > n ? prec - n : 0;
    len = plen + zeros + n;
    if (prec < 0 && (flags & F_ZERO) && !(flags & F_LEFT) && width > len) {
        zeros += width - len;
        len = width;
    }
    if (!(flags & F_LEFT))
        pad(sink, ctx, ' ', width - len, total);
    if (sign)
        emit(sink, ctx, &sign, 1, total);
    emit(sink, ctx, prefix, strlen(prefix), total);
    pad(sink, ctx, '0', zeros, total);
    emit(sink, ctx, buf + sizeof buf - n, (size_t)n, total);
    if (flags & F_LEFT)
        pad(sink, ctx, ' ', width - len, total);
}

/* Lengths of an integer argument. */
enum { L_INT, L_CHAR, L_SHORT, L_LONG, L_LLONG, L_SIZE, L_PTRDIFF, L_MAX };

/* __libc_vformat: see format.h. */
int __libc_vformat(format_sink_t sink, void *ctx, const char *fmt, va_list ap)
{
    int total = 0;

    while (*fmt) {
        const char *start = fmt;
        int flags = 0, width = 0, prec = -1, length = L_INT;

        if (*fmt != '%') {
            while (*fmt && *fmt != '%')
                fmt++;
            emit(sink, ctx, start, (size_t)(fmt - start), &total);
            continue;
        }
        fmt++;
        for (;; fmt++) {
            if (*fmt == '-') flags |= F_LEFT;
            else if (*fmt == '0') flags |= F_ZERO;
            else if (*fmt == '+') flags |= F_PLUS;
            else if (*fmt == ' ') flags |= F_SPACE;
            else if (*fmt == '#') flags |= F_ALT;
            else break;
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                flags |= F_LEFT;
                width = -width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            if (*fmt == '*') {
                prec = va_arg(ap, int);
                if (prec < 0)
                    prec = -1;
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    prec = prec * 10 + (*fmt++ - '0');
            }
        }
        switch (*fmt) {
        case 'h':
            fmt++;
            length = L_SHORT;
            if (*fmt == 'h') { fmt++; length = L_CHAR; }
            break;
        case 'l':
            fmt++;
            length = L_LONG;
            if (*fmt == 'l') { fmt++; length = L_LLONG; }
            break;
        case 'z': fmt++; length = L_SIZE; break;
        case 't': fmt++; length = L_PTRDIFF; break;
        case 'j': fmt++; length = L_MAX; break;
        default: break;
        }

        switch (*fmt) {
        case 'd':
        case 'i': {
            intmax_t v;
            switch (length) {
            case L_CHAR:    v = (signed char)va_arg(ap, int); break;
            case L_SHORT:   v = (short)va_arg(ap, int); break;
            case L_LONG:    v = va_arg(ap, long); break;
            case L_LLONG:   v = va_arg(ap, long long); break;
            case L_SIZE:    v = (intmax_t)va_arg(ap, size_t); break;
            case L_PTRDIFF: v = va_arg(ap, ptrdiff_t); break;
            case L_MAX:     v = va_arg(ap, intmax_t); break;
            default:        v = va_arg(ap, int); break;
            }
            put_number(sink, ctx, &total,
                       v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v,
                       v < 0, 10, 0, flags, width, prec, 0);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uintmax_t v;
            unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
            switch (length) {
            case L_CHAR:    v = (unsigned char)va_arg(ap, unsigned int); break;
            case L_SHORT:   v = (unsigned short)va_arg(ap, unsigned int); break;
            case L_LONG:    v = va_arg(ap, unsigned long); break;
            case L_LLONG:   v = va_arg(ap, unsigned long long); break;
            case L_SIZE:    v = va_arg(ap, size_t); break;
            case L_PTRDIFF: v = (uintmax_t)va_arg(ap, ptrdiff_t); break;
            case L_MAX:     v = va_arg(ap, uintmax_t); break;
            default:        v = va_arg(ap, unsigned int); break;
            }
            put_number(sink, ctx, &total, v, 0, base, *fmt == 'X',
                       flags & ~(F_PLUS | F_SPACE), width, prec, 0);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            put_number(sink, ctx, &total, v, 0, 16, 0,
                       flags & ~(F_PLUS | F_SPACE | F_ALT), width, prec, 1);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            if (!(flags & F_LEFT))
                pad(sink, ctx, ' ', width - 1, &total);
            emit(sink, ctx, &c, 1, &total);
            if (flags & F_LEFT)
                pad(sink, ctx, ' ', width - 1, &total);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            size_t n;
            if (!s)
                s = "(null)";
            n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
            if (!(flags & F_LEFT))
                pad(sink, ctx, ' ', width - (int)n, &total);
            emit(sink, ctx, s, n, &total);
            if (flags & F_LEFT)
                pad(sink, ctx, ' ', width - (int)n, &total);
            break;
        }
        case '%':
            emit(sink, ctx, "%", 1, &total);
            break;
        case '\0':
            /* A lone '%' at the end: copy it. */
            emit(sink, ctx, start, (size_t)(fmt - start), &total);
            continue;
        default:
            emit(sink, ctx, start, (size_t)(fmt + 1 - start), &total);
            break;
        }
        fmt++;
    }
    return total;
}

/* A bounded buffer being filled by vsnprintf. */
struct bufsink {
    char  *buf;
    size_t size;                /* capacity including the NUL */
    size_t used;                /* bytes stored (excluding the NUL) */
};

/* Store what fits, keeping room for the NUL. */
static void buf_put(void *ctx, const char *s, size_t n)
{
    struct bufsink *b = ctx;
    size_t room = b->size > b->used + 1 ? b->size - b->used - 1 : 0;

    if (n > room)
        n = room;
    if (n == 0)
        return;                 /* (buf may be NULL when size is 0) */
    memcpy(b->buf + b->used, s, n);
    b->used += n;
}

/* vsnprintf: format into buf[0..n), always NUL-terminated when n > 0.
 * Returns the length the whole output would have (C99). */
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct bufsink b = { buf, n, 0 };
    int r = __libc_vformat(buf_put, &b, fmt, ap);
    if (n)
        buf[b.used] = '\0';
    return r;
}

/* snprintf: vsnprintf with variable arguments. */
int snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}
