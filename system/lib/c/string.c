/*
 * lib/c string.c: memory and string functions for every process (user and
 * system). Plain byte loops: clear over fast; -fno-builtin keeps the
 * compiler from turning them into calls to themselves.
 */
#include <string.h>
#include <stdlib.h>

/* memset: fill n bytes at s with (unsigned char)c; returns s. */
void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;
    while (n--)
        *p++ = (unsigned char)c;
    return s;
}

/* memcpy: copy n bytes; the ranges must not overlap; returns d. */
void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}

/* memmove: copy n bytes; the ranges may overlap; returns d. */
void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    if (dp == sp || n == 0)
        return d;
    if (dp < sp) {
        while (n--)
            *dp++ = *sp++;
    } else {
        dp += n;
        sp += n;
        while (n--)
            *--dp = *--sp;
    }
    return d;
}

/* memcmp: <0, 0, >0 as the first differing byte (unsigned) compares. */
int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

/* memchr: first byte equal to (unsigned char)c in s[0..n), or NULL. */
void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;
    for (; n; n--, p++)
        if (*p == (unsigned char)c)
            return (void *)p;
    return NULL;
}

/* strlen: bytes before the terminating NUL. */
size_t strlen(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

/* strnlen: strlen, but looks at most at n bytes. */
size_t strnlen(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i])
        i++;
    return i;
}

/* strcmp: compare as unsigned chars up to the first NUL. */
int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

/* strncmp: strcmp over at most n characters. */
int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (*a == '\0')
            return 0;
    }
    return 0;
}

/* strcpy: copy s with its NUL into d; returns d. */
char *strcpy(char *d, const char *s)
{
    char *r = d;
    while ((*d++ = *s++) != '\0')
        ;
    return r;
}

/* strncpy: copy at most n bytes of s, padding d with NULs to n; d is not
 * terminated if strlen(s) >= n. Returns d. */
char *strncpy(char *d, const char *s, size_t n)
{
    size_t i = 0;
    for (; i < n && s[i]; i++)
        d[i] = s[i];
    for (; i < n; i++)
        d[i] = '\0';
    return d;
}

/* strlcpy: copy at most n-1 bytes and always terminate (if n > 0).
 * Returns strlen(s); a result >= n means truncation. */
size_t strlcpy(char *d, const char *s, size_t n)
{
    size_t len = strlen(s);
    if (n) {
        size_t c = len < n - 1 ? len : n - 1;
        memcpy(d, s, c);
        d[c] = '\0';
    }
    return len;
}

/* strlcat: append s to the string in d[0..n), always terminating.
 * Returns the length it tried to create. */
size_t strlcat(char *d, const char *s, size_t n)
{
    size_t dl = strnlen(d, n);
    if (dl == n)
        return n + strlen(s);
    return dl + strlcpy(d + dl, s, n - dl);
}

/* strcat: append s to d (room is the caller's problem); returns d. */
char *strcat(char *d, const char *s)
{
    strcpy(d + strlen(d), s);
    return d;
}

/* strncat: append at most n bytes of s and a NUL; returns d. */
char *strncat(char *d, const char *s, size_t n)
{
    char *p = d + strlen(d);
    while (n-- && *s)
        *p++ = *s++;
    *p = '\0';
    return d;
}

/* strchr: first (char)c in s, the terminating NUL included; or NULL. */
char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (*s == '\0')
            return NULL;
    }
}

/* strrchr: last (char)c in s, the terminating NUL included; or NULL. */
char *strrchr(const char *s, int c)
{
    const char *last = NULL;
    for (;; s++) {
        if (*s == (char)c)
            last = s;
        if (*s == '\0')
            return (char *)last;
    }
}

/* strstr: first occurrence of needle in hay; hay itself if needle is "". */
char *strstr(const char *hay, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl == 0)
        return (char *)hay;
    for (; *hay; hay++)
        if (*hay == *needle && strncmp(hay, needle, nl) == 0)
            return (char *)hay;
    return NULL;
}

/* strspn: length of the prefix of s made of bytes in accept. */
size_t strspn(const char *s, const char *accept)
{
    size_t n = 0;
    while (s[n] && strchr(accept, s[n]))
        n++;
    return n;
}

/* strcspn: length of the prefix of s made of bytes not in reject. */
size_t strcspn(const char *s, const char *reject)
{
    size_t n = 0;
    while (s[n] && !strchr(reject, s[n]))
        n++;
    return n;
}

/* strdup: a malloc'ed copy of s, or NULL when the heap is full. */
char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}
