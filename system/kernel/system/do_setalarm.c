/*
 * SYS_SETALARM(exp_time, abs_time): the caller's alarm. When it expires the
 * caller gets a notification from CLOCK (clock.c watches p_alarm).
 *
 * Who: every system process (a basic call), for itself.
 * In:  m_sys_setalarm.exp_time  ticks; 0 cancels the alarm
 *      m_sys_setalarm.abs_time  nonzero: exp_time is an absolute tick,
 *                               else relative to now
 * Out: m_sys_setalarm.time_left ticks that were left on the previous alarm
 *                               (0 if none or already due)
 * An absolute time already passed fires at the next tick. Always OK.
 */
#include "system.h"

int do_setalarm(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    mess_sys_setalarm *a = &m->m_sys_setalarm;
    clock_t_ now = kernel_ticks;
    clock_t_ old = caller->p_alarm;

    if (old != 0 && (int32_t)(old - now) > 0)
        a->time_left = old - now;
    else
        a->time_left = 0;

    if (a->exp_time == 0) {
        caller->p_alarm = 0;
    } else {
        clock_t_ when = a->abs_time ? a->exp_time : now + a->exp_time;
        caller->p_alarm = when != 0 ? when : 1;     /* 0 means "none" */
    }
    return OK;
}
