/*
 * kprintf.c: formatted console output for the kernel. Supports %d %i %u %x
 * %X %s %c %p %%, an optional '-' (left-justify), '0' (zero-pad) and width,
 * and the 'l' length modifier (long; the same width as int on i386).
 */
#include <stdarg.h>
#include "kernel.h"

/* Output cursor over a caller's buffer; counts what would have been written. */
struct kout {
    char  *buf;
    size_t size;
    size_t len;
};

/* Appends c to o if there is room (keeping one byte for the NUL). */
static void kout_putc(struct kout *o, char c)
{
    if (o->size && o->len < o->size - 1)
        o->buf[o->len] = c;
    o->len++;
}

/* Appends the n characters of s padded to width with pad (left or right). */
static void kout_field(struct kout *o, const char *s, size_t n, int width,
                       int left, char pad)
{
    int padn = width > (int)n ? width - (int)n : 0;
    size_t i;

    /* A zero pad goes after a leading minus sign. */
    if (!left && pad == '0' && n && s[0] == '-') {
        kout_putc(o, '-');
        s++;
        n--;
    }
    if (!left)
        while (padn-- > 0)
            kout_putc(o, pad);
    for (i = 0; i < n; i++)
        kout_putc(o, s[i]);
    if (left)
        while (padn-- > 0)
            kout_putc(o, ' ');
}

/* Writes v in 'base' (10 or 16) into tmp (at least 12 bytes), negative
 * if 'sign' and v is negative as a signed number. Returns the digit count. */
static size_t kfmt_num(char *tmp, unsigned long v, int base, int sign, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char rev[24];
    size_t n = 0, i = 0;
    int neg = 0;

    if (sign && (long)v < 0) {
        neg = 1;
        v = (unsigned long)(-(long)v);
    }
    do {
        rev[n++] = digits[v % (unsigned)base];
        v /= (unsigned)base;
    } while (v);
    if (neg)
        tmp[i++] = '-';
    while (n)
        tmp[i++] = rev[--n];
    return i;
}

/* Formats fmt with ap into buf (n bytes, always NUL-terminated when n > 0).
 * Returns the length the whole output would have, like vsnprintf. */
int kvsnprintf(char *buf, size_t n, const char *fmt, __builtin_va_list ap)
{
    struct kout o = { buf, n, 0 };
    char tmp[24];

    for (; *fmt; fmt++) {
        int left = 0, width = 0, is_long = 0;
        char pad = ' ';

        if (*fmt != '%') {
            kout_putc(&o, *fmt);
            continue;
        }
        fmt++;
        for (;; fmt++) {
            if (*fmt == '-')
                left = 1;
            else if (*fmt == '0')
                pad = '0';
            else
                break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            is_long = 1;
            fmt++;
        }
        if (left)
            pad = ' ';
        switch (*fmt) {
        case 'd':
        case 'i': {
            long v = is_long ? va_arg(ap, long) : (long)va_arg(ap, int);
            kout_field(&o, tmp, kfmt_num(tmp, (unsigned long)v, 10, 1, 0), width, left, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            unsigned long v = is_long ? va_arg(ap, unsigned long)
                                      : (unsigned long)va_arg(ap, unsigned int);
            kout_field(&o, tmp, kfmt_num(tmp, v, *fmt == 'u' ? 10 : 16, 0, *fmt == 'X'),
                       width, left, pad);
            break;
        }
        case 'p': {
            unsigned long v = (unsigned long)(uintptr_t)va_arg(ap, void *);
            kout_putc(&o, '0');
            kout_putc(&o, 'x');
            kout_field(&o, tmp, kfmt_num(tmp, v, 16, 0, 0), width, left, pad);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            kout_field(&o, s, kstrlen(s), width, left, ' ');
            break;
        }
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            kout_field(&o, tmp, 1, width, left, ' ');
            break;
        case '%':
            kout_putc(&o, '%');
            break;
        case '\0':
            fmt--;          /* a lone '%' at the end: stop at the NUL */
            break;
        default:            /* unknown conversion: print it as written */
            kout_putc(&o, '%');
            kout_putc(&o, *fmt);
            break;
        }
    }
    if (n)
        buf[o.len < n ? o.len : n - 1] = '\0';
    return (int)o.len;
}

/* As kvsnprintf with variable arguments. */
int ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = kvsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

/* Formats and writes to the console (at most 255 characters per call; the
 * rest is cut). Returns the number of characters written. */
int kprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = kvsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (r > (int)sizeof(buf) - 1)
        r = (int)sizeof(buf) - 1;
    arch_console_write(buf, (size_t)r);
    return r;
}
