/*
 * decode.h: the `system` harness's input format (system.c's header
 * comment), as pure functions from bytes to steps and from a step to what
 * it does. One decoder, three users:
 *
 *  - fuzz/system/system.c, the harness, on the host platform simulator;
 *  - fuzz/tools/system_decode.c, which prints an input's steps as JSON
 *    lines for `./crucible replay-fuzz` (docs/fuzzing.md);
 *  - system/commands/workloads/fuzzplay, the guest program that makes the
 *    puppets' calls in QEMU: it gets the call steps' bytes and decodes them
 *    here again, so a request is built the same way in both worlds.
 *
 * Nothing here touches the system: no I/O, no state beyond the cursor.
 * Needs the crucible headers (host or guest).
 */
#ifndef FUZZ_SYSTEM_DECODE_H
#define FUZZ_SYSTEM_DECODE_H

#include <stdio.h>
#include <string.h>
#include <crucible/com.h>
#include <crucible/endpoint.h>
#include <crucible/ipc.h>

#include "fuzz_common.h"

#define SYSD_MAX_STEPS 48       /* an input ends after this many steps */
#define SYSD_MAX_USERS 6        /* user puppets at most (3 at boot) */
#define SYSD_BOOT_USERS 3

/* The step kinds: the op byte % 10. */
enum sysd_op {
    SYSD_PM, SYSD_DS, SYSD_HELLO, SYSD_CRASH, SYSD_FAULT,
    SYSD_TICK, SYSD_RUN, SYSD_PUPPET, SYSD_PENDING, SYSD_SUBSCRIBE,
};

/* One decoded step: the op and its bytes. x is the extra byte of a PM
 * KILL (the pid) and of a fault entry (persistent, type choice); has_x
 * says whether the step took it. */
struct sysd_step {
    int op;
    uint8_t a, b, x;
    int has_x;
};

/* The PM request type selected by b (b % 8). */
static inline int32_t sysd_pm_type(uint8_t b)
{
    static const int32_t types[8] = { PM_GETPID, PM_GETPPID, PM_FORK, PM_EXIT, PM_WAIT,
                                      PM_KILL, PM_SIGACTION, PM_GETTIME };
    return types[b % 8];
}

/* Reads the next step at *in (never fails: missing bytes read as 0). */
static inline void sysd_next(struct fz_in *in, struct sysd_step *s)
{
    s->op = fz_u8(in) % 10;
    s->a = fz_u8(in);
    s->b = fz_u8(in);
    s->x = 0;
    s->has_x = (s->op == SYSD_PM && sysd_pm_type(s->b) == PM_KILL) || s->op == SYSD_FAULT;
    if (s->has_x)
        s->x = fz_u8(in);
}

/* The service a crash step (a) or a fault step (b) names. Never rs. */
static inline const char *sysd_label(uint8_t v)
{
    static const char *const labels[5] = { "ds", "pm", "vm", "tty", "hello" };
    return labels[v % 5];
}

/* The user puppet (index in the harness's table) a call step is made by,
 * when nr_users puppets are alive. */
static inline int sysd_puppet(const struct sysd_step *s, int nr_users)
{
    return nr_users ? s->a % nr_users : 0;
}

/* Clock ticks of a tick step; scheduling steps of a run step. */
static inline int sysd_ticks(const struct sysd_step *s)
{
    return 1 + s->a % 16;
}

static inline long sysd_run_steps(const struct sysd_step *s)
{
    return 16L * s->a + 1;
}

/* Fills *m (zeroed first) with the request of a PM, DS or HELLO call step,
 * or of a subscribe step: b % 4 == 0 the DS_SUBSCRIBE of a system process
 * (its DS_CHECK: sysd_check_request), else the HELLO_WATCH that makes
 * hello a subscriber to process events (1 answer, 2 hold, 3 stop), by
 * user puppet sysd_puppet. Returns the destination endpoint, or NONE for
 * a step that makes no call. */
static inline endpoint_t sysd_request(const struct sysd_step *s, message *m)
{
    memset(m, 0, sizeof *m);
    switch (s->op) {
    case SYSD_PM:
        m->m_type = sysd_pm_type(s->b);
        m->m_pm.status = s->b >> 3;
        m->m_pm.pid = -1;
        m->m_pm.options = (s->b & 8) ? WNOHANG : 0;
        m->m_pm.sig = (s->b >> 3) % 32;
        if (m->m_type == PM_KILL)
            m->m_pm.pid = s->x % 12 - 1;
        if (m->m_type == PM_SIGACTION)
            m->m_pm.options = 1;
        return PM_PROC_NR;
    case SYSD_DS:
        m->m_type = (s->b & 1) ? DS_RETRIEVE : DS_PUBLISH;
        snprintf(m->m_ds.key, sizeof m->m_ds.key, "k%d", (s->b >> 1) % 4);
        m->m_ds.flags = DSF_TYPE_U32 | ((s->b & 1) ? 0 : DSF_OVERWRITE);
        m->m_ds.value = s->b;
        return DS_PROC_NR;
    case SYSD_HELLO:
        m->m_type = (s->b & 1) ? HELLO_CRASH : HELLO_GET;
        return HELLO_PROC_NR;
    case SYSD_SUBSCRIBE:
        if (s->b % 4 != 0) {
            static const int32_t modes[3] = { HELLO_WATCH_ANSWER, HELLO_WATCH_HOLD,
                                              HELLO_WATCH_STOP };

            m->m_type = HELLO_WATCH;
            m->m_hello.value = modes[s->b % 4 - 1];
            return HELLO_PROC_NR;
        }
        m->m_type = DS_SUBSCRIBE;
        snprintf(m->m_ds.key, sizeof m->m_ds.key, ".*");
        m->m_ds.flags = DSF_INITIAL;
        return DS_PROC_NR;
    default:
        return NONE;
    }
}

/* The DS_CHECK a subscribe step makes after its subscribe succeeded. */
static inline void sysd_check_request(message *m)
{
    memset(m, 0, sizeof *m);
    m->m_type = DS_CHECK;
}

/* Writes the fault-plan entry of a fault step (docs/inject.md syntax, the
 * arguments of `fault add`) to buf. Returns snprintf's result. */
static inline int sysd_fault_record(const struct sysd_step *s, char *buf, size_t len)
{
    static const char *const faults[] = {
        "site=sef action=crash", "site=sef action=panic", "site=sef action=exit",
        "site=sef action=hang", "site=sef action=reply_error arg=-5",
        "site=ipc action=drop", "site=ipc action=delay arg=3", "site=ipc action=duplicate",
        "site=ipc action=corrupt arg=8 mask=255", "site=ipc action=reorder",
        "site=kcall action=fail arg=-5",
    };
    const size_t nr = sizeof faults / sizeof faults[0];
    const char *type = "";
    char tbuf[32];

    switch ((s->x >> 1) & 3) {
    case 1:
        snprintf(tbuf, sizeof tbuf, " type=%#x",
                 s->b % 5 == 0 ? DS_PUBLISH : s->b % 5 == 1 ? PM_GETPID : HELLO_GET);
        type = tbuf;
        break;
    case 2: type = " type=0xc00"; break;
    case 3: type = " type=0x1000"; break;
    }
    return snprintf(buf, len, "%s target=%s nth=%d persistent=%d%s", faults[s->a % nr],
                    sysd_label(s->b), 1 + (s->b >> 3) % 4, s->x & 1, type);
}

#endif
