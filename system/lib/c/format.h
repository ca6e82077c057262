/*
 * lib/c format.h: the one printf formatter, shared by vsnprintf (a buffer),
 * printf (the console) and libsys's panic. Not installed.
 */
#ifndef CRUCIBLE_LIBC_FORMAT_H
#define CRUCIBLE_LIBC_FORMAT_H

#include <stddef.h>
#include <stdarg.h>

/* A sink takes n bytes at s (n may be 0 never; called often with 1). */
typedef void (*format_sink_t)(void *ctx, const char *s, size_t n);

/* Format fmt/ap into sink; returns the number of bytes produced. */
int __libc_vformat(format_sink_t sink, void *ctx, const char *fmt, va_list ap);

#endif
