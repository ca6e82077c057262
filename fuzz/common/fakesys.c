/*
 * fakesys.c: the fake libsys of the single-handler harnesses (contract and
 * conventions in fakesys.h). Only what the linked servers call is here; a
 * server that needs more fails to link, which is the signal to add it.
 */
#define _GNU_SOURCE 1  /* dl_iterate_phdr */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakesys.h"

int (*fs_sig_mgr_cb)(endpoint_t target, sigset_t_ sigs);

endpoint_t sef_self_endpoint;
char sef_self_name[PROC_NAME_LEN];

struct fs_user fs_user[FS_MAX_USERS];
int fs_nusers;
struct fz_in *fs_answers;
void *fs_stack_top;
struct fs_out fs_out[FS_MAX_OUT];
int fs_nout;
endpoint_t fs_notified[FS_MAX_OUT];
int fs_nnotified;
unsigned fs_self_unmapped;
int (*fs_sanity_cb)(const char **invariant);

/* The errors an input can make a faked call return (byte b: ERRS[(b-1) % N]). */
static const int ERRS[] = { EFAULT, EDEADSRCDST, EPERM, EINVAL, ENOMEM, ESRCH,
                            ECALLDENIED, ENOTREADY, EAGAIN, EBUSY, ENOSPC, EGENERIC };

int fs_answer(int dflt)
{
    uint8_t b;

    if (fs_answers == NULL || fz_done(fs_answers))
        return dflt;
    b = fz_u8(fs_answers);
    if (b == 0)
        return dflt;
    return ERRS[(b - 1) % (sizeof(ERRS) / sizeof(ERRS[0]))];
}

void fs_take_answers(struct fz_in *in, struct fz_in *ans)
{
    size_t na = fz_u8(in) % 8;

    fz_init(ans, in->p, na < in->n ? na : in->n);
    in->p += ans->n;
    in->n -= ans->n;
    fs_answers = ans;
    fs_clear_out();
}

void fs_clear_out(void)
{
    fs_nout = 0;
    fs_nnotified = 0;
    fs_nkills = 0;
    fs_ncleared = 0;
}

/* ---- address spaces ---- */

extern char __executable_start[], _end[];

/* The host address of [addr, addr+n) in the server itself, or NULL. */
static void *self_range(vir_bytes addr, size_t n)
{
    char here;
    uintptr_t hi, p;

    hi = (uintptr_t)&here & ~(uintptr_t)0xffffffffu;
    p = hi | addr;
    if (p >= (uintptr_t)&here && p + n >= p && p + n <= (uintptr_t)fs_stack_top)
        return (void *)p;
    hi = (uintptr_t)_end & ~(uintptr_t)0xffffffffu;
    p = hi | addr;
    if (p >= (uintptr_t)__executable_start && p + n >= p && p + n <= (uintptr_t)_end)
        return (void *)p;
    fs_self_unmapped++;
    return NULL;
}

/* The host address of [addr, addr+n) in ep's space; *err says why not. */
static void *space_range(endpoint_t ep, vir_bytes addr, size_t n, int *err)
{
    int i;
    void *p;

    if (ep == sef_self_endpoint || ep == SELF) {
        if ((p = self_range(addr, n)) == NULL)
            *err = EFAULT;
        return p;
    }
    if (fs_wide.mem != NULL && ep == fs_wide.ep) {
        if (addr < fs_wide.base || n > fs_wide.len || addr - fs_wide.base > fs_wide.len - n) {
            *err = EFAULT;
            return NULL;
        }
        return fs_wide.mem + (addr - fs_wide.base);
    }
    for (i = 0; i < fs_nusers; i++) {
        if (fs_user[i].ep != ep)
            continue;
        if (addr < fs_user[i].base || n > FS_USER_MEM ||
            addr - fs_user[i].base > FS_USER_MEM - n) {
            *err = EFAULT;
            return NULL;
        }
        return fs_user[i].mem + (addr - fs_user[i].base);
    }
    *err = EDEADSRCDST;
    return NULL;
}

