/*
 * loader.c (host platform simulator): module images and instances.
 *
 * Name collisions between servers (several define main, do_fork, m_in,
 * ...) are solved by NOT linking servers into the simulator at all: each
 * server is linked, exactly as for the PC, into its own static executable
 * together with its own copy of libsys and libc (lib/c/arch/host/host.ld.in),
 * but at its own fixed window below 4 GB (HS_WINDOW_BASE + k * HS_WINDOW).
 * This loader copies the PT_LOAD segments of that file to their link
 * addresses. Why this rather than dlopen(RTLD_LOCAL) or objcopy prefixing:
 *  - every address a server passes to the kernel is a real 32-bit
 *    vir_bytes (the ABI type), with no change to server code and no luck
 *    with where the dynamic loader puts a shared object;
 *  - no relocation, no symbol resolution, no glibc inside a server: the
 *    server reaches the kernel only through the trap function passed to
 *    its entry (lib/sys/arch/host/hostsim_abi.h);
 *  - a fresh instance (RS restart, exec) is one memcpy of the pristine
 *    .data/.bss; a checkpoint is a memcpy of each window's writable part;
 *  - addresses are the same in every run, so traces (which hash message
 *    payloads holding addresses) are reproducible across processes.
 * Two live instances of one module (a live update keeps the old instance
 * until the new one is up) share the window like two address spaces share
 * a virtual range: the window holds the "resident" instance, the other
 * one's writable memory waits in a swap buffer and is exchanged when it
 * runs or the kernel copies to/from it (hs_make_resident).
 *
 * Window layout of module k: text+rodata | data+bss | heap (HS_HEAP_SIZE)
 * | guard page | coroutine stack (HS_STACK_SIZE).
 * Puppets (processes driven by the caller) own HS_PUPPET_MEM bytes each at
 * HS_PUPPET_BASE + slot * HS_PUPPET_MEM, seen by the kernel at
 * HS_PUPPET_VBASE (translated here: the same address in every puppet).
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hs.h"

struct hs_mod hs_mods[HS_MAX_MODS];
int hs_nmods;
struct hs_inst hs_insts[HS_MAX_INST];

/* Swap buffers (one per instance, allocated once, never freed, so that a
 * restored instance table never points at freed memory) and puppet slot
 * use. The buffers' contents are part of the checkpoint (hs_mem_save).
 * The tables that must outlive hs_self_restore (swap_buf, swap_meta,
 * dirty) live on the heap, reached through volatile pointers: without
 * that, clang -O2 (the AFL++ build) turned a table allocated once through
 * a static pointer into a static array (GlobalOpt), which the snapshot
 * then restored, so every restart allocated its swap buffer anew (and
 * leaked it; ~35 page faults per input). */
static unsigned char **volatile swap_buf;   /* [HS_MAX_INST], on the heap:
                                             * not part of the restored
                                             * state, so buffers made after
                                             * a checkpoint are reused */
static int swap_valid[HS_MAX_INST];
/* What a swap buffer holds (on the heap with swap_buf, for the same
 * reason), see swap_out: its heap bytes from heap_n on are zero at all
 * times (buffers are calloc'd; swap_out zeroes what it leaves behind);
 * while it is valid, its stack is saved from sf on (below: dead stack). */
struct swap_meta { uint32_t heap_n, sf; };
static struct swap_meta *volatile swap_meta;    /* [HS_MAX_INST] */
static unsigned char puppet_used[HS_PUPPET_SLOTS];
static int mapped;

/* What changed since the checkpoint, so that hs_mem_restore copies back
 * only that (a fuzzer restores after every input, and an input touches a
 * few processes). On the heap, allocated once, like swap_buf: the flags
 * must survive hs_self_restore, which runs first. Everything the system
 * can change is covered:
 *  - a module window is dirty once its instance ran (hs_make_resident:
 *    every run, every swap), was exec'd, or was written by the kernel or
 *    the caller (hs_uptr with write set: copies into it, hostsim_mem);
 *  - a puppet slot keeps the byte range [lo, hi) written since (the
 *    kernel's copies through hs_uptr, the caller's through
 *    hs_puppet_note); a slot allocated or forked into is wholly dirty.
 * Heaps: servers rarely malloc, so a dirty window's 64 KB heap is mostly
 * the zeroes it was loaded with. Optimisation: a restore copies back only
 * [heap_base, max(used now, used at the checkpoint)) where "used" is the
 * higher of the image's malloc high-water mark (__libc_heap_top, lib/c/
 * malloc.c, read from the window) and the end of the heap bytes the kernel
 * or the caller wrote through hs_uptr (kheap); exec clears only that much.
 * Not covered: a server's wild store outside its own window (into another
 * window or into puppet memory): all windows share one host mapping; nor
 * a wild store into its own heap above what malloc handed out.
 * HOSTSIM_FULL_RESTORE=1 in the environment turns the tracking off. */
