/*
 * test_ds: the in-guest system test of DS and the driver-up key. A system
 * process (init starts it through RS_UP with RSU_WAIT), because it needs
 * NOTIFY and a bounded wait (sys_setalarm). Prints one line per case and a
 * summary in the format of docs/os.md ("Tests inside the guest") and exits
 * with status 0 if every case passed, else 1.
 *
 * Keys carry this instance's endpoint (test.u32.<ep>, ...) so a rerun does
 * not collide with keys a previous, failed run left behind (DS lets only
 * their owner change them). Every key is deleted at the end.
 */
#include <crucible/sef.h>

#define WAIT_TICKS      (HZ / 5)    /* bounded wait for a notification */

static int npass, nfail;
static char why[96];                /* reason of the current failure */

/* Keys of this run (set up in make_keys). */
static char k_u32[DS_MAX_KEYLEN], k_str[DS_MAX_KEYLEN], k_mem[DS_MAX_KEYLEN];
static char k_sub[DS_MAX_KEYLEN], k_nosub[DS_MAX_KEYLEN];

/* Print the result line of case name: PASS if ok, else FAIL with why. */
static void report(const char *name, int ok)
{
    if (ok) {
        npass++;
        printf("crucible-test: test_ds %s PASS\n", name);
    } else {
        nfail++;
        printf("crucible-test: test_ds %s FAIL %s\n", name, why);
    }
    why[0] = '\0';
}

/* Record why a check failed (for report) and return 0; 1 if cond holds. */
static int expect(int cond, const char *what, int got)
{
    if (!cond && why[0] == '\0')
        snprintf(why, sizeof(why), "%s (got %d)", what, got);
    return cond;
}

/* Build this run's key names from our endpoint. */
static void make_keys(void)
{
    unsigned ep = (unsigned)sef_self_endpoint;

    snprintf(k_u32, sizeof(k_u32), "test.u32.%x", ep);
    snprintf(k_str, sizeof(k_str), "test.str.%x", ep);
    snprintf(k_mem, sizeof(k_mem), "test.mem.%x", ep);
    snprintf(k_sub, sizeof(k_sub), "test.sub.a.%x", ep);
    snprintf(k_nosub, sizeof(k_nosub), "test.nosub.%x", ep);
}

/* Send a raw request of type 'type' in m to DS; returns the IPC error or
 * DS's result (the reply's m_type). */
static int ds_raw(int type, message *m)
{
    int r;

    m->m_type = type;
    if ((r = ipc_sendrec(DS_PROC_NR, m)) != OK)
        return r;
    return m->m_type;
}

/*
 * Wait at most 'ticks' for a notification from DS. Returns 1 when one came,
 * 0 on timeout, or an error. Other messages are ignored; an alarm that is
 * older than this wait (it rang after a cancel) does not end it.
 */
static int wait_ds_notify(clock_t_ ticks)
{
    clock_t_ deadline = getticks() + ticks;
    message m;
    int r;

    if ((r = sys_setalarm(ticks, 0)) != OK)
        return r;
    for (;;) {
        if ((r = sef_receive(&m)) != OK)
            break;
        if (m.m_type < NOTIFY_MESSAGE)
            continue;
        if (m.m_source == DS_PROC_NR) {
            r = 1;
            break;
        }
        if (m.m_source == CLOCK) {
            clock_t_ now = getticks();
            if ((int32_t)(deadline - now) <= 0) {
                r = 0;
                break;
            }
            if ((r = sys_setalarm(deadline - now, 0)) != OK)
                break;
        }
    }
    sys_setalarm(0, 0);
    return r;
}

/* u32: publish a new key, read it back. */
static void case_u32(void)
{
    uint32_t v = 0;
    int r1 = ds_publish_u32(k_u32, 42, 0);
    int r2 = ds_retrieve_u32(k_u32, &v);

    report("publish_u32",
           expect(r1 == OK, "publish", r1) && expect(r2 == OK, "retrieve", r2) &&
           expect(v == 42, "value", (int)v));
}

/* string: publish, read back into a large and a too-small buffer. */
static void case_str(void)
{
    char buf[64], small[4];
    int r1, r2, r3;

    memset(buf, 'x', sizeof(buf));
    r1 = ds_publish_str(k_str, "hello ds", 0);
    r2 = ds_retrieve_str(k_str, buf, sizeof(buf));
    r3 = ds_retrieve_str(k_str, small, sizeof(small));
    report("publish_str",
           expect(r1 == OK, "publish", r1) && expect(r2 == OK, "retrieve", r2) &&
           expect(strcmp(buf, "hello ds") == 0, "value differs", 0) &&
           expect(r3 == OK || r3 == ENOSPC || r3 == E2BIG, "small retrieve", r3) &&
           expect(r3 != OK || small[sizeof(small) - 1] == '\0',
                  "cut string not terminated", 0));
}

