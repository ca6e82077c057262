/* PM process table: pids, records, wait matching, re-parenting, the
 * invariants, and a fork/exit/wait cycle that must not leak slots. */
#include <string.h>
#include <crucible/errno.h>
#include "ptab.h"
#include "unit.h"

static struct mproc tab[NR_PROCS];
static int next_pid;

/* boot: PM and RS as system processes, init pid 1, as PM builds it. */
static void boot(void)
{
    ptab_init(tab);
    next_pid = 2;
    CHECK(ptab_record(tab, INIT_PROC_NR, ENDPOINT(0, INIT_PROC_NR), INIT_PID,
                      INIT_PROC_NR, 0, "init") == OK);
    CHECK(ptab_record(tab, PM_PROC_NR, PM_PROC_NR, ptab_alloc_pid(tab, &next_pid),
                      PM_PROC_NR, PRIV_PROC, "pm") == OK);
    CHECK(ptab_record(tab, RS_PROC_NR, RS_PROC_NR, ptab_alloc_pid(tab, &next_pid),
                      RS_PROC_NR, PRIV_PROC, "rs") == OK);
}

/* fork_at: record a child of slot parent at slot with generation gen;
 * returns its pid. */
static int fork_at(int parent, int slot, int gen)
{
    int pid = ptab_alloc_pid(tab, &next_pid);
    CHECK(pid >= 2);
    CHECK(ptab_record(tab, slot, ENDPOINT(gen, slot), pid, parent, 0, "child") == OK);
    return pid;
}

/* die: make the process at slot a zombie the way exit_proc does (children
 * to init first). */
static void die(int slot, int status)
{
    ptab_reparent(tab, slot, INIT_PROC_NR);
    tab[slot].mp_exitstatus = status & 0xff;
    tab[slot].mp_flags |= ZOMBIE;
}

static void test_pids(void)
{
    const char *inv = "";
    boot();
    CHECK(ptab_find_pid(tab, 1) == INIT_PROC_NR);
    CHECK(ptab_find_pid(tab, 0) == NO_SLOT);
    CHECK(ptab_find_pid(tab, -1) == NO_SLOT);
    CHECK(ptab_check(tab, &inv) == OK);
    int p = fork_at(INIT_PROC_NR, 20, 0);
    CHECK(p == 4);
    /* pids in use (zombies too) are skipped, and allocation wraps. */
    next_pid = PID_MAX - 1;
    int q = ptab_alloc_pid(tab, &next_pid);
    CHECK(q == PID_MAX - 1);
    int r = ptab_alloc_pid(tab, &next_pid);
    CHECK(r == 5);                      /* 2, 3 (pm, rs), 4 (child) taken */
    CHECK(ptab_check(tab, &inv) == OK);
}

static void test_lookup(void)
{
    boot();
    fork_at(INIT_PROC_NR, 30, 3);
    CHECK(ptab_lookup(tab, ENDPOINT(3, 30)) == &tab[30]);
    CHECK(ptab_lookup(tab, ENDPOINT(2, 30)) == NULL);   /* stale */
    CHECK(ptab_lookup(tab, ENDPOINT(0, 31)) == NULL);   /* free */
    CHECK(ptab_lookup(tab, ANY) == NULL);
    CHECK(ptab_lookup(tab, SYSTEM) == NULL);
    CHECK(ptab_lookup(tab, ENDPOINT(0, NR_PROCS)) == NULL);
    /* a user process's slot cannot be taken; a stale system record can */
    CHECK(ptab_record(tab, 30, ENDPOINT(4, 30), 99, INIT_PROC_NR, 0, "x") == EEXIST);
    CHECK(ptab_record(tab, RS_PROC_NR, ENDPOINT(1, RS_PROC_NR), 98, RS_PROC_NR,
                      PRIV_PROC, "rs") == OK);
    CHECK(ptab_record(tab, 31, ENDPOINT(0, 32), 97, INIT_PROC_NR, 0, "x") == EINVAL);
    CHECK(ptab_record(tab, -1, ENDPOINT(0, 1), 97, INIT_PROC_NR, 0, "x") == EINVAL);
    /* names are cut and terminated */
    CHECK(ptab_record(tab, 33, ENDPOINT(0, 33), 96, INIT_PROC_NR, 0,
                      "a-very-long-program-name") == OK);
    CHECK(strlen(tab[33].mp_name) == PROC_NAME_LEN - 1);
}

