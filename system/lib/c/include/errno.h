/*
 * libc <errno.h>: the errno variable and the positive POSIX error codes.
 *
 * The kernel and the servers speak negative codes (<crucible/errno.h>);
 * libc stores their positive value in errno: errno == -(crucible code), so
 * after a failed call `errno == EINVAL` holds in a file that includes only
 * this header.
 *
 * Both headers use the same names with opposite signs. A file that includes
 * <crucible/errno.h> (directly or through <crucible/syslib.h>) BEFORE this
 * one keeps the negative codes and compares `errno == -EINVAL`; this header
 * then defines only errno. Including <crucible/errno.h> AFTER this header
 * is a macro-redefinition error: include crucible headers first.
 */
#ifndef CRUCIBLE_LIBC_ERRNO_H
#define CRUCIBLE_LIBC_ERRNO_H

/* The last error of a failed libc call, positive. 0 at program start. */
extern int errno;

#ifndef CRUCIBLE_ERRNO_H
#define EPERM           1
#define ENOENT          2
#define ESRCH           3
#define EINTR           4
#define EIO             5
#define E2BIG           7
#define ENOEXEC         8
#define EBADF           9
#define ECHILD          10
#define EAGAIN          11
#define ENOMEM          12
#define EACCES          13
#define EFAULT          14
#define EBUSY           16
#define EEXIST          17
#define EINVAL          22
#define ENOSPC          28
#define ERANGE          34
#define ENAMETOOLONG    36
#define ENOSYS          38
#define ETIMEDOUT       60
#define EINPROGRESS     115
#define ESTALE          116
#define ELOCKED         201
#define EBADCALL        202
#define ECALLDENIED     203
#define ETRAPDENIED     204
#define EDEADSRCDST     205
#define ENOTREADY       206
#define EBADREQUEST     207
#define EDONTREPLY      208
#define ERESTART        209
#define EGENERIC        299
#endif

#endif