/* memory: publish a 100-byte range, read it back with its length. */
static void case_mem(void)
{
    uint8_t data[100], back[DS_MAX_DATA];
    size_t len = sizeof(back);
    int i, r1, r2;

    for (i = 0; i < (int)sizeof(data); i++)
        data[i] = (uint8_t)(i * 7 + 1);
    memset(back, 0, sizeof(back));
    r1 = ds_publish_mem(k_mem, data, sizeof(data), 0);
    r2 = ds_retrieve_mem(k_mem, back, &len);
    report("publish_mem",
           expect(r1 == OK, "publish", r1) && expect(r2 == OK, "retrieve", r2) &&
           expect(len == sizeof(data), "length", (int)len) &&
           expect(memcmp(data, back, sizeof(data)) == 0, "bytes differ", 0));
}

/* An existing key without DSF_OVERWRITE: EEXIST, value unchanged. */
static void case_eexist(void)
{
    uint32_t v = 0;
    int r1 = ds_publish_u32(k_u32, 7, 0);
    int r2 = ds_retrieve_u32(k_u32, &v);

    report("eexist", expect(r1 == EEXIST, "publish", r1) &&
           expect(r2 == OK && v == 42, "value changed", (int)v));
}

/* DSF_OVERWRITE replaces the value. */
static void case_overwrite(void)
{
    uint32_t v = 0;
    int r1 = ds_publish_u32(k_u32, 43, DSF_OVERWRITE);
    int r2 = ds_retrieve_u32(k_u32, &v);

    report("overwrite", expect(r1 == OK, "publish", r1) &&
           expect(r2 == OK && v == 43, "value", (int)v));
}

/* Delete, then the key is gone (ENOENT); deleting again: ENOENT. */
static void case_delete(void)
{
    uint32_t v;
    int r1 = ds_delete(k_u32, DSF_TYPE_U32);
    int r2 = ds_retrieve_u32(k_u32, &v);
    int r3 = ds_delete(k_u32, DSF_TYPE_U32);

    report("delete", expect(r1 == OK, "delete", r1) &&
           expect(r2 == ENOENT, "retrieve after delete", r2) &&
           expect(r3 == ENOENT, "second delete", r3));
}

/* Labels published by RS: pm and rs name their endpoints. */
static void case_label(void)
{
    endpoint_t pm = NONE, rs = NONE;
    int r1 = ds_retrieve_label_endpt("pm", &pm);
    int r2 = ds_retrieve_label_endpt("rs", &rs);

    report("retrieve_label",
           expect(r1 == OK && pm == PM_PROC_NR, "pm", r1 != OK ? r1 : pm) &&
           expect(r2 == OK && rs == RS_PROC_NR, "rs", r2 != OK ? r2 : rs));
}

/* The reverse: endpoints PM_PROC_NR and RS_PROC_NR name pm and rs. */
static void case_label_name(void)
{
    char pm[DS_MAX_KEYLEN], rs[DS_MAX_KEYLEN];
    int r1, r2, r3;

    pm[0] = rs[0] = '\0';
    r1 = ds_retrieve_label_name(pm, sizeof(pm), PM_PROC_NR);
    r2 = ds_retrieve_label_name(rs, sizeof(rs), RS_PROC_NR);
    r3 = ds_retrieve_label_name(rs, sizeof(rs), NONE);
    report("retrieve_label_name",
           expect(r1 == OK && strcmp(pm, "pm") == 0, "pm", r1) &&
           expect(r2 == OK && strcmp(rs, "rs") == 0, "rs", r2) &&
           expect(r3 == ENOENT, "unknown endpoint", r3));
}

/* Subscribe; a matching publish notifies us and DS_CHECK names the key
 * once; then ENOENT. */
static void case_subscribe(void)
{
    char key[DS_MAX_KEYLEN];
    endpoint_t owner = NONE;
    int type = 0, r1, r2, r3, r4, r5;

    r1 = ds_subscribe("^test\\.sub\\..*", 0);
    r2 = ds_publish_u32(k_sub, 1, DSF_OVERWRITE);
    r3 = wait_ds_notify(WAIT_TICKS);
    key[0] = '\0';
    r4 = ds_check(key, sizeof(key), &type, &owner);
    r5 = ds_check(key, sizeof(key), &type, &owner);
    report("subscribe_notify",
           expect(r1 == OK, "subscribe", r1) && expect(r2 == OK, "publish", r2) &&
           expect(r3 == 1, "no notification from DS", r3) &&
           expect(r4 == OK, "check", r4) &&
           expect(strcmp(key, k_sub) == 0, "check key differs", 0) &&
           expect(type == DSF_TYPE_U32, "check type", type) &&
           expect(owner == sef_self_endpoint, "check owner", owner) &&
           expect(r5 == ENOENT, "second check", r5));
}

/* A key that does not match the subscription: no notification, nothing
 * to check. */
static void case_no_match(void)
{
    char key[DS_MAX_KEYLEN];
    endpoint_t owner;
    int type, r1, r2, r3;

    r1 = ds_publish_u32(k_nosub, 1, DSF_OVERWRITE);
    r2 = wait_ds_notify(WAIT_TICKS);
    r3 = ds_check(key, sizeof(key), &type, &owner);
    report("subscribe_no_match",
           expect(r1 == OK, "publish", r1) &&
           expect(r2 == 0, "unexpected notification or error", r2) &&
           expect(r3 == ENOENT, "check", r3));
}

