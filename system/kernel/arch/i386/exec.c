/*
 * Process images: loading a boot module (a static i386 ELF executable linked
 * at USER_BASE) into a fresh address space, fork's copy, and release.
 *
 * A process's address space, from USER_BASE up:
 *   the ELF PT_LOAD segments (text read-only unless PF_W; bss zeroed),
 *   the heap: USER_HEAP_SIZE bytes from the page boundary after the highest
 *     segment end (heap_base), writable,
 *   ... unmapped ...
 *   the stack: USER_STACK_SIZE bytes below USER_STACK_TOP, writable.
 *
 * Entry state (the contract with crt0):
 *   esp -> argc, argv[0], ..., argv[argc-1], NULL, NULL (empty envp);
 *          the argument strings lie above, near USER_STACK_TOP.
 *   eax = argc, ebx = argv, ecx = heap_base, edx = USER_HEAP_SIZE,
 *   eflags = IF, other general registers 0.
 */
#include "kernel.h"
#include "i386.h"

/* ELF32 definitions (System V ABI), only what we check. */
#define EI_NIDENT   16
#define ELFCLASS32  1
#define ELFDATA2LSB 1
#define EV_CURRENT  1
#define ET_EXEC     2
#define EM_386      3
#define PT_LOAD     1
#define PT_DYNAMIC  2
#define PT_INTERP   3
#define PF_W        2

struct elf_ehdr {
    uint8_t  e_ident[EI_NIDENT];
    uint16_t e_type, e_machine;
    uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf_phdr {
    uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};

CRUCIBLE_STATIC_ASSERT(sizeof(struct elf_ehdr) == 52, "ELF header layout");
CRUCIBLE_STATIC_ASSERT(sizeof(struct elf_phdr) == 32, "program header layout");

#define STACK_BOTTOM    (USER_STACK_TOP - USER_STACK_SIZE)
#define MAX_ARGS_BYTES  (USER_STACK_SIZE / 2)
#define MAX_ARGC        256

/* Program header i of the module at 'image' (checked to lie inside it). */
static void get_phdr(const uint8_t *image, const struct elf_ehdr *eh, int i,
                     struct elf_phdr *ph)
{
    kmemcpy(ph, image + eh->e_phoff + (uint32_t)i * sizeof(*ph), sizeof(*ph));
}

/* Check the ELF image of module m (name for messages). Returns NULL if it
 * is acceptable, else what is wrong. On success *image_end is the end of
 * the highest segment. */
static const char *elf_check(const struct module_info *m, vir_bytes *image_end)
{
    const uint8_t *image = (const uint8_t *)m->start;
    struct elf_ehdr eh;
    struct elf_phdr ph;
    uint64_t end;
    int i, nload = 0, entry_ok = 0;

    *image_end = USER_BASE;
    if (m->size < sizeof(eh))
        return "shorter than an ELF header";
    kmemcpy(&eh, image, sizeof(eh));
    if (eh.e_ident[0] != 0x7f || eh.e_ident[1] != 'E' || eh.e_ident[2] != 'L' ||
        eh.e_ident[3] != 'F')
        return "not an ELF file (bad magic)";
    if (eh.e_ident[4] != ELFCLASS32)
        return "not ELFCLASS32";
    if (eh.e_ident[5] != ELFDATA2LSB)
        return "not little-endian";
    if (eh.e_ident[6] != EV_CURRENT || eh.e_version != EV_CURRENT)
        return "bad ELF version";
    if (eh.e_machine != EM_386)
        return "not an i386 executable (e_machine)";
    if (eh.e_type != ET_EXEC)
        return "not an executable (e_type != ET_EXEC)";
    if (eh.e_phentsize != sizeof(struct elf_phdr))
        return "bad program header size";
    if (eh.e_phnum == 0)
        return "no program headers";
    if ((uint64_t)eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(struct elf_phdr) > m->size)
        return "program headers outside the module";

    for (i = 0; i < eh.e_phnum; i++) {
        get_phdr(image, &eh, i, &ph);
        if (ph.p_type == PT_DYNAMIC || ph.p_type == PT_INTERP)
            return "dynamically linked";
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz)
            return "segment with filesz > memsz";
        if ((uint64_t)ph.p_offset + ph.p_filesz > m->size)
            return "segment data outside the module";
        end = (uint64_t)ph.p_vaddr + ph.p_memsz;
        if (ph.p_vaddr < USER_BASE || end > STACK_BOTTOM)
            return "segment outside [USER_BASE, stack)";
        if (eh.e_entry >= ph.p_vaddr && eh.e_entry < end)
            entry_ok = 1;
        if (end > *image_end)
            *image_end = (vir_bytes)end;
        nload++;
    }
    if (nload == 0)
        return "no loadable segment";
    if (!entry_ok)
        return "entry point outside the loaded segments";
    if ((uint64_t)PAGE_ROUND_UP(*image_end) + USER_HEAP_SIZE > STACK_BOTTOM)
        return "image and heap overlap the stack";
    return NULL;
}