int sys_vircopy(endpoint_t src, vir_bytes src_addr, endpoint_t dst,
                vir_bytes dst_addr, size_t bytes)
{
    void *s, *d;
    int r;

    if ((r = fs_answer(OK)) != OK)
        return r;
    if (bytes == 0)
        return OK;
    if ((s = space_range(src, src_addr, bytes, &r)) == NULL)
        return r;
    if ((d = space_range(dst, dst_addr, bytes, &r)) == NULL)
        return r;
    memmove(d, s, bytes);
    return OK;
}

/* ---- IPC ---- */

static int record(int kind, endpoint_t dst, const message *m)
{
    if (fs_nout < FS_MAX_OUT) {
        fs_out[fs_nout].kind = kind;
        fs_out[fs_nout].dst = dst;
        fs_out[fs_nout].m = *m;
        fs_out[fs_nout].m.m_source = sef_self_endpoint;
    }
    fs_nout++;
    return OK;
}

int sef_reply(endpoint_t dst, message *m, int result)
{
    m->m_type = result;
    record(FS_OUT_REPLY, dst, m);
    return fs_answer(OK);
}

int ipc_send(endpoint_t dst, message *m)
{
    record(FS_OUT_SEND, dst, m);
    return fs_answer(OK);
}

int ipc_sendnb(endpoint_t dst, message *m)
{
    record(FS_OUT_SENDNB, dst, m);
    return fs_answer(OK);
}

int asynsend(endpoint_t dst, const message *m)
{
    record(FS_OUT_ASYNSEND, dst, m);
    return fs_answer(OK);
}

int asynsend_flags(endpoint_t dst, const message *m, uint32_t amf_flags)
{
    (void)amf_flags;
    return asynsend(dst, m);
}

int (*fs_sendrec_cb)(endpoint_t dst, message *m);

int ipc_sendrec(endpoint_t dst, message *m)
{
    int r;

    record(FS_OUT_SENDREC, dst, m);
    if (fs_sendrec_cb != NULL)
        return fs_sendrec_cb(dst, m);
    if ((r = fs_answer(OK)) != OK)
        return r;
    m->m_type = fs_answer(OK);
    return OK;
}

int ipc_notify(endpoint_t dst)
{
    if (fs_nnotified < FS_MAX_OUT)
        fs_notified[fs_nnotified] = dst;
    fs_nnotified++;
    return fs_answer(OK);
}

/* ---- SEF ---- */

static sef_cb_init_t init_fresh;
static jmp_buf boot_jmp;

void sef_setcb_init_fresh(sef_cb_init_t cb) { init_fresh = cb; }
sef_cb_init_t fs_init_restart;
void sef_setcb_init_restart(sef_cb_init_t cb) { fs_init_restart = cb; }
void sef_setcb_init_lu(sef_cb_init_t cb) { (void)cb; }
void sef_setcb_sanity(int (*cb)(const char **invariant)) { fs_sanity_cb = cb; }
void sef_setcb_signal_handler(void (*cb)(int sig)) { (void)cb; }
void sef_setcb_signal_manager(int (*cb)(endpoint_t target, sigset_t_ sigs)) { fs_sig_mgr_cb = cb; }

int sef_state_register(const char *name, void *addr, size_t len)
{
    (void)name; (void)addr; (void)len;
    return OK;
}

int sef_state_register_xfer(const char *name, void *addr, size_t len)
{
    (void)name; (void)addr; (void)len;
    return OK;
}

void sef_startup(void)
{
    sef_init_info_t info;

    memset(&info, 0, sizeof(info));
    info.type = SEF_INIT_FRESH;
    info.old_endpoint = NONE;
    if (init_fresh != NULL && init_fresh(SEF_INIT_FRESH, &info) != OK)
        fz_fail("fakesys", "the server's fresh init failed");
}

int sef_receive(message *m)
{
    (void)m;
    longjmp(boot_jmp, 1);
}

