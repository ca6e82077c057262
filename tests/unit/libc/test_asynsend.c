/* tests/unit/libc test_asynsend.c: lib/sys asynsend's SENDA table: filling,
 * ENOSPC, reuse of AMF_DONE entries, the count registered with a fake
 * ipc_senda. */
#include <crucible/syslib.h>
#include "lc.h"

int lc_failures;

static asynmsg_t *reg_table;
static size_t reg_count;
static int senda_calls;

/* Fake trap: remember the registration. */
int ipc_senda(asynmsg_t *table, size_t count)
{
    reg_table = table;
    reg_count = count;
    senda_calls++;
    return OK;
}

int main(void)
{
    message m;
    int i;

    memset(&m, 0, sizeof m);
    m.m_type = 1234;
    m.m_i32.i[0] = 0;
    CHECK(asynsend(7, &m) == OK);
    CHECK(senda_calls == 1 && reg_count == 1);
    CHECK(reg_table[0].flags == AMF_VALID && reg_table[0].dst == 7);
    CHECK(reg_table[0].msg.m_type == 1234);

    /* fill the table: 64 entries, then ENOSPC without a registration */
    for (i = 1; i < 64; i++) {
        m.m_i32.i[0] = i;
        CHECK(asynsend(100 + i, &m) == OK);
    }
    CHECK(reg_count == 64);
    CHECK(reg_table[63].dst == 163 && reg_table[63].msg.m_i32.i[0] == 63);
    i = senda_calls;
    CHECK(asynsend(9, &m) == ENOSPC);
    CHECK(senda_calls == i);

    /* the kernel finishes entry 5: it is reused, the count covers entry 63 */
    reg_table[5].flags |= AMF_DONE;
    reg_table[5].result = OK;
    m.m_i32.i[0] = 555;
    CHECK(asynsend(55, &m) == OK);
    CHECK(reg_table[5].flags == AMF_VALID && reg_table[5].dst == 55);
    CHECK(reg_table[5].msg.m_i32.i[0] == 555 && reg_count == 64);
    CHECK(asynsend(9, &m) == ENOSPC);

    /* everything done but entry 0: the next message takes entry 1 and the
     * registered count shrinks to 2 */
    for (i = 1; i < 64; i++)
        reg_table[i].flags |= AMF_DONE;
    CHECK(asynsend_flags(66, &m, AMF_NOTIFY) == OK);
    CHECK(reg_table[1].dst == 66 && reg_table[1].flags == (AMF_VALID | AMF_NOTIFY));
    CHECK(reg_count == 2);

    /* flags SENDA does not let a caller set */
    CHECK(asynsend_flags(66, &m, AMF_DONE) == EINVAL);

    printf("test_asynsend: %s\n", lc_failures ? "FAILED" : "ok");
    return lc_failures != 0;
}
