/*
 * SYS_DEVIO(request, port, value): port I/O for drivers.
 *
 * Who: drivers whose privilege lists I/O ranges.
 * In:  m_sys_devio.request  DIO_INB, DIO_INL, DIO_OUTB, DIO_OUTL
 *      m_sys_devio.port     every byte of the access must lie inside one
 *                           of the caller's io ranges (priv_spec.io)
 *      m_sys_devio.value    out*: the value (must fit the width)
 * Out: m_sys_devio.value    in*: the value read
 * Errors: EPERM port outside the caller's ranges; EINVAL unknown request,
 *   16-bit requests (the platform has no 16-bit port access: arch.h), value
 *   too large for the width.
 */
#include "system.h"

static int port_allowed(const struct proc *caller, uint32_t port, uint32_t width)
{
    if (caller->p_priv == NULL || port > 0xFFFFu || port + width > 0x10000u)
        return 0;
    for (int i = 0; i < PRIV_MAX_IO; i++) {
        const struct io_range *io = &caller->p_priv->s_spec.io[i];
        if (io->len != 0 && port >= io->base &&
            port + width <= (uint32_t)io->base + io->len)
            return 1;
    }
    return 0;
}

int do_devio(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    mess_sys_devio *d = &m->m_sys_devio;
    uint32_t width;

    switch (d->request) {
    case DIO_INB: case DIO_OUTB: width = 1; break;
    case DIO_INL: case DIO_OUTL: width = 4; break;
    default: return EINVAL;     /* DIO_INW / DIO_OUTW included */
    }
    if (!port_allowed(caller, d->port, width))
        return EPERM;

    switch (d->request) {
    case DIO_INB:  d->value = arch_inb(d->port) & 0xFFu; break;
    case DIO_INL:  d->value = arch_inl(d->port); break;
    case DIO_OUTB:
        if (d->value > 0xFFu)
            return EINVAL;
        arch_outb(d->port, d->value);
        break;
    case DIO_OUTL: arch_outl(d->port, d->value); break;
    }
    return OK;
}
