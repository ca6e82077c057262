/*
 * tiny.c: a multiboot v1 test kernel for the machine-layer tests.
 *
 * It stands in for the real OS so that orchestrator/machine.py can be proven
 * before the OS boots. Built at test time (see tests/orchestrator/conftest.py)
 * with clang --target=i686-unknown-none-elf and ld.lld.
 *
 * Behaviour, chosen by words on the kernel command line (-append):
 *   silent      print nothing and halt forever (boot-timeout tests)
 *   otherwise   print "tiny: cmdline <cmdline>", one "tiny: module <name>"
 *               per multiboot module (basename of its path), then
 *               "crucible: ready services=0 ticks=0"; then
 *   panic=1     print "crucible: panic: tiny kernel asked to panic" and write
 *               0x7d to isa-debug-exit (QEMU status 251), as the real kernel
 *   exit=N      write N (decimal) to isa-debug-exit: QEMU status (N<<1)|1
 *   (neither)   halt forever with interrupts off; QEMU stays alive.
 */
typedef unsigned int u32;

#define MB_MAGIC  0x1BADB002u
#define MB_FLAGS  0x00000003u   /* page-align modules, memory info */
#define MB_BOOTED 0x2BADB002u

__attribute__((section(".multiboot"), used, aligned(4)))
const u32 tiny_mb_header[3] = { MB_MAGIC, MB_FLAGS, (u32)-(MB_MAGIC + MB_FLAGS) };

__attribute__((aligned(16), used)) unsigned char tiny_stack[8192];

__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "  mov $tiny_stack+8192, %esp\n"
        "  push %ebx\n"
        "  push %eax\n"
        "  call kmain\n"
        "1: cli\n"
        "  hlt\n"
        "  jmp 1b\n");

static inline void outb(unsigned short port, unsigned char v)
{ __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(unsigned short port, u32 v)
{ __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline unsigned char inb(unsigned short port)
{ unsigned char v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static void putc_com1(char c)
{
    while (!(inb(0x3f8 + 5) & 0x20))
        ;
    outb(0x3f8, (unsigned char)c);
}

static void puts_com1(const char *s)
{
    while (*s)
        putc_com1(*s++);
}

static __attribute__((noreturn)) void halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

static __attribute__((noreturn)) void debug_exit(u32 v)
{
    outl(0xf4, v);
    halt_forever();
}

/* find(hay, needle): pointer just past the first needle, or 0. */
static const char *find(const char *hay, const char *needle)
{
    for (; *hay; hay++) {
        const char *h = hay, *n = needle;
        while (*n && *h == *n) { h++; n++; }
        if (!*n)
            return h;
    }
    return 0;
}

static void put_basename(const char *path)
{
    const char *base = path, *p;
    for (p = path; *p && *p != ' '; p++)
        if (*p == '/')
            base = p + 1;
    for (p = base; *p && *p != ' '; p++)
        putc_com1(*p);
}

void kmain(u32 magic, const u32 *mbi)
{
    const char *cmdline = "", *arg;
    u32 i;

    if (magic != MB_BOOTED) {
        puts_com1("crucible: panic: tiny kernel not booted by multiboot\n");
        debug_exit(0x7d);
    }
    if (mbi[0] & 4)
        cmdline = (const char *)mbi[4];
    if (find(cmdline, "silent"))
        halt_forever();

    puts_com1("tiny: cmdline ");
    puts_com1(cmdline);
    putc_com1('\n');
    if (mbi[0] & 8) {
        const u32 *mods = (const u32 *)mbi[6];
        for (i = 0; i < mbi[5]; i++) {
            puts_com1("tiny: module ");
            put_basename((const char *)mods[4 * i + 2]);
            putc_com1('\n');
        }
    }
    puts_com1("crucible: ready services=0 ticks=0\n");

    if (find(cmdline, "panic=1")) {
        puts_com1("crucible: panic: tiny kernel asked to panic\n");
        debug_exit(0x7d);
    }
    if ((arg = find(cmdline, "exit=")) != 0) {
        u32 v = 0;
        while (*arg >= '0' && *arg <= '9')
            v = v * 10 + (u32)(*arg++ - '0');
        debug_exit(v);
    }
    halt_forever();
}
