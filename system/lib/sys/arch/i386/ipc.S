/*
 * lib/sys arch/i386/ipc.S: the IPC and kernel-call traps (docs/os.md).
 *   int $0x30: eax = primitive, ebx = endpoint, ecx = message (or SENDA
 *              table), edx = SENDA count; result in eax.
 *   int $0x31: ecx = message (m_type = the call); result in eax, and the
 *              reply written over the message.
 * cdecl; ebx, esi, edi and ebp are preserved (ebx is saved around traps).
 */
#define IPC_SEND        1
#define IPC_RECEIVE     2
#define IPC_SENDREC     3
#define IPC_NOTIFY      4
#define IPC_SENDNB      5
#define IPC_SENDA       6

    .text

/* IPC_TRAP(name, primitive): int name(endpoint_t ep, message *m) */
#define IPC_TRAP(name, prim)            \
    .globl name;                        \
    .type name, @function;              \
name:                                   \
    pushl   %ebx;                       \
    movl    $prim, %eax;                \
    movl    8(%esp), %ebx;              \
    movl    12(%esp), %ecx;             \
    xorl    %edx, %edx;                 \
    int     $0x30;                      \
    popl    %ebx;                       \
    ret;                                \
    .size name, . - name

/* int ipc_send(endpoint_t dst, message *m): block until dst takes m. */
IPC_TRAP(ipc_send, IPC_SEND)
/* int ipc_receive(endpoint_t src, message *m): block for a message from
 * src (or ANY); the kernel fills m. */
IPC_TRAP(ipc_receive, IPC_RECEIVE)
/* int ipc_sendrec(endpoint_t ep, message *m): send m, then receive the
 * reply from ep into m. */
IPC_TRAP(ipc_sendrec, IPC_SENDREC)
/* int ipc_sendnb(endpoint_t dst, message *m): send if dst is receiving,
 * else ENOTREADY. */
IPC_TRAP(ipc_sendnb, IPC_SENDNB)

/* int ipc_notify(endpoint_t dst): post a notification (never blocks). */
    .globl ipc_notify
    .type ipc_notify, @function
ipc_notify:
    pushl   %ebx
    movl    $IPC_NOTIFY, %eax
    movl    8(%esp), %ebx
    xorl    %ecx, %ecx
    xorl    %edx, %edx
    int     $0x30
    popl    %ebx
    ret
    .size ipc_notify, . - ipc_notify

/* int ipc_senda(asynmsg_t *table, size_t count): register the SENDA table
 * (ecx) with count entries (edx); ebx is unused and zero. */
    .globl ipc_senda
    .type ipc_senda, @function
ipc_senda:
    pushl   %ebx
    movl    $IPC_SENDA, %eax
    xorl    %ebx, %ebx
    movl    8(%esp), %ecx
    movl    12(%esp), %edx
    int     $0x30
    popl    %ebx
    ret
    .size ipc_senda, . - ipc_senda

/* int kernel_call(int type, message *m): m->m_type = type, trap to
 * SYSTEM; returns the result (eax, also left in m->m_type with the rest
 * of the reply). */
    .globl kernel_call
    .type kernel_call, @function
kernel_call:
    movl    4(%esp), %eax
    movl    8(%esp), %ecx
    movl    %eax, 4(%ecx)           /* m_type follows m_source */
    int     $0x31
    ret
    .size kernel_call, . - kernel_call

    .section .note.GNU-stack, "", @progbits
