/*
 * lib/sys arch/host/ipc.c: the IPC and kernel-call traps of a process
 * image built for the host platform simulator. Where the i386 build
 * executes int $0x30 / int $0x31, this calls the simulator's trap
 * function (hostsim_abi.h), which saves the coroutine, runs the kernel
 * core on the scheduler's stack and resumes us with the result.
 * Message addresses are passed as 32-bit vir_bytes: every process image
 * lives below 4 GB (see kernel/arch/host/sim/loader.c).
 */
#include <crucible/syslib.h>
#include "hostsim_abi.h"

extern hostsim_trap_fn __hostsim_trap;     /* lib/c/arch/host/crt0.c */

/* Returns the 32-bit user address of p. */
static uint32_t uaddr(const void *p)
{
    return (uint32_t)(uintptr_t)p;
}

/* ipc_send: block until dst takes m (docs/os.md, Traps). */
int ipc_send(endpoint_t dst, message *m)
{
    return __hostsim_trap(HOSTSIM_TRAP_IPC, IPC_SEND, dst, uaddr(m), 0);
}

/* ipc_receive: block for a message from src (or ANY) into m. */
int ipc_receive(endpoint_t src, message *m)
{
    return __hostsim_trap(HOSTSIM_TRAP_IPC, IPC_RECEIVE, src, uaddr(m), 0);
}

/* ipc_sendrec: send m to ep, then receive its reply into m. */
int ipc_sendrec(endpoint_t ep, message *m)
{
    return __hostsim_trap(HOSTSIM_TRAP_IPC, IPC_SENDREC, ep, uaddr(m), 0);
}

/* ipc_notify: post a notification to dst (never blocks). */
int ipc_notify(endpoint_t dst)
{
    return __hostsim_trap(HOSTSIM_TRAP_IPC, IPC_NOTIFY, dst, 0, 0);
}

/* ipc_sendnb: send if dst is receiving, else ENOTREADY. */
int ipc_sendnb(endpoint_t dst, message *m)
{
    return __hostsim_trap(HOSTSIM_TRAP_IPC, IPC_SENDNB, dst, uaddr(m), 0);
}

/* ipc_senda: register the SENDA table of count entries. */
int ipc_senda(asynmsg_t *table, size_t count)
{
    return __hostsim_trap(HOSTSIM_TRAP_IPC, IPC_SENDA, 0, uaddr(table),
                          (uint32_t)count);
}

/* kernel_call: m->m_type = type, trap to SYSTEM; the reply overwrites m
 * and the result is returned. */
int kernel_call(int type, message *m)
{
    m->m_type = type;
    return __hostsim_trap(HOSTSIM_TRAP_KCALL, 0, 0, uaddr(m), 0);
}
