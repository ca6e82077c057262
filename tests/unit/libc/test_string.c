/* tests/unit/libc test_string.c: lib/c string, ctype and strtol. */
#include <limits.h>
#include "lc.h"

int lc_failures;

int main(void)
{
    char b[32];
    char *end;

    /* mem* */
    memset(b, 'x', sizeof b);
    CHECK(lc_memset(b, 'a', 4) == b && b[3] == 'a' && b[4] == 'x');
    strcpy(b, "0123456789");
    CHECK(lc_memmove(b + 2, b, 5) == b + 2);
    CHECK(memcmp(b, "0101234789", 10) == 0);        /* forward overlap */
    strcpy(b, "0123456789");
    lc_memmove(b, b + 2, 5);
    CHECK(memcmp(b, "2345656789", 10) == 0);        /* backward overlap */
    CHECK(lc_memcmp("abc", "abd", 3) < 0 && lc_memcmp("abd", "abc", 3) > 0);
    CHECK(lc_memcmp("\xff", "\x01", 1) > 0);        /* unsigned compare */
    CHECK(lc_memcmp("abc", "abd", 2) == 0);
    {
        const char *h = "hello";
        CHECK(lc_memchr(h, 'l', 5) == h + 2);
    }
    CHECK(lc_memchr("hello", 'o', 4) == NULL);

    /* lengths and compares */
    CHECK(lc_strlen("") == 0 && lc_strlen("abc") == 3);
    CHECK(lc_strnlen("abcdef", 3) == 3 && lc_strnlen("ab", 10) == 2);
    CHECK(lc_strcmp("abc", "abc") == 0 && lc_strcmp("ab", "abc") < 0);
    CHECK(lc_strcmp("\xe9", "a") > 0);
    CHECK(lc_strncmp("abcX", "abcY", 3) == 0 && lc_strncmp("abcX", "abcY", 4) < 0);
    CHECK(lc_strncmp("ab", "ab", 10) == 0);

    /* copies */
    memset(b, 'x', sizeof b);
    lc_strncpy(b, "ab", 5);
    CHECK(memcmp(b, "ab\0\0\0x", 6) == 0);          /* NUL padding to n */
    CHECK(lc_strlcpy(b, "hello world", 6) == 11);
    CHECK_STR(b, "hello");
    CHECK(lc_strlcpy(b, "hi", 0) == 2 && b[0] == 'h');
    strcpy(b, "ab");
    CHECK(lc_strlcat(b, "cdefgh", 6) == 8);
    CHECK_STR(b, "abcde");
    strcpy(b, "ab");
    CHECK_STR(lc_strcat(b, "cd"), "abcd");
    CHECK_STR(lc_strncat(b, "efgh", 2), "abcdef");
    CHECK_STR(lc_strcpy(b, "xyz"), "xyz");

    /* searches */
    {
        const char *s = "abcabc";
        CHECK(lc_strchr(s, 'c') == s + 2);
        CHECK(lc_strrchr(s, 'c') == s + 5);
        CHECK(lc_strchr(s, '\0') == s + 6 && lc_strrchr(s, '\0') == s + 6);
        CHECK(lc_strchr(s, 'z') == NULL && lc_strrchr(s, 'z') == NULL);
        CHECK(lc_strstr(s, "cab") == s + 2);
        CHECK(lc_strstr(s, "") == s);
        CHECK(lc_strstr(s, "abd") == NULL);
        CHECK(lc_strstr("aaab", "aab") != NULL);
        CHECK(lc_strspn("  \tx", " \t") == 3 && lc_strcspn("key=val", "=") == 3);
    }

    /* ctype */
    CHECK(lc_isspace('\n') && !lc_isspace('x') && lc_isxdigit('F') && !lc_isxdigit('g'));
    CHECK(lc_toupper('q') == 'Q' && lc_toupper('1') == '1');

    /* strtol & co */
    CHECK(lc_strtol("  -123xyz", &end, 10) == -123 && *end == 'x');
    CHECK(lc_strtol("0x1F", &end, 0) == 31 && *end == '\0');
    CHECK(lc_strtol("0x1F", &end, 16) == 31);
    CHECK(lc_strtol("017", NULL, 0) == 15);
    CHECK(lc_strtol("z", NULL, 36) == 35);
    CHECK(lc_strtol("abc", &end, 10) == 0 && strcmp(end, "abc") == 0);
    CHECK(lc_strtol("0x", &end, 16) == 0 && strcmp(end, "x") == 0);
    lc_errno = 0;
    CHECK(lc_strtol("99999999999999999999999", NULL, 10) == LONG_MAX && lc_errno == 34);
    lc_errno = 0;
    CHECK(lc_strtol("-99999999999999999999999", NULL, 10) == LONG_MIN && lc_errno == 34);
    CHECK(lc_strtoul("4294967295", NULL, 10) == 4294967295UL);
    CHECK(lc_atoi("42") == 42 && lc_atoi("-8 ") == -8 && lc_atoi("x") == 0);

    /* strdup uses the heap (the test's heap region, test_heap.c) */
    {
        char *d = lc_strdup("dup me");
        CHECK(d && strcmp(d, "dup me") == 0);
        lc_free(d);
    }

    printf("test_string: %s\n", lc_failures ? "FAILED" : "ok");
    return lc_failures != 0;
}