struct dirty {
    unsigned char win[HS_MAX_MODS];
    uint32_t plo[HS_PUPPET_SLOTS], phi[HS_PUPPET_SLOTS];
    int inst_hi;                        /* instances [0, inst_hi) may differ */
    int valid;                          /* a checkpoint was taken */
    int full;                           /* HOSTSIM_FULL_RESTORE */
    /* offsets in the checkpoint blob */
    size_t win_off[HS_MAX_MODS], pup_off[HS_PUPPET_SLOTS], inst_off;
    int ck_inst_hi;                     /* 1 + highest used instance at checkpoint */
    uint32_t kheap[HS_MAX_MODS];        /* heap bytes [0, kheap) written via hs_uptr */
    uint32_t ck_heap[HS_MAX_MODS];      /* heap_used() at the checkpoint */
    uint64_t *zmap[HS_MAX_MODS];        /* zero blocks of each window's
                                           [data_start, heap end) in the
                                           checkpoint (zcopy.c) */
};
static struct dirty *volatile dirty;

/* Marks the window of module mod as changed. */
static void dirty_win(int mod)
{
    if (dirty && mod >= 0 && mod < HS_MAX_MODS)
        dirty->win[mod] = 1;
}

/* Marks bytes [off, off + len) of puppet slot s as changed. */
static void dirty_puppet(int s, size_t off, size_t len)
{
    if (!dirty || s < 0 || s >= HS_PUPPET_SLOTS || !len)
        return;
    if (off > HS_PUPPET_MEM)
        off = HS_PUPPET_MEM;
    if (len > HS_PUPPET_MEM - off)
        len = HS_PUPPET_MEM - off;
    if (dirty->plo[s] >= dirty->phi[s]) {
        dirty->plo[s] = (uint32_t)off;
        dirty->phi[s] = (uint32_t)(off + len);
        return;
    }
    if (off < dirty->plo[s])
        dirty->plo[s] = (uint32_t)off;
    if (off + len > dirty->phi[s])
        dirty->phi[s] = (uint32_t)(off + len);
}

/* How many bytes from the start of module k's heap the resident instance
 * may have changed since the window was loaded (see the dirty comment):
 * the malloc high-water mark, the kernel's writes; all of it if the
 * tracking is off or the mark is not a heap address (a corrupt image). */
static uint32_t heap_used(int k)
{
    const struct hs_mod *m = &hs_mods[k];
    uint32_t n;
    uint64_t top = 0;

    if (!dirty || dirty->full)
        return HS_HEAP_SIZE;
    n = dirty->kheap[k];
    if (m->heap_top_va) {
        hs_raw_copy(&top, (const void *)(uintptr_t)m->heap_top_va, sizeof top);
        if (top && (top < m->heap_base || top > (uint64_t)m->heap_base + HS_HEAP_SIZE))
            return HS_HEAP_SIZE;
        if (top && top - m->heap_base > n)
            n = (uint32_t)(top - m->heap_base);
    }
    n = (n + 63) & ~63u;
    return n > HS_HEAP_SIZE ? HS_HEAP_SIZE : n;
}

/* See hs.h. */
void hs_puppet_note(int i, size_t off, size_t len)
{
    if (i >= 0 && i < HS_MAX_INST && hs_insts[i].kind == HS_I_PUPPET)
        dirty_puppet(hs_insts[i].puppet_slot, off, len);
}

/* Size of the writable part of module m's window that an instance owns:
 * [data_start, stack_top), guard page included (never touched). */
static size_t mod_wsize(const struct hs_mod *m)
{
    return m->stack_top - m->data_start;
}

/* The largest writable window part of any module (swap buffer size). */
static size_t max_wsize(void)
{
    size_t n = 0;
    int k;

    for (k = 0; k < hs_nmods; k++)
        if (!hs_mods[k].is_puppet && mod_wsize(&hs_mods[k]) > n)
            n = mod_wsize(&hs_mods[k]);
    return n;
}

/* Maps the fixed low regions once: module windows and puppet memory.
 * Returns 0 or -1 (the address range is taken). */
