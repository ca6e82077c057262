/* lib/sys sys_misc.c: diagctl, device I/O, irqctl, shutdown. */
#include <crucible/syslib.h>

/* sys_diagctl: DIAG_PRINT buf[0..len) on the kernel console. */
int sys_diagctl(int code, const void *buf, size_t len)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_diagctl.code = code;
    m.m_sys_diagctl.buf = (vir_bytes)(uintptr_t)buf;
    m.m_sys_diagctl.len = (uint32_t)len;
    return kernel_call(SYS_DIAGCTL, &m);
}

/* sys_inb: read a byte from an I/O port our privilege allows. */
int sys_inb(uint32_t port, uint32_t *value)
{
    message m;
    int r;
    memset(&m, 0, sizeof m);
    m.m_sys_devio.request = DIO_INB;
    m.m_sys_devio.port = port;
    r = kernel_call(SYS_DEVIO, &m);
    if (r == OK)
        *value = m.m_sys_devio.value & 0xff;
    return r;
}

/* sys_outb: write a byte to an I/O port our privilege allows. */
int sys_outb(uint32_t port, uint32_t value)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_devio.request = DIO_OUTB;
    m.m_sys_devio.port = port;
    m.m_sys_devio.value = value;
    return kernel_call(SYS_DEVIO, &m);
}

/* sys_irqctl: IRQ_* for irq; hook_id is our bit in HARDWARE notifies. */
int sys_irqctl(int request, int irq, int hook_id)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_irqctl.request = request;
    m.m_sys_irqctl.irq = irq;
    m.m_sys_irqctl.hook_id = hook_id;
    return kernel_call(SYS_IRQCTL, &m);
}

/* sys_shutdown: end the machine (QEMU exits with (status << 1) | 1). */
int sys_shutdown(int status)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_shutdown.status = status;
    return kernel_call(SYS_SHUTDOWN, &m);
}
