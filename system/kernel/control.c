/*
 * control.c: the guest side of the host control channel (docs/inject.md).
 * Platform-neutral: bytes come from arch_ctl_getc() and go out through
 * arch_ctl_write() (COM2 on the PC). Polled once per clock tick, so it
 * works while servers are down. Commands are text lines; each gets exactly
 * one JSON answer line; events are JSON lines at any time. A malformed
 * command gets an error answer. Commands that need processes (sanity, lu,
 * run) work through SYSTEM notifications carrying reasons (NOTIFY_REASON_*)
 * and kernel calls back (SYS_DIAGCTL: DIAG_SANITY, DIAG_CTL_GET,
 * DIAG_EVENT).
 */
#include "inject_kern.h"

#define CTL_LINE_MAX    256         /* longer lines are refused */
#define CTL_POLL_MAX    512         /* bytes read per tick at most */
#define SANITY_TICKS    (HZ / 2)    /* how long sanity waits for answers */
#define INVARIANT_MAX   48

int ctl_events_off;                 /* see inject_kern.h */

static char line[CTL_LINE_MAX];
static size_t line_len;
static int line_overflow;

/* The sanity round in progress. */
static struct {
    int      active;
    clock_t_ deadline;
    endpoint_t ep[NR_ALL_SLOTS];    /* asked, by slot index; NONE: not asked */
    int      answered[NR_ALL_SLOTS];
    int      result[NR_ALL_SLOTS];
    char     invariant[NR_ALL_SLOTS][INVARIANT_MAX];
} san;

/* The control request waiting for RS (one at a time). */
static struct {
    int  kind;                      /* CTL_REQ_* */
    int  state;
    char label[16];
    char args[CTL_RUN_ARGS_MAX];    /* run: the program's extra arguments */
} rs_req;

/* ---------------------------- JSON output ---------------------------- */

/* Writes the NUL-terminated s as is. */
static void out(const char *s)
{
    arch_ctl_write(s, kstrlen(s));
}

/* Writes at most n bytes of s (stopping at a NUL) as a JSON string, quoted
 * and escaped ("\"", "\\", control characters as \u00XX). */
static void out_str_n(const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char buf[8];
    size_t i;

    out("\"");
    for (i = 0; i < n && s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            buf[0] = '\\';
            buf[1] = (char)c;
            arch_ctl_write(buf, 2);
        } else if (c < 0x20 || c >= 0x7f) {
            buf[0] = '\\'; buf[1] = 'u'; buf[2] = '0'; buf[3] = '0';
            buf[4] = hex[c >> 4];
            buf[5] = hex[c & 15];
            arch_ctl_write(buf, 6);
        } else {
            arch_ctl_write((const char *)&c, 1);
        }
    }
    out("\"");
}

/* Writes s as a JSON string. */
static void out_str(const char *s)
{
    out_str_n(s, (size_t)-1);
}

/* Writes ,"key":value for a signed number (first: no leading comma). */
static void out_int(const char *key, long v, int first)
{
    char buf[48];

    ksnprintf(buf, sizeof(buf), "%s\"%s\":%ld", first ? "" : ",", key, v);
    out(buf);
}

/* Writes ,"key":"value". */
static void out_kstr(const char *key, const char *v)
{
    out(",\"");
    out(key);
    out("\":");
    out_str(v);
}

/* Writes the start of an event line: {"event":"name","tick":T */
static void event_begin(const char *name)
{
    out("{\"event\":");
    out_str(name);
    out_int("tick", (long)kernel_ticks, 0);
}

/* Writes an error answer. */
static void answer_error(const char *msg)
{
    out("{\"ok\":false,\"error\":");
    out_str(msg);
    out("}\n");
}

/* Writes {"ok":true} with no fields. */
static void answer_ok(void)
{
    out("{\"ok\":true}\n");
}