static int map_regions(void)
{
    void *a;
    size_t wlen = (size_t)HS_WINDOW * HS_MAX_MODS;
    size_t plen = (size_t)HS_PUPPET_MEM * HS_PUPPET_SLOTS;

    if (mapped)
        return 0;
    a = mmap((void *)(uintptr_t)HS_WINDOW_BASE, wlen, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
    if (a != (void *)(uintptr_t)HS_WINDOW_BASE) {
        fprintf(stderr, "hostsim: cannot map module windows at %#x\n", HS_WINDOW_BASE);
        return -1;
    }
    a = mmap((void *)(uintptr_t)HS_PUPPET_BASE, plen, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
    if (a != (void *)(uintptr_t)HS_PUPPET_BASE) {
        fprintf(stderr, "hostsim: cannot map puppet memory at %#x\n", HS_PUPPET_BASE);
        return -1;
    }
    mapped = 1;
    return 0;
}

/* Reads a whole file; returns the buffer (caller keeps it) or NULL. */
static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *b;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = malloc((size_t)n);
    if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* Loads module m from its file into its window: checks the ELF, copies
 * the segments, protects text/rodata read-only(+exec), records the
 * layout and a pristine copy of .data/.bss. Returns 0 or -1. */
static int load_module(struct hs_mod *m)
{
    const Elf64_Ehdr *eh;
    const Elf64_Phdr *ph;
    uint32_t lo = 0xFFFFFFFFu, hi = 0, wlo = 0xFFFFFFFFu;
    int i;

    m->file = read_file(m->path, &m->file_len);
    if (!m->file || m->file_len < sizeof(Elf64_Ehdr)) {
        fprintf(stderr, "hostsim: cannot read module %s\n", m->path);
        return -1;
    }
    eh = (const Elf64_Ehdr *)m->file;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_type != ET_EXEC || eh->e_machine != EM_X86_64 ||
        eh->e_phoff + (size_t)eh->e_phnum * sizeof(Elf64_Phdr) > m->file_len) {
        fprintf(stderr, "hostsim: %s is not an x86_64 static executable\n", m->path);
        return -1;
    }
    ph = (const Elf64_Phdr *)(m->file + eh->e_phoff);
    /* the whole window readable/writable while loading */
    if (mprotect((void *)(uintptr_t)m->base, HS_WINDOW, PROT_READ | PROT_WRITE) != 0)
        return -1;
    for (i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD)
            continue;
        if (ph[i].p_vaddr < m->base || ph[i].p_vaddr + ph[i].p_memsz > m->base + HS_WINDOW / 2 ||
            ph[i].p_offset + ph[i].p_filesz > m->file_len) {
            fprintf(stderr, "hostsim: %s: segment outside its window\n", m->path);
            return -1;
        }
        memcpy((void *)(uintptr_t)ph[i].p_vaddr, m->file + ph[i].p_offset, ph[i].p_filesz);
        memset((void *)(uintptr_t)(ph[i].p_vaddr + ph[i].p_filesz), 0,
               ph[i].p_memsz - ph[i].p_filesz);
        if (ph[i].p_vaddr < lo)
            lo = (uint32_t)ph[i].p_vaddr;
        if (ph[i].p_vaddr + ph[i].p_memsz > hi)
            hi = (uint32_t)(ph[i].p_vaddr + ph[i].p_memsz);
        if ((ph[i].p_flags & PF_W) && ph[i].p_vaddr < wlo)
            wlo = (uint32_t)ph[i].p_vaddr;
    }
    if (wlo == 0xFFFFFFFFu)
        wlo = (hi + 4095) & ~4095u;
    m->entry = (uint32_t)eh->e_entry;
    m->ro_end = wlo & ~4095u;
    m->data_start = wlo;
    m->img_end = hi > wlo ? hi : wlo;
    m->heap_base = (m->img_end + 4095) & ~4095u;
    m->stack_lo = m->heap_base + HS_HEAP_SIZE + 4096;
    m->stack_top = m->stack_lo + HS_STACK_SIZE;
    m->pristine = malloc(m->img_end - m->data_start + 1);
    memcpy(m->pristine, (void *)(uintptr_t)m->data_start, m->img_end - m->data_start);
    for (m->pristine_nz = m->img_end - m->data_start;
         m->pristine_nz > 0 && m->pristine[m->pristine_nz - 1] == 0; m->pristine_nz--)
        ;
    /* text/rodata read-only and executable; the guard page inaccessible;
     * everything past the stack inaccessible */
    mprotect((void *)(uintptr_t)m->base, m->ro_end - m->base, PROT_READ | PROT_EXEC);
    mprotect((void *)(uintptr_t)(m->stack_lo - 4096), 4096, PROT_NONE);
    mprotect((void *)(uintptr_t)m->stack_top, m->base + HS_WINDOW - m->stack_top, PROT_NONE);
    m->owner = -1;
    (void)lo;
    return 0;
}

