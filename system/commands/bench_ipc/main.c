/*
 * bench_ipc: the IPC round-trip benchmark, run inside the guest.
 *
 * Two system processes started by RS from this one module: the client
 * (label bench_ipc) and its peer (label bench_peer, argument "peer"). The
 * client makes N SENDREC round trips to the peer, which answers each with a
 * SEND, and prints
 *
 *     crucible-bench: ipc roundtrips=N ticks=T
 *
 * The host turns T into time: in wall-clock runs one tick is 1/HZ s; under
 * QEMU -icount shift=0 one guest instruction takes 1 ns of virtual time, so
 * T ticks of 1 ms are T * 1e6 guest instructions (orchestrator/bench.py).
 */
#include <crucible/sef.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_ROUNDTRIPS 100000
#define BENCH_REQUEST      0x7b0   /* below NOTIFY_MESSAGE, unused elsewhere */


/* peer: answer every benchmark request with an empty reply, forever. */
static void peer(void)
{
    message m;

    for (;;) {
        if (sef_receive(&m) != OK)
            continue;
        if (m.m_type != BENCH_REQUEST)
            continue;
        m.m_type = OK;
        ipc_send(m.m_source, &m);
    }
}

/* client: time 'n' round trips to the peer and print the result line. */
static int client(int n)
{
    endpoint_t ep;
    int r;
    message m;

    if ((r = rs_program_up("bench_peer", &ep)) != OK) {
        printf("crucible-bench: ipc error starting peer: %d\n", r);
        return 1;
    }
    /* Warm up: the first round trips fault in nothing, but settle caches. */
    for (int i = 0; i < 100; i++) {
        m.m_type = BENCH_REQUEST;
        if ((r = ipc_sendrec(ep, &m)) != OK) {
            printf("crucible-bench: ipc error in round trip: %d\n", r);
            return 1;
        }
    }
    clock_t_ t0 = getticks();
    for (int i = 0; i < n; i++) {
        m.m_type = BENCH_REQUEST;
        ipc_sendrec(ep, &m);
    }
    clock_t_ t1 = getticks();
    printf("crucible-bench: ipc roundtrips=%d ticks=%u\n", n, (unsigned)(t1 - t0));
    rs_program_down("bench_peer");
    return 0;
}

/* main: "peer" as the first argument makes this instance the peer; a number
 * sets the count of round trips. */
int main(int argc, char **argv)
{
    sef_startup();
    if (argc > 1 && strcmp(argv[1], "peer") == 0)
        peer();
    int n = argc > 1 ? atoi(argv[1]) : DEFAULT_ROUNDTRIPS;
    if (n <= 0)
        n = DEFAULT_ROUNDTRIPS;
    sys_exit(client(n));
    return 0;
}
