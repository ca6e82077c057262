/*
 * arch_inline.h (host platform): the IPC message copies of arch.h. The
 * host has no page tables to walk, so they are the general copies.
 */
#ifndef KERNEL_ARCH_HOST_ARCH_INLINE_H
#define KERNEL_ARCH_HOST_ARCH_INLINE_H

#include <crucible/types.h>
#include <crucible/errno.h>
#include <crucible/ipc.h>

/* As arch.h: the message at src in p into kdst; with 'writable' the
 * message must also be writable. */
static inline int arch_msg_from_proc(struct proc *p, vir_bytes src, message *kdst, int writable)
{
    if (arch_copy_from_proc(p, src, kdst, sizeof(*kdst)) != OK)
        return EFAULT;
    return writable ? arch_check_user_buf(p, src, sizeof(*kdst)) : OK;
}

/* As arch.h: the kernel message ksrc to dst in p. */
static inline int arch_msg_to_proc(struct proc *p, vir_bytes dst, const message *ksrc)
{
    return arch_copy_to_proc(p, dst, ksrc, sizeof(*ksrc));
}

/* As arch.h: OK if a message at addr in p can be read and written. */
static inline int arch_msg_buf_ok(struct proc *p, vir_bytes addr)
{
    return arch_check_user_buf(p, addr, sizeof(message)) == OK ? OK : EFAULT;
}

#endif
