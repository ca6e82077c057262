/*
 * Pure process-table logic of PM: no IPC, no kernel calls, so the host unit
 * tests (tests/unit/pm) link it directly. Every function takes the table
 * (NR_PROCS entries) explicitly.
 */
#ifndef PM_PTAB_H
#define PM_PTAB_H

#include "mproc.h"

/* ptab_wait_match results (besides ECHILD) */
#define WAIT_FOUND  1       /* *zslot is a zombie child to reap */
#define WAIT_BLOCK  2       /* matching children exist, none is a zombie */

void ptab_init(struct mproc *tab);
int ptab_slot_of(endpoint_t ep);
struct mproc *ptab_lookup(struct mproc *tab, endpoint_t ep);
int ptab_find_pid(const struct mproc *tab, int pid);
int ptab_alloc_pid(const struct mproc *tab, int *next_pid);
int ptab_record(struct mproc *tab, int slot, endpoint_t ep, int pid,
                int parent, uint32_t flags, const char *name);
void ptab_free(struct mproc *tab, int slot);
int ptab_is_child(const struct mproc *tab, int parent, int slot);
int ptab_wait_wants(const struct mproc *parent, int child_pid);
int ptab_wait_match(const struct mproc *tab, int parent, int pid, int *zslot);
int ptab_zombie_for(const struct mproc *tab, int parent);
int ptab_reparent(struct mproc *tab, int from, int to);
int ptab_count(const struct mproc *tab, uint32_t flags);
int pm_status_word(int exit_status, int sig);
int ptab_check(const struct mproc *tab, const char **invariant);

#endif
