/* tests/unit/libc test_format.c: lib/c's vsnprintf/snprintf formats. */
#include <stdint.h>
#include <sys/types.h>
#include "lc.h"

int lc_failures;

/* Format into a fresh buffer and return it (static, for CHECK_STR). */
static char out[256];
static int ret;
/* (no format attribute: some cases are deliberately odd formats) */
static const char *fmt(const char *f, ...)
{
    va_list ap;
    memset(out, 'Z', sizeof out);
    va_start(ap, f);
    ret = lc_vsnprintf(out, sizeof out, f, ap);
    va_end(ap);
    return out;
}

int main(void)
{
    char small[8];

    CHECK_STR(fmt("plain"), "plain");
    CHECK_STR(fmt("%d|%i|%d", 42, -7, 0), "42|-7|0");
    CHECK_STR(fmt("%d", INT32_MIN), "-2147483648");
    CHECK_STR(fmt("%u", 4294967295u), "4294967295");
    CHECK_STR(fmt("%x %X %o", 0xbeefu, 0xbeefu, 8u), "beef BEEF 10");
    CHECK_STR(fmt("%#x %#o %#x", 255u, 8u, 0u), "0xff 010 0");
    CHECK_STR(fmt("%#x", 0x10u), "0x10");
    CHECK_STR(fmt("%5d|%-5d|%05d", 42, 42, 42), "   42|42   |00042");
    CHECK_STR(fmt("%05d|%+d|% d", -42, 42, 42), "-0042|+42| 42");
    CHECK_STR(fmt("%.3d|%8.3d|%-8.3d|", 7, 7, -7), "007|     007|-007    |");
    CHECK_STR(fmt("%.0d|%.0x", 0, 0u), "|");
    CHECK_STR(fmt("%08.3d", 5), "     005");
    CHECK_STR(fmt("%*d|%-*d|%.*s", 4, 1, 3, 2, 2, "abc"), "   1|2  |ab");
    CHECK_STR(fmt("%*d", -4, 1), "1   ");
    CHECK_STR(fmt("%s|%6s|%-6s|%.2s", "hi", "hi", "hi", "hello"), "hi|    hi|hi    |he");
    CHECK_STR(fmt("%s", (char *)NULL), "(null)");
    CHECK_STR(fmt("%c%c%3c", 'a', 'b', 'c'), "ab  c");
    CHECK_STR(fmt("100%%"), "100%");
    CHECK_STR(fmt("%ld %lu", -123456789L, 123456789UL), "-123456789 123456789");
    CHECK_STR(fmt("%lld", -9000000000LL), "-9000000000");
    CHECK_STR(fmt("%llu", 18446744073709551615ULL), "18446744073709551615");
    CHECK_STR(fmt("%llx", 0x123456789abcdefULL), "123456789abcdef");
    CHECK_STR(fmt("%hhd %hd %hhu", 300, 70000, 257), "44 4464 1");
    CHECK_STR(fmt("%zu %zd %td %jd", (size_t)12, (ssize_t)-3, (ptrdiff_t)-4, (intmax_t)5), "12 -3 -4 5");
    CHECK_STR(fmt("%p", (void *)0x1234), "0x1234");
    CHECK_STR(fmt("%10p|", (void *)0xab), "      0xab|");
    CHECK_STR(fmt("%q"), "%q");         /* unknown conversions pass through */
    CHECK_STR(fmt("end%"), "end%");

    /* Return value is the full length; output truncated and terminated. */
    ret = lc_snprintf(small, sizeof small, "%s-%d", "abcdef", 12345);
    CHECK(ret == 12);
    CHECK_STR(small, "abcdef-");
    ret = lc_snprintf(small, 1, "xyz");
    CHECK(ret == 3 && small[0] == '\0');
    small[0] = 'Q';
    ret = lc_snprintf(small, 0, "xyz");
    CHECK(ret == 3 && small[0] == 'Q');  /* n == 0 writes nothing */
    fmt("%d", 123);
    CHECK(ret == 3 && out[3] == '\0');

    printf("test_format: %s\n", lc_failures ? "FAILED" : "ok");
    return lc_failures != 0;
}
