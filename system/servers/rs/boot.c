/*
 * Boot (docs/os.md, Boot): RS's fresh init. RS is the first process to run,
 * with full privilege. It walks the boot table in order: gives each service
 * its privilege, lets it run, asks it to initialize and waits for the answer
 * before the next one. Then it publishes every label in DS, tells VM the
 * services' call masks, and lets init run as a user process.
 */
#include "proto.h"

/* add_self: RS's own entry, so that "rs" is looked up, counted and
 * published like the others. It is never pinged, restarted or updated. */
static void add_self(void)
{
    struct rproc *rp = rs_alloc("rs");

    rp->phase = RP_RUNNING;
    rp->ep = rp->first_ep = RS_PROC_NR;
    rp->flags = SF_CORE;
}

/* boot_wait: handle messages until rp's init has ended one way or another
 * (answer, failure, timeout). RS receives directly here (it is inside its
 * own SEF init), so it fetches kernel signals itself. Requests, pongs and
 * timers are served as in the main loop. */
static void boot_wait(struct rproc *rp)
{
    message m;
    int r;

    while (rp->phase == RP_INIT_WAIT) {
        rs_timers_rearm();
        r = ipc_receive(ANY, &m);
        if (r != OK) {
            printf("rs: receive failed during boot: %d\n", r);
            continue;
        }
        if (IS_NOTIFY(&m) && m.m_source == SYSTEM)
            rs_ksig_drain();
        else
            rs_dispatch(&m);
    }
}

/* boot_service: bring up boot table entry bp: privilege, allow, RS_INIT
 * {FRESH}, wait for the answer. A module missing from the boot image is
 * skipped with one console line. */
static void boot_service(const struct rs_prog *bp)
{
    struct rproc *rp;
    int module, r;

    if ((module = rs_find_module(bp->module)) < 0) {
        printf("rs: no module %s in the boot image, %s skipped\n",
               bp->module, bp->label);
        return;
    }
    if ((rp = rs_alloc(bp->label)) == NULL) {
        printf("rs: no room for %s\n", bp->label);
        return;
    }
    rp->prog = bp;
    rp->module = module;
    rp->flags = bp->sf_flags;
    rp->ep = rp->first_ep = ENDPOINT(0, bp->slot);
    rs_build_priv(bp->priv, &rp->spec);

    r = sys_privctl(rp->ep, PRIV_SET_SYS, &rp->spec);
    if (r == OK)
        r = sys_privctl(rp->ep, PRIV_ALLOW, NULL);
    if (r == OK)
        r = rs_send_init(rp, SEF_INIT_FRESH, NONE);
    if (r != OK) {
        printf("rs: cannot start %s: %d\n", rp->label, r);
        rp->phase = RP_FAILED;
        return;
    }
    rs_await_init(rp, SEF_INIT_FRESH);
    boot_wait(rp);
}

/* read_options: RS's options from the kernel command line (space
 * separated words): `rs_recovery=0` turns crash recovery off (a failed
 * service is given up on at once; campaigns with recovery = false). */
static void read_options(void)
{
    static struct kinfo ki;     /* large: keep it off the stack */
    static const char word[] = "rs_recovery=0";
    const char *p;
    size_t n;

    if (sys_getkinfo(&ki) != OK)
        return;
    ki.cmdline[sizeof ki.cmdline - 1] = '\0';
    for (p = ki.cmdline; *p != '\0'; p += n) {
        while (*p == ' ')
            p++;
        for (n = 0; p[n] != '\0' && p[n] != ' '; n++)
            ;
        if (n == sizeof word - 1 && strncmp(p, word, n) == 0)
            rs_recovery_off = 1;
    }
    if (rs_recovery_off)
        printf("rs: crash recovery is off (rs_recovery=0)\n");
}

/*
 * rs_init_fresh: RS's SEF init. Reads the boot modules, starts the boot
 * table's services one by one, publishes all labels (RS's too) in DS,
 * sends VM the call masks, then gives init the user privilege and lets it
 * run. Returns OK (RS cannot do without a boot image, so it panics if the
 * modules cannot be read).
 */
int rs_init_fresh(int type, sef_init_info_t *info)
{
    int i, r;

    (void)type;
    (void)info;
    rs_booting = 1;
    read_options();
    if ((r = sys_getmodules(rs_modules)) != OK)
        panic("cannot read the boot modules: %d", r);
    add_self();

    for (i = 0; i < rs_boot_table_len; i++)
        boot_service(&rs_boot_table[i]);

    if (rs_lookup_label("ds") != NULL && rs_lookup_label("ds")->phase == RP_RUNNING) {
        for (i = 0; i < NR_RS_SLOTS; i++) {
            if (rs_rproc[i].phase == RP_RUNNING || rs_rproc[i].phase == RP_INIT_WAIT)
                rs_publish_label(&rs_rproc[i]);
        }
    }
    if (rs_lookup_label("vm") != NULL)
        rs_vm_callmask_all();
    rs_booting = 0;

    r = sys_privctl(INIT_PROC_NR, PRIV_SET_USER, NULL);
    if (r == OK)
        r = sys_privctl(INIT_PROC_NR, PRIV_ALLOW, NULL);
    if (r != OK)
        printf("rs: cannot start init: %d\n", r);
    rs_timers_rearm();
    return OK;
}
