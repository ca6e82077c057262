/*
 * Small platform services: port I/O for SYS_DEVIO, the CMOS real-time
 * clock, machine shutdown through isa-debug-exit, and the memory functions
 * the compiler may call on its own (struct copies) in a freestanding build.
 */
#include "kernel.h"
#include "i386.h"
#include "serial.h"

#define DEBUG_EXIT_PORT 0xf4
#define CMOS_ADDR       0x70
#define CMOS_DATA       0x71

/* Read a byte from I/O port 'port' (0..0xffff). Kernel context. */
uint32_t arch_inb(uint32_t port)
{
    KASSERT(port <= 0xffff);
    return inb((uint16_t)port);
}

/* Write the low byte of value to I/O port 'port'. Kernel context. */
void arch_outb(uint32_t port, uint32_t value)
{
    KASSERT(port <= 0xffff);
    outb((uint16_t)port, (uint8_t)value);
}

/* Read a 32-bit word from I/O port 'port'. Kernel context. */
uint32_t arch_inl(uint32_t port)
{
    KASSERT(port <= 0xffff);
    return inl((uint16_t)port);
}

/* Write a 32-bit word to I/O port 'port'. Kernel context. */
void arch_outl(uint32_t port, uint32_t value)
{
    KASSERT(port <= 0xffff);
    outl((uint16_t)port, value);
}

/* End the machine: QEMU's isa-debug-exit exits with (value << 1) | 1. If
 * the device is absent, stop the CPU for good. Never returns. */
void arch_shutdown(int value)
{
    __asm__ volatile("cli");
    serial_ctl_flush();                 /* e.g. the panic event */
    outl(DEBUG_EXIT_PORT, (uint32_t)value);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* CMOS register reg. Interrupts disabled (NMI stays enabled). */
static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_ADDR, reg);
    return inb(CMOS_DATA);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian, y >= 1970). */
static uint32_t days_since_epoch(uint32_t y, uint32_t m, uint32_t d)
{
    static const uint16_t before_month[12] =
        { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    uint32_t days = (y - 1970) * 365, yy;

    for (yy = 1970; yy < y; yy++)
        days += (yy % 4 == 0 && (yy % 100 != 0 || yy % 400 == 0));
    days += before_month[(m - 1) % 12];
    if (m > 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
        days++;
    return days + d - 1;
}

/* Seconds since 1970 from the CMOS clock (UTC as QEMU sets it). Waits for
 * a stable reading outside an update. Interrupts disabled. */
uint32_t arch_read_rtc(void)
{
    uint8_t r[6], prev[6], regb;
    static const uint8_t regs[6] = { 0x00, 0x02, 0x04, 0x07, 0x08, 0x09 };
    uint32_t sec, min, hour, day, mon, year;
    int i, tries, pm;

    for (tries = 0; tries < 1000; tries++) {
        for (i = 0; i < 100000 && (cmos_read(0x0A) & 0x80); i++)
            ;                                   /* update in progress */
        for (i = 0; i < 6; i++)
            r[i] = cmos_read(regs[i]);
        if (tries > 0 && kmemcmp(r, prev, sizeof(r)) == 0)
            break;
        kmemcpy(prev, r, sizeof(r));
    }
    regb = cmos_read(0x0B);
    pm = r[2] & 0x80;
    r[2] &= 0x7f;
    if (!(regb & 0x04)) {                       /* BCD */
        for (i = 0; i < 6; i++)
            r[i] = (uint8_t)((r[i] & 0x0f) + (r[i] >> 4) * 10);
    }
    sec = r[0]; min = r[1]; hour = r[2]; day = r[3]; mon = r[4]; year = r[5];
    if (!(regb & 0x02)) {                       /* 12-hour clock */
        hour %= 12;
        if (pm)
            hour += 12;
    }
    year += year < 70 ? 2000 : 1900;
    if (mon < 1 || mon > 12 || day < 1 || day > 31)
        return 0;
    return ((days_since_epoch(year, mon, day) * 24 + hour) * 60 + min) * 60 + sec;
}

/*
 * The compiler may emit calls to these for struct assignment and
 * initialisation even with -ffreestanding -fno-builtin. Weak, so a strong
 * definition elsewhere in the kernel wins. Byte loops, written so that the
 * compiler does not turn them back into calls to themselves.
 */

/* memcpy: copy n bytes from s to d (no overlap). */
__attribute__((weak)) void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;

    while (n--)
        *(volatile uint8_t *)dp++ = *sp++;
    return d;
}

/* memmove: as memcpy, but the ranges may overlap. */
__attribute__((weak)) void *memmove(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;

    if (dp <= sp || dp >= sp + n)
        return memcpy(d, s, n);
    while (n--)
        *(volatile uint8_t *)(dp + n) = sp[n];
    return d;
}

/* memset: fill n bytes at d with c. */
__attribute__((weak)) void *memset(void *d, int c, size_t n)
{
    uint8_t *dp = d;

    while (n--)
        *(volatile uint8_t *)dp++ = (uint8_t)c;
    return d;
}

/* memcmp: compare n bytes; <0, 0, >0. */
__attribute__((weak)) int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *ap = a, *bp = b;

    for (; n > 0; n--, ap++, bp++)
        if (*ap != *bp)
            return *ap - *bp;
    return 0;
}