/* A key without its NUL within DS_MAX_KEYLEN bytes: refused by DS and by
 * the library. */
static void case_long_key(void)
{
    char longkey[2 * DS_MAX_KEYLEN];
    message m;
    int r1, r2;

    memset(&m, 0, sizeof(m));
    memset(m.m_ds.key, 'k', sizeof(m.m_ds.key));
    m.m_ds.flags = DSF_TYPE_U32;
    r1 = ds_raw(DS_PUBLISH, &m);
    memset(longkey, 'k', sizeof(longkey) - 1);
    longkey[sizeof(longkey) - 1] = '\0';
    r2 = ds_publish_u32(longkey, 1, 0);
    report("oversized_key",
           expect(r1 == ENAMETOOLONG, "raw publish", r1) &&
           expect(r2 < 0, "library publish", r2));
}

/* Data over DS_MAX_DATA: refused by DS and by the library. */
static void case_big_data(void)
{
    static uint8_t big[2 * DS_MAX_DATA];
    message m;
    int r1, r2;

    memset(&m, 0, sizeof(m));
    strlcpy(m.m_ds.key, k_mem, sizeof(m.m_ds.key));
    m.m_ds.key[5] = 'b';        /* test.bem.<ep>: a fresh key */
    m.m_ds.flags = DSF_TYPE_MEM;
    m.m_ds.ptr = (vir_bytes)(uintptr_t)big;
    m.m_ds.len = DS_MAX_DATA + 1;
    r1 = ds_raw(DS_PUBLISH, &m);
    r2 = ds_publish_mem(m.m_ds.key, big, DS_MAX_DATA + 1, 0);
    report("oversized_data",
           expect(r1 == E2BIG, "raw publish", r1) &&
           expect(r2 < 0, "library publish", r2));
}

/* Only RS publishes labels. */
static void case_label_eperm(void)
{
    int r = ds_publish_label("test.label", sef_self_endpoint, 0);

    report("label_eperm", expect(r == EPERM, "publish label", r));
}

/* Bad requests: unknown type, bad flags, bad pointer. DS answers each. */
static void case_bad_requests(void)
{
    message m;
    int r1, r2, r3, r4;

    memset(&m, 0, sizeof(m));
    r1 = ds_raw(DS_BASE + 0x40, &m);
    memset(&m, 0, sizeof(m));
    strlcpy(m.m_ds.key, "test.badflags", sizeof(m.m_ds.key));
    m.m_ds.flags = 0;
    r2 = ds_raw(DS_PUBLISH, &m);
    m.m_ds.flags = DSF_TYPE_U32 | DSF_TYPE_STR;
    r3 = ds_raw(DS_PUBLISH, &m);
    memset(&m, 0, sizeof(m));
    strlcpy(m.m_ds.key, "test.badptr", sizeof(m.m_ds.key));
    m.m_ds.flags = DSF_TYPE_MEM;
    m.m_ds.ptr = 0x1000;        /* below USER_BASE: nothing mapped */
    m.m_ds.len = 16;
    r4 = ds_raw(DS_PUBLISH, &m);
    report("bad_requests",
           expect(r1 == EBADREQUEST, "unknown type", r1) &&
           expect(r2 == EINVAL, "no type", r2) &&
           expect(r3 == EINVAL, "two types", r3) &&
           expect(r4 < 0, "bad pointer", r4));
}

/* The hello driver announced itself: drv.up.hello holds its starts. */
static void case_driver_up(void)
{
    uint32_t v = 0;
    int r = ds_retrieve_u32(DS_DRIVER_UP "hello", &v);

    report("driver_up", expect(r == OK, "retrieve drv.up.hello", r) &&
           expect(v >= 1, "starts", (int)v));
}

/* Delete what this run published. */
static void case_cleanup(void)
{
    int r1 = ds_delete(k_str, DSF_TYPE_STR);
    int r2 = ds_delete(k_mem, DSF_TYPE_MEM);
    int r3 = ds_delete(k_sub, DSF_TYPE_U32);
    int r4 = ds_delete(k_nosub, DSF_TYPE_U32);

    report("cleanup", expect(r1 == OK, "string", r1) &&
           expect(r2 == OK, "memory", r2) && expect(r3 == OK, "sub", r3) &&
           expect(r4 == OK, "nosub", r4));
}

/* test_ds: run every case, print the summary, exit with the verdict. */
int main(void)
{
    sef_startup();
    make_keys();

    case_u32();
    case_str();
    case_mem();
    case_eexist();
    case_overwrite();
    case_delete();
    case_label();
    case_label_name();
    case_subscribe();
    case_no_match();
    case_long_key();
    case_big_data();
    case_label_eperm();
    case_bad_requests();
    case_driver_up();
    case_cleanup();

    printf("crucible-test: test_ds done pass=%d fail=%d\n", npass, nfail);
    sys_exit(nfail ? 1 : 0);
    for (;;)
        ;
}
