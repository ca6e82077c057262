/*
 * fakesys.c: the fake libsys of the single-handler harnesses (contract and
 * conventions in fakesys.h). Only what the linked servers call is here; a
 * server that needs more fails to link, which is the signal to add it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakesys.h"

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

void fs_clear_out(void)
{
    fs_nout = 0;
    fs_nnotified = 0;
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
void sef_setcb_init_restart(sef_cb_init_t cb) { (void)cb; }
void sef_setcb_init_lu(sef_cb_init_t cb) { (void)cb; }
void sef_setcb_sanity(int (*cb)(const char **invariant)) { fs_sanity_cb = cb; }
void sef_setcb_signal_handler(void (*cb)(int sig)) { (void)cb; }
void sef_setcb_signal_manager(int (*cb)(endpoint_t target, sigset_t_ sigs)) { (void)cb; }

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
