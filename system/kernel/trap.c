/*
 * trap.c: the kernel-call trap and CPU exceptions, the two entries from a
 * process that are not IPC (kernel_ipc_trap is in ipc.c).
 */
#include "kernel.h"
#include "inject_kern.h"

/* The kernel-call trap (arch.h). Copies the message in (EFAULT if it
 * cannot), sets m_source to the caller, refuses an unknown call
 * (EBADCALL) or one the caller's privilege does not allow (ECALLDENIED),
 * else runs do_kernel_call. The result goes into the reply's m_type, the
 * reply is copied back and the result becomes the trap's result; unless
 * do_kernel_call returned EDONTREPLY (see proto.h), in which case nothing
 * is written back. */
void kernel_call_trap(struct proc *caller, vir_bytes msg)
{
    message m;
    int r;

    KASSERT(caller != NULL && !iskerneln(caller->p_nr));
    if (arch_copy_from_proc(caller, msg, &m, sizeof(m)) != OK) {
        arch_set_result(caller, EFAULT);
        return;
    }
    m.m_source = caller->p_endpoint;
    if (m.m_type < KERNEL_CALL || m.m_type >= KERNEL_CALL + NR_SYS_CALLS)
        r = EBADCALL;
    else if (!priv_may_call(caller, m.m_type))
        r = ECALLDENIED;
    else if ((r = inj_kcall_hook(caller, m.m_type)) == OK)  /* injected failure */
        r = do_kernel_call(caller, &m);
    if (r == EDONTREPLY)
        return;
    m.m_type = r;
    if (arch_copy_to_proc(caller, msg, &m, sizeof(m)) != OK)
        r = EFAULT;
    arch_set_result(caller, r);
}

/* Returns the signal a CPU exception vector becomes: #DE SIGFPE, #UD
 * SIGILL, #GP and #PF SIGSEGV, #BP SIGTRAP, anything else SIGBUS. */
int exception_to_sig(int vector)
{
    switch (vector) {
    case 0:  return SIGFPE;     /* #DE divide error */
    case 3:  return SIGTRAP;    /* #BP breakpoint */
    case 6:  return SIGILL;     /* #UD invalid opcode */
    case 13:                    /* #GP general protection */
    case 14: return SIGSEGV;    /* #PF page fault */
    default: return SIGBUS;
    }
}

/* A CPU exception in process p (arch.h). Must be called with p the process
 * that was running; an exception with no process or in a kernel task is a
 * kernel panic. Prints one line and raises the signal for p's manager. */
void kernel_exception(struct proc *p, int vector, uint32_t error_code,
                      vir_bytes fault_addr, vir_bytes pc)
{
    int sig = exception_to_sig(vector);

    if (!p || iskerneln(p->p_nr) || isemptyp(p))
        kernel_panic("exception %d in the kernel: pc %x addr %x error %x",
                     vector, pc, fault_addr, error_code);
    kprintf("kernel: exception %d in %s (ep %d) pc %x addr %x -> signal %d\n",
            vector, p->p_name, p->p_endpoint, pc, fault_addr, sig);
    cause_sig(p, sig);
}
