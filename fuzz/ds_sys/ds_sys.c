/*
 * ds_sys: the data store server (servers/ds) driven by byte strings on the host
 * platform simulator (hostsim.h). Booted once per process with sanity=1
 * (DS checks its invariants after every message); every input starts from
 * the booted checkpoint.
 *
 * The single-handler harness of the same server is fuzz/ds (its
 * sources alone with the fake libsys: much faster, no kernel); this one
 * drives it through the real kernel core, among every other server.
 *
 * Senders: four puppets, two user processes (init and a child of init) and
 * two system processes (full system privilege). RS itself cannot be a
 * puppet: the RS-only paths (labels) are reached through the rs harness.
 *
 * Input format (every byte string is valid; missing bytes read as 0):
 *   steps until the input ends (at most MAX_STEPS), 8 bytes each, plus the
 *   extra bytes some choices take (in the order of the fields):
 *     b0 sender   bits 0-1 puppet (user0 user1 sys0 sys1); bits 2-4 == 7:
 *                 the step is a NOTIFY to DS instead of a request
 *     b1 type     % 8: 0-5 DS_PUBLISH .. DS_RETRIEVE_LABEL; 6 DS_BASE + 6 +
 *                 one more byte (unknown); 7 four more bytes, raw
 *     b2 flags    bits 0-5 as is (type bits, DSF_OVERWRITE, DSF_INITIAL);
 *                 bit 6 adds 0x100, bit 7 adds 0x80000000
 *     b3 key      % 16: 0-7 the model keys (KEYS[]), 8 "", 9 32 bytes with
 *                 no NUL, 10 31 bytes, 11 one length byte (% 33) then that
 *                 many key bytes, 12-15 regular expressions (REGEXES[])
 *     b4 value    % 8: 0-3 VALUES[], 4 a user puppet's endpoint, 5 DS's
 *                 endpoint, 6 four more bytes, 7 NONE
 *     b5 ptr      % 8: 0 the sender's buffer, 1 buffer + 16 * one more
 *                 byte, 2 0, 3 8 bytes before the end of its memory, 4
 *                 0xdeadbeef, 5 a server's text (0x40000000), 6 four more
 *                 bytes, 7 just past its memory
 *     b6 len      % 8: 0 0, 1 1 + one more byte % 32, 2 DS_MAX_DATA, 3
 *                 DS_MAX_DATA + 1, 4 0xffffffff, 5 four more bytes, 6 8,
 *                 7 32
 *     b7 fill     the sender's buffer (DS_MAX_DATA bytes) is filled with
 *                 b7 + i; bit 7: a NUL at offset b7 & 0x3f
 *
 * Oracle after every step: the system is neither stopped by a sanity
 * violation nor panicked; the SENDREC succeeds (never HOSTSIM_STUCK: DS
 * answers every request); the reply comes from DS and its type is OK or a
 * crucible error; unknown types get EBADREQUEST; and a model of the keys
 * KEYS[] (type, owner, value, data) agrees with every answer about them.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "hs_fuzz.h"

#define MAX_STEPS 64
#define NR_KEYS   8
#define FAIL(...) fz_fail("ds_sys", __VA_ARGS__)

static const char *const KEYS[NR_KEYS] = {
    "a", "b", "key.c", "drv.up.x", "x.y.z", ".*", "a|b", "(a" };
static const char *const REGEXES[4] = { "^a.*$", "[a-c]*", "a+b?", "drv\\.up\\..*" };
static const uint32_t VALUES[4] = { 0, 1, 0x7fffffff, 0x80000000u };

/* at most 20000 scheduling steps per call, as in fuzz/system: more is a
 * livelock (HOSTSIM_BUSY), found in milliseconds instead of seconds */
static const struct hsf_setup setup = { 2, 2, NULL, 0, 20000 };