/* Copy len kernel bytes to va in the (not yet running) address space pdir,
 * whose pages are all mapped. */
static void as_write(phys_bytes pdir, vir_bytes va, const void *src, size_t len)
{
    const uint8_t *s = src;
    size_t chunk;
    uint32_t *pte;

    while (len > 0) {
        pte = pt_lookup(pdir, va);
        KASSERT(pte != NULL && (*pte & PTE_P));
        chunk = PAGE_SIZE - (va & PAGE_MASK);
        if (chunk > len)
            chunk = len;
        fast_copy((void *)((*pte & PTE_ADDR) | (va & PAGE_MASK)), s, chunk);  /* word copy: boot time */
        va += chunk;
        s += chunk;
        len -= chunk;
    }
}

/* Map [start, end) in pdir with flags. OK or ENOMEM. */
static int map_range(phys_bytes pdir, uint32_t *pages, vir_bytes start, vir_bytes end,
                     uint32_t flags)
{
    vir_bytes va;
    phys_bytes fr;

    for (va = PAGE_ROUND_DOWN(start); va < end; va += PAGE_SIZE)
        if (as_map_page(pdir, pages, va, flags, &fr) != OK)
            return ENOMEM;
    return OK;
}

/* Replace p's image with boot module 'module' and its registers with the
 * entry state above; argv from args (args_len bytes of NUL-separated
 * strings; none = argv[0] is the module name). The old image is released
 * only on success. OK, ENOEXEC (bad index or ELF, reported on the console),
 * E2BIG, ENOMEM. Interrupts disabled. */
