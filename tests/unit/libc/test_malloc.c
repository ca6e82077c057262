/* tests/unit/libc test_malloc.c: malloc/free/calloc/realloc patterns over
 * the fixed heap (USER_HEAP_SIZE). */
#include <stdint.h>
#include <crucible/config.h>
#include "lc.h"

int lc_failures;

#define MAXP 8192

int main(void)
{
    static void *p[MAXP];
    int i, n;
    char *a, *b, *c;

    /* alignment, distinct blocks, writable */
    a = lc_malloc(1);
    b = lc_malloc(1);
    CHECK(a && b && a != b);
    CHECK(((uintptr_t)a & 15) == 0 && ((uintptr_t)b & 15) == 0);
    c = lc_malloc(0);
    CHECK(c != NULL && c != a && c != b);
    lc_free(a);
    lc_free(b);
    lc_free(c);
    lc_free(NULL);

    /* too big fails, without breaking the heap */
    CHECK(lc_malloc(USER_HEAP_SIZE) == NULL);
    CHECK(lc_malloc(SIZE_MAX) == NULL);
    CHECK(lc_calloc(SIZE_MAX / 2, 4) == NULL);    /* overflow */

    /* exhaust the heap with small blocks, check none overlap */
    for (n = 0; n < MAXP; n++) {
        p[n] = lc_malloc(64);
        if (!p[n])
            break;
        memset(p[n], n & 0xff, 64);
    }
    CHECK(n > 100 && n < MAXP);
    for (i = 0; i < n; i++) {
        unsigned char *q = p[i];
        if (q[0] != (i & 0xff) || q[63] != (i & 0xff)) {
            CHECK(!"block contents overwritten");
            break;
        }
    }
    /* free every other one: a big block must still fail (fragmented) */
    for (i = 0; i < n; i += 2)
        lc_free(p[i]);
    CHECK(lc_malloc(USER_HEAP_SIZE / 2) == NULL);
    /* ... and succeed once everything is free (free blocks coalesce) */
    for (i = 1; i < n; i += 2)
        lc_free(p[i]);
    a = lc_malloc(USER_HEAP_SIZE - 1024);
    CHECK(a != NULL);
    lc_free(a);

    /* calloc zeroes recycled memory */
    a = lc_malloc(256);
    memset(a, 0xAA, 256);
    lc_free(a);
    b = lc_calloc(16, 16);
    CHECK(b != NULL);
    for (i = 0; b && i < 256; i++)
        if (b[i] != 0) {
            CHECK(!"calloc memory not zero");
            break;
        }
    lc_free(b);

    /* realloc: NULL acts as malloc, grows keeping data, shrinks in place,
     * 0 frees */
    a = lc_realloc(NULL, 10);
    CHECK(a != NULL);
    strcpy(a, "realloc!!");
    b = lc_malloc(16);                       /* pin a neighbour */
    a = lc_realloc(a, 4000);
    CHECK(a && strcmp(a, "realloc!!") == 0);
    c = lc_realloc(a, 100);
    CHECK(c == a && strcmp(c, "realloc!!") == 0);
    lc_free(b);
    CHECK(lc_realloc(c, 0) == NULL);
    /* failed realloc leaves the block intact */
    a = lc_malloc(40);
    strcpy(a, "keep");
    CHECK(lc_realloc(a, USER_HEAP_SIZE * 2) == NULL);
    CHECK(strcmp(a, "keep") == 0);
    lc_free(a);

    /* after all of that, the whole heap is one block again */
    a = lc_malloc(USER_HEAP_SIZE - 1024);
    CHECK(a != NULL);
    lc_free(a);

    /* on that fresh heap y follows x: freeing y lets x grow in place */
    {
        char *x = lc_malloc(32), *y = lc_malloc(1000), *z;
        CHECK(y == x + 48);
        strcpy(x, "grow");
        lc_free(y);
        z = lc_realloc(x, 500);
        CHECK(z == x && strcmp(z, "grow") == 0);
        lc_free(z);
    }

    printf("test_malloc: %s\n", lc_failures ? "FAILED" : "ok");
    return lc_failures != 0;
}
