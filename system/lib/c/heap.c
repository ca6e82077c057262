/*
 * lib/c heap.c: where the heap is. The kernel maps USER_HEAP_SIZE bytes on
 * the page boundary after the program's highest segment end and passes
 * base and size to _start in ecx/edx, which crt0 stores here. If they are
 * missing (size 0), the same layout rule is applied to _end (the end of
 * bss, the image's last byte; arch/i386/user.ld).
 */
#include <crucible/types.h>
#include <crucible/config.h>

extern char _end[];
extern uint32_t __libc_heap_base, __libc_heap_size;     /* crt0.S */

/* __libc_heap_region: the heap's bounds [lo, hi). */
void __libc_heap_region(char **lo, char **hi)
{
    uintptr_t base = __libc_heap_base;
    uintptr_t size = __libc_heap_size;

    if (size == 0) {
        base = ((uintptr_t)_end + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1);
        size = USER_HEAP_SIZE;
    }
    *lo = (char *)base;
    *hi = (char *)(base + size);
}
