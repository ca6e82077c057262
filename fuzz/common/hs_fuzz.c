/*
 * hs_fuzz.c: boot-once / restore-per-input for the hostsim harnesses and
 * the coverage of the server images (hs_fuzz.h).
 *
 * Coverage: the servers are not linked into the harness; they are static
 * images that hostsim's loader copies into fixed windows (sim/loader.c),
 * so the engine's runtime never hears of their instrumentation by itself.
 * The fuzz builds compile the images with
 *   libFuzzer: -fsanitize-coverage=inline-8bit-counters,pc-table
 *   AFL++:     -fsanitize-coverage=trace-pc-guard
 * (HS_MODULE_EXTRA_FLAGS, sim/CMakeLists.txt) and link them with
 * sim/cov_stub.c, which gives the runtime entry points the compiler calls
 * (constructors that never run in an image, the pc-guard hook). The
 * linker defines __start_/__stop_ of each coverage section in the image;
 * after boot this file finds them with hostsim_symbol and hands them to
 * the runtime the harness is linked with:
 *   libFuzzer: __sanitizer_cov_8bit_counters_init + __sanitizer_cov_pcs_init
 *              (the image code increments the counters inline);
 *   AFL++:     __sanitizer_cov_trace_pc_guard_init numbers the image's
 *              guards in the harness's map, and the image's pc-guard hook
 *              (cov_stub.c) writes through hs_cov_afl_area, which points at
 *              the harness's __afl_area_ptr.
 * The counters and guards live in the images' writable memory, which
 * hostsim_restore copies back from the checkpoint: the counters are
 * zeroed again after every restore (the guards must keep their numbers,
 * which the checkpoint, taken after numbering, does).
 * In the replay build none of these runtimes exists (weak symbols): the
 * images are the ordinary ones and nothing is registered.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "hs_fuzz.h"

#define HSF_TRACE_TAIL 40    /* messages a failure report shows */

endpoint_t hsf_user[HSF_MAX_PUPPETS], hsf_sys[HSF_MAX_PUPPETS];
size_t hsf_puppet_len;
uint8_t hsf_ramp[512];

/* Engine runtimes (absent in the replay build). */
extern void __sanitizer_cov_8bit_counters_init(uint8_t *, uint8_t *) __attribute__((weak));
extern void __sanitizer_cov_pcs_init(const uintptr_t *, const uintptr_t *) __attribute__((weak));
extern void __sanitizer_cov_trace_pc_guard_init(uint32_t *, uint32_t *) __attribute__((weak));

static const char *const images[] = { "rs", "ds", "pm", "vm", "tty", "hello" };
#define NR_IMAGES (sizeof images / sizeof images[0])

static struct { uint8_t *lo, *hi; } cntrs[NR_IMAGES];
static size_t nr_cntrs, total_cntrs;
static int booted, handlers_back;

/* The CPU-exception signals hostsim turns into exceptions of the process
 * that faulted (sim/sig.c) and the handlers it installed at boot. The
 * engines install their own crash handlers after LLVMFuzzerInitialize;
 * hsf_begin puts hostsim's back once, so that a server's real fault (a
 * crash the fuzzer provoked, a HELLO_CRASH) reaches RS instead of killing
 * the fuzzer. A fault outside every server then ends the process with the
 * signal (hostsim restores the default action), which the engines record
 * as a crash. */
static const int hs_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };
static struct sigaction hs_handlers[sizeof hs_signals / sizeof hs_signals[0]];

/* Host pointer of image symbol sym of module mod, or NULL. */
static void *image_sym(const char *mod, const char *sym)
{
    return (void *)(uintptr_t)hostsim_symbol(mod, sym);
}

/* Registers every instrumented image's coverage with the runtime present
 * (see the file comment). Called once, after boot, before the checkpoint. */
static void register_images(void)
{
    size_t k;

    for (k = 0; k < NR_IMAGES; k++) {
        uint8_t *c0 = image_sym(images[k], "__start___sancov_cntrs");
        uint8_t *c1 = image_sym(images[k], "__stop___sancov_cntrs");
        const uintptr_t *p0 = image_sym(images[k], "__start___sancov_pcs");
        const uintptr_t *p1 = image_sym(images[k], "__stop___sancov_pcs");
        uint32_t *g0 = image_sym(images[k], "__start___sancov_guards");
        uint32_t *g1 = image_sym(images[k], "__stop___sancov_guards");
        uint8_t ***afl = image_sym(images[k], "hs_cov_afl_area");

        if (c0 && c1 > c0 && __sanitizer_cov_8bit_counters_init) {
            memset(c0, 0, (size_t)(c1 - c0));
            __sanitizer_cov_8bit_counters_init(c0, c1);
            if (p0 && p1 > p0 && __sanitizer_cov_pcs_init)
                __sanitizer_cov_pcs_init(p0, p1);
            cntrs[nr_cntrs].lo = c0;
            cntrs[nr_cntrs].hi = c1;
            nr_cntrs++;
            total_cntrs += (size_t)(c1 - c0);
        }
        /* AFL++'s map pointer, looked up at run time (its instrumentation
         * pass owns the symbol; a declaration here would clash) */
        uint8_t **area = (uint8_t **)dlsym(RTLD_DEFAULT, "__afl_area_ptr");

        if (g0 && g1 > g0 && afl && area && __sanitizer_cov_trace_pc_guard_init) {
            memset(g0, 0, (size_t)((uint8_t *)g1 - (uint8_t *)g0));
            __sanitizer_cov_trace_pc_guard_init(g0, g1);
            *afl = area;
            total_cntrs += (size_t)(g1 - g0);
        }
    }
    if (getenv("HSF_VERBOSE"))
        fprintf(stderr, "hs_fuzz: %zu coverage counters from server images\n", total_cntrs);
}

