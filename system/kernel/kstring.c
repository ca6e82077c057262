/*
 * kstring.c: the kernel's own memory and string functions. The kernel is
 * freestanding (no libc); these are the only implementations it uses.
 */
#include "kernel.h"

/* Fills n bytes at s with (unsigned char)c. Returns s. */
void *kmemset(void *s, int c, size_t n)
{
    unsigned char *d = s;
    while (n--)
        *d++ = (unsigned char)c;
    return s;
}

/* Copies n bytes from s to d; the ranges must not overlap. Returns d. */
void *kmemcpy(void *d, const void *s, size_t n)
{
    /* A word at a time when both ends are word aligned (messages are): the
     * kernel copies messages on every IPC and a byte loop costs about four
     * times the instructions. */
    typedef uint32_t __attribute__((may_alias)) kword_t;
    unsigned char *dp = d;
    const unsigned char *sp = s;

    if ((((uintptr_t)dp | (uintptr_t)sp) & (sizeof(kword_t) - 1)) == 0) {
        for (; n >= sizeof(kword_t); n -= sizeof(kword_t)) {
            *(kword_t *)(void *)dp = *(const kword_t *)(const void *)sp;
            dp += sizeof(kword_t);
            sp += sizeof(kword_t);
        }
    }
    while (n--)
        *dp++ = *sp++;
    return d;
}

/* Returns <0, 0 or >0 as the first n bytes of a sort before, equal to or
 * after those of b (bytes compared unsigned). */
int kmemcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

/* Returns the length of the NUL-terminated string s. */
size_t kstrlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* Copies s into d (n bytes of room), always NUL-terminating when n > 0.
 * Returns kstrlen(s): a result >= n means s was truncated. */
size_t kstrlcpy(char *d, const char *s, size_t n)
{
    size_t len = kstrlen(s);
    if (n) {
        size_t c = len < n - 1 ? len : n - 1;
        kmemcpy(d, s, c);
        d[c] = '\0';
    }
    return len;
}

/* Returns <0, 0 or >0 as a sorts before, equal to or after b. */
int kstrcmp(const char *a, const char *b)
{
    return kstrncmp(a, b, (size_t)-1);
}

/* As kstrcmp, looking at no more than n characters. */
int kstrncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        if (*a == '\0')
            return 0;
    }
    return 0;
}

#if !__STDC_HOSTED__
/*
 * The compiler emits calls to memcpy, memmove, memset and memcmp for
 * structure copies and some loops even in a freestanding kernel, so a
 * freestanding build (the i386 kernel) provides them here. Each is written
 * out on its own: a call to another of them inside could be turned back
 * into a call to itself. A hosted build (the host platform) uses libc's.
 */
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* Copies n bytes from s to d (no overlap). Returns d. */
void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}

/* Copies n bytes from s to d; the ranges may overlap. Returns d. */
void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    if (dp < sp) {
        while (n--)
            *dp++ = *sp++;
    } else {
        while (n--)
            dp[n] = sp[n];
    }
    return d;
}

/* Fills n bytes at s with (unsigned char)c. Returns s. */
void *memset(void *s, int c, size_t n)
{
    unsigned char *d = s;
    while (n--)
        *d++ = (unsigned char)c;
    return s;
}

/* Returns <0, 0 or >0 comparing n bytes of a and b as unsigned bytes. */
int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}
#endif
