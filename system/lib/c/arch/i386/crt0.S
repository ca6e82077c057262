/*
 * lib/c arch/i386/crt0.S: program entry. _start builds main's arguments
 * from the stack the kernel's exec left, runs main and exits with its
 * result.
 *
 * Entry state (System V i386 style; the contract of
 * kernel/arch/i386/exec.c, arch_proc_exec):
 *   [esp]            argc
 *   [esp+4]          argv[0] ... argv[argc-1]   (pointers into the stack)
 *   [esp+4+4*argc]   NULL
 *   then             envp pointers, NULL        (the kernel passes none)
 *   ecx = heap_base, edx = heap size (USER_HEAP_SIZE): the kernel maps the
 *   heap on the page boundary after the image; saved for malloc (heap.c).
 * argv is taken from the stack, not from ebx, so a loader that only builds
 * the stack works too (edx = 0 then: heap.c falls back to the layout
 * rule). bss is zeroed again here (harmless if the loader did it).
 */
    .text
    .globl _start
    .type _start, @function
_start:
    xorl    %ebp, %ebp              /* end of the frame-pointer chain */
    movl    %ecx, __libc_heap_base  /* in .data: survives the bss clear */
    movl    %edx, __libc_heap_size
    movl    (%esp), %esi            /* argc */
    leal    4(%esp), %edi           /* argv */

    /* zero bss: [__bss_start, __bss_end) */
    cld
    movl    $__bss_start, %ecx
    movl    $__bss_end, %edx
1:  cmpl    %edx, %ecx
    jae     2f
    movb    $0, (%ecx)
    incl    %ecx
    jmp     1b
2:
    leal    4(%edi,%esi,4), %eax    /* envp = &argv[argc + 1] */
    andl    $-16, %esp              /* 16-byte aligned at the call */
    subl    $4, %esp
    pushl   %eax                    /* envp */
    pushl   %edi                    /* argv */
    pushl   %esi                    /* argc */
    call    main
    addl    $12, %esp
    pushl   %eax
    call    exit                    /* never returns */
3:  ud2
    jmp     3b
    .size _start, . - _start

    .data
    .align 4
    .globl __libc_heap_base, __libc_heap_size
__libc_heap_base:   .long 0
__libc_heap_size:   .long 0

    .section .note.GNU-stack, "", @progbits