/* The model of one key of KEYS[]. */
struct mkey {
    int type;                   /* 0: absent, else the DSF_TYPE_* bit */
    endpoint_t owner;
    uint32_t value;
    uint32_t len;               /* stored length (a string: with its NUL) */
    uint8_t data[DS_MAX_DATA];
};
static struct mkey model[NR_KEYS];

/* Index in KEYS[] of key k (NUL-terminated within 32 bytes), or -1. */
static int model_index(const char *k)
{
    int i;

    for (i = 0; i < NR_KEYS; i++)
        if (strncmp(k, KEYS[i], DS_MAX_KEYLEN) == 0)
            return i;
    return -1;
}

/* Decodes one step's message into *m (and the sender's buffer); returns
 * the sender's endpoint and sets *notify for a NOTIFY step. */
static endpoint_t decode(struct fz_in *in, message *m, int *notify)
{
    uint8_t b0 = fz_u8(in), b1 = fz_u8(in), b2 = fz_u8(in), b3 = fz_u8(in);
    uint8_t b4 = fz_u8(in), b5 = fz_u8(in), b6 = fz_u8(in), b7 = fz_u8(in);
    int who = b0 & 3;
    endpoint_t ep = who < 2 ? hsf_user[who] : hsf_sys[who - 2];
    size_t memlen = hsf_puppet_len;
    uint8_t *mem = hostsim_puppet_span(ep, 0, DS_MAX_DATA);
    vir_bytes va = hostsim_puppet_vaddr(ep);

    memset(m, 0, sizeof *m);
    *notify = ((b0 >> 2) & 7) == 7;
    switch (b1 % 8) {
    case 6:  m->m_type = DS_BASE + 6 + fz_u8(in); break;
    case 7:  m->m_type = (int32_t)fz_u32(in); break;
    default: m->m_type = DS_BASE + b1 % 8; break;
    }
    m->m_ds.flags = (b2 & 0x3f) | (b2 & 0x40 ? 0x100 : 0) | (b2 & 0x80 ? (int32_t)0x80000000u : 0);
    switch (b3 % 16) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
        snprintf(m->m_ds.key, sizeof m->m_ds.key, "%s", KEYS[b3 % 16]);
        break;
    case 8:  break;
    case 9:  memset(m->m_ds.key, 'k', sizeof m->m_ds.key); break;
    case 10: memset(m->m_ds.key, 'k', sizeof m->m_ds.key - 1); break;
    case 11: {
        size_t n = fz_u8(in) % 33;

        fz_bytes(in, m->m_ds.key, n);
        break;
    }
    default:
        snprintf(m->m_ds.key, sizeof m->m_ds.key, "%s", REGEXES[b3 % 4]);
        break;
    }
    switch (b4 % 8) {
    case 4:  m->m_ds.value = (uint32_t)hsf_user[b4 >> 7]; break;
    case 5:  m->m_ds.value = (uint32_t)DS_PROC_NR; break;
    case 6:  m->m_ds.value = fz_u32(in); break;
    case 7:  m->m_ds.value = (uint32_t)NONE; break;
    default: m->m_ds.value = VALUES[b4 % 8]; break;
    }
    switch (b5 % 8) {
    case 0:  m->m_ds.ptr = va; break;
    case 1:  m->m_ds.ptr = va + 16u * fz_u8(in); break;
    case 2:  m->m_ds.ptr = 0; break;
    case 3:  m->m_ds.ptr = va + (vir_bytes)memlen - 8; break;
    case 4:  m->m_ds.ptr = 0xdeadbeefu; break;
    case 5:  m->m_ds.ptr = 0x40000000u; break;
    case 6:  m->m_ds.ptr = fz_u32(in); break;
    default: m->m_ds.ptr = va + (vir_bytes)memlen; break;
    }
    switch (b6 % 8) {
    case 0:  m->m_ds.len = 0; break;
    case 1:  m->m_ds.len = 1 + fz_u8(in) % 32; break;
    case 2:  m->m_ds.len = DS_MAX_DATA; break;
    case 3:  m->m_ds.len = DS_MAX_DATA + 1; break;
    case 4:  m->m_ds.len = 0xffffffffu; break;
    case 5:  m->m_ds.len = fz_u32(in); break;
    case 6:  m->m_ds.len = 8; break;
    default: m->m_ds.len = 32; break;
    }
    memcpy(mem, hsf_ramp + b7, DS_MAX_DATA);       /* mem[i] = b7 + i */
    if (b7 & 0x80)
        mem[b7 & 0x3f] = 0;
    return ep;
}