/* See hs_fuzz.h. */
size_t hsf_image_counters(void)
{
    return total_cntrs;
}

/* See hs_fuzz.h. */
void hsf_boot_once(const char *harness, const struct hsf_setup *s)
{
    struct hostsim_config c;
    const char *d;
    int r, i;

    if (booted)
        return;
    booted = 1;
    for (i = 0; i < (int)sizeof hsf_ramp; i++)
        hsf_ramp[i] = (uint8_t)i;
    memset(&c, 0, sizeof c);
    c.seed = 1;
    c.cmdline = s->cmdline;
    c.idle_ticks = s->idle_ticks;
    c.call_steps = s->call_steps;
#ifdef FZ_REPLAY
    c.trace = 1;        /* a failure's report ends with the messages before it */
#endif
    r = hostsim_boot(&c);
    if (r != HOSTSIM_OK) {
        hostsim_status(&d);
        fz_fail(harness, "boot failed: %d (%s)", r, d);
    }
    for (i = 0; i < s->nr_user && i < HSF_MAX_PUPPETS; i++) {
        hsf_user[i] = hostsim_puppet(HOSTSIM_PUPPET_USER);
        if (hsf_user[i] < 0)
            fz_fail(harness, "user puppet %d: %d", i, hsf_user[i]);
    }
    for (i = 0; i < s->nr_system && i < HSF_MAX_PUPPETS; i++) {
        hsf_sys[i] = hostsim_puppet(HOSTSIM_PUPPET_SYSTEM);
        if (hsf_sys[i] < 0)
            fz_fail(harness, "system puppet %d: %d", i, hsf_sys[i]);
    }
    hostsim_puppet_mem(hsf_user[0] > 0 ? hsf_user[0] : hsf_sys[0], &hsf_puppet_len);
    for (i = 0; i < (int)(sizeof hs_signals / sizeof hs_signals[0]); i++)
        sigaction(hs_signals[i], NULL, &hs_handlers[i]);
    register_images();
    if (hostsim_checkpoint() != HOSTSIM_OK)
        fz_fail(harness, "checkpoint failed");
}

/* See hs_fuzz.h. */
void hsf_begin(const char *harness, const struct hsf_setup *s)
{
    size_t k;

    hsf_boot_once(harness, s);
    if (!handlers_back) {
        size_t i;

        handlers_back = 1;
        for (i = 0; i < sizeof hs_signals / sizeof hs_signals[0]; i++)
            sigaction(hs_signals[i], &hs_handlers[i], NULL);
    }
    if (hostsim_restore() != HOSTSIM_OK)
        fz_fail(harness, "restore failed");
    for (k = 0; k < nr_cntrs; k++)
        memset(cntrs[k].lo, 0, (size_t)(cntrs[k].hi - cntrs[k].lo));
}

/* Prints the last messages delivered (the replay driver records them:
 * hsf_boot_once), oldest first, for a failure's report. */
static void print_trace_tail(void)
{
    struct hostsim_trace_entry e[HSF_TRACE_TAIL];
    size_t n = hostsim_trace_last(e, HSF_TRACE_TAIL), k;

    if (n == 0)
        return;
    fprintf(stderr, "hostsim: the last %zu of %llu messages delivered:\n", n,
            (unsigned long long)hostsim_trace_count());
    for (k = 0; k < n; k++)
        fprintf(stderr, "  #%llu tick %u: %d -> %d type %#x\n",
                (unsigned long long)e[k].index, e[k].tick, e[k].src, e[k].dst,
                (unsigned)e[k].type);
}

/* The last 600 bytes of the console, for a failure's report. */
static const char *console_tail(void)
{
    const char *con = hostsim_console();
    size_t n = strlen(con);

    return con + (n > 600 ? n - 600 : 0);
}

/* See hs_fuzz.h. */
int hsf_check(const char *harness, int r, const char *what)
{
    struct hostsim_violation v;
    const char *d;

    if (r == HOSTSIM_VIOLATION || hostsim_sanity(&v)) {
        hostsim_sanity(&v);
        print_trace_tail();
        fz_fail(harness, "%s: sanity violation in %s: %s (after message %llu); console ends:\n%s",
                what, v.label, v.invariant, (unsigned long long)v.message_index,
                console_tail());
    }
    if (r == HOSTSIM_BUSY) {
        print_trace_tail();
        fz_fail(harness, "%s: livelock: the system was still busy after the call's "
                "budget of scheduling steps; console ends:\n%s", what, console_tail());
    }
    switch (hostsim_status(&d)) {
    case 0:
        break;
    case 1:
        return HOSTSIM_HALTED;          /* an orderly shutdown: the input ends */
    default:
        print_trace_tail();
        fz_fail(harness, "%s: system panicked: %s; console ends:\n%s", what, d, console_tail());
    }
    return r;
}
