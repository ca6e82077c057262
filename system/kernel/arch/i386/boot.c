/*
 * i386 boot: from the multiboot v1 hand-off to the first process.
 *
 * arch_boot_main() sets up the serial console, descriptor tables and
 * interrupt controllers, copies the command line and the module list out of
 * the multiboot information, sets up the frame allocator and paging, then
 * calls kernel_main() (which creates the boot processes with
 * arch_proc_exec), starts the clock and runs the first process.
 *
 * The command line: QEMU and GRUB put the kernel's own path first; a first
 * word without '=' is taken to be that path and dropped, so
 * kernel_info.cmdline holds only the options.
 */
#include "kernel.h"
#include "i386.h"
#include "serial.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u
#define MBI_MEM     (1u << 0)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS    (1u << 3)
#define MBI_MMAP    (1u << 6)

#define MIB         (1024u * 1024u)

struct mb_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;      /* KiB below 1 MiB / above 1 MiB */
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
};

struct mb_module {
    uint32_t mod_start, mod_end;
    uint32_t string;
    uint32_t reserved;
};

struct mb_mmap {                        /* 'size' excludes itself */
    uint32_t size;
    uint32_t base_lo, base_hi;
    uint32_t len_lo, len_hi;
    uint32_t type;                      /* 1 = available RAM */
} __attribute__((packed));

extern uint8_t _kernel_start[], _kernel_end[];

uint32_t boot_mem_bytes;                /* physical memory in bytes */

void arch_boot_main(uint32_t magic, const struct mb_info *mbi) __attribute__((noreturn));

/* Copy the multiboot command line into kernel_info.cmdline, dropping the
 * kernel path that boot loaders put first. */
static void parse_cmdline(const struct mb_info *mbi)
{
    const char *s = "", *w;

    if (mbi->flags & MBI_CMDLINE)
        s = (const char *)mbi->cmdline;
    while (*s == ' ')
        s++;
    for (w = s; *w != '\0' && *w != ' ' && *w != '='; w++)
        ;
    if (*w != '=') {                    /* first word is a path: skip it */
        while (*w != '\0' && *w != ' ')
            w++;
        while (*w == ' ')
            w++;
        s = w;
    }
    if (kstrlcpy(kernel_info.cmdline, s, CMDLINE_MAX) >= CMDLINE_MAX)
        kprintf("boot: command line truncated to %d bytes\n", CMDLINE_MAX - 1);
}

/* Fill boot_modules[] and kernel_info.nr_modules from the multiboot module
 * list; name = basename of the first word of the module's string. Module
 * memory is reserved from the frame allocator. */
static void parse_modules(const struct mb_info *mbi)
{
    const struct mb_module *mods;
    const char *str, *base, *p;
    uint32_t i, n = 0;
    size_t len;

    if (!(mbi->flags & MBI_MODS))
        return;
    mods = (const struct mb_module *)mbi->mods_addr;
    for (i = 0; i < mbi->mods_count; i++) {
        mem_reserve(mods[i].mod_start, mods[i].mod_end);
        if (n == MAX_BOOT_MODULES) {
            kprintf("boot: more than %d modules, module %u ignored\n",
                    MAX_BOOT_MODULES, i);
            continue;
        }
        str = mods[i].string ? (const char *)mods[i].string : "";
        while (*str == ' ')
            str++;
        base = str;
        for (p = str; *p != '\0' && *p != ' '; p++)
            if (*p == '/')
                base = p + 1;
        len = (size_t)(p - base);
        if (len == 0) {
            kprintf("boot: module %u has no name, ignored\n", i);
            continue;
        }
        if (len >= PROC_NAME_LEN) {
            kprintf("boot: name of module %u truncated to %d bytes\n", i,
                    PROC_NAME_LEN - 1);
            len = PROC_NAME_LEN - 1;
        }
        kmemset(&boot_modules[n], 0, sizeof(boot_modules[n]));
        kmemcpy(boot_modules[n].name, base, len);
        boot_modules[n].name[len] = '\0';
        boot_modules[n].start = mods[i].mod_start;
        boot_modules[n].size = mods[i].mod_end - mods[i].mod_start;
        boot_modules[n].boot_slot = -1;
        n++;
    }
    kernel_info.nr_modules = n;
}

