/* lib/c errno.c: the errno variable (one thread per process) and strerror. */
#include <string.h>
#include "libc_priv.h"

int errno;

/* strerror: a fixed text for a positive errno value; never NULL. */
char *strerror(int errnum)
{
    switch (-errnum) {
    case OK:          return "success";
    case EPERM:       return "operation not permitted";
    case ENOENT:      return "no such entry";
    case ESRCH:       return "no such process";
    case EINTR:       return "interrupted";
    case EIO:         return "I/O error";
    case E2BIG:       return "argument list too long";
    case ENOEXEC:     return "exec format error";
    case EBADF:       return "bad descriptor";
    case ECHILD:      return "no child process";
    case EAGAIN:      return "try again";
    case ENOMEM:      return "out of memory";
    case EACCES:      return "permission denied";
    case EFAULT:      return "bad address";
    case EBUSY:       return "busy";
    case EEXIST:      return "exists";
    case EINVAL:      return "invalid argument";
    case ENOSPC:      return "no space left";
    case ERANGE:      return "out of range";
    case ENAMETOOLONG: return "name too long";
    case ENOSYS:      return "not implemented";
    case ETIMEDOUT:   return "timed out";
    case ELOCKED:     return "send would deadlock";
    case EBADCALL:    return "bad call";
    case ECALLDENIED: return "call denied";
    case ETRAPDENIED: return "trap denied";
    case EDEADSRCDST: return "dead source or destination";
    case ENOTREADY:   return "destination not ready";
    case EBADREQUEST: return "bad request";
    case ERESTART:    return "service restarted";
    default:          return "unknown error";
    }
}