void fs_boot(int (*server_main)(void))
{
    char top;

    fs_stack_top = &top;
    if (setjmp(boot_jmp) == 0) {
        server_main();
        fz_fail("fakesys", "the server's main returned");
    }
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "crucible-fuzz: FAIL server panic: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

/* ---- kernel calls for RS and PM ---- */

clock_t_ fs_ticks;
const char *const *fs_modules;
int fs_forks;
endpoint_t fs_children[8];
int (*fs_receive_cb)(message *m);
endpoint_t fs_ksig_target = NONE;
sigset_t_ fs_ksig_sigs;
uint32_t fs_proc_rts;
int32_t fs_proc_status;
struct proc_info *fs_proctab;
uint32_t fs_proc_priv;
const int *fs_module_slots;
int fs_shutdowns;
struct fs_kill fs_kills[FS_MAX_OUT];
int fs_nkills;
endpoint_t fs_cleared[FS_MAX_OUT];
int fs_ncleared;
struct fs_wide fs_wide;

clock_t_ getticks(void) { return fs_ticks; }

int ipc_receive(endpoint_t src, message *m)
{
    (void)src;
    if (fs_receive_cb == NULL)
        fz_fail("fakesys", "ipc_receive with no answer");
    return fs_receive_cb(m);
}

int sys_getkinfo(struct kinfo *ki)
{
    memset(ki, 0, sizeof(*ki));
    ki->hz = HZ;
    return fs_answer(OK);
}

int sys_getmodules(struct module_info mods[MAX_BOOT_MODULES])
{
    int i;

    memset(mods, 0, sizeof(struct module_info) * MAX_BOOT_MODULES);
    for (i = 0; fs_modules != NULL && fs_modules[i] != NULL && i < MAX_BOOT_MODULES; i++) {
        strncpy(mods[i].name, fs_modules[i], sizeof(mods[i].name) - 1);
        if (fs_module_slots != NULL)
            mods[i].boot_slot = fs_module_slots[i];
    }
    return fs_answer(OK);
}

endpoint_t fs_child_ep(int n)
{
    /* Slots 20..23 (system-process slots RS's table does not use), a new
     * generation every lap. */
    return ENDPOINT(1 + n / 4, 20 + n % 4);
}

int sys_fork(endpoint_t parent, uint32_t flags, const char *name, endpoint_t *child)
{
    int r;

    (void)parent; (void)flags; (void)name;
    if ((r = fs_answer(OK)) != OK)
        return r;
    *child = fs_child_ep(fs_forks);
    fs_children[fs_forks % 8] = *child;
    fs_forks++;
    return OK;
}

int sys_exec(endpoint_t target, int module, endpoint_t args_ep, vir_bytes args, size_t args_len)
{
    (void)target; (void)module; (void)args_ep; (void)args; (void)args_len;
    return fs_answer(OK);
}

int sys_privctl(endpoint_t target, int request, const struct priv_spec *spec)
{
    (void)target; (void)request; (void)spec;
    return fs_answer(OK);
}

int sys_schedule(endpoint_t target, int parent, int priority, int quantum)
{
    (void)target; (void)parent; (void)priority; (void)quantum;
    return fs_answer(OK);
}

/* The kernel table index (slot + NR_TASKS) an endpoint names, computed
 * as the kernel's isokendpt does, in unsigned arithmetic (ENDPOINT_SLOT
 * overflows near INT32_MAX: found by fuzz/rs, regressions/rs/
 * getproc_endpoint_int_max); -1 when it names no slot. */
static int ktab_index(endpoint_t ep)
{
    uint32_t idx = ((uint32_t)ep + NR_TASKS) % ENDPOINT_GEN_SIZE;

    return idx < NR_ALL_SLOTS ? (int)idx : -1;
}

int sys_clear(endpoint_t target)
{
    int r = fs_answer(OK), s = ktab_index(target);

    if (r == OK && fs_ncleared++ < FS_MAX_OUT)
        fs_cleared[fs_ncleared - 1] = target;
    if (r == OK && fs_proctab != NULL && s >= 0 && fs_proctab[s].endpoint == target)
        fs_proctab[s].rts_flags = RTS_SLOT_FREE;
    return r;
}

int sys_kill(endpoint_t target, int sig)
{
    int r = fs_answer(OK);

    if (r == OK && fs_nkills++ < FS_MAX_OUT) {
        fs_kills[fs_nkills - 1].ep = target;
        fs_kills[fs_nkills - 1].sig = sig;
    }
    return r;
}
int sys_endksig(endpoint_t target) { (void)target; return fs_answer(OK); }
int sys_update(endpoint_t src, endpoint_t dst, int flags)
{
    (void)src; (void)dst; (void)flags;
    return fs_answer(OK);
}
int sys_setalarm(clock_t_ exp_time, int abs_time)
{
    (void)exp_time; (void)abs_time;
    return fs_answer(OK);
}
int sys_diagctl(int code, const void *buf, size_t len)
{
    (void)code; (void)buf; (void)len;
    return fs_answer(OK);
}

int sys_getksig(endpoint_t *target, sigset_t_ *sigs)
{
    int r;

    if ((r = fs_answer(OK)) != OK)
        return r;
    *target = fs_ksig_target;
    *sigs = fs_ksig_sigs;
    fs_ksig_target = NONE;      /* one pending at a time */
    return OK;
}

int sys_getproc(endpoint_t ep, struct proc_info *pi)
{
    int r, s = ktab_index(ep);

    memset(pi, 0, sizeof(*pi));
    if (s < 0)
        return EDEADSRCDST;     /* as the kernel answers */
    if ((r = fs_answer(OK)) != OK)
        return r;
    pi->endpoint = ep;
    pi->slot = s - NR_TASKS;
    pi->rts_flags = fs_proc_rts;
    pi->priv_flags = fs_proc_priv;
    pi->exit_status = fs_proc_status;
    return OK;
}

int sys_gethz(uint32_t *hz)
{
    int r;

    if ((r = fs_answer(OK)) == OK)
        *hz = HZ;
    return r;
}

int sys_getinfo(int request, void *buf, size_t len, endpoint_t ep, int index)
{
    int r;

    (void)ep; (void)index;
    if ((r = fs_answer(OK)) != OK)
        return r;
    if (request != GET_PROCTAB || fs_proctab == NULL ||
        len != sizeof(struct proc_info) * NR_ALL_SLOTS)
        return EINVAL;
    memcpy(buf, fs_proctab, len);
    return OK;
}

int sys_times(endpoint_t target, clock_t_ *user, clock_t_ *sys, clock_t_ *ticks,
              uint32_t *realtime_ticks, uint32_t *boottime)
{
    int r;

    (void)target;
    if ((r = fs_answer(OK)) != OK)
        return r;
    if (user)
        *user = 0;
    if (sys)
        *sys = 0;
    if (ticks)
        *ticks = fs_ticks;
    if (realtime_ticks)
        *realtime_ticks = (uint32_t)fs_ticks;
    if (boottime)
        *boottime = FS_BOOTTIME;
    return OK;
}

int sys_shutdown(int status)
{
    int r = fs_answer(OK);

    (void)status;
    if (r == OK)
        fs_shutdowns++;
    return r;
}

int kernel_call(int type, message *m)
{
    int r;

    if ((r = fs_answer(OK)) != OK)
        return r;
    if (type == SYS_DIAGCTL && m->m_sys_diagctl.code == DIAG_CTL_GET) {
        m->m_i32.i[4] = CTL_REQ_NONE;   /* no control request queued */
        return OK;
    }
    return OK;
}

int ds_publish_label(const char *label, endpoint_t ep, int flags)
{
    (void)label; (void)ep; (void)flags;
    return fs_answer(OK);
}

/* ---- whole-server snapshot (see fakesys.h) ---- */

#include <elf.h>
#include <link.h>

struct fs_range { char *p; size_t n; unsigned char *save; };
static struct fs_range *snap;
static size_t nsnap, snap_bytes;

/* The executable (the first object) and its RELRO range: read-only once
 * relocated (.data.rel.ro: SHF_WRITE, but constant tables). */
static uintptr_t relro_lo, relro_hi;

static int main_bias(struct dl_phdr_info *info, size_t size, void *data)
{
    int i;

    (void)size;
    *(uintptr_t *)data = info->dlpi_addr;
    for (i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO) {
            relro_lo = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
            relro_hi = relro_lo + info->dlpi_phdr[i].p_memsz;
        }
    }
    return 1;
}

