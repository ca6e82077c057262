/*
 * tests/unit/libc lc.h: prototypes of the lib/c and lib/sys functions under
 * test, by their lc_ host names (rename.h), and a tiny check harness. The
 * tests include the host's headers, never lib/c/include.
 */
#ifndef LC_TEST_H
#define LC_TEST_H

#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void *lc_memset(void *s, int c, size_t n);
void *lc_memcpy(void *d, const void *s, size_t n);
void *lc_memmove(void *d, const void *s, size_t n);
int lc_memcmp(const void *a, const void *b, size_t n);
void *lc_memchr(const void *s, int c, size_t n);
size_t lc_strlen(const char *s);
size_t lc_strnlen(const char *s, size_t n);
int lc_strcmp(const char *a, const char *b);
int lc_strncmp(const char *a, const char *b, size_t n);
char *lc_strcpy(char *d, const char *s);
char *lc_strncpy(char *d, const char *s, size_t n);
size_t lc_strlcpy(char *d, const char *s, size_t n);
size_t lc_strlcat(char *d, const char *s, size_t n);
char *lc_strcat(char *d, const char *s);
char *lc_strncat(char *d, const char *s, size_t n);
char *lc_strchr(const char *s, int c);
char *lc_strrchr(const char *s, int c);
char *lc_strstr(const char *h, const char *n);
size_t lc_strspn(const char *s, const char *a);
size_t lc_strcspn(const char *s, const char *r);
char *lc_strdup(const char *s);
int lc_isspace(int c);
int lc_isxdigit(int c);
int lc_toupper(int c);
long lc_strtol(const char *s, char **end, int base);
unsigned long lc_strtoul(const char *s, char **end, int base);
int lc_atoi(const char *s);
int lc_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int lc_snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void *lc_malloc(size_t n);
void lc_free(void *p);
void *lc_calloc(size_t nmemb, size_t size);
void *lc_realloc(void *p, size_t n);
extern int lc_errno;

/* Checks: count failures, print each with its line. */
extern int lc_failures;
#define CHECK(cond) do { \
        if (!(cond)) { \
            lc_failures++; \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        } \
    } while (0)
#define CHECK_STR(got, want) do { \
        const char *g_ = (got), *w_ = (want); \
        if (strcmp(g_, w_) != 0) { \
            lc_failures++; \
            printf("FAIL %s:%d: got \"%s\" want \"%s\"\n", __FILE__, __LINE__, g_, w_); \
        } \
    } while (0)

#endif
