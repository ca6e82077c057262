/*
 * SYS_IRQCTL(request, irq, hook_id): interrupt lines for drivers. Also
 * defines kernel_irq() (arch.h), which delivers interrupts through the
 * hook table kept here.
 *
 * Who: drivers whose privilege lists the irq (priv_spec.irq).
 * In:  m_sys_irqctl.request  IRQ_*
 *      m_sys_irqctl.irq      0 .. NR_IRQ_LINES-1, in the caller's list
 *      m_sys_irqctl.hook_id  0 .. IRQ_HOOK_ID_MAX: the bit set in
 *                            m_notify.interrupts of the HARDWARE
 *                            notification when the irq fires
 *   IRQ_SETPOLICY  register (irq -> caller, hook_id) and enable the line;
 *                  the same (caller, irq) again just changes the hook id
 *   IRQ_RMPOLICY   remove the caller's hook on irq; the line is disabled
 *                  when nobody else hooks it
 *   IRQ_ENABLE / IRQ_DISABLE  (re)enable or mask the line; the caller must
 *                  have a hook on it
 * Errors: EPERM irq not in the caller's list; EINVAL unknown request, bad
 *   irq or hook id; ENOSPC hook table full; ENOENT no hook of the caller.
 */
#include "system.h"

struct irq_hook {
    int        in_use;
    int        irq;
    int        hook_id;
    endpoint_t owner;           /* by endpoint: stale once the owner is gone */
};

static struct irq_hook irq_hooks[NR_IRQ_HOOKS];

void irq_hooks_reset(void)
{
    kmemset(irq_hooks, 0, sizeof(irq_hooks));
}

static int irq_listed(const struct proc *p, int irq)
{
    if (p->p_priv == NULL)
        return 0;
    for (int i = 0; i < PRIV_MAX_IRQ; i++)
        if (p->p_priv->s_spec.irq[i] == irq)
            return 1;
    return 0;
}

static struct irq_hook *find_hook(endpoint_t owner, int irq)
{
    for (int i = 0; i < NR_IRQ_HOOKS; i++)
        if (irq_hooks[i].in_use && irq_hooks[i].owner == owner &&
            irq_hooks[i].irq == irq)
            return &irq_hooks[i];
    return NULL;
}

static int line_hooked(int irq)
{
    for (int i = 0; i < NR_IRQ_HOOKS; i++)
        if (irq_hooks[i].in_use && irq_hooks[i].irq == irq)
            return 1;
    return 0;
}

/* arch.h: a hardware interrupt (not the clock). Each hook on the line
 * sends its owner a HARDWARE notification with its bit (notify_irq, which
 * accumulates the bits in the owner's p_int_pending). Hooks whose owner is
 * gone (stale endpoint) are dropped. The line stays as the platform left
 * it; the driver re-enables it with IRQ_ENABLE if the platform masked it. */
void kernel_irq(int irq)
{
    if (irq < 0 || irq >= NR_IRQ_LINES)
        return;
    for (int i = 0; i < NR_IRQ_HOOKS; i++) {
        struct irq_hook *h = &irq_hooks[i];
        if (!h->in_use || h->irq != irq)
            continue;
        struct proc *p = endpoint_lookup(h->owner);
        if (p == NULL || iskerneln(p->p_nr)) {
            h->in_use = 0;
            continue;
        }
        notify_irq(p, 1u << h->hook_id);
    }
}

int do_irqctl(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    mess_sys_irqctl *q = &m->m_sys_irqctl;
    struct irq_hook *h;
    int irq = q->irq;

    if (q->request < IRQ_SETPOLICY || q->request > IRQ_DISABLE)
        return EINVAL;
    if (irq < 0 || irq >= NR_IRQ_LINES)
        return EINVAL;
    if (!irq_listed(caller, irq))
        return EPERM;
    h = find_hook(caller->p_endpoint, irq);

    switch (q->request) {
    case IRQ_SETPOLICY:
        if (q->hook_id < 0 || q->hook_id > IRQ_HOOK_ID_MAX)
            return EINVAL;
        if (h == NULL) {
            for (int i = 0; i < NR_IRQ_HOOKS && h == NULL; i++)
                if (!irq_hooks[i].in_use)
                    h = &irq_hooks[i];
            if (h == NULL)
                return ENOSPC;
        }
        h->in_use = 1;
        h->irq = irq;
        h->hook_id = q->hook_id;
        h->owner = caller->p_endpoint;
        arch_irq_enable(irq);
        return OK;
    case IRQ_RMPOLICY:
        if (h == NULL)
            return ENOENT;
        h->in_use = 0;
        if (!line_hooked(irq))
            arch_irq_disable(irq);
        return OK;
    case IRQ_ENABLE:
        if (h == NULL)
            return ENOENT;
        arch_irq_enable(irq);
        return OK;
    default:    /* IRQ_DISABLE */
        if (h == NULL)
            return ENOENT;
        arch_irq_disable(irq);
        return OK;
    }
}