/* See hs.h. Idempotent: modules stay loaded for the life of the process
 * (a reboot only resets instances). */
int hs_loader_init(void)
{
    int k;

    if (hs_nmods)
        return 0;
    if (map_regions() != 0)
        return -1;
    if (!swap_buf && !(swap_buf = calloc(HS_MAX_INST, sizeof *swap_buf)))
        return -1;
    if (!swap_meta && !(swap_meta = calloc(HS_MAX_INST, sizeof *swap_meta)))
        return -1;
    if (!dirty && !(dirty = calloc(1, sizeof *dirty)))
        return -1;
    dirty->full = getenv("HOSTSIM_FULL_RESTORE") && *getenv("HOSTSIM_FULL_RESTORE") == '1';
    for (k = 0; hs_mod_specs[k].name && k < HS_MAX_MODS; k++) {
        struct hs_mod *m = &hs_mods[k];

        snprintf(m->name, sizeof m->name, "%s", hs_mod_specs[k].name);
        m->owner = -1;
        if (!hs_mod_specs[k].path) {
            m->is_puppet = 1;       /* init: the first user puppet */
            continue;
        }
        snprintf(m->path, sizeof m->path, "%s", hs_mod_specs[k].path);
        m->base = hs_mod_specs[k].base;
        if (load_module(m) != 0)
            return -1;
        m->heap_top_va = hs_symbol(k, "__libc_heap_top");
    }
    hs_nmods = k;
    return 0;
}

/* See hs.h. */
int hs_mod_find(const char *name)
{
    int k;

    for (k = 0; k < hs_nmods; k++)
        if (strcmp(hs_mods[k].name, name) == 0)
            return k;
    return -1;
}

/* See hs.h: a free instance of 'kind'; puppets get a zeroed memory slot. */
int hs_inst_alloc(int kind, int mod)
{
    int i, s;

    for (i = 0; i < HS_MAX_INST; i++) {
        if (hs_insts[i].kind != HS_I_FREE)
            continue;
        memset(&hs_insts[i], 0, sizeof hs_insts[i]);
        if (dirty && i >= dirty->inst_hi)
            dirty->inst_hi = i + 1;
        hs_insts[i].kind = kind;
        hs_insts[i].mod = mod;
        hs_insts[i].puppet_slot = -1;
        swap_valid[i] = 0;
        if (kind == HS_I_PUPPET) {
            for (s = 0; s < HS_PUPPET_SLOTS && puppet_used[s]; s++)
                ;
            if (s == HS_PUPPET_SLOTS) {
                hs_insts[i].kind = HS_I_FREE;
                return -1;
            }
            puppet_used[s] = 1;
            hs_insts[i].puppet_slot = s;
            hs_raw_zero((void *)(uintptr_t)(HS_PUPPET_BASE + (uint32_t)s * HS_PUPPET_MEM),
                        HS_PUPPET_MEM);
            dirty_puppet(s, 0, HS_PUPPET_MEM);
        }
        return i;
    }
    return -1;
}

/* See hs.h. A module window owned by i becomes unowned. */
void hs_inst_free(int i)
{
    struct hs_inst *in = &hs_insts[i];

    if (in->kind == HS_I_FREE)
        return;
    if (in->kind == HS_I_PUPPET && in->puppet_slot >= 0)
        puppet_used[in->puppet_slot] = 0;
    if (in->kind == HS_I_MODULE && hs_mods[in->mod].owner == i)
        hs_mods[in->mod].owner = -1;
    swap_valid[i] = 0;
    in->kind = HS_I_FREE;
}

/* Lowest stack address worth saving for module m's owner: its saved rsp
 * less 256 bytes (more than the ABI's 128-byte red zone; below is dead
 * stack, which hs_mem_restore does not bring back either), the whole
 * stack if rsp is not in it, none if the owner has no live context (new:
 * ctx_new builds it; dead: it never runs again). */
static uint32_t stack_from(const struct hs_mod *m)
{
    uint64_t sp;

    if (m->owner < 0 || hs_insts[m->owner].cstate != HS_C_LIVE)
        return m->stack_top;
    sp = hs_insts[m->owner].rsp;
    if (sp < m->stack_lo + 256 || sp > m->stack_top)
        return m->stack_lo;
    return (uint32_t)sp - 256;
}