static void test_wait(void)
{
    int z = -1;
    const char *inv = "";
    boot();
    int a = fork_at(INIT_PROC_NR, 20, 0);
    int b = fork_at(INIT_PROC_NR, 21, 0);
    int c = fork_at(20, 22, 0);         /* grandchild of init */
    CHECK(ptab_wait_match(tab, INIT_PROC_NR, -1, &z) == WAIT_BLOCK);
    CHECK(ptab_wait_match(tab, INIT_PROC_NR, a, &z) == WAIT_BLOCK);
    CHECK(ptab_wait_match(tab, INIT_PROC_NR, c, &z) == ECHILD);  /* not its child */
    CHECK(ptab_wait_match(tab, 21, -1, &z) == ECHILD);
    CHECK(ptab_wait_match(tab, INIT_PROC_NR, 12345, &z) == ECHILD);
    /* a system process is nobody's child, and roots are not their own */
    CHECK(ptab_wait_match(tab, PM_PROC_NR, -1, &z) == ECHILD);

    die(21, 7);
    CHECK(ptab_wait_match(tab, INIT_PROC_NR, -1, &z) == WAIT_FOUND && z == 21);
    CHECK(ptab_wait_match(tab, INIT_PROC_NR, b, &z) == WAIT_FOUND && z == 21);
    CHECK(ptab_wait_match(tab, INIT_PROC_NR, a, &z) == WAIT_BLOCK);
    CHECK(ptab_check(tab, &inv) == OK);

    /* a waiting parent: wants / zombie_for */
    tab[INIT_PROC_NR].mp_flags |= WAITING;
    tab[INIT_PROC_NR].mp_wpid = a;
    CHECK(ptab_wait_wants(&tab[INIT_PROC_NR], a));
    CHECK(!ptab_wait_wants(&tab[INIT_PROC_NR], b));
    CHECK(ptab_zombie_for(tab, INIT_PROC_NR) == NO_SLOT);
    CHECK(ptab_check(tab, &inv) == OK);
    tab[INIT_PROC_NR].mp_wpid = -1;
    CHECK(ptab_zombie_for(tab, INIT_PROC_NR) == 21);
    CHECK(ptab_check(tab, &inv) == EINVAL);   /* must have been woken */
    CHECK(strcmp(inv, "a waiting parent has no collectable zombie") == 0);
    tab[INIT_PROC_NR].mp_flags &= ~WAITING;
    ptab_free(tab, 21);

    /* a dies: its child c goes to init; c is a zombie already */
    die(22, 3);
    die(20, 0);
    CHECK(tab[22].mp_parent == INIT_PROC_NR);
    CHECK(ptab_wait_match(tab, INIT_PROC_NR, c, &z) == WAIT_FOUND && z == 22);
    ptab_free(tab, 22);
    ptab_free(tab, 20);
    CHECK(ptab_wait_match(tab, INIT_PROC_NR, -1, &z) == ECHILD);
    /* init waiting for any child with none left is allowed (it blocks) */
    tab[INIT_PROC_NR].mp_flags |= WAITING;
    tab[INIT_PROC_NR].mp_wpid = -1;
    CHECK(ptab_check(tab, &inv) == OK);
}

static void test_reparent(void)
{
    boot();
    fork_at(INIT_PROC_NR, 20, 0);
    fork_at(20, 21, 0);
    fork_at(20, 22, 0);
    tab[22].mp_flags |= ZOMBIE;
    CHECK(ptab_reparent(tab, 20, INIT_PROC_NR) == 1);
    CHECK(tab[21].mp_parent == INIT_PROC_NR && tab[22].mp_parent == INIT_PROC_NR);
    /* init dying: orphans become roots */
    CHECK(ptab_reparent(tab, INIT_PROC_NR, NO_SLOT) == 1);
    CHECK(tab[21].mp_parent == 21 && tab[20].mp_parent == 20);
}

