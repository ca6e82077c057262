/*
 * ctx_x86_64.S (host platform, hostsim): the coroutine context switch.
 * Chosen over ucontext: swapcontext makes a sigprocmask system call on
 * every switch; this switch saves only the System V callee-saved
 * registers and the stack pointer (a few nanoseconds), which is all a
 * voluntary switch at a function call needs. The signal mask never
 * changes between coroutines.
 *
 *   void hs_ctx_switch(uint64_t *save_rsp, uint64_t new_rsp)
 *     pushes rbp rbx r12-r15, stores rsp in *save_rsp, loads new_rsp,
 *     pops the same registers and returns into the other context.
 *   hs_ctx_start: the first "return address" of a new context: calls
 *     r12(r13) on a 16-byte aligned stack; the function must not return.
 */
    .text
    .globl hs_ctx_switch
    .hidden hs_ctx_switch
    .type hs_ctx_switch, @function
hs_ctx_switch:
    pushq   %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    movq    %rsp, (%rdi)
    movq    %rsi, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret
    .size hs_ctx_switch, . - hs_ctx_switch

/*   hs_ctx_resume: entered (by a signal handler's return, on_fault in
 *     sig.c) with rsp at a context hs_ctx_switch saved: pops its registers
 *     and returns from that hs_ctx_switch call. */
    .globl hs_ctx_resume
    .hidden hs_ctx_resume
    .type hs_ctx_resume, @function
hs_ctx_resume:
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret
    .size hs_ctx_resume, . - hs_ctx_resume

    .globl hs_ctx_start
    .hidden hs_ctx_start
    .type hs_ctx_start, @function
hs_ctx_start:
    andq    $-16, %rsp
    movq    %r13, %rdi
    callq   *%r12
    ud2
    .size hs_ctx_start, . - hs_ctx_start

    .section .note.GNU-stack,"",@progbits
