/*
 * SYS_SCHEDULE(target, quantum, priority, cpu): scheduling parameters.
 *
 * Who: SCHED / RS / PM, as their call masks allow.
 * In:  m_sys_schedule.target    (SELF allowed, no kernel tasks)
 *      m_sys_schedule.quantum   1 .. KSCHED_MAX_QUANTUM ticks, -1 keeps it
 *      m_sys_schedule.priority  0 .. NR_SCHED_QUEUES-1, -1 keeps it
 *      m_sys_schedule.cpu       0 (one CPU), -1 keeps it (seed 004)
 * A runnable target is taken off its queue and put back on the queue of
 * its (new) priority; a new quantum also refills its ticks left.
 * Errors: EINVAL a value out of range; EDEADSRCDST bad target; EPERM
 *   kernel task.
 */
#include "system.h"

int do_schedule(struct proc *caller, message *m)
{
    KASSERT(caller != NULL && m != NULL);
    mess_sys_schedule *s = &m->m_sys_schedule;
    struct proc *target;
    int r;

    if (s->quantum != -1 && (s->quantum < 1 || s->quantum > KSCHED_MAX_QUANTUM))
        return EINVAL;
    if (s->priority != -1 && (s->priority < 0 || s->priority >= NR_SCHED_QUEUES))
        return EINVAL;
    if (s->cpu != -1 && s->cpu != 0)
        return EINVAL;
    if ((r = kcall_proc(caller, s->target, KC_SELF_OK, &target)) != OK)
        return r;

    int queued = proc_is_runnable(target);
    if (queued)
        dequeue(target);
    if (s->priority != -1)
        target->p_priority = s->priority;
    if (s->quantum != -1) {
        target->p_quantum = s->quantum;
        target->p_ticks_left = s->quantum;
    }
    if (queued)
        enqueue(target);
    return OK;
}
