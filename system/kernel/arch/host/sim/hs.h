/*
 * hs.h (host platform simulator, internal): what the files of sim/ share.
 * Plain C types only, so that files including the host's <signal.h> or
 * <elf.h> (which clash with crucible's errno/signal names) and files
 * including the kernel's headers can both use it.
 *
 *   loader.c    module images, their windows below 4 GB, instances
 *   platform.c  the arch.h functions of this platform
 *   sched.c     scheduler, traps, boot, checkpoint, the running API
 *   ticks.c     simulated time (tick schedule, idle jumps)
 *   puppet.c    puppets and their API
 *   trace.c     message trace, console and sanity lines
 *               (these four share hs_sched.h, in kernel types)
 *   sig.c       CPU exceptions (signals) and the library's own state
 *               snapshot (dl_iterate_phdr)
 */
#ifndef HOSTSIM_HS_H
#define HOSTSIM_HS_H

#include <stdint.h>
#include <stddef.h>
#include <setjmp.h>

#define HS_MAX_MODS     16
#define HS_MAX_INST     128                 /* instances (coroutines, puppets) */
#define HS_WINDOW_BASE  0x40000000u         /* module k: base + k * HS_WINDOW */
#define HS_WINDOW       0x01000000u
#define HS_HEAP_SIZE    (64u * 1024)        /* malloc region of a module */
#define HS_STACK_SIZE   (64u * 1024)        /* coroutine stack */
#define HS_PUPPET_BASE  0x30000000u         /* puppet memory: slot * HS_PUPPET_MEM */
#define HS_PUPPET_MEM   (64u * 1024)
#define HS_PUPPET_VBASE 0x2F000000u         /* where every puppet sees its memory */
#define HS_PUPPET_SLOTS 128

/* A module image (one server or driver built for the host). What every
 * trap reads (hs_uptr: the layout, the owner) comes first, in one cache
 * line; the path last. */
struct hs_mod {
    uint32_t  base;             /* window start */
    uint32_t  entry;
    uint32_t  ro_end;           /* [base, ro_end) text + rodata */
    uint32_t  data_start;       /* [data_start, img_end) .data + .bss */
    uint32_t  img_end;
    uint32_t  heap_base;        /* [heap_base, heap_base + HS_HEAP_SIZE) */
    uint32_t  stack_lo;         /* [stack_lo, stack_top): coroutine stack */
    uint32_t  stack_top;
    uint32_t  heap_top_va;      /* address of the image's __libc_heap_top
                                   (lib/c/malloc.c), 0 if it has no malloc */
    unsigned char *pristine;    /* .data + .bss as loaded (img_end - data_start) */
    int       owner;            /* instance whose memory is in the window, -1 */
    int       is_puppet;        /* "init": no image, a puppet */
    uint32_t  pristine_nz;      /* pristine[pristine_nz..] is all zero (.bss) */
    unsigned char *file;        /* the ELF file (for symbols) */
    size_t    file_len;
    char      name[16];
    char      path[256];
};

enum { HS_I_FREE = 0, HS_I_MODULE, HS_I_PUPPET, HS_I_FORKED };
enum { HS_C_NEW = 0, HS_C_LIVE, HS_C_DEAD };

/* An instance: the memory and coroutine of one process (p_arch.inst). */
struct hs_inst {
    int       kind;             /* HS_I_* */
    int       mod;              /* module index (HS_I_MODULE) */
    int       cstate;           /* HS_C_* coroutine state */
    uint64_t  rsp;              /* saved context */
    int       puppet_slot;      /* puppet memory slot (HS_I_PUPPET) */
    /* the trap in progress (coroutine -> kernel) */
    int       trap_kind, trap_prim, trap_ep;
    uint32_t  trap_msg, trap_count;
    int       ret;              /* the result handed back on resume */
    /* console line assembly (sanity FAIL detection) */
    char      line[200];
    uint32_t  line_len;
    char      args[128];        /* exec arguments, NUL-separated */
    uint32_t  args_len;
};

extern struct hs_mod hs_mods[HS_MAX_MODS];
extern int hs_nmods;
extern struct hs_inst hs_insts[HS_MAX_INST];

/* Copies n bytes with no sanitizer in the way: checkpoints copy whole
 * writable segments and coroutine stacks, which hold the redzones an
 * AddressSanitizer build of this library puts around its globals and
 * frames (the fuzz builds); ASan's memcpy would report those. */
static inline void hs_raw_copy(void *dst, const void *src, size_t n)
{
    __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

/* Zeroes n bytes at d, as hs_raw_copy copies them (no sanitizer in the
 * way; also no libc call: process memory holds no redzones, and ASan's
 * memset checks a 64 KB range's shadow before clearing it). */
static inline void hs_raw_zero(void *d, size_t n)
{
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(0) : "memory");
}

