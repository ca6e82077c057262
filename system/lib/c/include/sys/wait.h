/*
 * libc <sys/wait.h>: waitpid and the status word.
 *
 * Status word encoding (PM builds it, the macros read it):
 *   exited with status s:  (s & 0xff) << 8        low 7 bits zero
 *   killed by signal sig:  sig                     (1 .. 0x7f)
 */
#ifndef CRUCIBLE_LIBC_SYS_WAIT_H
#define CRUCIBLE_LIBC_SYS_WAIT_H

#include <sys/types.h>
#include <crucible/com.h>       /* WNOHANG */

#define W_EXITCODE(status, sig) ((((status) & 0xff) << 8) | ((sig) & 0x7f))
#define WIFEXITED(w)    (((w) & 0x7f) == 0)
#define WEXITSTATUS(w)  (((w) >> 8) & 0xff)
#define WIFSIGNALED(w)  (((w) & 0x7f) != 0)
#define WTERMSIG(w)     ((w) & 0x7f)

/* pid > 0: that child; pid == -1: any child. WNOHANG: 0 if none has
 * ended yet. Returns the child's pid, or -1 with errno (ECHILD...). */
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);

#endif