/* See inject_kern.h: the fault_fired event for fault f. */
void ctl_event_fault(const struct inj_fault *f, const char *target,
                     const char *source, int32_t type)
{
    KASSERT(f != NULL && target != NULL && source != NULL);
    if (ctl_events_off)
        return;
    event_begin("fault_fired");
    out_int("id", f->id, 0);
    out_kstr("site", inj_site_name(f->site));
    out_kstr("action", inj_action_name(f->action));
    out_kstr("target", target);
    out_kstr("source", source);
    out_int("type", (long)type, 0);
    out("}\n");
}

/* See inject_kern.h: the panic event (msg: len bytes, not terminated). */
void ctl_event_panic(const char *msg, size_t len)
{
    if (ctl_events_off)
        return;
    event_begin("panic");
    out(",\"message\":");
    out_str_n(msg, len);
    out("}\n");
}

/* ------------------------------ helpers ------------------------------ */

/* The first live process named 'name', or NULL. */
static struct proc *proc_by_name(const char *name)
{
    int idx;

    for (idx = NR_TASKS; idx < NR_ALL_SLOTS; idx++) {
        struct proc *p = &proc_table[idx];
        if (!isemptyp(p) && kstrcmp(p->p_name, name) == 0)
            return p;
    }
    return NULL;
}

/* Nonzero if s starts with the word w followed by a space or the end;
 * then *rest points past it and its spaces. */
static int word(const char *s, const char *w, const char **rest)
{
    size_t n = kstrlen(w);

    if (kstrncmp(s, w, n) != 0 || (s[n] != '\0' && s[n] != ' '))
        return 0;
    s += n;
    while (*s == ' ')
        s++;
    *rest = s;
    return 1;
}

/* Copies the next space-separated token of *s into buf (cap bytes);
 * advances *s. Returns its length, or -1 if it does not fit. */
static int token(const char **s, char *buf, size_t cap)
{
    const char *p = *s;
    size_t n = 0;

    while (*p && *p != ' ') {
        if (n + 1 >= cap)
            return -1;
        buf[n++] = *p++;
    }
    buf[n] = '\0';
    while (*p == ' ')
        p++;
    *s = p;
    return (int)n;
}

