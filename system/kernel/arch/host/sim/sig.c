/*
 * sig.c (host platform simulator): CPU exceptions of simulated processes
 * and the snapshot of the simulator library's own writable state.
 *
 * Exceptions: SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGTRAP are caught on an
 * alternate signal stack. If a simulated process was running (hs_in_proc),
 * the handler records the fault and makes the signal return into the
 * scheduler (hs_fault_resume), abandoning the coroutine; the scheduler
 * turns it into kernel_exception() for that process. Handlers use SA_NODEFER so that
 * leaving them by siglongjmp does not leave the signal blocked. A fault in
 * the kernel or the caller's own code (hs_in_proc == 0) restores the
 * default action and returns, so the host process dies with the real
 * signal (a simulator bug must not be hidden).
 *
 * Self snapshot: the kernel core, this platform and the injection engine
 * are linked into one shared object (libhostsim.so); their globals are its
 * writable PT_LOAD segments, found with dl_iterate_phdr. hs_self_save
 * copies them (minus the PT_GNU_RELRO part, which is read-only after
 * loading) and hs_self_restore copies them back.
 */
#define _GNU_SOURCE
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include "hs.h"

volatile int hs_in_proc;
uint64_t hs_fault_rsp;
volatile int hs_fault_sig;
volatile uint64_t hs_fault_addr, hs_fault_pc;

static const int caught[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };

/* The handler: see the file comment. */
static void on_fault(int sig, siginfo_t *si, void *uc_)
{
    ucontext_t *uc = uc_;

    if (!hs_in_proc) {
        signal(sig, SIG_DFL);
        return;                 /* re-executes the faulting instruction */
    }
    hs_in_proc = 0;
    hs_fault_sig = sig;
    hs_fault_addr = (uint64_t)(uintptr_t)si->si_addr;
    hs_fault_pc = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
    /* Leave the coroutine by rewriting the context the signal returns to:
     * it resumes in hs_ctx_resume on the scheduler's stack, which pops the
     * registers hs_ctx_switch saved there (hs_fault_rsp) and returns from
     * that switch in run_proc as if the process had yielded; run_proc sees
     * hs_fault_sig. Why not siglongjmp (as before): under ASan, a noreturn
     * call from the alternate signal stack makes __asan_handle_no_return
     * look up the thread's default stack with pthread_getattr_np, which
     * parses /proc/self/maps: that was ~15% of the system harness's time
     * (faults are common in its inputs). A plain return from the handler
     * does no such work; the result is the same. */
    uc->uc_mcontext.gregs[REG_RSP] = (greg_t)hs_fault_rsp;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)hs_ctx_resume;
}

/* See hs.h. Idempotent. */
void hs_sig_init(void)
{
    static int done;
    static void *volatile altstack; /* kept so leak checkers see it owned */
    stack_t ss;
    struct sigaction sa;
    size_t i;

    if (done)
        return;
    done = 1;
    ss.ss_size = 256 * 1024;
    ss.ss_sp = altstack = malloc(ss.ss_size);
    ss.ss_flags = 0;
    if (!ss.ss_sp || sigaltstack(&ss, NULL) != 0) {
        perror("hostsim: sigaltstack");
        abort();
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < sizeof caught / sizeof caught[0]; i++)
        sigaction(caught[i], &sa, NULL);
}

/* See hs.h: the x86 exception vector of the last fault (#PF for SIGSEGV
 * and SIGBUS, #DE for SIGFPE, #UD for SIGILL, #BP for SIGTRAP). */
int hs_fault_vector(void)
{
    switch (hs_fault_sig) {
    case SIGFPE:  return 0;
    case SIGILL:  return 6;
    case SIGTRAP: return 3;
    case SIGBUS:  return 13;
    default:      return 14;
    }
}

/* Writable ranges of this shared object. */
struct range { uintptr_t lo, hi; };
#define MAX_RANGES 16
static struct range ranges[MAX_RANGES];
static int nranges = -1;
static struct range excl[8];            /* hs_self_exclude */
static int nexcl;

/* dl_iterate_phdr callback: finds the object containing hs_sig_init and
 * records its writable PT_LOAD ranges minus PT_GNU_RELRO. */
static int find_self(struct dl_phdr_info *info, size_t size, void *data)
{
    uintptr_t me = (uintptr_t)data, relro_lo = 0, relro_hi = 0;
    int i, hit = 0;

    (void)size;
    for (i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

        if (ph->p_type == PT_LOAD && me >= lo && me < lo + ph->p_memsz)
            hit = 1;
        if (ph->p_type == PT_GNU_RELRO) {
            relro_lo = lo;
            relro_hi = (lo + ph->p_memsz + 4095) & ~(uintptr_t)4095;
        }
    }
    if (!hit)
        return 0;
    nranges = 0;
    for (i = 0; i < info->dlpi_phnum && nranges < MAX_RANGES; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;

        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W))
            continue;
        if (lo >= relro_lo && lo < relro_hi)
            lo = relro_hi;
        if (lo < hi) {
            ranges[nranges].lo = lo;
            ranges[nranges].hi = hi;
            nranges++;
        }
    }
    return 1;
}

/* The coverage tables of this library when a fuzz build instruments it
 * (-fsanitize-coverage=inline-8bit-counters,pc-table): part of the
 * writable segments, but the fuzzer's, not the system's state (the PC
 * table never changes; the counters are cleared by hs_self_restore). */