/* Saves the window of module m into its owner's swap buffer.
 * Optimisation: only the part the owner may use, as hs_mem_restore does:
 * .data/.bss, the heap up to heap_used (the rest of the window's heap is
 * zero: see struct dirty) and the stack from stack_from. A restart
 * exec's the new instance while the crashed one is kept for the state
 * transfer, so every service crash swapped out the whole window (heap and
 * stack, 128 KB of mostly zeroes) and copying it was ~4% of the system
 * harness's time. The buffer's heap beyond what is saved is zeroed
 * (struct swap_meta), so a kernel read of it through hs_uptr sees what
 * the window held; swap_in brings back exactly the saved parts. */
static void swap_out(struct hs_mod *m)
{
    int o = m->owner;
    unsigned char *w = (unsigned char *)(uintptr_t)m->data_start, *b;
    struct swap_meta *sm;
    uint32_t n, sf, hoff = m->heap_base - m->data_start;

    if (o < 0)
        return;
    if (!swap_buf[o])
        swap_buf[o] = calloc(1, max_wsize());
    b = swap_buf[o];
    sm = &swap_meta[o];
    n = heap_used((int)(m - hs_mods));
    sf = stack_from(m);
    hs_raw_copy(b, w, hoff + n);
    if (sm->heap_n > n)
        memset(b + hoff + n, 0, sm->heap_n - n);
    sm->heap_n = n;
    hs_raw_copy(b + (sf - m->data_start), w + (sf - m->data_start), m->stack_top - sf);
    sm->sf = sf;
    swap_valid[o] = 1;
    m->owner = -1;
}

/* Brings instance i's swapped-out memory (valid swap buffer) into the
 * window of its module m, which no instance owns now: .data/.bss, the
 * heap as far as either the buffer or the window uses it (the buffer is
 * zero beyond its heap_n, the window beyond heap_used: the window's heap
 * ends up equal to the buffer's) and the saved part of the stack. */
static void swap_in(struct hs_mod *m, int i)
{
    const struct swap_meta *sm = &swap_meta[i];
    unsigned char *w = (unsigned char *)(uintptr_t)m->data_start;
    uint32_t n = heap_used((int)(m - hs_mods)), off = sm->sf - m->data_start;

    if (sm->heap_n > n)
        n = sm->heap_n;
    hs_raw_copy(w, swap_buf[i], m->heap_base - m->data_start + n);
    hs_raw_copy(w + off, swap_buf[i] + off, m->stack_top - sm->sf);
}

/* A write through hs_uptr of [v, v + len) into the swap buffer of
 * non-resident instance i of module m: swap_in must bring it back. */
static void swap_note(const struct hs_mod *m, int i, uint32_t v, size_t len)
{
    struct swap_meta *sm = &swap_meta[i];

    if (v >= m->stack_lo) {
        if (v < sm->sf)
            sm->sf = v;
    } else if (v + len > m->heap_base && v + len - m->heap_base > sm->heap_n) {
        sm->heap_n = (uint32_t)(v + len - m->heap_base);
    }
}

/* See hs.h. */
void hs_make_resident(int i)
{
    struct hs_inst *in = &hs_insts[i];
    struct hs_mod *m;

    if (in->kind != HS_I_MODULE)
        return;
    m = &hs_mods[in->mod];
    dirty_win(in->mod);                 /* it is about to run or be written */
    if (m->owner == i)
        return;
    swap_out(m);
    if (swap_valid[i])
        swap_in(m, i);
    swap_valid[i] = 0;
    m->owner = i;
}

/* See hs.h: instance i becomes a fresh image of module mod (or a puppet
 * for the "init" pseudo-module); its coroutine starts at the entry on the
 * next run. Returns 0 or -1. */
