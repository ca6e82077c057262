/*
 * ticks.c (host platform simulator): simulated time. The platform's only
 * freedom in scheduling is when a clock tick arrives; that is a seeded
 * choice: a tick after every K..K+K/2 steps (K = tick_every, jitter from
 * the seed). When nothing but puppets is runnable the system is idle:
 * time jumps to the next alarm if it is within the call's idle budget
 * (idle_ticks), otherwise the system is quiescent.
 */
#include "kernel.h"
#include "inject_kern.h"
#include "hs.h"
#include "hs_kernel.h"
#include "hostsim.h"
#include "hs_sched.h"

/* libc of the host (the kernel headers clash with <stdio.h>'s friends only
 * for errno/signal names, which this file does not use) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- system state (checkpointed with our writable segments) ---- */
static uint64_t rng;                    /* xorshift64* state */
static long since_tick, tick_at;

/* Returns the next seeded random number. */
static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1DULL;
}

/* Chooses the number of steps before the next clock tick. */
static void next_tick_at(void)
{
    long k = cfg.tick_every ? (long)cfg.tick_every : 64;

    tick_at = k + (long)(rnd() % (uint64_t)(k / 2 + 1));
}


/* See hs_sched.h. */
void ticks_boot(uint64_t seed)
{
    rng = seed * 0x9E3779B97F4A7C15ULL + 0x1234567ULL;
    if (!rng)
        rng = 1;
    next_tick_at();
    since_tick = 0;
}

/* See hs_sched.h. */
int ticks_step(void)
{
    if (++since_tick < tick_at)
        return 0;
    since_tick = 0;
    next_tick_at();
    kernel_clock_tick();
    return 1;
}

/* The earliest pending alarm, or 0. */
static clock_t_ next_alarm(void)
{
    clock_t_ t = 0;
    int idx;

    for (idx = NR_TASKS; idx < NR_ALL_SLOTS; idx++) {
        const struct proc *q = &proc_table[idx];

        if (!isemptyp(q) && q->p_alarm && (t == 0 || q->p_alarm < t))
            t = q->p_alarm;
    }
    return t;
}

/* See hs_sched.h. Optimisation: a fuzzer's call that leaves a puppet
 * blocked idles through up to idle_ticks ticks (2000 by default), and the
 * servers' alarms are far apart, so ticking one by one made
 * kernel_clock_tick (a scan of the process table per tick) most of the
 * time of an execution. A tick before the earliest alarm, with no process
 * current, no held message, no sanity round and no control-channel input,
 * only counts (kernel/clock.c, ctl_tick): those are skipped by setting
 * the clock to the tick before the alarm, and the alarm's own tick is
 * delivered as usual. Same ticks, same deliveries, same trace digest. */
int ticks_idle(void)
{
    clock_t_ t = next_alarm();

    if (t == 0 || (long)(t - kernel_ticks) > idle_budget)
        return HOSTSIM_STUCK;
    idle_budget -= (long)(t - kernel_ticks);
    current_proc = NULL;
    if (t - kernel_ticks > 1 && !ctl_tick_busy() && !host_ctl_pending())
        kernel_ticks = t - 1;
    while (kernel_ticks < t && status == 0)
        kernel_clock_tick();
    since_tick = 0;
    return 0;
}

/* See hostsim.h. */
API long hostsim_tick(long n_)
{
    volatile long n = n_, steps = 0;
    long s;
    int r = 0;

    if (!booted)
        return HOSTSIM_EINVAL;
    ENTER();
    while (n-- > 0 && status == 0) {
        current_proc = NULL;
        kernel_clock_tick();
        idle_budget = 0;
        r = run_loop(call_max_steps(), NULL, NULL, &s);
        steps += s;
        if (r == HOSTSIM_HALTED || r == HOSTSIM_VIOLATION || r == RUN_BUDGET)
            break;
    }
    LEAVE();
    if (r == RUN_BUDGET)
        return HOSTSIM_BUSY;
    if (r == HOSTSIM_HALTED || r == HOSTSIM_VIOLATION)
        return r;
    return steps;
}
/* See hostsim.h. */
API uint32_t hostsim_ticks(void)
{
    return kernel_ticks;
}