extern uint8_t __start___sancov_cntrs[] __attribute__((weak, visibility("hidden")));
extern uint8_t __stop___sancov_cntrs[] __attribute__((weak, visibility("hidden")));
extern uint8_t __start___sancov_pcs[] __attribute__((weak, visibility("hidden")));
extern uint8_t __stop___sancov_pcs[] __attribute__((weak, visibility("hidden")));
/* AddressSanitizer's descriptions of our globals, in a section of their
 * own when the fuzz build asks for it (fuzz/CMakeLists.txt:
 * -fsanitize-address-globals-dead-stripping): constant after loading, not
 * system state, so a restore need not copy them. */
extern uint8_t __start_asan_globals[] __attribute__((weak, visibility("hidden")));
extern uint8_t __stop_asan_globals[] __attribute__((weak, visibility("hidden")));
/* UndefinedBehaviorSanitizer's static data, gathered by the fuzz build's
 * linker script (ubsan_data.ld): constant too (see there). */
extern uint8_t hs_ubsan_data_start[] __attribute__((weak, visibility("hidden")));
extern uint8_t hs_ubsan_data_end[] __attribute__((weak, visibility("hidden")));

/* See hs.h. */
void hs_self_exclude(uintptr_t lo, uintptr_t hi)
{
    if (nranges < 0 && lo < hi && nexcl < (int)(sizeof excl / sizeof excl[0])) {
        excl[nexcl].lo = lo;
        excl[nexcl].hi = hi;
        nexcl++;
    }
}

/* Removes [lo, hi) from ranges[] (splitting a range if needed). */
static void cut(uintptr_t lo, uintptr_t hi)
{
    int i;

    for (i = 0; i < nranges; i++) {
        struct range *r = &ranges[i];

        if (hi <= r->lo || lo >= r->hi)
            continue;
        if (lo > r->lo && hi < r->hi) {
            if (nranges == MAX_RANGES)
                return;                 /* keep it: copying too much is safe */
            memmove(r + 2, r + 1, (size_t)(nranges - i - 1) * sizeof *r);
            r[1].lo = hi;
            r[1].hi = r->hi;
            r->hi = lo;
            nranges++;
            i++;
        } else if (lo <= r->lo && hi >= r->hi) {
            memmove(r, r + 1, (size_t)(nranges - i - 1) * sizeof *r);
            nranges--;
            i--;
        } else if (lo <= r->lo) {
            r->lo = hi;
        } else {
            r->hi = lo;
        }
    }
}

/* Locates our writable segments once, minus the excluded ranges. */
static void self_ranges(void)
{
    int i;

    if (nranges >= 0)
        return;
    dl_iterate_phdr(find_self, (void *)(uintptr_t)&hs_sig_init);
    if (nranges < 0) {
        fprintf(stderr, "hostsim: cannot find its own segments\n");
        abort();
    }
    if (__start___sancov_pcs)
        cut((uintptr_t)__start___sancov_pcs, (uintptr_t)__stop___sancov_pcs);
    if (__start___sancov_cntrs)
        cut((uintptr_t)__start___sancov_cntrs, (uintptr_t)__stop___sancov_cntrs);
    if (__start_asan_globals)
        cut((uintptr_t)__start_asan_globals, (uintptr_t)__stop_asan_globals);
    if (hs_ubsan_data_start)
        cut((uintptr_t)hs_ubsan_data_start, (uintptr_t)hs_ubsan_data_end);
    for (i = 0; i < nexcl; i++)
        cut(excl[i].lo, excl[i].hi);
}

/* See hs.h. */
size_t hs_self_size(void)
{
    size_t n = 0;
    int i;

    self_ranges();
    for (i = 0; i < nranges; i++)
        n += ranges[i].hi - ranges[i].lo;
    return n;
}

/* The zero blocks of each range in the checkpoint (zcopy.c). Allocated
 * at the first save, never moved: the pointers are part of the snapshot
 * (they live in our writable segments) and must read the same in it. */
static uint64_t *zmap[MAX_RANGES];

/* See hs.h. */
void hs_self_save(unsigned char *b)
{
    int i;

    self_ranges();
    for (i = 0; i < nranges; i++)
        if (!zmap[i])
            zmap[i] = malloc(hs_zmap_words(ranges[i].hi - ranges[i].lo) * sizeof(uint64_t));
    for (i = 0; i < nranges; i++) {
        hs_raw_copy(b, (void *)ranges[i].lo, ranges[i].hi - ranges[i].lo);
        if (zmap[i])
            hs_zmap_build(zmap[i], b, ranges[i].hi - ranges[i].lo);
        b += ranges[i].hi - ranges[i].lo;
    }
}

/* See hs.h. Note: restores 'ranges', 'nranges' and 'zmap' too, with the
 * values they already have (read before). The coverage tables are left
 * alone (self_ranges): the fuzzer cleared the counters before the run
 * that restores. Zero blocks of the checkpoint are only checked
 * (zcopy.c): about half of these bytes are zero there (ASan's redzones
 * around our globals, tables with free slots). */
void hs_self_restore(const unsigned char *b)
{
    struct range r[MAX_RANGES];
    uint64_t *z[MAX_RANGES];
    int i, n = nranges;

    memcpy(r, ranges, sizeof r);
    memcpy(z, zmap, sizeof z);
    for (i = 0; i < n; i++) {
        if (z[i])
            hs_zcopy((unsigned char *)r[i].lo, b, r[i].hi - r[i].lo, z[i]);
        else
            hs_raw_copy((void *)r[i].lo, b, r[i].hi - r[i].lo);
        b += r[i].hi - r[i].lo;
    }
}
