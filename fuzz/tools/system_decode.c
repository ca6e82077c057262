/*
 * system_decode FILE: prints the steps the `system` harness decodes from
 * FILE (fuzz/system/decode.h, the same decoder), one JSON object a line,
 * for `./crucible replay-fuzz` (orchestrator/replay_fuzz.py). Every step
 * has "step", "op" (pm, ds, hello, crash, fault, tick, run, puppet,
 * pending, subscribe), "bytes" (the step's bytes in hex, op byte reduced to
 * op % 10, for the guest program fuzzplay) and what it does:
 *   pm/ds/hello: "puppet" (index of the user puppet), "type" (message type)
 *   subscribe: "type" (DS_SUBSCRIBE, made by the system puppet, or
 *   HELLO_WATCH, then also "puppet" and "mode": HELLO_WATCH_*)
 *   crash: "label"; fault: "record" (the `fault add` arguments);
 *   tick: "ticks"; run: "steps"; puppet: "created" (0: the table was full);
 *   pending: "puppet".
 * Exit status 0, or 2 when FILE cannot be read (message on stderr).
 * The harness also ends an input at a shutdown, which only running it can
 * tell: the steps after one are printed all the same.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

#define MAX_INPUT (1 << 20)

static const char *const OP_NAMES[10] = {
    "pm", "ds", "hello", "crash", "fault", "tick", "run", "puppet", "pending", "subscribe",
};

/* Prints one step's JSON line; updates *nr_users for a puppet step. */
static void print_step(int i, const struct sysd_step *s, int *nr_users)
{
    message m;
    char rec[160];

    printf("{\"step\":%d,\"op\":\"%s\",\"bytes\":\"%02x%02x%02x", i, OP_NAMES[s->op], s->op,
           s->a, s->b);
    if (s->has_x)
        printf("%02x", s->x);
    printf("\"");
    sysd_request(s, &m);
    switch (s->op) {
    case SYSD_PM:
    case SYSD_DS:
    case SYSD_HELLO:
        printf(",\"puppet\":%d,\"type\":%d", sysd_puppet(s, *nr_users), (int)m.m_type);
        break;
    case SYSD_CRASH:
        printf(",\"label\":\"%s\"", sysd_label(s->a));
        break;
    case SYSD_FAULT:
        sysd_fault_record(s, rec, sizeof rec);
        printf(",\"record\":\"%s\"", rec);
        break;
    case SYSD_TICK:
        printf(",\"ticks\":%d", sysd_ticks(s));
        break;
    case SYSD_RUN:
        printf(",\"steps\":%ld", sysd_run_steps(s));
        break;
    case SYSD_PUPPET:
        printf(",\"created\":%d", *nr_users < SYSD_MAX_USERS);
        if (*nr_users < SYSD_MAX_USERS)
            (*nr_users)++;
        break;
    case SYSD_PENDING:
        printf(",\"puppet\":%d", sysd_puppet(s, *nr_users));
        break;
    case SYSD_SUBSCRIBE:
        printf(",\"type\":%d", (int)m.m_type);
        if (m.m_type == HELLO_WATCH)
            printf(",\"puppet\":%d,\"mode\":%d", sysd_puppet(s, *nr_users),
                   (int)m.m_hello.value);
        break;
    default:
        break;
    }
    printf("}\n");
}

int main(int argc, char **argv)
{
    static uint8_t data[MAX_INPUT];
    struct fz_in in;
    struct sysd_step s;
    size_t n;
    int i, nr_users = SYSD_BOOT_USERS;
    FILE *f;

    if (argc != 2) {
        fprintf(stderr, "usage: system_decode FILE\n");
        return 2;
    }
    if ((f = fopen(argv[1], "rb")) == NULL) {
        fprintf(stderr, "system_decode: cannot read %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    n = fread(data, 1, sizeof data, f);
    if (ferror(f)) {
        fprintf(stderr, "system_decode: cannot read %s: %s\n", argv[1], strerror(errno));
        fclose(f);
        return 2;
    }
    fclose(f);
    fz_init(&in, data, n);
    for (i = 0; i < SYSD_MAX_STEPS && !fz_done(&in); i++) {
        sysd_next(&in, &s);
        print_step(i, &s, &nr_users);
    }
    return 0;
}
