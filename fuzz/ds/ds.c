/*
 * ds: DS's request handlers alone, in-process. The harness links
 * DS's own sources (system/servers/ds/ sources, main.c with its main() renamed
 * ds_server_main and run once up to its first receive, so DS's real fresh
 * init runs) with the fake libsys of fuzz/common/fakesys.c, and calls
 * ds_dispatch (table.c) directly: no kernel, no other server, no restore.
 * The system-context harness is fuzz/ds (the whole host simulator).
 *
 * State reset: DS's only global is ds_store (main.c). After the boot its
 * pristine copy is taken; every input starts with a memcpy of it (and of
 * the senders' memory).
 *
 * Input format (every byte string is valid; missing bytes read as 0):
 *   steps until the input ends (at most MAX_STEPS), each:
 *     b0 sender   % 8: SENDERS[] (two user processes, VFS and TTY (system),
 *                 RS (may publish labels), PM, a stale endpoint of user 0
 *                 (no memory: copies fail with EDEADSRCDST), HELLO)
 *     b1 type     % 8: 0-5 DS_PUBLISH .. DS_RETRIEVE_LABEL; 6 a NOTIFY
 *                 from the sender (DS's loop ignores it); 7 four more bytes,
 *                 the raw type
 *     b2 flags    bit 7 clear: m_ds.flags = b2; set: four more bytes, raw
 *     b3 key      % 34: 0-31 that many key bytes follow, then NUL; 32: 32
 *                 bytes follow (no NUL); 33: one more byte, KEYS[b % 4]
 *     b4 value    % 16: 0-7 SENDERS[i]'s endpoint, 8 NONE, 9-13 0..4,
 *                 14-15 four more bytes, raw
 *     b5 ptr      bit 7 clear: the sender's memory base + 4 * (b5 & 0x7f)
 *                 (its memory is FS_USER_MEM bytes: high values run off
 *                 its end); set: four more bytes, raw
 *     b6 len      < 0xf0 as is; 0xf0 DS_MAX_DATA; 0xf1 DS_MAX_DATA + 1;
 *                 else four more bytes, raw
 *     b7 answers  % 8: that many bytes follow: the fake kernel's answers
 *                 for this request, in call order (fakesys.h: 0 = success,
 *                 else an error such as EFAULT / EDEADSRCDST)
 *
 * Oracle after every request: exactly one reply, to the sender, whose
 * type is OK or a crucible error (EGENERIC..-1), EBADREQUEST for a type DS
 * does not know, never EDONTREPLY; on OK the data fields are valid (a
 * NUL-terminated key for DS_CHECK and DS_RETRIEVE_LABEL, one type bit,
 * len <= DS_MAX_DATA for DS_RETRIEVE and DS_CHECK; other replies echo the
 * request's fields); a NOTIFY gets no reply; notifications only go to
 * subscribers (or a DS_SUBSCRIBE's sender, dropped when the notify
 * failed); DS's sanity function (sanity.c) holds after every request (in
 * the engines as on replay: ds_store_invariants reads the free entries
 * once and does O(used) work for the rest, see store.c); and no ASan/UBSan
 * report.
 */
#include <stdio.h>
#include <string.h>

#include "fakesys.h"
#include "../../system/servers/ds/proto.h"
#include "../../system/servers/ds/glo.h"

#define MAX_STEPS 128
#define NSENDERS  8
#define FAIL(...) fz_fail("ds", __VA_ARGS__)

int ds_server_main(void);

static const endpoint_t SENDERS[NSENDERS] = {
    ENDPOINT(1, 20), ENDPOINT(0, 21), VFS_PROC_NR, TTY_PROC_NR,
    RS_PROC_NR, PM_PROC_NR, ENDPOINT(2, 20), HELLO_PROC_NR };
static const char *const KEYS[4] = { "a", "drv.up.x", "^a.*$", "[a-c]*" };

static struct ds_store pristine;
static uint8_t user_mem0[FS_USER_MEM];
static int booted;

static void boot(void)
{
    int i, u;

    sef_self_endpoint = DS_PROC_NR;
    strcpy(sef_self_name, "ds");
    fs_boot(ds_server_main);
    memcpy(&pristine, &ds_store, sizeof(pristine));
    for (i = 0; i < FS_USER_MEM; i++)
        user_mem0[i] = (i % 64 == 63) ? 0 : (uint8_t)('a' + i % 26);
    for (i = 0, u = 0; i < NSENDERS; i++) {
        if (i == 6)
            continue;           /* the stale endpoint has no memory */
        fs_user[u].ep = SENDERS[i];
        fs_user[u].base = 0x10000000u + 0x100000u * (vir_bytes)i;
        u++;
    }
    fs_nusers = u;
    booted = 1;
}

static vir_bytes user_base(endpoint_t ep)
{
    int i;

    for (i = 0; i < fs_nusers; i++)
        if (fs_user[i].ep == ep)
            return fs_user[i].base;
    return 0x10000000u;
}

