/*
 * Error codes. The kernel and the servers return them negative (OK is 0);
 * libc stores the positive value in errno. One name for one error everywhere.
 */
#ifndef CRUCIBLE_ERRNO_H
#define CRUCIBLE_ERRNO_H

#define OK              0
#define EPERM           (-1)
#define ENOENT          (-2)
#define ESRCH           (-3)
#define EINTR           (-4)
#define EIO             (-5)
#define E2BIG           (-7)
#define ENOEXEC         (-8)
#define EBADF           (-9)
#define ECHILD          (-10)
#define EAGAIN          (-11)
#define ENOMEM          (-12)
#define EACCES          (-13)
#define EFAULT          (-14)
#define EBUSY           (-16)
#define EEXIST          (-17)
#define EINVAL          (-22)
#define ENOSPC          (-28)
#define ERANGE          (-34)
#define ENOSYS          (-38)
#define ENAMETOOLONG    (-36)
#define ETIMEDOUT       (-60)
#define EINPROGRESS     (-115)
#define ESTALE          (-116)

/* IPC and system-specific errors. */
#define ELOCKED         (-201)  /* the send would deadlock */
#define EBADCALL        (-202)  /* unknown IPC primitive or kernel call */
#define ECALLDENIED     (-203)  /* target or kernel call not permitted */
#define ETRAPDENIED     (-204)  /* IPC primitive not permitted */
#define EDEADSRCDST     (-205)  /* source or destination is dead or stale */
#define ENOTREADY       (-206)  /* SENDNB: the destination is not receiving */
#define EBADREQUEST     (-207)  /* a server got a request type it does not know */
#define EDONTREPLY      (-208)  /* a handler's result: send no reply (yet) */
#define ERESTART        (-209)  /* service restarted; the request was lost */
#define EGENERIC        (-299)

#endif
