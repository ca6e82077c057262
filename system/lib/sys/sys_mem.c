/* lib/sys sys_mem.c: copies between address spaces (SYS_VIRCOPY,
 * SYS_PHYSCOPY: an endpoint of NONE means physical memory, seed 004). */
#include <crucible/syslib.h>

/* One copy call of `type`. */
static int copy(int type, endpoint_t src, vir_bytes src_addr, endpoint_t dst,
                vir_bytes dst_addr, size_t bytes)
{
    message m;
    memset(&m, 0, sizeof m);
    m.m_sys_copy.src_ep = src;
    m.m_sys_copy.src_addr = src_addr;
    m.m_sys_copy.dst_ep = dst;
    m.m_sys_copy.dst_addr = dst_addr;
    m.m_sys_copy.bytes = (uint32_t)bytes;
    return kernel_call(type, &m);
}

/* sys_vircopy: copy bytes from src's src_addr to dst's dst_addr (SELF
 * allowed for either); EFAULT if a range is not mapped. */
int sys_vircopy(endpoint_t src, vir_bytes src_addr, endpoint_t dst, vir_bytes dst_addr, size_t bytes)
{
    return copy(SYS_VIRCOPY, src, src_addr, dst, dst_addr, bytes);
}

/* sys_physcopy: as sys_vircopy; NONE on a side means physical memory. */
int sys_physcopy(endpoint_t src, vir_bytes src_addr, endpoint_t dst, vir_bytes dst_addr, size_t bytes)
{
    return copy(SYS_PHYSCOPY, src, src_addr, dst, dst_addr, bytes);
}
