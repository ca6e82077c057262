/*
 * RS helpers: the service table (lookup, allocation, reported state), boot
 * modules, privilege specs, and the non-blocking messages RS sends (init,
 * deferred replies, DS labels, VM call masks).
 */
#include "proto.h"

struct rproc rs_rproc[NR_RS_SLOTS];
struct rproc *rs_lu_rp;
struct module_info rs_modules[MAX_BOOT_MODULES];
int rs_booting;
int rs_recovery_off;

/* rs_name_eq: nonzero if a and b are the same name, each NUL-terminated or
 * n bytes long: strncmp(a, b, n) == 0. A plain loop, not strncmp: RS
 * compares labels in every lookup, and its checker every pair of services
 * after every message, and the fuzz builds route strncmp through the
 * engine's comparison hooks, which cost more than the lookup (8% of an
 * `rs` execution). */
int rs_name_eq(const char *a, const char *b, size_t n)
{
    size_t k;

    for (k = 0; k < n; k++) {
        if (a[k] != b[k])
            return 0;
        if (a[k] == '\0')
            return 1;
    }
    return 1;
}

/* rs_lookup_label: the entry (in any phase but RP_FREE) with this label, or
 * NULL. label must be NUL-terminated. */
struct rproc *rs_lookup_label(const char *label)
{
    int i;

    for (i = 0; i < NR_RS_SLOTS; i++) {
        if (rs_rproc[i].phase != RP_FREE &&
            rs_name_eq(rs_rproc[i].label, label, RS_LABEL_LEN))
            return &rs_rproc[i];
    }
    return NULL;
}

/* rs_lookup_dead: the entry keeping ep as its previous instance (dead_ep,
 * stopped until its successor's init ends), or NULL. */
struct rproc *rs_lookup_dead(endpoint_t ep)
{
    int i;

    for (i = 0; ep != NONE && i < NR_RS_SLOTS; i++)
        if (rs_rproc[i].phase != RP_FREE && rs_rproc[i].dead_ep == ep)
            return &rs_rproc[i];
    return NULL;
}

/* rs_lookup_ep: the entry whose process has endpoint ep and is alive
 * (starting, running or waiting to be restarted), or NULL. The endpoint
 * is tested first: one comparison rules out almost every entry (RS runs
 * this for nearly every message; in the fuzz build each comparison is a
 * call into the engine). */
struct rproc *rs_lookup_ep(endpoint_t ep)
{
    int i;

    for (i = 0; i < NR_RS_SLOTS; i++) {
        struct rproc *rp = &rs_rproc[i];
        if (rp->ep == ep && (rp->phase == RP_INIT_WAIT || rp->phase == RP_RUNNING ||
                             rp->phase == RP_BACKOFF))
            return rp;
    }
    return NULL;
}

/* rs_alloc: a zeroed entry for label: the free entry, or the entry of an
 * exited program with the same label or any exited program. NULL when the
 * table is full of live services. The caller sets the phase. */
struct rproc *rs_alloc(const char *label)
{
    struct rproc *rp = rs_lookup_label(label), *spare = NULL;
    int i;

    if (rp != NULL && rp->phase != RP_EXITED)
        return NULL;
    for (i = 0; rp == NULL && i < NR_RS_SLOTS; i++) {
        if (rs_rproc[i].phase == RP_FREE)
            rp = &rs_rproc[i];
        else if (rs_rproc[i].phase == RP_EXITED && spare == NULL)
            spare = &rs_rproc[i];
    }
    if (rp == NULL)
        rp = spare;
    if (rp == NULL)
        return NULL;
    memset(rp, 0, sizeof(*rp));
    strlcpy(rp->label, label, sizeof(rp->label));
    rp->ep = rp->first_ep = NONE;
    rp->init_caller = rp->wait_caller = rp->repl_ep = rp->dead_ep = NONE;
    rp->module = -1;
    rs_backoff_reset(&rp->backoff);
    rs_lu_reset(&rp->lu);
    return rp;
}

