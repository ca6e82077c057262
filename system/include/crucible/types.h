/*
 * Basic types shared by the kernel, the servers, the libraries and the host
 * tools. Freestanding: only the compiler's <stdint.h> and <stddef.h>.
 */
#ifndef CRUCIBLE_TYPES_H
#define CRUCIBLE_TYPES_H

#include <stdint.h>
#include <stddef.h>

typedef int32_t  endpoint_t;   /* generation + slot, see endpoint.h */
typedef uint32_t vir_bytes;    /* a virtual address in some process */
typedef uint32_t phys_bytes;   /* a physical address */
typedef uint32_t clock_t_;     /* ticks */
typedef uint32_t sigset_t_;    /* one bit per signal, bit (sig - 1) */

/* Bitmaps of N bits as arrays of 32-bit words. */
#define BITMAP_WORDS(n)     (((n) + 31) / 32)
#define BIT_SET(map, i)     ((map)[(i) / 32] |= (1u << ((i) % 32)))
#define BIT_UNSET(map, i)   ((map)[(i) / 32] &= ~(1u << ((i) % 32)))
#define BIT_ISSET(map, i)   (((map)[(i) / 32] >> ((i) % 32)) & 1u)

#define CRUCIBLE_STATIC_ASSERT(c, m) _Static_assert(c, m)

#endif
