/*
 * libc <sys/types.h>: the POSIX scalar types this libc uses. Freestanding:
 * built on the compiler's <stdint.h> and <stddef.h>.
 */
#ifndef CRUCIBLE_LIBC_SYS_TYPES_H
#define CRUCIBLE_LIBC_SYS_TYPES_H

#include <stdint.h>
#include <stddef.h>

typedef int32_t pid_t;          /* process id as PM hands them out */
typedef int32_t ssize_t;        /* byte count or -1 */
typedef int64_t time_t;         /* seconds since 1970 */
typedef int32_t clockid_t;      /* CLOCK_* (time.h) */

#endif
