/*
 * trace.c (host platform simulator): the message trace (every delivered
 * message: a ring of the last ones and a running digest) and the console
 * (what processes print; a "crucible: sanity FAIL" line stops the run).
 *
 * Sanity: servers booted with sanity=1 check their invariants after every
 * message and print "crucible: sanity FAIL <label> <invariant>" on a
 * violation (lib/sys/sef_sanity.c). The traps that carry console output
 * (SENDNB of TTY_WRITE_INLINE to TTY, SYS_DIAGCTL DIAG_PRINT) are read
 * here line by line; such a line stops the run with HOSTSIM_VIOLATION
 * before the server goes on to panic.
 */
#include "kernel.h"
#include "inject_kern.h"
#include "hs.h"
#include "hs_kernel.h"
#include "hostsim.h"
#include "hs_sched.h"
#include "../../../../lib/sys/arch/host/hostsim_abi.h"

/* libc of the host (the kernel headers clash with <stdio.h>'s friends only
 * for errno/signal names, which this file does not use) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- system state (checkpointed with our writable segments) ---- */
static size_t console_len;
/* probe detection (hs_note_copy_*) */
static struct proc *last_from_p;
static vir_bytes last_from_v;
static message last_from_m;

/* FNV-1a of n bytes. */
static uint32_t fnv(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint32_t h = 2166136261u;

    while (n--)
        h = (h ^ *b++) * 16777619u;
    return h;
}

/* ================= console and sanity lines ================= */

/* See hs.h: appends to the console (and stdout if asked). */
void hs_console_out(const char *s, size_t len)
{
    size_t n = len;

    if (cfg.console)
        fwrite(s, 1, len, stdout);
    if (!ps)
        return;
    if (n > CONSOLE_MAX - console_len)
        n = CONSOLE_MAX - console_len;
    memcpy(ps->console + console_len, s, n);
    console_len += n;
    ps->console[console_len] = '\0';
}

/* A complete console line of instance i: a sanity failure stops the run. */
static void console_line(const char *line)
{
    static const char tag[] = "crucible: sanity FAIL ";
    const char *l, *sp;

    if (strncmp(line, tag, sizeof tag - 1) != 0 || status != 0)
        return;
    l = line + sizeof tag - 1;
    sp = strchr(l, ' ');
    memset(&violation, 0, sizeof violation);
    snprintf(violation.label, sizeof violation.label, "%.*s",
             (int)(sp ? (size_t)(sp - l) : strlen(l)), l);
    snprintf(violation.invariant, sizeof violation.invariant, "%s", sp ? sp + 1 : "?");
    violation.message_index = trace_count;
    status = 3;
    snprintf(status_detail, sizeof status_detail, "sanity violation: %s: %s (after message %llu)",
             violation.label, violation.invariant, (unsigned long long)trace_count);
}

/* Feeds n bytes of console output of instance i to its line buffer. */
static void console_bytes(int i, const char *s, size_t n)
{
    struct hs_inst *in = &hs_insts[i];

    while (n--) {
        char c = *s++;

        if (c == '\n' || in->line_len >= sizeof in->line - 1) {
            in->line[in->line_len] = '\0';
            console_line(in->line);
            in->line_len = 0;
            if (c == '\n')
                continue;
        }
        in->line[in->line_len++] = c;
    }
}

/* See hs_sched.h (the file comment says which traps print). */
void watch_trap(int i, struct proc *p)
{
    struct hs_inst *in = &hs_insts[i];
    const message *m;

    if (in->trap_kind == HOSTSIM_TRAP_IPC) {
        if ((in->trap_prim != IPC_SENDNB && in->trap_prim != IPC_SEND) ||
            in->trap_ep != TTY_PROC_NR)
            return;
        m = hs_uptr(i, in->trap_msg, sizeof *m, 0);
        if (m && m->m_type == TTY_WRITE_INLINE && m->m_tty.len <= sizeof m->m_tty.data)
            console_bytes(i, m->m_tty.data, m->m_tty.len);
    } else {
        const char *b;

        m = hs_uptr(i, in->trap_msg, sizeof *m, 0);
        if (!m || m->m_type != SYS_DIAGCTL || m->m_sys_diagctl.code != DIAG_PRINT ||
            m->m_sys_diagctl.len > 4096)
            return;
        b = hs_uptr(i, m->m_sys_diagctl.buf, m->m_sys_diagctl.len, 0);
        if (b)
            console_bytes(i, b, m->m_sys_diagctl.len);
    }
    (void)p;
}

/* ================= trace ================= */

/* Records one delivered message m to p: counts it and, when the config
 * asks for the trace, adds it to the digest and the ring. Without the
 * trace (the fuzzers) the payload is not hashed: a byte loop over every
 * delivered message, for a digest nobody reads (hostsim.h: cfg.trace). */
