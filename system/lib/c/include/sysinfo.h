/* libc <sysinfo.h>: getsysinfo and reboot, PM calls specific to Crucible. */
#ifndef CRUCIBLE_LIBC_SYSINFO_H
#define CRUCIBLE_LIBC_SYSINFO_H

#include <stddef.h>
#include <crucible/sysinfo.h>   /* struct kinfo, struct proc_info */

/* Copy PM's table `what` (SI_PROC_TAB, SI_KINFO from <crucible/com.h>)
 * into buf; size is the size the caller expects, and PM fails the call
 * with EINVAL if its table differs. Returns 0 or -1 with errno. */
int getsysinfo(int what, void *buf, size_t size);
/* End the machine with status (PM_REBOOT). Returns only on error (-1). */
int reboot(int status);

#endif
