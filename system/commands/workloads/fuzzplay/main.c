/*
 * fuzzplay HEX...: makes, as itself, the calls of a `system` fuzz input's
 * call steps (./crucible replay-fuzz, docs/fuzzing.md). The arguments are
 * the steps' bytes in hex (any split into words); they are decoded with
 * the harness's decoder (fuzz/system/decode.h), so every request is the
 * one the harness builds. PM, DS and HELLO steps become one SENDREC each
 * to that server; a subscribe step is HELLO_WATCH, or DS_SUBSCRIBE then
 * (if it succeeded) DS_CHECK; every other step is skipped (the host
 * replays it through the control channel). Which puppet a step names does
 * not matter: this one process makes every call.
 *
 * Prints one line per call, `fuzzplay: step N type T -> R reply Y`, then
 * `crucible-workload: fuzzplay ok calls=N` or `crucible-workload: fuzzplay
 * error <what>`, and exits with 0, or 1 when a reply broke the harness's
 * oracle (a reply type that is not OK, a pid or a crucible error) or the
 * arguments are not hex. Status 2: the arguments do not fit.
 */
#include <stdio.h>
#include <crucible/syslib.h>
#include <crucible/sef.h>

#include "decode.h"

#define FP_MAX_BYTES 512

/* Value of hex digit c, or -1. */
static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Appends the bytes of hex word s to buf (*n used of FP_MAX_BYTES).
 * Returns 0, 1 if s is not hex, 2 if it does not fit. */
static int unhex(const char *s, uint8_t *buf, size_t *n)
{
    for (; s[0] != '\0'; s += 2) {
        int hi = hexval(s[0]), lo = s[1] ? hexval(s[1]) : -1;

        if (hi < 0 || lo < 0)
            return 1;
        if (*n >= FP_MAX_BYTES)
            return 2;
        buf[(*n)++] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

/* One SENDREC of *m to dst by this process; prints it. Returns 0, or 1 if
 * the reply breaks the oracle. *r gets the call's result. */
static int call(int step, endpoint_t dst, message *m, int *r)
{
    int32_t type = m->m_type;

    *r = ipc_sendrec(dst, m);
    printf("fuzzplay: step %d type %#x -> %d reply %d\n", step, (unsigned)type, *r,
           (int)m->m_type);
    if (*r == OK && m->m_type < EGENERIC) {   /* not OK, a pid or an error */
        printf("crucible-workload: fuzzplay error step %d reply %d\n", step, (int)m->m_type);
        return 1;
    }
    return 0;
}

/* Decodes the steps and makes their calls; the exit status. */
static int play(const uint8_t *bytes, size_t n)
{
    struct fz_in in;
    struct sysd_step s;
    message m;
    int step, calls = 0, r;

    fz_init(&in, bytes, n);
    for (step = 0; !fz_done(&in); step++) {
        endpoint_t dst;

        sysd_next(&in, &s);
        if ((dst = sysd_request(&s, &m)) == NONE)
            continue;
        calls++;
        if (call(step, dst, &m, &r))
            return 1;
        if (s.op == SYSD_SUBSCRIBE && dst == DS_PROC_NR && r == OK) {
            sysd_check_request(&m);
            calls++;
            if (call(step, DS_PROC_NR, &m, &r))
                return 1;
        }
    }
    printf("crucible-workload: fuzzplay ok calls=%d\n", calls);
    return 0;
}

int main(int argc, char **argv)
{
    static uint8_t bytes[FP_MAX_BYTES];
    size_t n = 0;
    int i, r;

    sef_startup();              /* answer RS's init, like every program RS starts */
    for (i = 1; i < argc; i++) {
        if ((r = unhex(argv[i], bytes, &n)) != 0) {
            printf("crucible-workload: fuzzplay error argument %d %s\n", i,
                   r == 1 ? "is not hex" : "too long");
            sys_exit(r);
            return r;
        }
    }
    r = play(bytes, n);
    sys_exit(r);
    return r;
}
