/*
 * priv.c: privileges. priv_table[USER_PRIV_ID] is shared by every user
 * process; each system process owns one of the others. A process without a
 * privilege (p_priv == NULL) may do nothing.
 */
#include "kernel.h"

/* Must be called once at boot, before any process gets a privilege. Marks
 * every entry free except the user privilege, which is left empty (main.c
 * fills it in). */
void priv_init(void)
{
    int i;

    kmemset(priv_table, 0, sizeof(priv_table));
    for (i = 0; i < NR_SYS_PROCS; i++)
        priv_table[i].s_id = i;
    priv_table[USER_PRIV_ID].s_in_use = 1;
}

/* Returns a free system privilege (never the user one), zeroed, with sig_mgr
 * RS and no io or irq rights; or NULL if all are in use. */
struct priv *priv_alloc(void)
{
    int i, j;

    for (i = USER_PRIV_ID + 1; i < NR_SYS_PROCS; i++) {
        struct priv *pr = &priv_table[i];
        if (pr->s_in_use)
            continue;
        kmemset(&pr->s_spec, 0, sizeof(pr->s_spec));
        pr->s_in_use = 1;
        pr->s_spec.sig_mgr = RS_PROC_NR;
        for (j = 0; j < PRIV_MAX_IRQ; j++)
            pr->s_spec.irq[j] = -1;
        return pr;
    }
    return NULL;
}

/* Must be called with a privilege from priv_alloc (never the user one, which
 * is never freed). Marks it free. */
void priv_free(struct priv *pr)
{
    KASSERT(pr != NULL && pr >= &priv_table[0] && pr < &priv_table[NR_SYS_PROCS]);
    if (pr->s_id == USER_PRIV_ID)
        return;
    pr->s_in_use = 0;
}

/* priv_may_trap and priv_may_send_to are inline in kernel.h (every IPC). */

/* Returns nonzero if p may make kernel call call_type (a SYS_* number):
 * never for an unknown call or without a privilege; always without
 * PRIV_CHECK_CALL; otherwise as its k_call_mask says. */
int priv_may_call(const struct proc *p, int call_type)
{
    int idx = KCALL_INDEX(call_type);

    KASSERT(p != NULL);
    if (!p->p_priv || idx < 0 || idx >= NR_SYS_CALLS)
        return 0;
    if (!(p->p_priv->s_spec.flags & PRIV_CHECK_CALL))
        return 1;
    return BIT_ISSET(p->p_priv->s_spec.k_call_mask, idx) != 0;
}

/* Returns the endpoint of p's signal manager. A process without a privilege
 * (a system process between SYS_FORK and PRIV_SET_SYS) belongs to RS. */
endpoint_t priv_sig_mgr(const struct proc *p)
{
    KASSERT(p != NULL);
    if (!p->p_priv)
        return RS_PROC_NR;
    return p->p_priv->s_spec.sig_mgr;
}
