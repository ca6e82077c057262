/*
 * cov_stub.c: linked into the process images only when they are built with
 * coverage instrumentation for the fuzzers (HS_MODULE_EXTRA_FLAGS,
 * sim/CMakeLists.txt; fuzz/common/hs_fuzz.c does the registering). An
 * image has no sanitizer runtime and runs no constructors, so the entry
 * points the instrumentation references are given here; this file itself
 * is compiled without instrumentation.
 */
#include <stdint.h>

/* Set by the AFL++ harness (through the image's memory) to the address of
 * its __afl_area_ptr; NULL: pc-guard edges are not recorded. */
uint8_t **hs_cov_afl_area;

/* Constructor hooks of -fsanitize-coverage: never run in an image (the
 * harness registers the sections itself); defined so that the image links. */
void __sanitizer_cov_8bit_counters_init(uint8_t *start, uint8_t *stop)
{
    (void)start;
    (void)stop;
}

/* As above, for the PC table. */
void __sanitizer_cov_pcs_init(const uintptr_t *start, const uintptr_t *stop)
{
    (void)start;
    (void)stop;
}

/* As above, for trace-pc-guard. */
void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop)
{
    (void)start;
    (void)stop;
}

/* trace-pc-guard: one edge; counts it in the AFL++ map the harness named
 * (guard numbers come from the harness's runtime, 0 = not numbered). */
void __sanitizer_cov_trace_pc_guard(uint32_t *guard)
{
    uint8_t **area = hs_cov_afl_area;

    if (area && *area && *guard)
        (*area)[*guard]++;
}