/* Decodes one request (not its answers) into *m; returns 1 for a NOTIFY. */
static int decode(struct fz_in *in, message *m, endpoint_t src)
{
    uint8_t b;
    int notify = 0;
    size_t kl;

    memset(m, 0, sizeof(*m));
    m->m_source = src;
    b = fz_u8(in) % 8;
    if (b < 6)
        m->m_type = DS_BASE + b;
    else if (b == 6)
        notify = 1, m->m_type = NOTIFY_MESSAGE;
    else
        m->m_type = (int32_t)fz_u32(in);
    b = fz_u8(in);
    m->m_ds.flags = (b & 0x80) ? (int32_t)fz_u32(in) : b;
    b = fz_u8(in) % 34;
    if (b < 32) {
        kl = b;
        fz_bytes(in, m->m_ds.key, kl);
        m->m_ds.key[kl] = '\0';
    } else if (b == 32) {
        fz_bytes(in, m->m_ds.key, sizeof(m->m_ds.key));
    } else {
        strcpy(m->m_ds.key, KEYS[fz_u8(in) % 4]);
    }
    b = fz_u8(in) % 16;
    if (b < 8)
        m->m_ds.value = (uint32_t)SENDERS[b];
    else if (b == 8)
        m->m_ds.value = (uint32_t)NONE;
    else if (b < 14)
        m->m_ds.value = b - 9u;
    else
        m->m_ds.value = fz_u32(in);
    b = fz_u8(in);
    m->m_ds.ptr = (b & 0x80) ? fz_u32(in) : user_base(src) + 4u * (b & 0x7f);
    b = fz_u8(in);
    m->m_ds.len = b < 0xf0 ? b : b == 0xf0 ? DS_MAX_DATA
                : b == 0xf1 ? DS_MAX_DATA + 1 : fz_u32(in);
    return notify;
}

static int key_terminated(const char *k)
{
    return memchr(k, '\0', DS_MAX_KEYLEN) != NULL;
}

/* Subscribers before the request (a notify to a dead one drops it). */
static endpoint_t subs_before[DS_NR_SUBS];

static void note_subscribers(void)
{
    int i;

    for (i = 0; i < DS_NR_SUBS; i++)
        subs_before[i] = ds_store.sub[i].in_use ? ds_store.sub[i].ep : NONE;
}

static int is_subscriber(endpoint_t ep)
{
    int i;

    for (i = 0; i < DS_NR_SUBS; i++)
        if ((ds_store.sub[i].in_use && ds_store.sub[i].ep == ep) || subs_before[i] == ep)
            return 1;
    return 0;
}

/* The oracle of one answered request (see the header). */
static void check(int step, const message *req, int r)
{
    const message *rep;
    const char *what = "?";
    int32_t t = req->m_type;
    int i;

    if (r == EDONTREPLY)
        FAIL("step %d: type %#x: EDONTREPLY (DS always answers)", step, (unsigned)t);
    if (fs_nout != 1 || fs_out[0].kind != FS_OUT_REPLY)
        FAIL("step %d: %d messages sent, want one reply", step, fs_nout);
    rep = &fs_out[0].m;
    if (fs_out[0].dst != req->m_source)
        FAIL("step %d: reply to %d, sender %d", step, fs_out[0].dst, req->m_source);
    if (rep->m_type != OK && (rep->m_type > -1 || rep->m_type < EGENERIC))
        FAIL("step %d: reply type %d is neither OK nor an error", step, rep->m_type);
    if ((t < DS_BASE || t > DS_RETRIEVE_LABEL) && rep->m_type != EBADREQUEST)
        FAIL("step %d: unknown type %#x answered %d", step, (unsigned)t, rep->m_type);
    if (rep->m_type == OK) {
        if ((t == DS_CHECK || t == DS_RETRIEVE_LABEL) && !key_terminated(rep->m_ds.key))
            FAIL("step %d: reply key not NUL-terminated", step);
        if ((t == DS_CHECK || t == DS_RETRIEVE_LABEL) &&
            (rep->m_ds.flags & ~DSF_TYPE_MASK || rep->m_ds.flags == 0 ||
             (rep->m_ds.flags & (rep->m_ds.flags - 1))))
            FAIL("step %d: reply flags %#x not one type", step, (unsigned)rep->m_ds.flags);
        if ((t == DS_RETRIEVE || t == DS_CHECK) && rep->m_ds.len > DS_MAX_DATA)
            FAIL("step %d: reply len %u", step, rep->m_ds.len);
    }
    for (i = 0; i < fs_nnotified && i < FS_MAX_OUT; i++)
        if (!is_subscriber(fs_notified[i]) &&
            !(t == DS_SUBSCRIBE && fs_notified[i] == req->m_source))
            FAIL("step %d: notified %d, no subscriber", step, fs_notified[i]);
    if (fs_nnotified > DS_NR_SUBS)
        FAIL("step %d: %d notifications", step, fs_nnotified);
    if (ds_sanity(&what) != OK)
        FAIL("step %d: sanity: %s", step, what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in, ans;
    message m, req;
    endpoint_t src;
    int step, notify, r, i;
    char top;

    if (!booted)
        boot();
    fs_stack_top = &top;
    memcpy(&ds_store, &pristine, sizeof(ds_store));
    for (i = 0; i < fs_nusers; i++)
        memcpy(fs_user[i].mem, user_mem0, FS_USER_MEM);
    fz_init(&in, data, size);
    for (step = 0; step < MAX_STEPS && !fz_done(&in); step++) {
        src = SENDERS[fz_u8(&in) % NSENDERS];
        notify = decode(&in, &m, src);
        fs_take_answers(&in, &ans);
        req = m;
        FZ_TRACE("step %d: from %d type %#x flags %#x key \"%.32s\" value %#x ptr %#x len %u answers %zu",
                 step, src, (unsigned)m.m_type, (unsigned)m.m_ds.flags, m.m_ds.key,
                 m.m_ds.value, m.m_ds.ptr, m.m_ds.len, ans.n);
        if (notify) {           /* DS's loop: notifications are ignored */
            if (fs_nout || fs_nnotified)
                FAIL("step %d: output for a NOTIFY", step);
            continue;
        }
        note_subscribers();
        r = ds_dispatch(&m);
        if (r != EDONTREPLY)
            sef_reply(m.m_source, &m, r);
        FZ_TRACE("  -> %d (len %u owner %d)", r, m.m_ds.len, m.m_ds.owner);
        check(step, &req, r);
    }
    fs_answers = NULL;
    return 0;
}