/* Find RAM (memory map if given, else mem_upper) and set up the frame
 * allocator with all of it free except low memory and the kernel. */
static void setup_memory(const struct mb_info *mbi)
{
    const uint8_t *e, *end;
    const struct mb_mmap *mm;
    uint64_t top = 0, total = 0, b, l;

    if (mbi->flags & MBI_MMAP) {
        end = (const uint8_t *)mbi->mmap_addr + mbi->mmap_length;
        for (e = (const uint8_t *)mbi->mmap_addr; e < end; e += mm->size + 4) {
            mm = (const struct mb_mmap *)e;
            b = ((uint64_t)mm->base_hi << 32) | mm->base_lo;
            l = ((uint64_t)mm->len_hi << 32) | mm->len_lo;
            if (mm->type == 1 && b < (1ull << 32)) {
                if (b + l > (1ull << 32))
                    l = (1ull << 32) - b;
                total += l;
                if (b + l > top)
                    top = b + l;
            }
        }
    } else if (mbi->flags & MBI_MEM) {
        top = (uint64_t)MIB + (uint64_t)mbi->mem_upper * 1024;
        total = top;
    } else {
        kernel_panic("boot: no memory information from the boot loader");
    }
    if (top > USER_BASE)
        kprintf("boot: RAM above 0x%x is not used\n", USER_BASE);
    boot_mem_bytes = (uint32_t)(total > 0xffffffffull ? 0xffffffffull : total);
    mem_init((uint32_t)(top > USER_BASE ? USER_BASE : top));

    if (mbi->flags & MBI_MMAP) {
        for (e = (const uint8_t *)mbi->mmap_addr; e < end; e += mm->size + 4) {
            mm = (const struct mb_mmap *)e;
            b = ((uint64_t)mm->base_hi << 32) | mm->base_lo;
            l = ((uint64_t)mm->len_hi << 32) | mm->len_lo;
            if (mm->type == 1 && b < USER_BASE)
                mem_add_free((phys_bytes)b, (phys_bytes)(b + l > USER_BASE ? USER_BASE : b + l));
        }
    } else {
        mem_add_free(MIB, (phys_bytes)top);
    }
    mem_reserve(0, MIB);                        /* BIOS, VGA, boot data */
    mem_reserve((phys_bytes)_kernel_start, (phys_bytes)_kernel_end);
}

/* Physical memory in bytes, for kernel_info. */
uint32_t arch_mem_bytes(void)
{
    return boot_mem_bytes;
}

/* The C entry point, called by _start on the boot stack with interrupts
 * disabled and paging off. Never returns. */
void arch_boot_main(uint32_t magic, const struct mb_info *mbi)
{
    uint32_t i;

    serial_init();
    cpu_init();
    pic_init();
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
        kernel_panic("boot: not loaded by a multiboot loader (eax=0x%x)", magic);

    parse_cmdline(mbi);
    setup_memory(mbi);
    parse_modules(mbi);
    for (i = 0; i < kernel_info.nr_modules; i++)
        if (boot_modules[i].start + boot_modules[i].size > USER_BASE)
            kernel_panic("boot: module %s above the identity map", boot_modules[i].name);
    paging_init();

    kernel_info.hz = HZ;
    kernel_info.mem_bytes = arch_mem_bytes();
    kernel_info.free_pages = arch_free_pages();
    kernel_info.version = KINFO_VERSION;
    kprintf("kernel: i386 mem=%uKiB free_pages=%u modules=%u cmdline=\"%s\"\n",
            kernel_info.mem_bytes / 1024, kernel_info.free_pages,
            kernel_info.nr_modules, kernel_info.cmdline);

    current_proc = NULL;
    kernel_main();
    kernel_info.free_pages = arch_free_pages();
    pit_start();
    serial_ctl_irq_start();     /* control commands on arrival (serial.c) */
    arch_run_next();
}
