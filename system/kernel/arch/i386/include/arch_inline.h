/*
 * arch_inline.h (i386): the platform's IPC message copies (arch.h), inline
 * so that the core's IPC path needs no call per message. Included by
 * kernel.h after proc.h (they read struct proc's page directory).
 *
 * Why: every IPC round trip makes four message copies and two buffer
 * checks; through the general arch_copy_* entry points each cost a call,
 * a length- and kernel-range-generic check and a second page-table walk
 * for SENDREC's writability check (measured ~45 instructions besides the
 * 17 of the copy itself). Here the length is the constant message size,
 * the kernel side is the caller's own buffer, and one walk answers both
 * questions. Anything the fast path cannot answer (a message across a
 * page boundary, a missing page table) goes to the general functions,
 * which give the exact answer.
 */
#ifndef KERNEL_ARCH_I386_ARCH_INLINE_H
#define KERNEL_ARCH_I386_ARCH_INLINE_H

#include <crucible/types.h>
#include <crucible/config.h>
#include <crucible/errno.h>
#include <crucible/ipc.h>

/* Page-table bits and geometry (as i386.h, which the core does not see). */
#define ARCH_MSG_PTE_P      0x001u
#define ARCH_MSG_PTE_W      0x002u
#define ARCH_MSG_PTE_U      0x004u
#define ARCH_MSG_PTE_ADDR   0xFFFFF000u
#define ARCH_MSG_PAGE_MASK  (PAGE_SIZE - 1)

/* Inlined even where the compiler would rather call: a call per copy is
 * what this header exists to avoid. */
#define ARCH_MSG_INLINE     __attribute__((always_inline))

CRUCIBLE_STATIC_ASSERT(sizeof(message) % 4 == 0, "messages copy by words");

/* The kernel address of the message at user address va of p when the
 * whole message lies in one page mapped with every bit of 'need' (present
 * and user, plus writable for a destination), else NULL: the caller then
 * takes the general path. One page-table walk. */
static inline ARCH_MSG_INLINE uint8_t *arch_msg_addr(const struct proc *p, vir_bytes va, uint32_t need)
{
    uint32_t pde, pte;

    if ((va & ARCH_MSG_PAGE_MASK) > PAGE_SIZE - sizeof(message))
        return NULL;
    if (va - USER_BASE >= USER_STACK_TOP - USER_BASE)   /* unsigned: both ends */
        return NULL;
    if (p->p_arch.pdir == 0)
        return NULL;
    pde = ((const uint32_t *)p->p_arch.pdir)[va >> 22];
    if (!(pde & ARCH_MSG_PTE_P))
        return NULL;
    pte = ((const uint32_t *)(pde & ARCH_MSG_PTE_ADDR))[(va >> 12) & 0x3ff];
    if ((pte & need) != need)
        return NULL;
    return (uint8_t *)((pte & ARCH_MSG_PTE_ADDR) | (va & ARCH_MSG_PAGE_MASK));
}

/* Copies one message (a word per step; the ranges do not overlap). */
static inline ARCH_MSG_INLINE void arch_msg_words(void *d, const void *s)
{
    size_t words = sizeof(message) / 4;

    __asm__ volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
}

/* As arch.h: the message at src in p into the kernel buffer kdst; with
 * 'writable' the message must also be writable (SENDREC's reply buffer). */
static inline ARCH_MSG_INLINE int arch_msg_from_proc(struct proc *p, vir_bytes src, message *kdst, int writable)
{
    const uint8_t *s = arch_msg_addr(p, src, ARCH_MSG_PTE_P | ARCH_MSG_PTE_U |
                                             (writable ? ARCH_MSG_PTE_W : 0));

    if (s != NULL) {
        arch_msg_words(kdst, s);
        return OK;
    }
    if (arch_copy_from_proc(p, src, kdst, sizeof(*kdst)) != OK)
        return EFAULT;
    return writable ? arch_check_user_buf(p, src, sizeof(*kdst)) : OK;
}

/* As arch.h: the kernel message ksrc to dst in p. */
static inline ARCH_MSG_INLINE int arch_msg_to_proc(struct proc *p, vir_bytes dst, const message *ksrc)
{
    uint8_t *d = arch_msg_addr(p, dst, ARCH_MSG_PTE_P | ARCH_MSG_PTE_U | ARCH_MSG_PTE_W);

    if (d != NULL) {
        arch_msg_words(d, ksrc);
        return OK;
    }
    return arch_copy_to_proc(p, dst, ksrc, sizeof(*ksrc));
}

/* As arch.h: OK if a message at addr in p can be read and written. */
static inline ARCH_MSG_INLINE int arch_msg_buf_ok(struct proc *p, vir_bytes addr)
{
    if (arch_msg_addr(p, addr, ARCH_MSG_PTE_P | ARCH_MSG_PTE_U | ARCH_MSG_PTE_W) != NULL)
        return OK;
    return arch_check_user_buf(p, addr, sizeof(message)) == OK ? OK : EFAULT;
}

#endif