/* The single DSF_TYPE_* bit of flags, or 0 if DS must refuse them. */
static int one_type(int32_t flags, int32_t allowed)
{
    int t = flags & DSF_TYPE_MASK;

    if (flags & ~(DSF_TYPE_MASK | allowed))
        return 0;
    return (t == DSF_TYPE_U32 || t == DSF_TYPE_STR || t == DSF_TYPE_MEM ||
            t == DSF_TYPE_LABEL) ? t : 0;
}

/* Checks DS's answer (result res, reply *rep) to request *req from 'from'
 * against the model and updates the model. */
static void check_answer(const message *req, const message *rep, endpoint_t from, int res)
{
    int k = model_index(req->m_ds.key);
    struct mkey *mk = k >= 0 ? &model[k] : NULL;
    int type = one_type(req->m_ds.flags, req->m_type == DS_PUBLISH ? DSF_OVERWRITE : 0);
    size_t memlen = hsf_puppet_len;
    /* read only: a span of length 0 gives the base without counting any
     * byte as written. Optimisation: naming all memlen bytes (64 KB) here
     * made every input's restore copy the sender's whole memory back */
    const uint8_t *mem = hostsim_puppet_span(from, 0, 0);

    switch (req->m_type) {
    case DS_PUBLISH:
        if (res != OK || !mk)
            return;
        if (!type || type == DSF_TYPE_LABEL)
            FAIL("publish of %s with flags %#x succeeded", KEYS[k], (unsigned)req->m_ds.flags);
        if (mk->type && !(req->m_ds.flags & DSF_OVERWRITE))
            FAIL("publish of existing %s without DSF_OVERWRITE succeeded", KEYS[k]);
        if (mk->type && (mk->type != type || mk->owner != from))
            FAIL("publish over %s (type %d owner %d) by %d type %d succeeded", KEYS[k],
                 mk->type, mk->owner, from, type);
        mk->type = type;
        mk->owner = from;
        mk->value = type == DSF_TYPE_U32 ? req->m_ds.value : 0;
        mk->len = 0;
        memset(mk->data, 0, sizeof mk->data);
        if (type == DSF_TYPE_MEM || type == DSF_TYPE_STR) {
            /* what DS read is the sender's buffer as it is now */
            const uint8_t *src = mem + (req->m_ds.ptr - hostsim_puppet_vaddr(from));
            uint32_t n = 0;

            if (req->m_ds.len && (req->m_ds.ptr < hostsim_puppet_vaddr(from) ||
                                  req->m_ds.ptr + req->m_ds.len >
                                  hostsim_puppet_vaddr(from) + memlen))
                return;     /* copied from elsewhere; do not model */
            if (type == DSF_TYPE_STR) {
                while (n < req->m_ds.len && src[n])
                    n++;
                memcpy(mk->data, src, n);
                mk->len = n + 1;
            } else {
                memcpy(mk->data, src, req->m_ds.len);
                mk->len = req->m_ds.len;
            }
        }
        if (rep->m_ds.len != mk->len)
            FAIL("publish of %s answered len %u, stored %u", KEYS[k], rep->m_ds.len, mk->len);
        return;
    case DS_RETRIEVE:
        if (!mk)
            return;
        if (res == OK) {
            if (!type || mk->type != type)
                FAIL("retrieve of %s type %d succeeded (model: type %d)", KEYS[k], type,
                     mk->type);
            if (rep->m_ds.owner != mk->owner)
                FAIL("retrieve of %s: owner %d, model %d", KEYS[k], rep->m_ds.owner, mk->owner);
            if (type == DSF_TYPE_U32 && rep->m_ds.value != mk->value)
                FAIL("retrieve of %s: value %u, model %u", KEYS[k], rep->m_ds.value, mk->value);
            if ((type == DSF_TYPE_STR || type == DSF_TYPE_MEM) && rep->m_ds.len != mk->len &&
                mk->len)
                FAIL("retrieve of %s: len %u, model %u", KEYS[k], rep->m_ds.len, mk->len);
        } else if (res == ENOENT && type && mk->type == type) {
            FAIL("retrieve of %s type %d: ENOENT but it is there", KEYS[k], type);
        }
        return;
    case DS_DELETE:
        if (!mk)
            return;
        if (res == OK) {
            if (mk->type == 0 || (req->m_ds.flags != mk->type) || mk->owner != from)
                FAIL("delete of %s flags %#x by %d succeeded (model type %d owner %d)",
                     KEYS[k], (unsigned)req->m_ds.flags, from, mk->type, mk->owner);
            mk->type = 0;
        }
        return;
    default:
        return;
    }
}

