/*
 * SYS_TIMES(target): process times and the clocks (seed 004: ticks for
 * timers, realtime for timestamps).
 *
 * Who: every system process (a basic call).
 * In:  m_sys_times.target  a process (SELF allowed, kernel tasks too), or
 *                          NONE for the clocks only (times are then 0)
 * Out: user_time, sys_time  the target's ticks in user mode / in the kernel
 *      ticks                ticks since boot
 *      realtime_ticks       realtime, in ticks (get_realtime_ticks)
 *      boottime             seconds since 1970 at boot
 * Errors: EDEADSRCDST bad target.
 */
#include "system.h"

int do_times(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    mess_sys_times *t = &m->m_sys_times;
    struct proc *p;
    int r;

    t->user_time = 0;
    t->sys_time = 0;
    if (t->target != NONE) {
        if ((r = kcall_proc(caller, t->target, KC_SELF_OK | KC_TASK_OK, &p)) != OK)
            return r;
        t->user_time = p->p_user_time;
        t->sys_time = p->p_sys_time;
    }
    t->ticks = kernel_ticks;
    t->realtime_ticks = get_realtime_ticks();
    t->boottime = kernel_boottime;
    return OK;
}
