/*
 * fuzz_common.h: what every harness shares.
 *
 *  - struct fz_in: a cursor over the input. Every read succeeds: past the
 *    end it yields zeros, so a decoder never rejects an input; fz_done()
 *    says when the bytes ran out (a harness stops its step loop there).
 *  - fz_trace / FZ_TRACE: the replay driver sets fz_trace to print each
 *    decoded step (libFuzzer and AFL++ builds leave it 0).
 *  - fz_fail: an invariant or an expected result was violated: prints one
 *    line "crucible-fuzz: FAIL <harness>: <what>" and abort()s, so every
 *    engine sees a crash and the sanitizer prints the stack.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

struct fz_in {
    const uint8_t *p;
    size_t n;           /* bytes left */
};

static inline void fz_init(struct fz_in *in, const uint8_t *data, size_t size)
{
    in->p = data;
    in->n = size;
}

static inline int fz_done(const struct fz_in *in)
{
    return in->n == 0;
}

static inline uint8_t fz_u8(struct fz_in *in)
{
    uint8_t v;

    if (!in->n)
        return 0;
    v = *in->p++;
    in->n--;
    return v;
}

static inline uint16_t fz_u16(struct fz_in *in)
{
    uint16_t lo = fz_u8(in);
    return (uint16_t)(lo | (uint16_t)fz_u8(in) << 8);
}

static inline uint32_t fz_u32(struct fz_in *in)
{
    uint32_t lo = fz_u16(in);
    return lo | (uint32_t)fz_u16(in) << 16;
}

/* Copies up to n bytes (zeros past the end). */
static inline void fz_bytes(struct fz_in *in, void *dst, size_t n)
{
    uint8_t *d = dst;
    size_t i;

    for (i = 0; i < n; i++)
        d[i] = fz_u8(in);
}

extern int fz_trace;

#define FZ_TRACE(...) do { if (fz_trace) fz_tracef(__VA_ARGS__); } while (0)
void fz_tracef(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fz_fail(const char *harness, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
