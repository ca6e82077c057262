/*
 * Physical memory and paging.
 *
 * Physical RAM below USER_BASE (1 GiB) is identity-mapped with 4 MiB pages
 * in page directory entries 0..255 of every address space, supervisor-only
 * (except physical page 0, left unmapped to catch NULL dereferences),
 * so the kernel reaches any frame (and any process's memory, through its
 * page tables) at its physical address. User space is PDEs
 * PDE_INDEX(USER_BASE)..PDE_INDEX(USER_STACK_TOP - 1), 4 KiB pages in page
 * tables owned by the process.
 *
 * Free frames are tracked in a bitmap (bit set = not available). Frames
 * handed out are zeroed, so no process sees another's old data.
 *
 * The copy functions check a whole user range before copying anything.
 */
#include "kernel.h"
#include "i386.h"

#define MAX_FRAMES      (USER_BASE / PAGE_SIZE)     /* RAM above 1 GiB is unused */
#define KERNEL_PDES     PDE_INDEX(USER_BASE)        /* PDEs 0..255: identity map */
#define USER_PDE_FIRST  PDE_INDEX(USER_BASE)
#define USER_PDE_LAST   PDE_INDEX(USER_STACK_TOP - 1)
#define BIG_PAGE        (4u << 20)

static uint32_t frame_used[MAX_FRAMES / 32];        /* 1 = not available */
static uint32_t frames_total;                       /* frames below mem_limit */
static uint32_t frames_free;
static uint32_t frame_hint;                         /* where the next search starts */
static phys_bytes mem_limit;                        /* end of usable RAM, <= USER_BASE */
static phys_bytes mapped_limit;                     /* end of the identity map */

static uint32_t kernel_pdir[1024] __attribute__((aligned(PAGE_SIZE)));
static uint32_t low_pt[1024] __attribute__((aligned(PAGE_SIZE)));  /* first 4 MiB */
static phys_bytes loaded_pdir;                      /* what CR3 holds */

/* Prepare the allocator for RAM ending at mem_top (capped at USER_BASE) with
 * every frame unavailable; boot code then adds the free ranges and reserves
 * the kernel and modules. Called once at boot. */
void mem_init(uint32_t mem_top)
{
    uint32_t i;

    mem_limit = PAGE_ROUND_DOWN(mem_top < USER_BASE ? mem_top : USER_BASE);
    frames_total = mem_limit / PAGE_SIZE;
    for (i = 0; i < MAX_FRAMES / 32; i++)
        frame_used[i] = 0xffffffffu;
    frames_free = 0;
    frame_hint = 0;
}

/* Mark the whole frames inside [start, end) available (below mem_limit
 * only). Boot only. */
void mem_add_free(phys_bytes start, phys_bytes end)
{
    uint32_t f;

    if (end > mem_limit)
        end = mem_limit;
    for (f = PAGE_ROUND_UP(start) / PAGE_SIZE; f < end / PAGE_SIZE; f++) {
        if (BIT_ISSET(frame_used, f)) {
            BIT_UNSET(frame_used, f);
            frames_free++;
        }
    }
}

/* Mark every frame touching [start, end) unavailable. Boot only. */
void mem_reserve(phys_bytes start, phys_bytes end)
{
    uint32_t f, last;

    if (end <= start)
        return;
    last = PAGE_ROUND_UP(end) / PAGE_SIZE;
    if (last > MAX_FRAMES)
        last = MAX_FRAMES;
    for (f = PAGE_ROUND_DOWN(start) / PAGE_SIZE; f < last; f++) {
        if (!BIT_ISSET(frame_used, f)) {
            BIT_SET(frame_used, f);
            frames_free--;
        }
    }
}

/* A zeroed free frame's physical address, or 0 if memory is exhausted
 * (frame 0 is never free). Interrupts disabled. */
phys_bytes frame_alloc(void)
{
    uint32_t n, f;

    if (frames_free == 0)
        return 0;
    for (n = 0; n < frames_total; n++) {
        f = (frame_hint + n) % frames_total;
        if (frame_used[f / 32] == 0xffffffffu) {        /* skip full words */
            n += 31 - (f % 32);
            continue;
        }
        if (!BIT_ISSET(frame_used, f)) {
            BIT_SET(frame_used, f);
            frames_free--;
            frame_hint = f + 1;
            fast_zero((void *)(f * PAGE_SIZE), PAGE_SIZE);   /* word stores: boot time */
            return f * PAGE_SIZE;
        }
    }
    kernel_panic("frame allocator: %u frames free but none found", frames_free);
}