/* rs_state: the RSS_* state RS_LOOKUP reports for rp. A fresh instance
 * waiting for its init counts as running; a restart in progress as
 * recovering. */
int rs_state(const struct rproc *rp)
{
    switch (rp->phase) {
    case RP_INIT_WAIT:
        return rp->init_type == SEF_INIT_FRESH ? RSS_RUNNING : RSS_RECOVERING;
    case RP_RUNNING:
        return RSS_RUNNING;
    case RP_BACKOFF:
        return RSS_RECOVERING;
    case RP_FAILED:
        return RSS_FAILED;
    default:
        return RSS_EXITED;
    }
}

/* rs_find_module: index in rs_modules of the boot module called name, or -1. */
int rs_find_module(const char *name)
{
    int i;

    for (i = 0; i < MAX_BOOT_MODULES; i++) {
        if (rs_modules[i].name[0] != '\0' &&
            rs_name_eq(rs_modules[i].name, name, PROC_NAME_LEN))
            return i;
    }
    return -1;
}

/* rs_build_priv: fill spec from class pc: flags, traps, targets, the basic
 * kernel calls plus the class's own, its I/O ranges, no irqs, and RS as the
 * signal manager. */
void rs_build_priv(const struct rs_priv_class *pc, struct priv_spec *spec)
{
    static const int basic[] = SYS_BASIC_CALLS;
    int i;

    memset(spec, 0, sizeof(*spec));
    spec->flags = pc->flags;
    spec->trap_mask = pc->trap_mask;
    if (pc->ipc_all) {
        for (i = 0; i < NR_PROCS; i++)
            BIT_SET(spec->ipc_to, i + NR_TASKS);
    } else if (pc->ipc_to != NULL) {
        for (i = 0; pc->ipc_to[i] >= 0; i++)
            BIT_SET(spec->ipc_to, pc->ipc_to[i] + NR_TASKS);
    }
    for (i = 0; i < (int)(sizeof(basic) / sizeof(basic[0])); i++)
        BIT_SET(spec->k_call_mask, KCALL_INDEX(basic[i]));
    for (i = 0; pc->calls != NULL && pc->calls[i] != 0; i++)
        BIT_SET(spec->k_call_mask, KCALL_INDEX(pc->calls[i]));
    spec->sig_mgr = RS_PROC_NR;
    for (i = 0; i < PRIV_MAX_IO; i++)
        spec->io[i] = pc->io[i];
    for (i = 0; i < PRIV_MAX_IRQ; i++)
        spec->irq[i] = -1;
}

/* rs_send_init: asynsend RS_INIT{type, old_ep, restarts} to rp's endpoint.
 * Returns asynsend's result. The caller decides what waiting means (see
 * rs_await_init; a live update waits in rp->lu instead). */
int rs_send_init(struct rproc *rp, int type, endpoint_t old_ep)
{
    message m;

    memset(&m, 0, sizeof(m));
    m.m_type = RS_INIT;
    m.m_rs_init.type = type;
    m.m_rs_init.old_ep = old_ep;
    m.m_rs_init.restarts = rp->restarts;
    return asynsend(rp->ep, &m);
}

/* rs_dead_drop: clear rp's kept previous instance (rp->dead_ep), if any:
 * its new instance no longer needs its state. */
void rs_dead_drop(struct rproc *rp)
{
    if (rp->dead_ep != NONE) {
        if (sys_clear(rp->dead_ep) != OK)
            printf("rs: cannot clear the old instance of %s\n", rp->label);
        rp->dead_ep = NONE;
    }
}

/* rs_await_init: rp now waits for the answer to an RS_INIT of 'type':
 * RP_INIT_WAIT, due RS_INIT_TIMEOUT ticks from now. */
void rs_await_init(struct rproc *rp, int type)
{
    rp->init_type = type;
    rp->phase = RP_INIT_WAIT;
    rp->deadline = getticks() + RS_INIT_TIMEOUT;
}

