/*
 * A table of structure offsets for host-side debuggers (the orchestrator's
 * VM-level fault injection, orchestrator/vmfaults.py). The host reads it
 * from guest physical memory at the address of the symbol
 * `crucible_debug_offsets` (kernel.elf is identity-mapped), so it never
 * hard-codes the layout of struct proc.
 *
 * Contract: the fields are little-endian uint32_t, in this order, and only
 * ever appended to; `magic` is DEBUG_OFFSETS_MAGIC and `version` counts
 * layout changes of this table (not of struct proc).
 */
#include "kernel.h"
#include "i386.h"

#define DEBUG_OFFSETS_MAGIC 0x5346464fu        /* the bytes "OFFS" in memory */

struct debug_offsets {
    uint32_t magic;
    uint32_t version;
    uint32_t proc_size;         /* sizeof(struct proc) */
    uint32_t nr_all_slots;      /* entries of proc_table */
    uint32_t nr_tasks;          /* proc_table[0] is slot -nr_tasks */
    uint32_t off_name;          /* offsetof(struct proc, p_name) */
    uint32_t name_len;          /* PROC_NAME_LEN */
    uint32_t off_endpoint;      /* offsetof(struct proc, p_endpoint) */
    uint32_t off_rts_flags;     /* offsetof(struct proc, p_rts_flags) */
    uint32_t rts_slot_free;     /* RTS_SLOT_FREE */
    uint32_t off_pdir;          /* offsetof(struct proc, p_arch.pdir) */
    uint32_t off_nr;            /* offsetof(struct proc, p_nr) */
};

__attribute__((used))
const struct debug_offsets crucible_debug_offsets = {
    .magic = DEBUG_OFFSETS_MAGIC,
    .version = 1,
    .proc_size = sizeof(struct proc),
    .nr_all_slots = NR_ALL_SLOTS,
    .nr_tasks = NR_TASKS,
    .off_name = offsetof(struct proc, p_name),
    .name_len = PROC_NAME_LEN,
    .off_endpoint = offsetof(struct proc, p_endpoint),
    .off_rts_flags = offsetof(struct proc, p_rts_flags),
    .rts_slot_free = RTS_SLOT_FREE,
    .off_pdir = offsetof(struct proc, p_arch) + offsetof(struct arch_proc, pdir),
    .off_nr = offsetof(struct proc, p_nr),
};