/*
 * String tests for the symbol-table walk below, as plain loops: it
 * compares thousands of names once, at the boot, and through the C
 * library's strcmp/strncmp/strstr the engines' interceptors would see
 * every comparison and keep the words ("sancov", "rs_", ".c") in the
 * mutator's dictionary, which then spends executions inserting them into
 * inputs.
 */
static int starts_with(const char *s, const char *p)
{
    for (; *p != '\0'; s++, p++)
        if (*s != *p)
            return 0;
    return 1;
}

static int same_string(const char *a, const char *b)
{
    for (; *a != '\0' && *a == *b; a++, b++)
        ;
    return *a == *b;
}

static int contains(const char *s, const char *w)
{
    for (; *s != '\0'; s++)
        if (starts_with(s, w))
            return 1;
    return *w == '\0';
}

static int has_prefix(const char *s, const char *const *pfx)
{
    for (; pfx != NULL && *pfx != NULL; pfx++)
        if (starts_with(s, *pfx))
            return 1;
    return 0;
}

static int is_listed(const char *s, const char *const *names)
{
    for (; names != NULL && *names != NULL; names++)
        if (same_string(s, *names))
            return 1;
    return 0;
}

/*
 * Copies n bytes without ASan's or UBSan's checks (the ranges hold redzones) and
 * without becoming a call to memcpy (which ASan intercepts and checks):
 * words through a may_alias, unaligned type, which the compiler
 * vectorises. It runs for every input (fs_restore), so it must be fast.
 */