/* Copies the 64 bytes of a message from s to d (any alignment).
 * Optimisation: when both are word aligned (the usual case), eight word
 * copies in line instead of memcpy. In the fuzz builds the kernel copies
 * every message and kernel-call reply through memcpy, whose
 * AddressSanitizer interceptor (a call and a range check on each side)
 * cost more than the copy, about 5% of the system harness's time. The
 * word accesses are checked in line instead, as every access of
 * instrumented code is: the same checks, no call. */
#define HS_MSG_BYTES 64
static inline void hs_msg_copy(void *d, const void *s)
{
    typedef uint64_t __attribute__((may_alias)) w64;

    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
        w64 *dw = d;
        const w64 *sw = s;
        w64 a0 = sw[0], a1 = sw[1], a2 = sw[2], a3 = sw[3];
        w64 a4 = sw[4], a5 = sw[5], a6 = sw[6], a7 = sw[7];

        dw[0] = a0; dw[1] = a1; dw[2] = a2; dw[3] = a3;
        dw[4] = a4; dw[5] = a5; dw[6] = a6; dw[7] = a7;
    } else {
        __builtin_memcpy(d, s, HS_MSG_BYTES);
    }
}

/* loader.c */
int   hs_loader_init(void);                     /* load every module; 0 or -1 */
int   hs_mod_find(const char *name);            /* index or -1 */
int   hs_inst_alloc(int kind, int mod);         /* index or -1 */
void  hs_inst_free(int i);
int   hs_inst_exec(int i, int mod, const char *args, size_t args_len);
void  hs_make_resident(int i);                  /* bring i's memory into its window */
/* Host pointer for [v, v+len) in instance i's memory (write: must be
 * writable), or NULL. */
void *hs_uptr(int i, uint32_t v, size_t len, int write);
uint32_t hs_symbol(int mod, const char *sym);
uint32_t hs_inst_pages(int i);
/* Checkpoint support: size of the blob, save into / restore from it.
 * hs_mem_restore copies back only what changed since hs_mem_save (the
 * dirty tracking of loader.c), so every write to process memory from
 * outside hs_uptr must be reported: hs_puppet_note(i, off, len) for bytes
 * [off, off + len) of puppet instance i's memory. hs_mem_exclude gives
 * the range of our own globals that hs_mem_save covers (hs_self_save must
 * leave it out); hs_mem_all_dirty forgets the tracking (a reboot). */
size_t hs_mem_save_size(void);
void  hs_mem_save(unsigned char *blob);
void  hs_mem_restore(const unsigned char *blob);
void  hs_puppet_note(int i, size_t off, size_t len);
void  hs_mem_exclude(uintptr_t *lo, uintptr_t *hi);
void  hs_mem_all_dirty(void);

/* zcopy.c: restores from a checkpoint copy that is mostly zero. A map
 * (hs_zmap_words(len) words) says which 64-byte blocks of the copy ck
 * are all zero; hs_zcopy makes dst[0, len) equal to ck[0, len) (len may
 * be less than the length the map was built for) copying only the other
 * blocks and clearing a zero block of dst only if it is not zero. */
size_t hs_zmap_words(size_t len);
void  hs_zmap_build(uint64_t *map, const unsigned char *ck, size_t len);
void  hs_zcopy(unsigned char *dst, const unsigned char *ck, size_t len, const uint64_t *map);

/* sig.c */
void  hs_sig_init(void);                        /* sigaltstack + handlers */
extern volatile int hs_in_proc;                 /* a coroutine is running */
extern uint64_t hs_fault_rsp;                   /* scheduler's rsp saved by hs_ctx_switch */
void  hs_ctx_resume(void);                       /* ctx_x86_64.S: see on_fault (sig.c) */
extern volatile int hs_fault_sig;               /* host signal number */
extern volatile uint64_t hs_fault_addr, hs_fault_pc;
int   hs_fault_vector(void);                    /* x86 vector for hs_fault_sig */
size_t hs_self_size(void);                      /* our writable segments */
/* Leaves [lo, hi) of our writable segments out of the self snapshot (not
 * system state, or saved elsewhere). Only before the first hs_self_size. */
void  hs_self_exclude(uintptr_t lo, uintptr_t hi);
void  hs_self_save(unsigned char *blob);
void  hs_self_restore(const unsigned char *blob);

/* ctx_x86_64.S */
void  hs_ctx_switch(uint64_t *save_rsp, uint64_t new_rsp);
void  hs_ctx_start(void);

/* sched.c */
int   hs_trap(int kind, int primitive, int32_t ep, uint32_t msg, uint32_t count);
void  hs_console_out(const char *s, size_t len);

/* modules.c (generated by CMake) */
struct hs_mod_spec { const char *name; const char *path; uint32_t base; };
extern const struct hs_mod_spec hs_mod_specs[];

#endif
