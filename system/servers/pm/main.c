/*
 * PM, the process manager. PM keeps the table of user processes (pid,
 * parent, zombie status, signal dispositions) and implements their process
 * system calls: fork, exit, waitpid, exec, kill, sigaction, getpid/getppid,
 * getsysinfo, the clocks and reboot. Memory and the kernel side of fork,
 * exec and exit go through VM (VM_FORK / VM_EXEC / VM_EXIT); PM is the
 * signal manager of every user process, and tells the system services that
 * subscribe of process exits (event.c). System processes appear in the
 * table as PRIV_PROC entries (they have pids but are started and stopped by
 * RS, not through PM).
 *
 * One request at a time: the loop below receives, looks the request up in
 * table.c, runs the handler and replies unless the handler suspended the
 * caller (EDONTREPLY: a blocked waitpid, an exit, a successful exec).
 */
#include <crucible/sef.h>
#include "glo.h"
#include "proto.h"

struct mproc mproc[NR_PROCS];
int next_pid = 2;
uint32_t pm_hz = HZ;
message m_in;
endpoint_t who_e;
struct mproc *mp;

/* pm_init: SEF init callback (fresh, restart and live update alike): learn
 * the clock rate; after a restart or live update keep the process table
 * and pid counter SEF copied from the previous instance if they are
 * consistent (pm_adopt_table), else (or on a fresh start) build the table
 * from the kernel's. A rejected copy is reported on the console and to RS
 * (info->xfer = SEF_XFER_REJECTED). Returns OK or the error that makes RS
 * fail the start. */
static int pm_init(int type, sef_init_info_t *info)
{
    const char *bad = "?";
    uint32_t hz;

    if (sys_gethz(&hz) == OK && hz > 0)
        pm_hz = hz;
    if (type != SEF_INIT_FRESH && info->xfer == SEF_XFER_OK) {
        if (pm_adopt_table(&bad) == OK)
            return OK;
        printf("pm: process table from the previous instance rejected (%s), rebuilt\n",
               bad);
        info->xfer = SEF_XFER_REJECTED;
    }
    return pm_init_table(type);
}

/* pm_handle: run the handler for the request in m_in and answer it.
 * Never fails: unknown or malformed requests get an error reply. */
static void pm_handle(void)
{
    message reply;
    int r;

    memset(&reply, 0, sizeof(reply));
    who_e = m_in.m_source;
    pm_handler_t handler = pm_call_handler(m_in.m_type);
    mp = pm_caller(who_e);
    if (handler == NULL)
        r = EBADREQUEST;
    else if (mp == NULL)
        r = EPERM;
    else if (mp->mp_flags & (ZOMBIE | EXITING))
        r = EDONTREPLY;         /* cannot happen: a dying process is stopped */
    else if (pm_call_needs_user(m_in.m_type) && (mp->mp_flags & PRIV_PROC))
        r = EPERM;
    else
        r = handler(&reply);
    if (r != EDONTREPLY)
        sef_reply(who_e, &reply, r);
}

/* pm_dispatch: the main loop's work for the message in m_in.
 * Notifications come from kernel tasks only; nothing to do. A user
 * cannot forge m_source, so a fake one gets an error reply. (A function
 * of its own so that the single-handler fuzz harness, fuzz/pm, runs
 * exactly this on its messages.) */
void pm_dispatch(void)
{
    if (IS_NOTIFY(&m_in) && ENDPOINT_SLOT(m_in.m_source) < 0)
        return;
    pm_handle();
}

/* main: start through SEF, then serve requests forever. */
int main(void)
{
    sef_setcb_init_fresh(pm_init);
    sef_setcb_init_restart(pm_init);
    sef_setcb_init_lu(pm_init);
    sef_setcb_signal_manager(pm_signal_manager);
    sef_setcb_sanity(pm_sanity);
    /* State for corrupt_state faults: 0 = next_pid, 1 = init's entry. */
    (void)sef_state_register("next_pid", &next_pid, sizeof(next_pid));
    (void)sef_state_register("mproc_init", &mproc[INIT_PROC_NR], sizeof(mproc[INIT_PROC_NR]));
    /* State a restarted or updated PM takes over (pids stay the same). */
    (void)sef_state_register_xfer("mproc", mproc, sizeof(mproc));
    (void)sef_state_register_xfer("next_pid", &next_pid, sizeof(next_pid));
    (void)sef_state_register_xfer("pm_subs", &pm_subs, sizeof(pm_subs));
    sef_startup();

    for (;;) {
        if (sef_receive(&m_in) != OK)
            continue;
        pm_dispatch();
    }
    return 0;
}