/* Return frame fr (from frame_alloc) to the allocator. Interrupts disabled. */
void frame_free(phys_bytes fr)
{
    uint32_t f = fr / PAGE_SIZE;

    KASSERT((fr & PAGE_MASK) == 0);
    KASSERT(f > 0 && f < frames_total);
    KASSERT(BIT_ISSET(frame_used, f));              /* no double free */
    BIT_UNSET(frame_used, f);
    frames_free++;
}

/* Free frames, for kernel_info. */
uint32_t arch_free_pages(void)
{
    return frames_free;
}

/* Build the kernel page directory (identity map of RAM with 4 MiB
 * supervisor pages) and turn paging on. Called once at boot, after the
 * allocator is set up, interrupts disabled. */
void paging_init(void)
{
    uint32_t i, n, cr0, cr4;

    n = (mem_limit + BIG_PAGE - 1) / BIG_PAGE;
    KASSERT(n > 0 && n <= KERNEL_PDES);
    for (i = 0; i < n; i++)
        kernel_pdir[i] = (i * BIG_PAGE) | PTE_PS | PTE_W | PTE_P;
    mapped_limit = n * BIG_PAGE;
    /* The first 4 MiB in 4 KiB pages, page 0 left out: a NULL pointer
     * dereference in the kernel faults (and panics) instead of reading the
     * real-mode interrupt table. */
    for (i = 1; i < 1024; i++)
        low_pt[i] = (i * PAGE_SIZE) | PTE_W | PTE_P;
    kernel_pdir[0] = (phys_bytes)low_pt | PTE_W | PTE_P;

    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    cr4 |= 0x10;                                    /* PSE: 4 MiB pages */
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
    loaded_pdir = (phys_bytes)kernel_pdir;
    write_cr3(loaded_pdir);
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 |= 0x80010000u;                             /* PG, WP */
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
}

/* The physical address of the kernel-only page directory. */
phys_bytes kernel_pdir_phys(void)
{
    return (phys_bytes)kernel_pdir;
}

/* Load page directory pdir into CR3 unless it is already there.
 * Interrupts disabled; pdir must map the kernel (as every one does). */
void switch_address_space(phys_bytes pdir)
{
    KASSERT(pdir != 0 && (pdir & PAGE_MASK) == 0);
    if (pdir != loaded_pdir) {
        loaded_pdir = pdir;
        write_cr3(pdir);
    }
}

/* ---- address spaces ---- */

/* A new page directory with the kernel mapped and no user pages, or 0 if
 * out of memory. */
phys_bytes as_create(void)
{
    phys_bytes pd = frame_alloc();

    if (pd != 0)
        fast_copy((void *)pd, kernel_pdir, KERNEL_PDES * sizeof(uint32_t));
    return pd;
}

/* The page table entry for va in pdir (kernel pointer), or NULL if va's
 * page table does not exist. va must be a user address. */
uint32_t *pt_lookup(phys_bytes pdir, vir_bytes va)
{
    uint32_t *pd = (uint32_t *)pdir;
    uint32_t pde;

    KASSERT(pdir != 0);
    if (va < USER_BASE || va >= USER_STACK_TOP)
        return NULL;
    pde = pd[PDE_INDEX(va)];
    if (!(pde & PTE_P))
        return NULL;
    return (uint32_t *)(pde & PTE_ADDR) + PTE_INDEX(va);
}

/* Make sure user page va is mapped in pdir with at least 'flags'
 * (PTE_W and/or PTE_U; present is implied), allocating the page table and a
 * zeroed frame when needed; *pages counts the frames allocated. Stores the
 * frame's physical address in *frame. OK or ENOMEM. */
