/*
 * platform.c (host platform simulator): the arch.h functions for the
 * simulator. A process's memory is its instance (loader.c): a module
 * window or puppet memory; every address it passes is checked against it
 * (hs_uptr), so a bad pointer is EFAULT, never a host crash. The console
 * is a capture buffer (and stdout on request); COM1 output of TTY
 * (sys_outb to 0x3f8) goes to the same console. arch_shutdown leaves the
 * kernel by a longjmp to the running hostsim entry point (sched.c).
 */
#include "kernel.h"
#include "hs.h"
#include "hs_kernel.h"

CRUCIBLE_STATIC_ASSERT(sizeof(message) == HS_MSG_BYTES, "hs_msg_copy copies a message");

/* Returns the instance index of p, or -1. */
static int inst_of(const struct proc *p)
{
    return p ? p->p_arch.inst - 1 : -1;
}

/* Host pointer for a user range of p, or NULL. */
static void *uptr(struct proc *p, vir_bytes v, size_t len, int write)
{
    return hs_uptr(inst_of(p), v, len, write);
}

void arch_console_write(const char *s, size_t len)
{
    hs_console_out(s, len);
}

void arch_shutdown(int value)
{
    hs_halt(value);
}

/* Replaces p's image with boot module 'module' (by name a loaded module
 * or the init puppet). ENOEXEC if there is no such image on the host. */
int arch_proc_exec(struct proc *p, int module, const char *args, size_t args_len)
{
    int mod, i = inst_of(p);

    if (module < 0 || module >= MAX_BOOT_MODULES || boot_modules[module].name[0] == '\0')
        return ENOEXEC;
    mod = hs_mod_find(boot_modules[module].name);
    if (mod < 0)
        return ENOEXEC;
    if (i < 0) {
        i = hs_inst_alloc(HS_I_FORKED, mod);
        if (i < 0)
            return ENOMEM;
        p->p_arch.inst = i + 1;
    }
    if (hs_inst_exec(i, mod, args, args_len) != 0)
        return ENOMEM;
    p->p_arch.module = module;
    p->p_arch.pages = hs_inst_pages(i);
    p->p_arch.result_set = 0;
    return OK;
}

/* A child of a puppet is a puppet with a copy of its memory; a child of a
 * coroutine process has no context of its own (HS_I_FORKED: it must be
 * exec'd before it runs, as RS does for a fresh instance; if it runs
 * anyway it takes an invalid-opcode exception). The child's result is 0. */
int arch_proc_fork(struct proc *child, struct proc *parent)
{
    int pi = inst_of(parent), ci;

    if (pi < 0)
        return EINVAL;
    if (hs_insts[pi].kind == HS_I_PUPPET) {
        ci = hs_inst_alloc(HS_I_PUPPET, hs_insts[pi].mod);
        if (ci < 0)
            return ENOMEM;
        hs_puppet_fork_mem(ci, pi);
    } else {
        ci = hs_inst_alloc(HS_I_FORKED, hs_insts[pi].mod);
        if (ci < 0)
            return ENOMEM;
    }
    child->p_arch.inst = ci + 1;
    child->p_arch.module = parent->p_arch.module;
    child->p_arch.pages = hs_inst_pages(ci);
    child->p_arch.result = 0;
    child->p_arch.result_set = 1;
    hs_insts[ci].ret = 0;
    return OK;
}

void arch_proc_free(struct proc *p)
{
    int i = inst_of(p);

    if (i >= 0)
        hs_inst_free(i);
    p->p_arch.inst = 0;
    p->p_arch.pages = 0;
    p->p_arch.module = -1;
}

uint32_t arch_proc_pages(const struct proc *p)
{
    return p->p_arch.pages;
}

