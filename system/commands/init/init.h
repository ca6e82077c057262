/* init's pieces: RS requests (rs.c, crucible ABI) and the rest (init.c,
 * libc). Kept apart because <crucible/errno.h> and libc's <errno.h> give
 * the same names opposite signs. */
#ifndef INIT_H
#define INIT_H

/* libsys (<crucible/syslib.h>, whose errno names clash with libc's here) */
int rs_program_wait(const char *label, int *status);
int rs_services(void);
int init_is_enoent(int r);

#endif