int hs_inst_exec(int i, int mod, const char *args, size_t args_len)
{
    struct hs_inst *in = &hs_insts[i];
    struct hs_mod *m = &hs_mods[mod];

    if (args_len > sizeof in->args)
        args_len = sizeof in->args;
    memcpy(in->args, args, args_len);
    in->args_len = (uint32_t)args_len;
    if (m->is_puppet) {
        if (in->kind == HS_I_MODULE && hs_mods[in->mod].owner == i)
            hs_mods[in->mod].owner = -1;
        if (in->kind != HS_I_PUPPET) {
            int s;

            for (s = 0; s < HS_PUPPET_SLOTS && puppet_used[s]; s++)
                ;
            if (s == HS_PUPPET_SLOTS)
                return -1;
            puppet_used[s] = 1;
            in->puppet_slot = s;
            dirty_puppet(s, 0, HS_PUPPET_MEM);
        }
        in->kind = HS_I_PUPPET;
        in->mod = mod;
        in->cstate = HS_C_NEW;
        return 0;
    }
    if (in->kind == HS_I_PUPPET && in->puppet_slot >= 0)
        puppet_used[in->puppet_slot] = 0;
    if (in->kind == HS_I_MODULE && in->mod != mod && hs_mods[in->mod].owner == i)
        hs_mods[in->mod].owner = -1;
    in->kind = HS_I_MODULE;
    in->mod = mod;
    dirty_win(mod);
    in->puppet_slot = -1;
    in->cstate = HS_C_NEW;
    swap_valid[i] = 0;
    if (m->owner != i)
        swap_out(m);
    m->owner = i;
    {
        /* only the part of the heap the previous occupant may have used
         * is nonzero (heap_used); read before .data is overwritten. The
         * image's zero tail (.bss) is cleared, not copied */
        uint32_t used = heap_used(mod);
        unsigned char *w = (unsigned char *)(uintptr_t)m->data_start;

        hs_raw_copy(w, m->pristine, m->pristine_nz);
        hs_raw_zero(w + m->pristine_nz, m->img_end - m->data_start - m->pristine_nz);
        hs_raw_zero((void *)(uintptr_t)m->heap_base, used);
    }
    return 0;
}

/* Returns nonzero if [v, v+len) lies within [lo, hi). */
static int in_range(uint32_t v, size_t len, uint32_t lo, uint32_t hi)
{
    return v >= lo && v <= hi && len <= (size_t)(hi - v);
}

/* See hs.h. Readable: the image, heap and stack; writable: all but text
 * and rodata. The guard page is never valid. */
void *hs_uptr(int i, uint32_t v, size_t len, int write)
{
    struct hs_inst *in;
    struct hs_mod *m;

    if (i < 0 || i >= HS_MAX_INST || v == 0)
        return NULL;
    in = &hs_insts[i];
    if (in->kind == HS_I_PUPPET) {
        uint32_t host = HS_PUPPET_BASE + (uint32_t)in->puppet_slot * HS_PUPPET_MEM;

        /* all puppets see their memory at HS_PUPPET_VBASE (a forked child
         * at the same addresses as its parent); host memory per slot */
        if (!in_range(v, len, HS_PUPPET_VBASE, HS_PUPPET_VBASE + HS_PUPPET_MEM))
            return NULL;
        if (write)
            dirty_puppet(in->puppet_slot, v - HS_PUPPET_VBASE, len);
        return (void *)(uintptr_t)(host + (v - HS_PUPPET_VBASE));
    }
    if (in->kind != HS_I_MODULE)
        return NULL;
    m = &hs_mods[in->mod];
    if (in_range(v, len, m->data_start, m->heap_base + HS_HEAP_SIZE) ||
        in_range(v, len, m->stack_lo, m->stack_top)) {
        if (write) {
            dirty_win(in->mod);
            if (dirty && v + len > m->heap_base) {
                uint32_t e = (uint32_t)(v + len - m->heap_base);

                if (e > dirty->kheap[in->mod])
                    dirty->kheap[in->mod] = e > HS_HEAP_SIZE ? HS_HEAP_SIZE : e;
            }
        }
        if (m->owner != i && swap_valid[i]) {
            if (write)
                swap_note(m, i, v, len);
            return swap_buf[i] + (v - m->data_start);
        }
        if (m->owner != i)
            hs_make_resident(i);
        return (void *)(uintptr_t)v;
    }
    if (!write && in_range(v, len, m->base, m->ro_end))
        return (void *)(uintptr_t)v;    /* text and rodata are shared */
    return NULL;
}

/* See hs.h: the value of global symbol 'sym' of module mod, or 0. */
uint32_t hs_symbol(int mod, const char *sym)
{
    const struct hs_mod *m = &hs_mods[mod];
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)m->file;
    const Elf64_Shdr *sh;
    int i;

    if (!m->file || eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > m->file_len)
        return 0;
    sh = (const Elf64_Shdr *)(m->file + eh->e_shoff);
    for (i = 0; i < eh->e_shnum; i++) {
        const Elf64_Sym *s;
        const char *str;
        size_t n, j;

        if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
            continue;
        s = (const Elf64_Sym *)(m->file + sh[i].sh_offset);
        n = sh[i].sh_size / sizeof(Elf64_Sym);
        str = (const char *)(m->file + sh[sh[i].sh_link].sh_offset);
        for (j = 0; j < n; j++)
            if (s[j].st_name && strcmp(str + s[j].st_name, sym) == 0)
                return (uint32_t)s[j].st_value;
    }
    return 0;
}