int as_map_page(phys_bytes pdir, uint32_t *pages, vir_bytes va, uint32_t flags,
                phys_bytes *frame)
{
    uint32_t *pd = (uint32_t *)pdir;
    uint32_t *pte;
    phys_bytes pt, fr;

    KASSERT(va >= USER_BASE && va < USER_STACK_TOP && (va & PAGE_MASK) == 0);
    if (!(pd[PDE_INDEX(va)] & PTE_P)) {
        if ((pt = frame_alloc()) == 0)
            return ENOMEM;
        (*pages)++;
        pd[PDE_INDEX(va)] = pt | PTE_U | PTE_W | PTE_P;
    }
    pte = pt_lookup(pdir, va);
    if (!(*pte & PTE_P)) {
        if ((fr = frame_alloc()) == 0)
            return ENOMEM;
        (*pages)++;
        *pte = fr | PTE_P;
    }
    *pte |= flags & (PTE_W | PTE_U);
    *frame = *pte & PTE_ADDR;
    return OK;
}

/* Release every user frame, page table and the directory itself. If pdir
 * is loaded, the kernel directory is loaded first. pdir may be 0 (no-op). */
void as_destroy(phys_bytes pdir)
{
    uint32_t *pd = (uint32_t *)pdir;
    uint32_t i, j, *pt;

    if (pdir == 0)
        return;
    if (loaded_pdir == pdir)
        switch_address_space(kernel_pdir_phys());
    for (i = USER_PDE_FIRST; i <= USER_PDE_LAST; i++) {
        if (!(pd[i] & PTE_P))
            continue;
        pt = (uint32_t *)(pd[i] & PTE_ADDR);
        for (j = 0; j < 1024; j++)
            if (pt[j] & PTE_P)
                frame_free(pt[j] & PTE_ADDR);
        frame_free(pd[i] & PTE_ADDR);
    }
    frame_free(pdir);
}

/* Copy every user page of src into a new address space *dst (same
 * addresses, same permissions). *pages = frames of the copy. OK or ENOMEM
 * (nothing left allocated). */
int as_copy(phys_bytes src, phys_bytes *dst, uint32_t *pages)
{
    uint32_t *pd = (uint32_t *)src;
    uint32_t i, j, *pt;
    phys_bytes nd, fr;
    vir_bytes va;

    *pages = 0;
    if ((nd = as_create()) == 0)
        return ENOMEM;
    *pages = 1;
    for (i = USER_PDE_FIRST; i <= USER_PDE_LAST; i++) {
        if (!(pd[i] & PTE_P))
            continue;
        pt = (uint32_t *)(pd[i] & PTE_ADDR);
        for (j = 0; j < 1024; j++) {
            if (!(pt[j] & PTE_P))
                continue;
            va = (i << 22) | (j << 12);
            if (as_map_page(nd, pages, va, pt[j] & (PTE_W | PTE_U), &fr) != OK) {
                as_destroy(nd);
                *pages = 0;
                return ENOMEM;
            }
            fast_copy((void *)fr, (const void *)(pt[j] & PTE_ADDR), PAGE_SIZE);
        }
    }
    *dst = nd;
    return OK;
}

/* ---- copies ---- */

/* Whether the kernel range [addr, addr+len) is inside the identity map and
 * not in page 0. len > 0. */
static inline int kernel_range_ok(vir_bytes addr, size_t len)
{
    return addr + len >= addr && addr >= PAGE_SIZE && addr + len <= mapped_limit;
}

/* The kernel address of user byte va of p (p->p_arch.pdir != 0) if its page
 * is mapped with every bit of 'need' (PTE_P | PTE_U, and PTE_W to write),
 * else NULL. One page-table walk: the copies below translate once per page,
 * not once per byte or per check. */
static inline uint8_t *user_addr(const struct proc *p, vir_bytes va, uint32_t need)
{
    uint32_t pde, pte;

    if (va < USER_BASE || va >= USER_STACK_TOP)
        return NULL;
    pde = ((const uint32_t *)p->p_arch.pdir)[PDE_INDEX(va)];
    if (!(pde & PTE_P))
        return NULL;
    pte = ((const uint32_t *)(pde & PTE_ADDR))[PTE_INDEX(va)];
    if ((pte & need) != need)
        return NULL;
    return (uint8_t *)((pte & PTE_ADDR) | (va & PAGE_MASK));
}

/* The kernel address of [addr, addr+len) of p when the range lies in one
 * page mapped with 'need' (len > 0), else NULL (the caller then takes the
 * general path, which gives the exact answer). The common case: a 64-byte
 * message. */
