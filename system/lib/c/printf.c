/*
 * lib/c printf.c: console output (printf, vprintf, puts, putchar). Output
 * is gathered in a 128-byte stack buffer and handed to __console_write()
 * whenever it fills and at the end of each call, so a short line is one
 * write (one TTY message) and long output is split, never truncated.
 */
#include <stdio.h>
#include <string.h>
#include "format.h"

#define PRINTF_CHUNK 128

/* The console buffer of one printf call. */
struct consink {
    char   buf[PRINTF_CHUNK];
    size_t used;
    int    failed;              /* a write returned < 0 */
};

/* Write out what is buffered. */
static void con_flush(struct consink *c)
{
    if (c->used) {
        if (__console_write(c->buf, c->used) < 0)
            c->failed = 1;
        c->used = 0;
    }
}

/* Sink: buffer bytes, flushing when full. */
static void con_put(void *ctx, const char *s, size_t n)
{
    struct consink *c = ctx;
    while (n) {
        size_t room = sizeof c->buf - c->used;
        size_t k = n < room ? n : room;
        memcpy(c->buf + c->used, s, k);
        c->used += k;
        s += k;
        n -= k;
        if (c->used == sizeof c->buf)
            con_flush(c);
    }
}

/* vprintf: format to the console; returns bytes written or -1 if the
 * console refused some of them. */
int vprintf(const char *fmt, va_list ap)
{
    struct consink c;
    int r;
    c.used = 0;
    c.failed = 0;
    r = __libc_vformat(con_put, &c, fmt, ap);
    con_flush(&c);
    return c.failed ? -1 : r;
}

/* printf: vprintf with variable arguments. */
int printf(const char *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vprintf(fmt, ap);
    va_end(ap);
    return r;
}

/* puts: s and a newline in one write; returns >= 0 or EOF. */
int puts(const char *s)
{
    return printf("%s\n", s) < 0 ? EOF : 0;
}

/* putchar: one byte; returns it (as unsigned char) or EOF. */
int putchar(int c)
{
    char ch = (char)c;
    return __console_write(&ch, 1) == 1 ? (unsigned char)ch : EOF;
}