/* See hs.h: pages of memory an instance owns (for SYS_GETINFO). */
uint32_t hs_inst_pages(int i)
{
    const struct hs_inst *in = &hs_insts[i];

    if (in->kind == HS_I_PUPPET)
        return HS_PUPPET_MEM / 4096;
    if (in->kind == HS_I_MODULE) {
        const struct hs_mod *m = &hs_mods[in->mod];

        return (m->stack_top - m->base) / 4096;
    }
    return 0;
}

/* Checkpoint blob layout: the slot tables; the instance table (hs_insts,
 * which hs_self_save leaves out: see hs_mem_exclude); for each module with
 * an image, [data_start, heap end) and the used part of the owner's stack
 * (from its saved rsp, whole stack if unknown); then the valid swap
 * buffers; then the memory of used puppet slots. */
/* The size hs_mem_save needs for the current state. */
size_t hs_mem_save_size(void)
{
    size_t n = sizeof puppet_used + sizeof swap_valid + sizeof hs_insts;
    int k;

    for (k = 0; k < hs_nmods; k++)
        if (!hs_mods[k].is_puppet)
            n += mod_wsize(&hs_mods[k]) + 2 * sizeof(uint32_t);
    for (k = 0; k < HS_MAX_INST; k++)
        if (swap_valid[k])
            n += mod_wsize(&hs_mods[hs_insts[k].mod]);
    for (k = 0; k < HS_PUPPET_SLOTS; k++)
        if (puppet_used[k])
            n += HS_PUPPET_MEM;
    return n;
}

/* See hs.h: the instance table is saved with the memory (hs_mem_save), so
 * that a restore copies only the part in use. */
void hs_mem_exclude(uintptr_t *lo, uintptr_t *hi)
{
    *lo = (uintptr_t)&hs_insts[0];
    *hi = (uintptr_t)&hs_insts[HS_MAX_INST];
}

/* See hs.h: everything counts as changed (a reboot). */
void hs_mem_all_dirty(void)
{
    if (dirty)
        dirty->valid = 0;
}

/* See hs.h. Also records where each part lies in the blob and marks
 * everything clean. */
void hs_mem_save(unsigned char *b)
{
    unsigned char *b0 = b;
    int k, i, s;

    hs_raw_copy(b, puppet_used, sizeof puppet_used);
    b += sizeof puppet_used;
    hs_raw_copy(b, swap_valid, sizeof swap_valid);
    b += sizeof swap_valid;
    dirty->inst_off = (size_t)(b - b0);
    hs_raw_copy(b, hs_insts, sizeof hs_insts);
    b += sizeof hs_insts;
    for (k = 0; k < hs_nmods; k++) {
        const struct hs_mod *m = &hs_mods[k];
        uint32_t sf, hend;

        if (m->is_puppet)
            continue;
        dirty->win_off[k] = (size_t)(b - b0);
        dirty->ck_heap[k] = heap_used(k);
        sf = stack_from(m);
        hend = m->heap_base + HS_HEAP_SIZE;
        hs_raw_copy(b, &sf, sizeof sf);
        b += sizeof sf;
        hs_raw_copy(b, (void *)(uintptr_t)m->data_start, hend - m->data_start);
        free(dirty->zmap[k]);
        dirty->zmap[k] = malloc(hs_zmap_words(hend - m->data_start) * sizeof(uint64_t));
        if (dirty->zmap[k])
            hs_zmap_build(dirty->zmap[k], b, hend - m->data_start);
        b += hend - m->data_start;
        hs_raw_copy(b, (void *)(uintptr_t)sf, m->stack_top - sf);
        b += m->stack_top - sf;
    }
    for (i = 0; i < HS_MAX_INST; i++)
        if (swap_valid[i]) {
            size_t w = mod_wsize(&hs_mods[hs_insts[i].mod]);

            hs_raw_copy(b, swap_buf[i], w);
            b += w;
        }
    for (s = 0; s < HS_PUPPET_SLOTS; s++)
        if (puppet_used[s]) {
            dirty->pup_off[s] = (size_t)(b - b0);
            hs_raw_copy(b, (void *)(uintptr_t)(HS_PUPPET_BASE + (uint32_t)s * HS_PUPPET_MEM),
                   HS_PUPPET_MEM);
            b += HS_PUPPET_MEM;
        }
    dirty->ck_inst_hi = 0;
    for (i = 0; i < HS_MAX_INST; i++)
        if (hs_insts[i].kind != HS_I_FREE)
            dirty->ck_inst_hi = i + 1;
    memset(dirty->win, 0, sizeof dirty->win);
    memset(dirty->plo, 0, sizeof dirty->plo);
    memset(dirty->phi, 0, sizeof dirty->phi);
    memset(dirty->kheap, 0, sizeof dirty->kheap);
    dirty->inst_hi = dirty->ck_inst_hi;
    dirty->valid = 1;
}