int arch_proc_exec(struct proc *p, int module, const char *args, size_t args_len)
{
    const struct module_info *m;
    const uint8_t *image;
    struct elf_ehdr eh;
    struct elf_phdr ph;
    const char *why;
    phys_bytes pd;
    uint32_t pages = 0, argc, i, argv_words[MAX_ARGC + 3];
    vir_bytes image_end, heap_base, strings, sp, va;
    size_t slen;
    struct trapframe *f;
    int r;

    KASSERT(p != NULL);
    if (module < 0 || (uint32_t)module >= kernel_info.nr_modules ||
        boot_modules[module].name[0] == '\0') {
        kprintf("exec: no boot module %d\n", module);
        return ENOEXEC;
    }
    m = &boot_modules[module];
    if ((why = elf_check(m, &image_end)) != NULL) {
        kprintf("exec: module %s refused: %s\n", m->name, why);
        return ENOEXEC;
    }

    /* Arguments: default argv[0] = the module name; a missing final NUL is
     * supplied. */
    if (args == NULL || args_len == 0) {
        args = m->name;
        args_len = kstrlen(m->name) + 1;
    }
    slen = args_len + (args[args_len - 1] != '\0');
    if (slen > MAX_ARGS_BYTES)
        return E2BIG;
    for (argc = 0, i = 0; i < args_len; i++)
        if (args[i] == '\0' || i == args_len - 1)
            argc++;
    if (argc > MAX_ARGC)
        return E2BIG;

    if ((pd = as_create()) == 0)
        return ENOMEM;
    pages = 1;

    /* Segments: map, then copy the file bytes (the rest stays zero). */
    image = (const uint8_t *)m->start;
    kmemcpy(&eh, image, sizeof(eh));
    for (i = 0; i < eh.e_phnum; i++) {
        get_phdr(image, &eh, (int)i, &ph);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        r = map_range(pd, &pages, ph.p_vaddr, ph.p_vaddr + ph.p_memsz,
                      PTE_U | ((ph.p_flags & PF_W) ? PTE_W : 0));
        if (r != OK)
            goto fail;
        as_write(pd, ph.p_vaddr, image + ph.p_offset, ph.p_filesz);
    }

    /* Heap and stack. */
    heap_base = PAGE_ROUND_UP(image_end);
    if ((r = map_range(pd, &pages, heap_base, heap_base + USER_HEAP_SIZE, PTE_U | PTE_W)) != OK ||
        (r = map_range(pd, &pages, STACK_BOTTOM, USER_STACK_TOP, PTE_U | PTE_W)) != OK)
        goto fail;

    /* Strings at the top, then argc, argv[], NULL, envp NULL below. */
    strings = (USER_STACK_TOP - slen) & ~(vir_bytes)3;
    as_write(pd, strings, args, args_len);
    argv_words[0] = argc;
    va = strings;
    for (i = 0; i < argc; i++) {
        argv_words[1 + i] = va;
        while (va - strings < args_len && args[va - strings] != '\0')
            va++;
        va++;                   /* past the NUL (zero page byte if supplied) */
    }
    argv_words[1 + argc] = 0;
    argv_words[2 + argc] = 0;
    sp = (strings - (argc + 3) * sizeof(uint32_t)) & ~(vir_bytes)15;
    as_write(pd, sp, argv_words, (argc + 3) * sizeof(uint32_t));

    /* Commit: the new image replaces the old one. */
    as_destroy(p->p_arch.pdir);
    p->p_arch.pdir = pd;
    p->p_arch.pages = pages;
    p->p_arch.heap_base = heap_base;
    p->p_arch.image_end = heap_base + USER_HEAP_SIZE;
    f = &p->p_arch.frame;
    kmemset(f, 0, sizeof(*f));
    f->cs = SEL_UCODE;
    f->ds = f->es = f->fs = f->gs = f->ss = SEL_UDATA;
    f->eflags = EFLAGS_IF | EFLAGS_RESERVED;
    f->eip = eh.e_entry;
    f->esp = sp;
    f->eax = argc;
    f->ebx = sp + sizeof(uint32_t);
    f->ecx = heap_base;
    f->edx = USER_HEAP_SIZE;
    return OK;

fail:
    as_destroy(pd);
    return r;
}

/* Give child a copy of parent's address space and registers; the child's
 * trap result (eax) is 0. child's previous space, if any, is released on
 * success. OK or ENOMEM (child unchanged). Interrupts disabled. */
int arch_proc_fork(struct proc *child, struct proc *parent)
{
    phys_bytes pd;
    uint32_t pages;
    int r;

    KASSERT(child != NULL && parent != NULL && child != parent);
    KASSERT(parent->p_arch.pdir != 0);
    if ((r = as_copy(parent->p_arch.pdir, &pd, &pages)) != OK)
        return r;
    as_destroy(child->p_arch.pdir);
    child->p_arch = parent->p_arch;
    child->p_arch.pdir = pd;
    child->p_arch.pages = pages;
    child->p_arch.frame.eax = 0;
    return OK;
}

/* Release p's address space. Idempotent. Interrupts disabled. */
void arch_proc_free(struct proc *p)
{
    KASSERT(p != NULL);
    as_destroy(p->p_arch.pdir);
    p->p_arch.pdir = 0;
    p->p_arch.pages = 0;
}

/* Frames owned by p: page directory, page tables, user pages. */
uint32_t arch_proc_pages(const struct proc *p)
{
    KASSERT(p != NULL);
    return p->p_arch.pages;
}
