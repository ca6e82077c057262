/* libc <stdlib.h>: heap, exit, number parsing. */
#ifndef CRUCIBLE_LIBC_STDLIB_H
#define CRUCIBLE_LIBC_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

/* Heap: a first-fit block list over the fixed USER_HEAP_SIZE region the
 * kernel maps after the program's image (lib/c/malloc.c, heap.c). */
void *malloc(size_t n);
void free(void *p);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *p, size_t n);

void exit(int status) __attribute__((noreturn));
void abort(void) __attribute__((noreturn));

long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
int atoi(const char *s);
long atol(const char *s);
int abs(int v);
long labs(long v);

#endif