/* rs_reply_to: answer a request RS deferred: type 'result', m_rs_req with
 * rp's label, endpoint and state (if rp) and value. Never blocks. */
void rs_reply_to(endpoint_t dst, int result, const struct rproc *rp, int value)
{
    message m;

    if (dst == NONE)
        return;
    memset(&m, 0, sizeof(m));
    if (rp != NULL) {
        strlcpy(m.m_rs_req.label, rp->label, sizeof(m.m_rs_req.label));
        m.m_rs_req.ep = rp->ep;
        m.m_rs_req.state = rs_state(rp);
        m.m_rs_req.flags = (int32_t)rp->flags;
    } else {
        m.m_rs_req.ep = NONE;
    }
    m.m_rs_req.value = value;
    sef_reply(dst, &m, result);
}

/* rs_vm_callmask_all: tell VM the call masks of every live service. VM
 * keeps them in memory only, so RS repeats this whenever a fresh VM
 * instance takes over (boot, restart, live update). */
void rs_vm_callmask_all(void)
{
    int i;

    for (i = 0; i < NR_RS_SLOTS; i++) {
        if (rs_rproc[i].phase != RP_FREE && rs_rproc[i].phase != RP_FAILED)
            rs_vm_callmask(&rs_rproc[i]);
    }
}

/* rs_vm_callmask: tell VM (asynsend VM_CALLMASK, one per call) which VM
 * requests rp may make. VM's answers come back to RS and are ignored. */
void rs_vm_callmask(const struct rproc *rp)
{
    const int *calls;
    message m;
    int i;

    if (rp->prog == NULL || rp->ep == VM_PROC_NR)
        return;
    calls = rp->prog->priv->vm_calls;
    for (i = 0; calls != NULL && calls[i] != 0; i++) {
        memset(&m, 0, sizeof(m));
        m.m_type = VM_CALLMASK;
        m.m_vm.ep = rp->ep;
        m.m_vm.call = calls[i];
        m.m_vm.allow = 1;
        if (asynsend(VM_PROC_NR, &m) != OK)
            printf("rs: cannot send the VM call mask of %s\n", rp->label);
    }
}

/* rs_pm_died: tell PM (asynsend PM_SERVICE_DIED, no answer) that the
 * instance of the system process at ep is gone: 'restarted'
 * SERVICE_RESTARTED when a new instance runs under ep (PM sends it the
 * process events the old one held), 0 when the service is gone for good
 * (PM drops it from its subscribers). */
void rs_pm_died(endpoint_t ep, int restarted)
{
    message m;

    memset(&m, 0, sizeof(m));
    m.m_type = PM_SERVICE_DIED;
    m.m_pm.endpt = ep;
    m.m_pm.options = restarted;
    if (asynsend(PM_PROC_NR, &m) != OK)
        printf("rs: cannot tell PM that %d died\n", (int)ep);
}

/* rs_publish_label: publish rp's label -> endpoint in DS. At boot RS may
 * wait for DS (ds_publish_label); afterwards it asynsends DS_PUBLISH so that
 * a DS in recovery never blocks RS, and ignores DS's answer. */
void rs_publish_label(const struct rproc *rp)
{
    message m;
    int r;

    if (rs_booting) {
        r = ds_publish_label(rp->label, rp->ep, DSF_OVERWRITE);
    } else {
        memset(&m, 0, sizeof(m));
        m.m_type = DS_PUBLISH;
        strlcpy(m.m_ds.key, rp->label, sizeof(m.m_ds.key));
        m.m_ds.flags = DSF_TYPE_LABEL | DSF_OVERWRITE;
        m.m_ds.value = (uint32_t)rp->ep;
        r = asynsend(DS_PROC_NR, &m);
    }
    if (r != OK)
        printf("rs: cannot publish %s in DS: %d\n", rp->label, r);
}