/* See fuzz_common.h: runs one input (format: the comment at the top). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in;
    int step;

    hsf_begin("ds_sys", &setup);
    memset(model, 0, sizeof model);
    fz_init(&in, data, size);
    for (step = 0; step < MAX_STEPS && !fz_done(&in); step++) {
        message m, req;
        int notify, r;
        endpoint_t from = decode(&in, &m, &notify);

        req = m;
        if (notify) {
            FZ_TRACE("step %d: %d notify ds", step, from);
            r = hsf_check("ds_sys", hostsim_ipc(from, IPC_NOTIFY, DS_PROC_NR, &m), "notify");
            /* users may not notify (ETRAPDENIED); systems may */
            if (r != OK && !(r == ETRAPDENIED && from != hsf_sys[0] && from != hsf_sys[1]))
                FAIL("step %d: notify to DS by %d: %d", step, from, r);
            continue;
        }
        FZ_TRACE("step %d: %d type %#x key '%.32s' flags %#x value %#x ptr %#x len %u", step,
                 from, (unsigned)m.m_type, m.m_ds.key, (unsigned)m.m_ds.flags, m.m_ds.value,
                 (unsigned)m.m_ds.ptr, m.m_ds.len);
        r = hsf_check("ds_sys", hostsim_ipc(from, IPC_SENDREC, DS_PROC_NR, &m), "request");
        FZ_TRACE("  -> %d reply %d value %#x len %u owner %d", r, m.m_type, m.m_ds.value,
                 m.m_ds.len, m.m_ds.owner);
        if (r == HOSTSIM_STUCK)
            FAIL("step %d: DS never answered request %#x", step, (unsigned)req.m_type);
        if (r == EINVAL && req.m_type == NOTIFY_MESSAGE)
            continue;                   /* the kernel refuses forged notifications */
        if (r != OK)
            FAIL("step %d: sendrec to DS by %d: %d", step, from, r);
        if (m.m_source != DS_PROC_NR)
            FAIL("step %d: reply from %d, not DS", step, m.m_source);
        if (m.m_type != OK && !hsf_is_errno(m.m_type))
            FAIL("step %d: reply type %d is neither OK nor an error", step, m.m_type);
        if ((uint32_t)req.m_type - DS_BASE > DS_RETRIEVE_LABEL - DS_BASE &&
            m.m_type != EBADREQUEST)
            FAIL("step %d: unknown request %#x answered %d", step, (unsigned)req.m_type,
                 m.m_type);
        check_answer(&req, &m, from, m.m_type);
    }
    return 0;
}

/* libFuzzer / AFL++ driver hook: boot before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    hsf_boot_once("ds_sys", &setup);
    return 0;
}
