/*
 * hs_fuzz.h: what the harnesses built on the host platform simulator
 * (hostsim.h) share: boot once per process, restore per input, the
 * result oracle every step goes through, and the coverage plumbing that
 * lets the engines see the servers' own code (hs_fuzz.c explains it).
 */
#ifndef HS_FUZZ_H
#define HS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <crucible/com.h>
#include <crucible/endpoint.h>
#include <crucible/errno.h>
#include "hostsim.h"

#define HSF_MAX_PUPPETS 8

struct hsf_setup {
    int nr_user;                /* user puppets to create (init first) */
    int nr_system;              /* system puppets */
    const char *cmdline;        /* NULL: "sanity=1" */
    unsigned idle_ticks;        /* hostsim_config.idle_ticks (0: its
                                   default, 2000): how far a call may jump
                                   the clock to reach the next alarm. A
                                   small horizon ends a call that a hang
                                   or delay fault blocks quickly, as
                                   HOSTSIM_STUCK (a result, not a hang) */
    unsigned long call_steps;   /* hostsim_config.call_steps (0: its
                                   default, 5,000,000): the steps one call
                                   or tick may run. A small budget ends a
                                   livelock (servers busy forever) in
                                   milliseconds instead of seconds */
};

/* Puppets made at boot (valid after hsf_begin). */
extern endpoint_t hsf_user[HSF_MAX_PUPPETS], hsf_sys[HSF_MAX_PUPPETS];
/* The size of a puppet's memory (hostsim_puppet_mem's *len); harnesses
 * write it through hostsim_puppet_span, naming only the bytes they write,
 * so that the restore after the input copies back only those. */
extern size_t hsf_puppet_len;
/* hsf_ramp[i] == i % 256 for i < 512 (set at boot): memcpy(dst,
 * hsf_ramp + b, n) fills dst[i] = b + i (n <= 256) without a loop the
 * engine traces. */
extern uint8_t hsf_ramp[512];

/* Boots the system the first time it is called in this process (seed 1,
 * no trace), creates the puppets of *s, registers the server images'
 * coverage with the engine and checkpoints; afterwards does nothing.
 * A boot failure is fz_fail(harness, ...). */
void hsf_boot_once(const char *harness, const struct hsf_setup *s);

/* Per input: boots if needed, returns the system to the booted
 * checkpoint and clears the servers' coverage counters the restore
 * brought back (the engine cleared them before calling us). */
void hsf_begin(const char *harness, const struct hsf_setup *s);

/* The oracle for the hostsim result r of a step named 'what': a sanity
 * violation (reported by r or by hostsim_sanity) or a kernel panic is
 * fz_fail; an orderly shutdown returns HOSTSIM_HALTED (the caller ends the
 * input); every other value is returned unchanged. */
int hsf_check(const char *harness, int r, const char *what);

/* Nonzero if v is a crucible error number (-1 .. -299). */
static inline int hsf_is_errno(int v)
{
    return v < 0 && v >= EGENERIC;
}

/* Number of coverage counters registered from server images (0 when the
 * images are not instrumented), for the report. */
size_t hsf_image_counters(void);

#endif
