/*
 * ctl.c: the control channel of the host platform (arch.h): an in-memory
 * pair of buffers. Tests feed input with host_ctl_input() and read what
 * the kernel wrote with host_ctl_output(); nothing reaches a real device.
 */
#include <string.h>
#include "kernel.h"

#define HOST_CTL_BUF 65536

static char in_buf[HOST_CTL_BUF];
static size_t in_len, in_pos;
static char out_buf[HOST_CTL_BUF];
static size_t out_len;

/* Queue the NUL-terminated s as input for the kernel (truncated if the
 * buffer is full). */
void host_ctl_input(const char *s)
{
    size_t n = strlen(s);

    if (in_pos == in_len)
        in_pos = in_len = 0;
    if (n > sizeof(in_buf) - in_len)
        n = sizeof(in_buf) - in_len;
    memcpy(in_buf + in_len, s, n);
    in_len += n;
}

/* Everything the kernel wrote since the last host_ctl_reset(), as a
 * NUL-terminated string. */
const char *host_ctl_output(void)
{
    out_buf[out_len < sizeof(out_buf) ? out_len : sizeof(out_buf) - 1] = '\0';
    return out_buf;
}

/* Forget the output and any unread input. */
void host_ctl_reset(void)
{
    out_len = 0;
    in_len = in_pos = 0;
}

/* arch.h: the next input byte, or -1. */
int arch_ctl_getc(void)
{
    if (in_pos >= in_len)
        return -1;
    return (unsigned char)in_buf[in_pos++];
}

/* Nonzero if input waits to be read (arch_ctl_getc would not be -1). */
int host_ctl_pending(void)
{
    return in_pos < in_len;
}

/* arch.h: append n bytes to the output (dropped once it is full). */
void arch_ctl_write(const char *s, size_t n)
{
    if (n > sizeof(out_buf) - 1 - out_len)
        n = sizeof(out_buf) - 1 - out_len;
    memcpy(out_buf + out_len, s, n);
    out_len += n;
}

/* The two buffers' bounds, for the host platform simulator, which leaves
 * them out of its checkpoints (sim/sched.c: nothing reads them there; the
 * lengths above are checkpointed). */
void host_ctl_buffers(uintptr_t b[4])
{
    b[0] = (uintptr_t)in_buf;
    b[1] = (uintptr_t)(in_buf + sizeof in_buf);
    b[2] = (uintptr_t)out_buf;
    b[3] = (uintptr_t)(out_buf + sizeof out_buf);
}
