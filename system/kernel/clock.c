/*
 * clock.c: the kernel's view of time. Ticks count clock interrupts since
 * boot (timers); the realtime clock runs with them and, with the boot time,
 * gives timestamps. Each tick charges the running process, ends quanta and
 * fires alarms (a notification from CLOCK).
 */
#include "kernel.h"
#include "inject_kern.h"

/* Called by the platform once per clock interrupt. Counts the tick,
 * charges it to current_proc, moves a preemptible process whose quantum
 * ran out to the back of its queue (others get a fresh quantum in place),
 * and notifies from CLOCK every process whose alarm time has come. */
void kernel_clock_tick(void)
{
    struct proc *p = current_proc;
    int idx;

    kernel_ticks++;

    if (p && !iskerneln(p->p_nr) && !isemptyp(p)) {
        p->p_user_time++;
        if (--p->p_ticks_left <= 0) {
            if (proc_is_runnable(p) && p->p_priv &&
                (p->p_priv->s_spec.flags & PRIV_PREEMPTIBLE)) {
                dequeue(p);
                enqueue(p);         /* fresh quantum, back of the queue */
            } else {
                p->p_ticks_left = p->p_quantum;
            }
        }
    }

    for (idx = NR_TASKS; idx < NR_ALL_SLOTS; idx++) {
        struct proc *q = &proc_table[idx];

        if (isemptyp(q) || q->p_alarm == 0 || q->p_alarm > kernel_ticks)
            continue;
        q->p_alarm = 0;
        notify_from_task(CLOCK, q);
    }

    ctl_tick();                 /* control channel and held messages */
}

/* Returns the realtime clock in ticks since boot (timestamps: add
 * kernel_boottime seconds). Nothing adjusts it yet, so it equals
 * kernel_ticks; callers must not rely on that. */
clock_t_ get_realtime_ticks(void)
{
    return kernel_ticks;
}
