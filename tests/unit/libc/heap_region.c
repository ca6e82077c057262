/* tests/unit/libc heap_region.c: a host heap for lib/c's malloc, the size
 * of the real one (USER_HEAP_SIZE), in place of lib/c/heap.c. */
#include <crucible/config.h>

static char heap[USER_HEAP_SIZE] __attribute__((aligned(16)));

/* __libc_heap_region: the heap's bounds [lo, hi). */
void __libc_heap_region(char **lo, char **hi)
{
    *lo = heap;
    *hi = heap + sizeof heap;
}