static inline uint8_t *user_addr_1page(const struct proc *p, vir_bytes addr, size_t len,
                                       uint32_t need)
{
    if (p == NULL || p->p_arch.pdir == 0 || len == 0 || len > PAGE_SIZE - (addr & PAGE_MASK))
        return NULL;
    return user_addr(p, addr, need);
}

/* Whether [addr, addr+len) is accessible: for p == NULL inside the
 * identity map (not page 0), otherwise mapped present and user in p's address space,
 * and writable if 'write'. len > 0. */
static int range_ok(const struct proc *p, vir_bytes addr, size_t len, int write)
{
    vir_bytes va, last;
    uint32_t need;

    if (addr + len < addr)
        return 0;                                   /* wraps */
    if (p == NULL)
        return kernel_range_ok(addr, len);
    if (p->p_arch.pdir == 0)
        return 0;
    need = PTE_P | PTE_U | (write ? PTE_W : 0);
    last = addr + len - 1;
    for (va = PAGE_ROUND_DOWN(addr); ; va += PAGE_SIZE) {
        if (user_addr(p, va, need) == NULL)
            return 0;
        if (va == PAGE_ROUND_DOWN(last))
            break;
    }
    return 1;
}

/* The kernel (= physical) address of byte addr of p, which range_ok has
 * accepted. */
static uint8_t *translate(const struct proc *p, vir_bytes addr)
{
    if (p == NULL)
        return (uint8_t *)addr;
    return (uint8_t *)((*pt_lookup(p->p_arch.pdir, addr) & PTE_ADDR) | (addr & PAGE_MASK));
}

/* Copy len bytes from src in src_p to dst in dst_p (NULL = physical).
 * EFAULT, copying nothing, unless both whole ranges are accessible (the
 * destination writable). Overlapping ranges in one space are not supported.
 * Interrupts disabled. */
int arch_copy(struct proc *src_p, vir_bytes src, struct proc *dst_p, vir_bytes dst, size_t len)
{
    size_t chunk, s_left, d_left;

    if (len == 0)
        return OK;
    if (!range_ok(src_p, src, len, 0) || !range_ok(dst_p, dst, len, 1))
        return EFAULT;
    while (len > 0) {
        s_left = src_p ? PAGE_SIZE - (src & PAGE_MASK) : len;
        d_left = dst_p ? PAGE_SIZE - (dst & PAGE_MASK) : len;
        chunk = len;
        if (chunk > s_left)
            chunk = s_left;
        if (chunk > d_left)
            chunk = d_left;
        fast_copy(translate(dst_p, dst), translate(src_p, src), chunk);
        src += chunk;
        dst += chunk;
        len -= chunk;
    }
    return OK;
}

/* Copy len bytes at src in p into the kernel buffer kdst. EFAULT as
 * arch_copy. Fast path (one page walk, word copy) for a user range inside
 * one page: IPC messages, on every primitive. */
int arch_copy_from_proc(struct proc *p, vir_bytes src, void *kdst, size_t len)
{
    const uint8_t *s = user_addr_1page(p, src, len, PTE_P | PTE_U);

    if (s != NULL && kernel_range_ok((vir_bytes)kdst, len)) {
        fast_copy(kdst, s, len);
        return OK;
    }
    return arch_copy(p, src, NULL, (vir_bytes)kdst, len);
}

/* Copy len bytes from the kernel buffer ksrc to dst in p. EFAULT as
 * arch_copy. Fast path as arch_copy_from_proc. */
int arch_copy_to_proc(struct proc *p, vir_bytes dst, const void *ksrc, size_t len)
{
    uint8_t *d = user_addr_1page(p, dst, len, PTE_P | PTE_U | PTE_W);

    if (d != NULL && kernel_range_ok((vir_bytes)ksrc, len)) {
        fast_copy(d, ksrc, len);
        return OK;
    }
    return arch_copy(NULL, (vir_bytes)ksrc, p, dst, len);
}

/* OK if the whole of [addr, addr+len) is mapped user-accessible and
 * writable in p (so a copy from or to it would succeed), EFAULT otherwise;
 * nothing is copied. len > 0. */
int arch_check_user_buf(struct proc *p, vir_bytes addr, size_t len)
{
    if (user_addr_1page(p, addr, len, PTE_P | PTE_U | PTE_W) != NULL)
        return OK;
    return p != NULL && range_ok(p, addr, len, 1) ? OK : EFAULT;
}