typedef uint64_t fs_word __attribute__((aligned(1), may_alias));
#if defined(__clang__)
#define FS_NO_MEMCPY __attribute__((no_builtin("memcpy")))
#else
#define FS_NO_MEMCPY __attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif

__attribute__((no_sanitize("address", "undefined"))) FS_NO_MEMCPY
static void raw_copy(unsigned char *d, const unsigned char *s, size_t n)
{
    size_t i;

    for (i = 0; i + sizeof(fs_word) <= n; i += sizeof(fs_word))
        *(fs_word *)(d + i) = *(const fs_word *)(s + i);
    for (; i < n; i++)
        d[i] = s[i];
}

void fs_snapshot(const char *const *prefixes, const char *const *harness_files)
{
    static const char *const fake_files[] = { "fakesys.c", "fuzz_common.c",
                                              "replay_main.c", "crtstuff.c", NULL };
    FILE *f = fopen("/proc/self/exe", "rb");
    Elf64_Ehdr eh;
    Elf64_Shdr *sh = NULL;
    Elf64_Sym *sym = NULL;
    char *str = NULL;
    uintptr_t bias = 0;
    size_t i, nsym = 0, strsz = 0;
    int server_file = 0, ok = 0;

    dl_iterate_phdr(main_bias, &bias);
    if (f == NULL || fread(&eh, sizeof(eh), 1, f) != 1 || eh.e_shentsize != sizeof(Elf64_Shdr))
        goto out;
    sh = calloc(eh.e_shnum, sizeof(*sh));
    if (sh == NULL || fseek(f, (long)eh.e_shoff, SEEK_SET) != 0 ||
        fread(sh, sizeof(*sh), eh.e_shnum, f) != eh.e_shnum)
        goto out;
    for (i = 0; i < eh.e_shnum; i++) {
        if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh.e_shnum)
            continue;
        nsym = sh[i].sh_size / sizeof(Elf64_Sym);
        sym = malloc(sh[i].sh_size);
        str = malloc(sh[sh[i].sh_link].sh_size + 1);
        if (sym == NULL || str == NULL ||
            fseek(f, (long)sh[i].sh_offset, SEEK_SET) != 0 ||
            fread(sym, sizeof(*sym), nsym, f) != nsym ||
            fseek(f, (long)sh[sh[i].sh_link].sh_offset, SEEK_SET) != 0 ||
            fread(str, 1, sh[sh[i].sh_link].sh_size, f) != sh[sh[i].sh_link].sh_size)
            goto out;
        strsz = sh[sh[i].sh_link].sh_size;
        str[strsz] = '\0';
        break;
    }
    if (sym == NULL)
        goto out;
    snap = calloc(nsym, sizeof(*snap));
    for (i = 0; snap != NULL && i < nsym; i++) {
        const Elf64_Sym *s = &sym[i];
        const char *name = s->st_name < strsz ? str + s->st_name : "";
        int type = ELF64_ST_TYPE(s->st_info), bind = ELF64_ST_BIND(s->st_info);
        size_t len = strlen(name);

        if (type == STT_FILE) {
            const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
            len = strlen(base);
            server_file = len > 2 && same_string(base + len - 2, ".c") &&
                          !is_listed(base, fake_files) && !is_listed(base, harness_files);
            continue;
        }
        if (type != STT_OBJECT || s->st_size == 0 || s->st_shndx == SHN_UNDEF ||
            s->st_shndx >= eh.e_shnum || !(sh[s->st_shndx].sh_flags & SHF_WRITE))
            continue;
        if (bind == STB_LOCAL ? !server_file : !has_prefix(name, prefixes))
            continue;
        if (starts_with(name, "__") || contains(name, "sancov"))
            continue;           /* instrumentation's own objects */
        if (bias + s->st_value < relro_hi && bias + s->st_value + s->st_size > relro_lo)
            continue;           /* constant after relocation */
        snap[nsnap].p = (char *)(bias + s->st_value);
        snap[nsnap].n = s->st_size;
        snap[nsnap].save = malloc(s->st_size);
        raw_copy(snap[nsnap].save, (unsigned char *)snap[nsnap].p, s->st_size);
        snap_bytes += s->st_size;
        if (getenv("CRUCIBLE_FUZZ_SNAPDUMP") != NULL)  /* which objects are reset */
            fprintf(stderr, "snapshot: %s %zu\n", name, (size_t)s->st_size);
        nsnap++;
    }
    ok = snap != NULL;