/* See hs.h: the inverse of hs_mem_save, for the parts that changed since
 * (everything if the tracking is off or was reset by a reboot). */
void hs_mem_restore(const unsigned char *b)
{
    const unsigned char *b0 = b;
    int k, i, s, all = dirty->full || !dirty->valid;
    size_t ninst;

    hs_raw_copy(puppet_used, b, sizeof puppet_used);
    b += sizeof puppet_used;
    hs_raw_copy(swap_valid, b, sizeof swap_valid);
    b += sizeof swap_valid;
    ninst = all ? HS_MAX_INST : (size_t)dirty->inst_hi;
    hs_raw_copy(hs_insts, b, ninst * sizeof hs_insts[0]);
    b += sizeof hs_insts;
    for (k = 0; k < hs_nmods; k++) {
        const struct hs_mod *m = &hs_mods[k];
        uint32_t sf, hend;

        if (m->is_puppet)
            continue;
        if (!all && !dirty->win[k]) {
            /* skip its record: the size is the same as when it was saved */
            b = b0 + dirty->win_off[k];
            hs_raw_copy(&sf, b, sizeof sf);
            b += sizeof sf + (m->heap_base + HS_HEAP_SIZE - m->data_start) + (m->stack_top - sf);
            continue;
        }
        hs_raw_copy(&sf, b, sizeof sf);
        b += sizeof sf;
        hend = m->heap_base + HS_HEAP_SIZE;
        if (all) {
            hs_raw_copy((void *)(uintptr_t)m->data_start, b, hend - m->data_start);
        } else {
            /* data + bss, then only the used part of the heap (the rest
             * is zero now and was at the checkpoint: heap_used, read
             * before the copy brings the checkpoint's mark back); the
             * checkpoint's zero blocks are only checked (zcopy.c) */
            uint32_t used = heap_used(k);
            unsigned char *w = (unsigned char *)(uintptr_t)m->data_start;

            if (dirty->ck_heap[k] > used)
                used = dirty->ck_heap[k];
            if (dirty->zmap[k])
                hs_zcopy(w, b, m->heap_base + used - m->data_start, dirty->zmap[k]);
            else
                hs_raw_copy(w, b, m->heap_base + used - m->data_start);
        }
        b += hend - m->data_start;
        hs_raw_copy((void *)(uintptr_t)sf, b, m->stack_top - sf);
        b += m->stack_top - sf;
    }
    for (i = 0; i < HS_MAX_INST; i++)
        if (swap_valid[i]) {
            size_t w = mod_wsize(&hs_mods[hs_insts[i].mod]);

            if (!swap_buf[i])
                swap_buf[i] = calloc(1, max_wsize());
            hs_raw_copy(swap_buf[i], b, w);
            swap_meta[i].heap_n = HS_HEAP_SIZE;     /* all of it came back */
            swap_meta[i].sf = hs_mods[hs_insts[i].mod].stack_lo;
            b += w;
        }
    for (s = 0; s < HS_PUPPET_SLOTS; s++)
        if (puppet_used[s]) {
            unsigned char *host = (unsigned char *)(uintptr_t)(HS_PUPPET_BASE +
                                                                (uint32_t)s * HS_PUPPET_MEM);

            if (all)
                hs_raw_copy(host, b, HS_PUPPET_MEM);
            else if (dirty->plo[s] < dirty->phi[s])
                hs_raw_copy(host + dirty->plo[s], b + dirty->plo[s],
                            dirty->phi[s] - dirty->plo[s]);
            b += HS_PUPPET_MEM;
        }
    if (dirty->valid) {
        memset(dirty->win, 0, sizeof dirty->win);
        memset(dirty->plo, 0, sizeof dirty->plo);
        memset(dirty->phi, 0, sizeof dirty->phi);
        memset(dirty->kheap, 0, sizeof dirty->kheap);
        dirty->inst_hi = dirty->ck_inst_hi;
    }
}
