/*
 * wl_ds: a campaign workload. 20 rounds of publish / retrieve / delete of
 * a u32 and a string key in DS, checking every value read back. Prints
 * `crucible-workload: wl_ds ok rounds=20` or
 * `crucible-workload: wl_ds error <what>` and exits (sys_exit) with 0 or 1.
 */
#include <stdio.h>
#include <crucible/syslib.h>
#include <crucible/sef.h>

#define WL_ROUNDS 20

/* One round: publish, read back, delete. Returns 0, or -1 after printing
 * what went wrong. */
static int round_once(int i)
{
    char want[32], got[32];
    uint32_t v = 0;
    int r;

    if ((r = ds_publish_u32("wl.u32", (uint32_t)(i * 7 + 1), DSF_OVERWRITE)) != OK ||
        (r = ds_retrieve_u32("wl.u32", &v)) != OK) {
        printf("crucible-workload: wl_ds error round %d u32 %d\n", i, r);
        return -1;
    }
    if (v != (uint32_t)(i * 7 + 1)) {
        printf("crucible-workload: wl_ds error round %d u32 value %u\n", i, (unsigned)v);
        return -1;
    }
    snprintf(want, sizeof(want), "value-%d", i);
    memset(got, 0, sizeof(got));
    if ((r = ds_publish_str("wl.str", want, DSF_OVERWRITE)) != OK ||
        (r = ds_retrieve_str("wl.str", got, sizeof(got))) != OK) {
        printf("crucible-workload: wl_ds error round %d str %d\n", i, r);
        return -1;
    }
    if (strcmp(want, got) != 0) {
        printf("crucible-workload: wl_ds error round %d str value\n", i);
        return -1;
    }
    if ((r = ds_delete("wl.u32", DSF_TYPE_U32)) != OK ||
        (r = ds_delete("wl.str", DSF_TYPE_STR)) != OK) {
        printf("crucible-workload: wl_ds error round %d delete %d\n", i, r);
        return -1;
    }
    if (ds_retrieve_u32("wl.u32", &v) == OK) {
        printf("crucible-workload: wl_ds error round %d deleted key still there\n", i);
        return -1;
    }
    return 0;
}

/* Runs the workload; exit status 0 when every check held. */
int main(void)
{
    int i;

    sef_startup();              /* answer RS's init, like every program RS starts */
    for (i = 0; i < WL_ROUNDS; i++)
        if (round_once(i) != 0) {
            sys_exit(1);
            return 1;
        }
    printf("crucible-workload: wl_ds ok rounds=%d\n", WL_ROUNDS);
    sys_exit(0);
    return 0;
}
