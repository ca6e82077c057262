/* Signal numbers (POSIX values) and their sets. */
#ifndef CRUCIBLE_SIGNAL_H
#define CRUCIBLE_SIGNAL_H

#define SIGHUP   1
#define SIGINT   2
#define SIGQUIT  3
#define SIGILL   4
#define SIGTRAP  5
#define SIGABRT  6
#define SIGBUS   7
#define SIGFPE   8
#define SIGKILL  9
#define SIGUSR1  10
#define SIGSEGV  11
#define SIGUSR2  12
#define SIGPIPE  13
#define SIGALRM  14
#define SIGTERM  15
#define SIGCHLD  17
#define SIGCONT  18
#define SIGSTOP  19
#define NSIG     32

/* Kernel-generated signals to system processes' signal managers. */
#define SIGKSTOP 30     /* process stopped by the kernel (unused) */
#define SIGKMESS 31     /* (reserved) */

#define SIGMASK(s)  (1u << ((s) - 1))

/* Signals that terminate by default. */
#define SIG_TERMINATES(s) ((s) != SIGCHLD && (s) != SIGCONT)

#define SIG_DFL_ 0
#define SIG_IGN_ 1

#endif
