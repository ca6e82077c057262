/*
 * lib/c malloc.c: malloc, free, calloc, realloc over the fixed heap that
 * __libc_heap_region() names (lib/c/heap.c: the USER_HEAP_SIZE bytes the
 * kernel maps after the image).
 *
 * The heap is a sequence of blocks that tile it exactly: each starts with a
 * header (size of the whole block, a magic word with the in-use bit). A
 * block's payload follows its header and is ALIGN-aligned. Allocation is
 * first fit; free blocks are merged with their free successors whenever a
 * scan passes over them (and at free time), so fragmentation stays bounded
 * without a separate list. Single-threaded, like every Crucible process.
 */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define ALIGN       16
#define MAGIC_FREE  0x0f4eeb10u
#define MAGIC_USED  0x05edb10cu

struct block {
    size_t   size;              /* whole block, header included, ALIGN multiple */
    uint32_t magic;             /* MAGIC_FREE or MAGIC_USED */
    uint32_t pad;
} __attribute__((aligned(ALIGN)));

#define HDR         sizeof(struct block)
#define MIN_BLOCK   (HDR + ALIGN)

/* Provided by heap.c (i386) or by a host test: the heap's bounds. */
void __libc_heap_region(char **lo, char **hi);

static char *heap_lo, *heap_hi;  /* [lo, hi), set on first use */

/* One past the highest heap byte this allocator has handed out or written
 * (NULL: the heap is untouched). Optimisation hook for the host platform
 * simulator (sim/loader.c): its per-input restore copies back only
 * [heap start, max(this, its value at the checkpoint)) of a server's heap
 * instead of all of it, since the rest is still the zeroes it was loaded
 * with. Read by symbol name; costs one compare per allocation elsewhere. */
char *__libc_heap_top;

static void note_top(char *end)
{
    if (end > __libc_heap_top)
        __libc_heap_top = end;
}

/* Set up the heap as one free block on first use; 0 if there is no heap. */
static int heap_ready(void)
{
    struct block *b;
    uintptr_t lo, hi;

    if (heap_lo)
        return 1;
    __libc_heap_region(&heap_lo, &heap_hi);
    lo = ((uintptr_t)heap_lo + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
    hi = (uintptr_t)heap_hi & ~(uintptr_t)(ALIGN - 1);
    if (hi <= lo || hi - lo < MIN_BLOCK) {
        heap_lo = heap_hi = NULL;
        return 0;
    }
    heap_lo = (char *)lo;
    heap_hi = (char *)hi;
    b = (struct block *)heap_lo;
    b->size = hi - lo;
    b->magic = MAGIC_FREE;
    note_top(heap_lo + HDR);
    return 1;
}

/* The block after b, or NULL at the end of the heap. */
static struct block *next_block(struct block *b)
{
    char *n = (char *)b + b->size;
    return n < heap_hi ? (struct block *)n : NULL;
}

/* Merge the free blocks that directly follow b into b (b free or not). */
static void absorb_free_successors(struct block *b)
{
    struct block *n;
    while ((n = next_block(b)) && n->magic == MAGIC_FREE)
        b->size += n->size;
}

/* Cut b down to `need` bytes if the rest is big enough to be a block. */
static void split(struct block *b, size_t need)
{
    if (b->size >= need + MIN_BLOCK) {
        struct block *rest = (struct block *)((char *)b + need);
        rest->size = b->size - need;
        rest->magic = MAGIC_FREE;
        b->size = need;
        note_top((char *)rest + HDR);
    }
}

/* Block size for a request of n bytes, or 0 if it cannot be represented. */
static size_t block_size(size_t n)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - HDR - ALIGN)
        return 0;
    return (n + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

/* A pointer free()/realloc() got back: its header, or a trap if it is not
 * one of ours (a corrupted heap must stop the program, not spread). */
static struct block *owner(void *p)
{
    struct block *b = (struct block *)((char *)p - HDR);
    if ((char *)b < heap_lo || (char *)p >= heap_hi || b->magic != MAGIC_USED
        || ((uintptr_t)p & (ALIGN - 1)))
        __builtin_trap();
    return b;
}

/* malloc: n bytes aligned to 16, or NULL when no free block is big enough.
 * malloc(0) returns a unique pointer. */
void *malloc(size_t n)
{
    size_t need = block_size(n);
    struct block *b;

    if (need == 0 || !heap_ready())
        return NULL;
    for (b = (struct block *)heap_lo; b; b = next_block(b)) {
        if (b->magic != MAGIC_FREE)
            continue;
        absorb_free_successors(b);
        if (b->size >= need) {
            split(b, need);
            b->magic = MAGIC_USED;
            note_top((char *)b + b->size);
            return (char *)b + HDR;
        }
    }
    return NULL;
}

/* free: give back a block from malloc/calloc/realloc; NULL is ignored. */
void free(void *p)
{
    struct block *b;
    if (!p)
        return;
    b = owner(p);
    b->magic = MAGIC_FREE;
    absorb_free_successors(b);
}

/* calloc: nmemb*size zeroed bytes; NULL on overflow or no memory. */
void *calloc(size_t nmemb, size_t size)
{
    void *p;
    if (size && nmemb > SIZE_MAX / size)
        return NULL;
    p = malloc(nmemb * size);
    if (p)
        memset(p, 0, nmemb * size);
    return p;
}

/* realloc: resize p's block to n bytes, in place when it (with the free
 * blocks after it) is big enough, else by moving the data. realloc(NULL, n)
 * is malloc(n); realloc(p, 0) frees p and returns NULL. On failure p is
 * left untouched and NULL is returned. */
void *realloc(void *p, size_t n)
{
    struct block *b;
    size_t need, old_payload;
    void *q;

    if (!p)
        return malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    b = owner(p);
    need = block_size(n);
    if (need == 0)
        return NULL;
    old_payload = b->size - HDR;
    absorb_free_successors(b);
    if (b->size >= need) {
        split(b, need);
        note_top((char *)b + b->size);
        return p;
    }
    q = malloc(n);
    if (!q) {
        split(b, old_payload + HDR);    /* give back what we absorbed */
        return NULL;
    }
    memcpy(q, p, old_payload);
    free(p);
    return q;
}
