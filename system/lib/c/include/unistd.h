/* libc <unistd.h>: process calls answered by PM (lib/c/process.c). */
#ifndef CRUCIBLE_LIBC_UNISTD_H
#define CRUCIBLE_LIBC_UNISTD_H

#include <sys/types.h>

/* End the process at once with status (PM_EXIT). Never returns. */
void _exit(int status) __attribute__((noreturn));
pid_t fork(void);
pid_t getpid(void);
pid_t getppid(void);
/* Replace this program by boot module `name` with arguments argv
 * (NULL-terminated; argv[0] is passed too). Returns only on error. */
int execv(const char *name, char *const argv[]);

#endif