static void test_invariants(void)
{
    const char *inv = "";
    boot();
    fork_at(INIT_PROC_NR, 20, 0);
    CHECK(ptab_check(tab, &inv) == OK);

    tab[20].mp_endpoint = ENDPOINT(0, 21);
    CHECK(ptab_check(tab, &inv) == EINVAL);
    tab[20].mp_endpoint = ENDPOINT(0, 20);

    int pid = tab[20].mp_pid;
    tab[20].mp_pid = 2;                 /* PM's */
    CHECK(ptab_check(tab, &inv) == EINVAL && strcmp(inv, "pids unique") == 0);
    tab[20].mp_pid = pid;

    tab[20].mp_flags |= ZOMBIE | WAITING;
    CHECK(ptab_check(tab, &inv) == EINVAL);
    tab[20].mp_flags &= ~(ZOMBIE | WAITING);

    tab[20].mp_flags |= EVENT_CALL;     /* seed 002: needs a subscriber */
    CHECK(ptab_check(tab, &inv) == EINVAL);
    tab[20].mp_eventsub = 0;
    CHECK(ptab_check(tab, &inv) == OK);
    tab[20].mp_flags &= ~EVENT_CALL;
    CHECK(ptab_check(tab, &inv) == EINVAL);
    tab[20].mp_eventsub = NO_EVENTSUB;

    tab[20].mp_flags |= 0x80;           /* a flag PM does not define */
    CHECK(ptab_check(tab, &inv) == EINVAL && strcmp(inv, "only known flags") == 0);
    tab[20].mp_flags &= ~0x80u;
    tab[20].mp_flags |= EXITING;        /* lasts only while an exit event is out */
    CHECK(ptab_check(tab, &inv) == EINVAL);
    tab[20].mp_flags |= EVENT_CALL;
    tab[20].mp_eventsub = 0;
    CHECK(ptab_check(tab, &inv) == OK);
    tab[20].mp_flags &= ~(EXITING | EVENT_CALL);
    tab[20].mp_eventsub = NO_EVENTSUB;

    tab[20].mp_parent = 40;             /* a free slot */
    CHECK(ptab_check(tab, &inv) == EINVAL);
    tab[20].mp_parent = INIT_PROC_NR;

    tab[20].mp_flags |= WAITING;        /* waiting without children */
    tab[20].mp_wpid = -1;
    CHECK(ptab_check(tab, &inv) == EINVAL);
    tab[20].mp_flags &= ~WAITING;

    tab[40].mp_flags = ZOMBIE;          /* flags on a free slot */
    CHECK(ptab_check(tab, &inv) == EINVAL);
    tab[40].mp_flags = 0;

    tab[INIT_PROC_NR].mp_pid = 77;
    CHECK(ptab_check(tab, &inv) == EINVAL);
    tab[INIT_PROC_NR].mp_pid = INIT_PID;
    CHECK(ptab_check(tab, &inv) == OK);
}

/* Many fork/exit/wait cycles with the generation advancing as the kernel
 * does: the slot is reused, pids move on, nothing leaks. */
static void test_no_leak(void)
{
    const char *inv = "";
    int z;
    boot();
    int before = ptab_count(tab, IN_USE);
    int last = 0;
    for (int i = 0; i < 1000; i++) {
        int pid = fork_at(INIT_PROC_NR, 20, i % 100);
        CHECK(pid != last && pid >= 2);
        last = pid;
        die(20, i);
        CHECK(ptab_wait_match(tab, INIT_PROC_NR, pid, &z) == WAIT_FOUND && z == 20);
        ptab_free(tab, z);
        CHECK(ptab_check(tab, &inv) == OK);
    }
    CHECK(ptab_count(tab, IN_USE) == before);
    CHECK(ptab_count(tab, ZOMBIE) == 0);
}

/* test_ptab: all PM process-table tests. */
void test_ptab(void)
{
    test_pids();
    test_lookup();
    test_wait();
    test_reparent();
    test_invariants();
    test_no_leak();
}
