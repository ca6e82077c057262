/*
 * libc <stdio.h>: formatted output to the console. No FILE streams: every
 * call writes through __console_write() at once (unbuffered beyond one
 * call). The formatter knows %d %i %u %x %X %o %c %s %p %% with flags
 * "-0+ #", width and precision (numbers or *), and the length modifiers
 * hh h l ll z t j. No floating point.
 */
#ifndef CRUCIBLE_LIBC_STDIO_H
#define CRUCIBLE_LIBC_STDIO_H

#include <stddef.h>
#include <stdarg.h>

#define EOF (-1)

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
int snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
int puts(const char *s);
int putchar(int c);

/*
 * The console sink: write len bytes, return len or -1. libc's definition is
 * weak (TTY_WRITE to TTY, for user programs); system processes link
 * libsys's sys_console object, whose strong definition replaces it.
 */
int __console_write(const char *buf, size_t len);

#endif