/* Parses a non-negative decimal number; -1 if s is not one. */
static long number(const char *s)
{
    long v = 0;

    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

/* ------------------------------ commands ----------------------------- */

/* fault add|clear|list. */
static void cmd_fault(const char *args)
{
    const char *rest;
    char err[INJ_ERR_LEN];
    struct inj_fault f;
    int id, i, first = 1;

    if (word(args, "add", &rest)) {
        if (inj_parse_fault(rest, kstrlen(rest), ' ', '=', &f, err, sizeof(err)) != 0) {
            answer_error(err);
            return;
        }
        if ((id = inj_add(&inj_faults, &f)) < 0) {
            answer_error("fault table full");
            return;
        }
        inj_rearm();
        out("{\"ok\":true");
        out_int("id", id, 0);
        out("}\n");
    } else if (word(args, "clear", &rest)) {
        long n = *rest ? number(rest) : 0;
        if (n < 0) {
            answer_error("fault clear: bad id");
            return;
        }
        n = inj_clear(&inj_faults, (int)n);
        inj_rearm();
        out("{\"ok\":true");
        out_int("cleared", n, 0);
        out("}\n");
    } else if (word(args, "list", &rest) && *rest == '\0') {
        out("{\"ok\":true,\"faults\":[");
        for (i = 0; i < INJ_MAX_FAULTS; i++) {
            const struct inj_fault *q = &inj_faults.f[i];
            if (q->id == 0)
                continue;
            out(first ? "{" : ",{");
            first = 0;
            out_int("id", q->id, 1);
            out_kstr("site", inj_site_name(q->site));
            out_kstr("action", inj_action_name(q->action));
            out_kstr("target", q->target[0] ? q->target : "any");
            out_kstr("source", q->source[0] ? q->source : "any");
            if (q->has_type)
                out_int("type", q->type, 0);
            out_int("nth", (long)q->nth, 0);
            out_int("persistent", q->persistent, 0);
            out_int("matches", (long)q->matches, 0);
            out_int("activations", (long)q->activations, 0);
            out("}");
        }
        out("]}\n");
    } else {
        answer_error("usage: fault add FIELDS | fault clear [ID] | fault list");
    }
}

/* ps: the kernel's process table (slots 0 and up). */
static void cmd_ps(void)
{
    int idx, first = 1;

    out("{\"ok\":true,\"procs\":[");
    for (idx = NR_TASKS; idx < NR_ALL_SLOTS; idx++) {
        struct proc *p = &proc_table[idx];
        if (isemptyp(p))
            continue;
        out(first ? "{" : ",{");
        first = 0;
        out_int("slot", p->p_nr, 1);
        out_int("ep", p->p_endpoint, 0);
        out_kstr("name", p->p_name);
        out_int("flags", (long)p->p_rts_flags, 0);
        out_int("restarts", (long)p->p_restarts, 0);
        out_int("user", (long)p->p_user_time, 0);
        out_int("sys", (long)p->p_sys_time, 0);
        out_int("pages", (long)arch_proc_pages(p), 0);
        out("}");
    }
    out("]}\n");
}

/* crash L / hang L: a one-shot sef fault on L, and wake L. */
static void cmd_crash_hang(const char *label, int action)
{
    struct inj_fault f;
    struct proc *p;
    int id;

    if (*label == '\0' || kstrlen(label) >= INJ_LABEL_LEN) {
        answer_error("usage: crash|hang LABEL");
        return;
    }
    if ((p = proc_by_name(label)) == NULL || p->p_priv == NULL ||
        !(p->p_priv->s_spec.flags & PRIV_SYS_PROC)) {
        answer_error("no such system process");
        return;
    }
    kmemset(&f, 0, sizeof(f));
    f.site = INJ_SITE_SEF;
    f.action = action;
    kstrlcpy(f.target, label, sizeof(f.target));
    f.nth = 1;
    f.prob = 1000000;
    f.seed = 1;
    if ((id = inj_add(&inj_faults, &f)) < 0) {
        answer_error("fault table full");
        return;
    }
    inj_rearm();
    notify_from_task(SYSTEM, p);
    out("{\"ok\":true");
    out_int("id", id, 0);
    out("}\n");
}

/* sanity: ask every system process; the answer comes from ctl_tick. */
static void cmd_sanity(void)
{
    int idx, n = 0;

    for (idx = 0; idx < NR_ALL_SLOTS; idx++) {
        struct proc *p = &proc_table[idx];
        san.ep[idx] = NONE;
        san.answered[idx] = 0;
        if (idx < NR_TASKS || isemptyp(p) || p->p_priv == NULL ||
            !(p->p_priv->s_spec.flags & PRIV_SYS_PROC) ||
            (p->p_rts_flags & RTS_PROC_STOP))
            continue;
        san.ep[idx] = p->p_endpoint;
        inj_add_reason(p, NOTIFY_REASON_SANITY);
        notify_from_task(SYSTEM, p);
        n++;
    }
    san.active = 1;
    san.deadline = kernel_ticks + SANITY_TICKS;
    (void)n;
}

/* Answers the sanity round if every process answered or time is up. */
static void sanity_check_done(void)
{
    int idx, first = 1;

    for (idx = 0; idx < NR_ALL_SLOTS; idx++)
        if (san.ep[idx] != NONE && !san.answered[idx] && kernel_ticks < san.deadline)
            return;
    out("{\"ok\":true,\"results\":[");
    for (idx = 0; idx < NR_ALL_SLOTS; idx++) {
        struct proc *p = &proc_table[idx];
        if (san.ep[idx] == NONE)
            continue;
        out(first ? "{\"label\":" : ",{\"label\":");
        first = 0;
        out_str(isemptyp(p) ? "?" : p->p_name);
        if (san.answered[idx] && san.result[idx] == OK) {
            out(",\"ok\":true}");
        } else {
            out(",\"ok\":false");
            out_kstr("invariant", san.answered[idx] ? san.invariant[idx] : "no answer");
            out("}");
        }
    }
    out("]}\n");
    san.active = 0;
}

/* Nonzero if s (the arguments of `run`) is shorter than CTL_RUN_ARGS_MAX
 * and made only of letters, digits, spaces and _ . , : = + - (words RS
 * passes on to the program; nothing a shell or JSON would read twice). */
static int run_args_ok(const char *s)
{
    size_t n = 0;

    for (; *s; s++, n++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == ' ' || c == '_' || c == '.' || c == ',' || c == ':' || c == '=' ||
                 c == '+' || c == '-';
        if (!ok || n + 1 >= CTL_RUN_ARGS_MAX)
            return 0;
    }
    return 1;
}

/* lu L STATE / run PROGRAM [ARGS]: queue the request for RS and wake RS.
 * ARGS (run only; checked by run_args_ok) are passed to the program after
 * the arguments of its program-table entry. */
static void cmd_rs(int kind, const char *args)
{
    char label[16], st[16];
    long state = 0;
    struct proc *rs = proc_addr(RS_PROC_NR);

    if (token(&args, label, sizeof(label)) <= 0) {
        answer_error(kind == CTL_REQ_LU ? "usage: lu LABEL STATE" : "usage: run PROGRAM [ARGS]");
        return;
    }
    if (kind == CTL_REQ_LU) {
        if (token(&args, st, sizeof(st)) <= 0 || (state = number(st)) < 0) {
            answer_error("usage: lu LABEL STATE");
            return;
        }
    }
    if (kind == CTL_REQ_RUN && !run_args_ok(args)) {
        answer_error("bad arguments (at most 199 of [A-Za-z0-9 _.,:=+-])");
        return;
    }
    if (kind != CTL_REQ_RUN && *args != '\0') {
        answer_error("too many arguments");
        return;
    }
    if (rs_req.kind != CTL_REQ_NONE) {
        answer_error("busy: RS has not taken the previous request");
        return;
    }
    if (isemptyp(rs)) {
        answer_error("no RS");
        return;
    }
    rs_req.kind = kind;
    rs_req.state = (int)state;
    kstrlcpy(rs_req.label, label, sizeof(rs_req.label));
    kstrlcpy(rs_req.args, kind == CTL_REQ_RUN ? args : "", sizeof(rs_req.args));
    inj_add_reason(rs, NOTIFY_REASON_CONTROL);
    notify_from_task(SYSTEM, rs);
    answer_ok();
}

/* Runs one command line (NUL-terminated, no newline). */
static void run_line(const char *s)
{
    const char *rest;

    while (*s == ' ')
        s++;
    if (*s == '\0') {
        answer_error("empty command");
    } else if (word(s, "fault", &rest)) {
        cmd_fault(rest);
    } else if (word(s, "ticks", &rest) && *rest == '\0') {
        out("{\"ok\":true");
        out_int("ticks", (long)kernel_ticks, 0);
        out("}\n");
    } else if (word(s, "ps", &rest) && *rest == '\0') {
        cmd_ps();
    } else if (word(s, "crash", &rest)) {
        cmd_crash_hang(rest, INJ_ACT_CRASH);
    } else if (word(s, "hang", &rest)) {
        cmd_crash_hang(rest, INJ_ACT_HANG);
    } else if (word(s, "sanity", &rest) && *rest == '\0') {
        cmd_sanity();
    } else if (word(s, "lu", &rest)) {
        cmd_rs(CTL_REQ_LU, rest);
    } else if (word(s, "run", &rest)) {
        cmd_rs(CTL_REQ_RUN, rest);
    } else {
        answer_error("unknown command");
    }
}

/* See inject_kern.h. */
int ctl_tick_busy(void)
{
    return san.active || inj_ipc_held() != 0;
}

/* See inject_kern.h. Once per tick: release held messages, finish a
 * sanity round, then read the channel (ctl_poll). */
void ctl_tick(void)
{
    inj_ipc_tick();
    if (san.active) {
        sanity_check_done();
        if (san.active)
            return;
    }
    ctl_poll();
}

/* See inject_kern.h. Reads what waits on the channel and runs complete
 * lines (not while a sanity round waits for its answers: ctl_tick goes on
 * once it is answered). Perf: besides every tick, a platform calls this as
 * soon as input arrives (i386: the COM2 receive interrupt), so a command
 * no longer waits for the next tick (up to 1 ms of an idle guest, several
 * times per experiment). Only input handling: held messages and sanity
 * deadlines still advance once per tick, so timing-based behaviour is
 * unchanged. */
void ctl_poll(void)
{
    int n, c;

    for (n = 0; n < CTL_POLL_MAX && !san.active; n++) {
        if ((c = arch_ctl_getc()) < 0)
            break;
        if (c == '\r')
            continue;
        if (c != '\n') {
            if (line_len + 1 < CTL_LINE_MAX)
                line[line_len++] = (char)c;
            else
                line_overflow = 1;
            continue;
        }
        line[line_len] = '\0';
        if (line_overflow)
            answer_error("line too long");
        else
            run_line(line);
        line_len = 0;
        line_overflow = 0;
    }
}

/* See inject_kern.h: the SYS_DIAGCTL codes of injection and control.
 * Returns OK or EINVAL, E2BIG, EFAULT, EPERM. */
int ctl_diagctl(struct proc *caller, message *m)
{
    mess_sys_diagctl *d = &m->m_sys_diagctl;
    char buf[256];
    size_t nl;
    int idx, r;

    KASSERT(caller != NULL && m != NULL);
    idx = SLOT_INDEX(caller->p_nr);
    switch (d->code) {
    case DIAG_EVENT:
        if (d->len == 0 || d->len >= sizeof(buf))
            return E2BIG;
        if ((r = arch_copy_from_proc(caller, d->buf, buf, d->len)) != OK)
            return r;
        if (ctl_events_off)
            return OK;          /* checked and read as always, not written */
        buf[d->len] = '\0';
        nl = kstrlen(buf);
        event_begin(buf);
        if (nl + 1 < d->len) {
            size_t i;
            for (i = nl + 1; i < d->len; i++)   /* no line breaks inside */
                if (buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\0')
                    buf[i] = ' ';
            out(",");
            arch_ctl_write(buf + nl + 1, d->len - nl - 1);
        }
        out("}\n");
        return OK;
    case DIAG_INJECT_GET:
        inj_sef_get(caller, m);
        return OK;
    case DIAG_SANITY:
        if (!san.active || san.ep[idx] != caller->p_endpoint)
            return OK;              /* late or unasked: ignored */
        san.answered[idx] = 1;
        san.result[idx] = m->m_i32.i[3];
        san.invariant[idx][0] = '\0';
        if (d->len > 0) {
            size_t n = d->len < INVARIANT_MAX - 1 ? d->len : INVARIANT_MAX - 1;
            if (arch_copy_from_proc(caller, d->buf, san.invariant[idx], n) == OK)
                san.invariant[idx][n] = '\0';
            else
                kstrlcpy(san.invariant[idx], "?", INVARIANT_MAX);
        }
        return OK;
    case DIAG_CTL_GET:
        if (caller->p_nr != RS_PROC_NR)
            return EPERM;
        m->m_i32.i[4] = rs_req.kind;
        m->m_i32.i[5] = rs_req.state;
        if (rs_req.kind != CTL_REQ_NONE) {
            if (d->len < sizeof(rs_req.label))
                return E2BIG;
            if ((r = arch_copy_to_proc(caller, d->buf, rs_req.label,
                                       sizeof(rs_req.label))) != OK)
                return r;
            if (d->len >= sizeof(rs_req.label) + sizeof(rs_req.args) &&
                (r = arch_copy_to_proc(caller, d->buf + sizeof(rs_req.label), rs_req.args,
                                       sizeof(rs_req.args))) != OK)
                return r;
        }
        rs_req.kind = CTL_REQ_NONE;
        return OK;
    default:
        return EINVAL;
    }
}