static void trace_add(struct proc *p, const message *m)
{
    struct hostsim_trace_entry e;

    if (!cfg.trace) {
        trace_count++;
        return;
    }
    e.index = trace_count;
    e.tick = kernel_ticks;
    e.src = m->m_source;
    e.dst = p->p_endpoint;
    e.type = m->m_type;
    e.hash = fnv(m, sizeof *m);
    trace_digest ^= ((uint64_t)e.hash << 32) ^ (uint32_t)e.src ^ ((uint64_t)(uint32_t)e.dst << 16) ^
                    ((uint64_t)(uint32_t)e.type << 8) ^ ((uint64_t)e.tick << 40);
    trace_digest *= 0x100000001B3ULL;
    trace_count++;
    if (ps)
        ps->ring[e.index % TRACE_RING] = e;
}

/* See hs_kernel.h. */
void hs_note_copy_from(struct proc *p, vir_bytes src, const void *k, size_t len)
{
    if (len != sizeof(message))
        return;
    if (p == kc_proc && src == kc_msg) {
        /* A kernel call's own message: a copy back to it is its reply,
         * never a delivery (hs_note_copy_to), so there is no probe to
         * recognise; forgetting the last copy decides every other copy
         * as recording this one would, without copying it. */
        last_from_p = NULL;
        return;
    }
    last_from_p = p;
    last_from_v = src;
    hs_msg_copy(&last_from_m, k);
}

/* Nonzero if the messages at a and b are equal. A word loop, not memcmp:
 * a fuzz build intercepts memcmp and hands both buffers to the engine's
 * comparison tables, which cost more than the compare on every delivered
 * message and are not about the input. */
static int msg_eq(const void *a, const void *b)
{
    const unsigned char *x = a, *y = b;
    uint64_t d = 0, u, v;
    size_t i;

    for (i = 0; i < sizeof(message); i += sizeof u) {
        __builtin_memcpy(&u, x + i, sizeof u);      /* any alignment */
        __builtin_memcpy(&v, y + i, sizeof v);
        d |= u ^ v;
    }
    return d == 0;
}

/* See hs_kernel.h. */
void hs_note_copy_to(struct proc *p, vir_bytes dst, const void *k, size_t len)
{
    int probe;

    if (len != sizeof(message))
        return;
    /* The cheap tests first: whatever they decide, the last copy from a
     * process is forgotten, as after a probe's write-back; so the compare
     * is needed only for a copy that could be a delivery. */
    probe = p == last_from_p && dst == last_from_v;
    last_from_p = NULL;
    if (p == kc_proc && dst == kc_msg)
        return;                         /* a kernel call's reply */
    if (dst != p->p_recv_buf)
        return;
    if (probe && msg_eq(k, &last_from_m))
        return;                         /* probe_msg_buf writing back */
    trace_add(p, k);
}


/* See hs_sched.h. */
void trace_boot(void)
{
    trace_count = 0;
    trace_digest = 0xcbf29ce484222325ULL;
    console_len = 0;
    ps->console[0] = '\0';
}

/* See hostsim.h. */
API uint64_t hostsim_trace_digest(void)
{
    uint64_t d = trace_digest;

    d = (d ^ trace_count) * 0x100000001B3ULL;
    d = (d ^ kernel_ticks) * 0x100000001B3ULL;
    return d;
}

/* See hostsim.h. */
API uint64_t hostsim_trace_count(void)
{
    return trace_count;
}

/* See hostsim.h. */
API size_t hostsim_trace_last(struct hostsim_trace_entry *out, size_t n)
{
    uint64_t have = trace_count < TRACE_RING ? trace_count : TRACE_RING, k;

    if (!ps || !cfg.trace)
        return 0;
    if (n > have)
        n = (size_t)have;
    for (k = 0; k < n; k++)
        out[k] = ps->ring[(trace_count - n + k) % TRACE_RING];
    return n;
}

/* See hostsim.h. */
API void hostsim_trace_dump(FILE *f)
{
    /* on the heap: a static buffer would be part of every checkpoint */
    struct hostsim_trace_entry *buf = malloc(TRACE_RING * sizeof *buf);
    size_t n = buf ? hostsim_trace_last(buf, TRACE_RING) : 0, k;

    fprintf(f, "# hostsim trace: %llu messages, digest %016llx\n",
            (unsigned long long)trace_count, (unsigned long long)hostsim_trace_digest());
    for (k = 0; k < n; k++)
        fprintf(f, "%llu tick=%u src=%d dst=%d type=%#x hash=%08x\n",
                (unsigned long long)buf[k].index, buf[k].tick, buf[k].src, buf[k].dst,
                (unsigned)buf[k].type, buf[k].hash);
    free(buf);
}


/* See hostsim.h. */
API const char *hostsim_console(void)
{
    return ps ? ps->console : "";
}

