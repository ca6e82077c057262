/*
 * zcopy.c (host platform simulator): restoring memory from a checkpoint
 * copy that is mostly zero (hs.h: hs_zmap_build, hs_zcopy).
 *
 * Optimisation: a fuzzer restores the checkpoint before every input, and
 * most of what it copies back is zero there: a server's tables with few
 * entries in use (DS's store, the asynsend tables), the untouched heap,
 * the ASan redzones between the simulator's own globals. A plain copy
 * reads all of the checkpoint (cold in the cache by then) and rewrites
 * all of the live memory. Here the checkpoint is cut into 64-byte blocks
 * and a bitmap, made once when the checkpoint is taken, says which blocks
 * are all zero there. A restore copies the other blocks and, for a zero
 * block, only reads the live block (hot: the process just ran) and clears
 * it if it is not zero. The result is exactly the checkpoint's bytes:
 * nothing is guessed, a block is either copied or checked to be zero.
 */
#include "hs.h"

#define ZB      64                      /* bytes per block */

/* Nonzero if the n bytes at p are all zero. In assembly (SSE2, 64 bytes
 * an iteration), for the same reason as hs_raw_copy: p may be the
 * simulator's own globals, redzones included, and no instrumentation
 * belongs in this loop (AFL++ counted every iteration of the C loop,
 * which made the scan slower than the copy it replaces). */
__attribute__((no_sanitize("address", "undefined")))
static int block_zero(const unsigned char *p, size_t n)
{
    size_t big = n & ~(size_t)63, i;
    uint64_t acc = 0, w;

    if (big) {
        const unsigned char *e = p + big;
        unsigned mask;

        __asm__ volatile(
            "pxor   %%xmm0, %%xmm0\n\t"
            "1:\n\t"
            "movdqu   (%[p]), %%xmm1\n\t"
            "por    %%xmm1, %%xmm0\n\t"
            "movdqu 16(%[p]), %%xmm1\n\t"
            "por    %%xmm1, %%xmm0\n\t"
            "movdqu 32(%[p]), %%xmm1\n\t"
            "por    %%xmm1, %%xmm0\n\t"
            "movdqu 48(%[p]), %%xmm1\n\t"
            "por    %%xmm1, %%xmm0\n\t"
            "add    $64, %[p]\n\t"
            "cmp    %[e], %[p]\n\t"
            "jb     1b\n\t"
            "pxor   %%xmm1, %%xmm1\n\t"
            "pcmpeqb %%xmm1, %%xmm0\n\t"
            "pmovmskb %%xmm0, %[m]\n\t"
            : [p] "+r"(p), [m] "=r"(mask)
            : [e] "r"(e)
            : "xmm0", "xmm1", "cc", "memory");
        if (mask != 0xFFFF)
            return 0;
    }
    for (i = 0; i + 8 <= n - big; i += 8) {
        __builtin_memcpy(&w, p + i, 8);
        acc |= w;
    }
    for (; i < n - big; i++)
        acc |= p[i];
    return acc == 0;
}

/* See hs.h. */
size_t hs_zmap_words(size_t len)
{
    return (len + ZB * 64 - 1) / (ZB * 64);
}

/* See hs.h. */
void hs_zmap_build(uint64_t *map, const unsigned char *ck, size_t len)
{
    size_t b, nb = (len + ZB - 1) / ZB;

    for (b = 0; b < hs_zmap_words(len); b++)
        map[b] = 0;
    for (b = 0; b < nb; b++) {
        size_t off = b * ZB, n = len - off < ZB ? len - off : ZB;

        if (block_zero(ck + off, n))
            map[b / 64] |= 1ull << (b % 64);
    }
}

/* See hs.h. The map is read a word (64 blocks) at a time: a run of
 * blocks that are not zero in the checkpoint is one hs_raw_copy; a run of
 * zero blocks is one scan of dst, and only when that finds a nonzero byte
 * are its blocks checked and cleared one by one. Not instrumented: it
 * reads the map and dst within the bounds its caller gives (dst may be
 * the simulator's own globals, redzones included). */
__attribute__((no_sanitize("address", "undefined")))
void hs_zcopy(unsigned char *dst, const unsigned char *ck, size_t len, const uint64_t *map)
{
    size_t b = 0, e, nb = (len + ZB - 1) / ZB;

    while (b < nb) {
        uint64_t w = map[b / 64] >> (b % 64);
        unsigned avail = 64 - (unsigned)(b % 64), run;
        uint64_t other = (w & 1) ? ~w : w;      /* first block of the other kind */
        size_t lo = b * ZB, hi;

        run = other ? (unsigned)__builtin_ctzll(other) : avail;
        if (run > avail)
            run = avail;
        e = b + run < nb ? b + run : nb;
        hi = e * ZB < len ? e * ZB : len;
        if (!(w & 1)) {
            hs_raw_copy(dst + lo, ck + lo, hi - lo);
        } else if (!block_zero(dst + lo, hi - lo)) {
            for (; lo < hi; lo += ZB) {
                size_t n = hi - lo < ZB ? hi - lo : ZB;

                if (!block_zero(dst + lo, n))
                    hs_raw_zero(dst + lo, n);
            }
        }
        b = e;
    }
}
