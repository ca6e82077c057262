/*
 * host.c: the minimal host platform (arch.h) for unit tests of the kernel
 * core. Processes never run; tests call the trap entries as if a process
 * had trapped. User memory is an arena of host memory below 4 GB (see
 * host_platform.h); the console goes to stdout and to a capture buffer;
 * arch_shutdown can be caught with a longjmp.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel.h"
#include "host_platform.h"

#define ARENA_SIZE      (4u << 20)
#define CONSOLE_SIZE    (64u << 10)

static unsigned char *arena;
static size_t arena_used;
static char console_buf[CONSOLE_SIZE];
static size_t console_len;

jmp_buf host_shutdown_jmp;
int host_shutdown_armed;
int host_shutdown_value;

/* Maps the arena on first use (MAP_32BIT: addresses fit in vir_bytes). */
static void arena_init(void)
{
    void *a;

    if (arena)
        return;
    a = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (a == MAP_FAILED || (uintptr_t)a + ARENA_SIZE > 0xFFFFFFFFu) {
        fprintf(stderr, "host: cannot map the user arena below 4 GB\n");
        abort();
    }
    arena = a;
}

/* See host_platform.h. */
void host_reset(void)
{
    arena_init();
    memset(arena, 0, ARENA_SIZE);
    arena_used = 64;            /* keep the first bytes unused */
    console_len = 0;
    console_buf[0] = '\0';
    host_shutdown_armed = 0;
    host_shutdown_value = -1;
}

/* See host_platform.h. */
vir_bytes host_ualloc(size_t n)
{
    vir_bytes v;

    arena_init();
    n = (n + 7) & ~(size_t)7;
    if (arena_used + n > ARENA_SIZE) {
        fprintf(stderr, "host: user arena full\n");
        abort();
    }
    v = (vir_bytes)(uintptr_t)(arena + arena_used);
    memset(arena + arena_used, 0, n);
    arena_used += n;
    return v;
}

/* See host_platform.h. */
void *host_uptr(vir_bytes v)
{
    return (void *)(uintptr_t)v;
}

/* See host_platform.h. */
const char *host_console(void)
{
    return console_buf;
}

/* Returns nonzero if [v, v+len) lies inside the arena (v != 0). */
static int urange_ok(vir_bytes v, size_t len)
{
    uintptr_t a = (uintptr_t)v, lo, hi;

    if (!arena || v == 0)
        return 0;
    lo = (uintptr_t)arena;
    hi = lo + ARENA_SIZE;
    return a >= lo && a <= hi && len <= hi - a;
}

void arch_console_write(const char *s, size_t len)
{
    size_t room = CONSOLE_SIZE - 1 - console_len;
    size_t n = len < room ? len : room;

    fwrite(s, 1, len, stdout);
    fflush(stdout);
    memcpy(console_buf + console_len, s, n);
    console_len += n;
    console_buf[console_len] = '\0';
}

void arch_shutdown(int value)
{
    host_shutdown_value = value;
    if (host_shutdown_armed) {
        host_shutdown_armed = 0;
        longjmp(host_shutdown_jmp, 1);
    }
    fflush(stdout);
    exit(value);
}

/* Host: ENOEXEC for a module of size 0 (the "bad ELF" of tests), else
 * records the module. */
int arch_proc_exec(struct proc *p, int module, const char *args, size_t args_len)
{
    (void)args;
    (void)args_len;
    if (module < 0 || module >= MAX_BOOT_MODULES || boot_modules[module].size == 0)
        return ENOEXEC;
    p->p_arch.module = module;
    p->p_arch.pages = 4;
    return OK;
}

int arch_proc_fork(struct proc *child, struct proc *parent)
{
    child->p_arch = parent->p_arch;
    child->p_arch.result = 0;
    child->p_arch.result_set = 1;
    return OK;
}

void arch_proc_free(struct proc *p)
{
    p->p_arch.pages = 0;
    p->p_arch.module = -1;
}

uint32_t arch_proc_pages(const struct proc *p)
{
    return p->p_arch.pages;
}

int arch_copy(struct proc *src_p, vir_bytes src, struct proc *dst_p, vir_bytes dst, size_t len)
{
    (void)src_p;
    (void)dst_p;
    if (!urange_ok(src, len) || !urange_ok(dst, len))
        return EFAULT;
    memmove(host_uptr(dst), host_uptr(src), len);
    return OK;
}

int arch_copy_from_proc(struct proc *p, vir_bytes src, void *kdst, size_t len)
{
    (void)p;
    if (!urange_ok(src, len))
        return EFAULT;
    memcpy(kdst, host_uptr(src), len);
    return OK;
}

int arch_copy_to_proc(struct proc *p, vir_bytes dst, const void *ksrc, size_t len)
{
    (void)p;
    if (!urange_ok(dst, len))
        return EFAULT;
    memcpy(host_uptr(dst), ksrc, len);
    return OK;
}

/* As arch.h: the host arena has no read-only pages, so a buffer is usable
 * exactly when it lies inside the arena. */
int arch_check_user_buf(struct proc *p, vir_bytes addr, size_t len)
{
    (void)p;
    return urange_ok(addr, len) ? OK : EFAULT;
}

void arch_set_result(struct proc *p, int result)
{
    p->p_arch.result = result;
    p->p_arch.result_set = 1;
}

uint32_t arch_inb(uint32_t port)  { (void)port; return 0xFF; }
void     arch_outb(uint32_t port, uint32_t value) { (void)port; (void)value; }
uint32_t arch_inl(uint32_t port)  { (void)port; return 0xFFFFFFFFu; }
void     arch_outl(uint32_t port, uint32_t value) { (void)port; (void)value; }
void     arch_irq_enable(int irq)  { (void)irq; }
void     arch_irq_disable(int irq) { (void)irq; }
uint32_t arch_read_rtc(void)       { return 1700000000u; }
uint32_t arch_mem_bytes(void)      { return 64u << 20; }
uint32_t arch_free_pages(void)     { return 1000; }