/* Copies len bytes from src in src_p to dst in dst_p (EFAULT if either
 * range is not the process's). Optimisation: a host memmove once both
 * host pointers are known to stay valid together, instead of 512-byte
 * chunks through a kernel buffer (each chunk resolved again) copied by
 * kmemcpy, whose every word ASan checks in the fuzz builds: a restart's
 * state transfer (sef_state_xfer: DS's whole store) made this about 5% of
 * the system harness's time. Sound: hs_uptr can move an instance's
 * memory only by making it resident (loader.c), which displaces the
 * window's owner into its swap buffer. After s and d are resolved, src is
 * resident or has a valid swap buffer, so resolving it again moves
 * nothing; if it gives s again, resolving d did not move src's memory
 * either, and d stays valid because nothing ran since. Otherwise (two
 * instances of one module, neither swapped out yet) the chunked copy. */
int arch_copy(struct proc *src_p, vir_bytes src, struct proc *dst_p, vir_bytes dst, size_t len)
{
    unsigned char tmp[512];
    size_t done = 0;
    void *s, *d;

    if (!(s = uptr(src_p, src, len, 0)) || !(d = uptr(dst_p, dst, len, 1)))
        return EFAULT;
    if (uptr(src_p, src, len, 0) == s) {
        __builtin_memmove(d, s, len);
        return OK;
    }
    /* chunked through a kernel buffer: the two ranges are two instances
     * of one module, only one of which can be resident */
    while (done < len) {
        size_t n = len - done < sizeof tmp ? len - done : sizeof tmp;

        kmemcpy(tmp, uptr(src_p, src + (vir_bytes)done, n, 0), n);
        kmemcpy(uptr(dst_p, dst + (vir_bytes)done, n, 1), tmp, n);
        done += n;
    }
    return OK;
}

/* Copies len bytes at src in p into the kernel buffer kdst (EFAULT if the
 * range is not p's). A host copy, not kmemcpy (see arch_copy); a message
 * in line (hs_msg_copy). */
int arch_copy_from_proc(struct proc *p, vir_bytes src, void *kdst, size_t len)
{
    void *s = uptr(p, src, len, 0);

    if (!s)
        return EFAULT;
    if (len == HS_MSG_BYTES)
        hs_msg_copy(kdst, s);
    else
        __builtin_memcpy(kdst, s, len);
    hs_note_copy_from(p, src, kdst, len);
    return OK;
}

/* Copies len bytes of the kernel buffer ksrc to dst in p (EFAULT if the
 * range is not p's). A host copy, not kmemcpy (see arch_copy); a message
 * in line (hs_msg_copy). */
int arch_copy_to_proc(struct proc *p, vir_bytes dst, const void *ksrc, size_t len)
{
    void *d = uptr(p, dst, len, 1);

    if (!d)
        return EFAULT;
    if (len == HS_MSG_BYTES)
        hs_msg_copy(d, ksrc);
    else
        __builtin_memcpy(d, ksrc, len);
    hs_note_copy_to(p, dst, ksrc, len);
    return OK;
}

int arch_check_user_buf(struct proc *p, vir_bytes addr, size_t len)
{
    return len > 0 && uptr(p, addr, len, 1) ? OK : EFAULT;
}

void arch_set_result(struct proc *p, int result)
{
    int i = inst_of(p);

    p->p_arch.result = result;
    p->p_arch.result_set = 1;
    if (i >= 0)
        hs_insts[i].ret = result;
}

/* COM1: the transmitter is always ready; bytes written to the data port
 * go to the console. Other ports read as floating (all ones). */
uint32_t arch_inb(uint32_t port)
{
    if (port == 0x3f8 + 5)
        return 0x60;
    return 0xFF;
}

void arch_outb(uint32_t port, uint32_t value)
{
    char c = (char)value;

    if (port == 0x3f8)
        hs_console_out(&c, 1);
}

uint32_t arch_inl(uint32_t port)  { (void)port; return 0xFFFFFFFFu; }
void     arch_outl(uint32_t port, uint32_t value) { (void)port; (void)value; }
void     arch_irq_enable(int irq)  { (void)irq; }
void     arch_irq_disable(int irq) { (void)irq; }
/* A fixed "real time" so that runs are reproducible. */
uint32_t arch_read_rtc(void)       { return 1700000000u; }
uint32_t arch_mem_bytes(void)      { return 64u << 20; }
uint32_t arch_free_pages(void)     { return 8192; }
