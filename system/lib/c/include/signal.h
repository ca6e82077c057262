/* libc <signal.h>: signal numbers, kill and the SIG_DFL/SIG_IGN subset of
 * signal() (no user handlers: PM only knows default and ignore). */
#ifndef CRUCIBLE_LIBC_SIGNAL_H
#define CRUCIBLE_LIBC_SIGNAL_H

#include <sys/types.h>
#include <crucible/signal.h>    /* SIGHUP ... NSIG */

typedef void (*sighandler_t)(int);
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)

/* h must be SIG_DFL or SIG_IGN (anything else: EINVAL). Returns the
 * previous disposition set through this libc, or SIG_ERR. */
sighandler_t signal(int sig, sighandler_t h);
int kill(pid_t pid, int sig);
int raise(int sig);

#endif