out:
    if (f != NULL)
        fclose(f);
    free(sh);
    free(sym);
    free(str);
    if (!ok)
        fz_fail("fakesys", "cannot read the executable's symbol table");
}

void fs_restore(void)
{
    size_t i;

    for (i = 0; i < nsnap; i++)
        raw_copy((unsigned char *)snap[i].p, snap[i].save, snap[i].n);
}

size_t fs_snapshot_bytes(void) { return snap_bytes; }

/*
 * The server's console output (its printf: a message to TTY in the
 * guest): shown on stderr on a traced replay (fz_trace, replay -v), dropped
 * otherwise. Servers print on their error paths, which the fuzzers take
 * thousands of times a second; formatting and a write(2) each time cost
 * more than the handler. (Defined here, it takes the place of the C
 * library's printf, and of the sanitizers' interceptor, which is weak.)
 */
int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!fz_trace)
        return 0;
    va_start(ap, fmt);
    n = vfprintf(stderr, fmt, ap);
    va_end(ap);
    return n;
}

/* What the compilers make of printf("text\n") and printf("c"): the same
 * console output, so the same rule (else it went to stdout, and the
 * harnesses had to silence stdout themselves). */
int puts(const char *s)
{
    return fz_trace ? fprintf(stderr, "%s\n", s) : 0;
}

int putchar(int c)
{
    return fz_trace ? fputc(c, stderr) : c;
}

/* libsys's strlcpy (the host's libc may lack it). */
__attribute__((weak)) size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);

    if (size > 0) {
        size_t k = n < size - 1 ? n : size - 1;
        memcpy(dst, src, k);
        dst[k] = '\0';
    }
    return n;
}
