#!/usr/bin/python3
"""Writes the pm seed corpus (fuzz/pm/corpus/*).
Encoding: see the header comment of pm.c (per step: kind, who, the
kind's fields, answers).

Usage: make_corpus.py [OUTDIR]   (default: the corpus/ beside this file)
       make_corpus.py --regressions   (fuzz/regressions/pm: PM's bugs)
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import seeds  # noqa: E402  (fuzz/common/seeds.py)

REQ, SIGNALS, NOTIFY, RESTART = 0, 12, 14, 15
# who (b1 % 16); USER + k: the k-th live user process other than init
INIT, USER, NEWEST, ZOMBIE, RS, VFS, DS, TTY, VM, STRANGER, TASK, RAW = \
    0, 1, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
SYSBIT = 0x10                   # sys_getproc: a system process
FORK, EXIT, WAIT, KILL, GETPID, SIGACTION, GETSYSINFO, EXEC, REBOOT, \
    EVMASK, EVREPLY, GETTIME, GETRES, GETPPID, PROC_EVENT, RAWTYPE = range(16)
# pid (b3 % 16)
P_ANY, P_ZERO, P_INIT, P_NTH, P_NEWEST, P_RS, P_SELF, P_MIN, P_NOBODY = \
    0, 1, 2, 3, 10, 11, 12, 13, 14
# buf (b6): len index | ptr choice << 3
L0, L_PROCTAB, L_KINFO, L1, L_MAXARGS, L_TOOBIG, L64 = range(7)
BUF, NULLPTR, BUF_END = 0, 1, 2
# names (b7)
N_TEST, N_WL, N_HELLO, N_NOSUCH, N_EMPTY, N_PM, N_LONG = range(7)
# kernel signal sets (kind 5, b2)
S_KILL, S_SEGV, S_TERM, S_USR1_CHLD, S_CHLD, S_KILL_TERM, S_NONE = range(7)
# fakesys.c ERRS[b - 1]
EFAULT, EDEAD, EPERM, EINVAL, ENOMEM = 1, 2, 3, 4, 5
# VM_FORK's child (third VM answer byte)
C_FREE, C_CALLER, C_OTHER, C_STALE_SYS, C_CLOCK, C_BEYOND, C_NONE = range(7)
SIGKILL, SIGSEGV, SIGTERM, SIGUSR1, SIGCHLD = 9, 11, 15, 10, 17


def value(v):
    """b4: a small signal / exit status (negated with bit 6) or raw."""
    if 0 <= v < 0x40:
        return bytes([v])
    if -0x40 < v < 0:
        return bytes([0x40 | -v])
    return bytes([0x80]) + struct.pack("<i", v)


def req(who, typ, pid=P_ANY, val=0, opts=0, what=0, buf=0, name=N_TEST, answers=b"",
        raw_who=None, raw_type=None):
    out = bytes([REQ, who])
    if raw_who is not None:                     # who 15: gen, slot + 4
        out += bytes(raw_who)
    out += bytes([typ])
    if raw_type is not None:                    # type 15
        out += struct.pack("<i", raw_type)
    return (out + bytes([pid]) + value(val)
            + bytes([(opts & 3) | (what & 3) << 2, buf, name, len(answers)]) + answers)


def signals(who, sigs, answers=b""):
    return bytes([SIGNALS, who, sigs, len(answers)]) + answers


def notify(who, ticks=0, answers=b""):
    return bytes([NOTIFY, who, ticks, len(answers)]) + answers


def restart(flags=0, which=0, corrupt=None, answers=b""):
    out = bytes([RESTART, 0, flags, which])
    if corrupt is not None:
        out += struct.pack("<HB", *corrupt)
    return out + bytes([len(answers)]) + answers


def vm(ipc=0, result=0, child=C_FREE):
    """Answers for one SENDREC to VM (VM_FORK: with its child's slot)."""
    return bytes([ipc, result, child])


SEEDS = {
    "fork_wait_exit": req(INIT, FORK) + req(USER, GETPID) + req(USER, GETPPID)
        + req(INIT, WAIT, P_ANY, opts=1) + req(INIT, WAIT, P_NEWEST)
        + req(USER, EXIT, val=7) + req(INIT, GETPID),
    "zombie_then_wait": req(INIT, FORK) + req(USER, FORK) + req(USER, EXIT, val=3)
        + req(ZOMBIE, GETPID) + req(INIT, WAIT, P_NTH) + req(USER, WAIT, P_ANY)
        + req(INIT, WAIT, P_ANY, opts=1) + req(INIT, WAIT, P_ANY),
    "orphans_to_init": req(INIT, FORK) + req(USER, FORK) + req(USER + 1, FORK)
        + req(USER, EXIT, val=1) + req(INIT, WAIT, P_ANY) + req(USER, EXIT)
        + req(USER, EXIT, val=2) + req(INIT, WAIT, P_ANY),
    "kill_signals": req(INIT, FORK) + req(USER, SIGACTION, val=SIGTERM, opts=1)
        + req(INIT, KILL, P_NEWEST, SIGTERM) + signals(TASK, S_NONE)
        + req(INIT, KILL, P_NEWEST, SIGUSR1) + req(INIT, WAIT, P_ANY)
        + signals(NEWEST, S_NONE) + req(INIT, KILL, P_RS, SIGKILL)
        + req(INIT, KILL, P_NOBODY, SIGKILL) + req(INIT, KILL, P_ANY, 40),
    "kernel_signals": req(INIT, FORK) + req(INIT, FORK) + req(USER, SIGACTION, val=SIGSEGV, opts=1)
        + signals(USER, S_SEGV) + signals(USER, S_USR1_CHLD) + signals(RS, S_TERM)
        + signals(STRANGER, S_KILL) + req(INIT, WAIT, P_ANY) + signals(USER, S_CHLD)
        + signals(USER, S_KILL_TERM, answers=bytes([EFAULT])),
    "sigaction": req(INIT, SIGACTION, val=SIGUSR1, opts=1) + req(INIT, SIGACTION, val=SIGUSR1)
        + req(INIT, SIGACTION, val=SIGKILL, opts=1) + req(INIT, SIGACTION, val=0, opts=2)
        + req(INIT, SIGACTION, val=35) + req(RS, SIGACTION, val=SIGTERM, opts=1),
    "getsysinfo": req(INIT, GETSYSINFO, what=1, buf=L_PROCTAB)
        + req(INIT, GETSYSINFO, what=2, buf=L_KINFO)
        + req(INIT, GETSYSINFO, what=1, buf=L_PROCTAB | BUF_END << 3)
        + req(INIT, GETSYSINFO, what=2, buf=L_KINFO | NULLPTR << 3)
        + req(INIT, GETSYSINFO, what=1, buf=L_KINFO) + req(INIT, GETSYSINFO, what=3)
        + req(DS, GETSYSINFO, what=1, buf=L_PROCTAB)
        + req(INIT, GETSYSINFO, what=1, buf=L_PROCTAB, answers=bytes([EFAULT])),
    "exec": req(INIT, FORK) + req(USER, EXEC, buf=L64, name=N_TEST)
        + req(USER, EXEC, name=N_HELLO) + req(USER, EXEC, name=N_NOSUCH)
        + req(USER, EXEC, name=N_EMPTY) + req(USER, EXEC, buf=L_TOOBIG)
        + req(USER, EXEC, buf=L64 | NULLPTR << 3) + req(USER, EXEC, name=N_LONG)
        + req(USER, EXEC, name=N_WL, answers=bytes([0, 0, ENOMEM])) + req(RS, EXEC),
    "system_callers": req(RS, FORK) + req(VFS, EXIT) + req(DS, WAIT) + req(TTY, GETPID)
        + req(VM, GETPPID) + req(RS, KILL, P_INIT, SIGTERM) + req(STRANGER | SYSBIT, GETPID)
        + req(STRANGER, GETPID) + req(TASK, GETPID) + req(RS, REBOOT)
        + req(INIT, EVMASK) + req(DS, EVREPLY) + req(RS, PROC_EVENT),
    "vm_failures": req(STRANGER | SYSBIT, GETPID) + req(INIT, FORK, answers=vm(result=ENOMEM)) + req(INIT, FORK, answers=vm(EDEAD))
        + req(INIT, FORK, answers=vm(child=C_CALLER)) + req(INIT, FORK, answers=vm(child=C_STALE_SYS))
        + req(INIT, FORK, answers=vm(child=C_CLOCK)) + req(INIT, FORK, answers=vm(child=C_NONE))
        + req(INIT, FORK, answers=vm() + bytes([EPERM]))
        + req(USER, EXIT, answers=vm(result=EINVAL)),
    "clocks_reboot": req(INIT, GETTIME, what=0) + req(INIT, GETTIME, what=1) + notify(TASK | 0x10, 200)
        + req(INIT, GETTIME, what=0, answers=bytes([EINVAL])) + req(INIT, GETRES, what=1)
        + req(INIT, GETTIME, what=3) + notify(INIT) + req(USER, REBOOT)
        + req(INIT, REBOOT, answers=bytes([EPERM])) + req(INIT, REBOOT) + req(INIT, GETPID),
    "restart": req(INIT, FORK) + req(USER, FORK) + req(USER, EXIT) + req(INIT, WAIT, P_NTH + 5)
        + restart() + req(INIT, GETPID) + restart(flags=4 | 8) + restart(flags=1)
        + restart(flags=0x10) + restart(flags=0x20, corrupt=(9 * 56 + 4, 0x40))
        + req(USER, GETPPID),
    "unknown_types": req(INIT, RAWTYPE, raw_type=0x7ff) + req(INIT, PROC_EVENT)
        + req(RAW, GETPID, raw_who=(9, 60)) + req(RAW, GETPID, raw_who=(1, INIT + 4))
        + notify(VFS) + req(INIT, RAWTYPE, raw_type=-5) + req(DS, RAWTYPE, raw_type=0x90e),
}


# The bugs fuzz/pm found in PM, as written to fuzz/regressions/pm
# (--regressions): a restart adopted a transferred table that a corrupted
# byte had made inconsistent (see pm_adopt_table and ptab_check).
REGRESSIONS = {
    # PM's own entry ^ 0x9a: IN_USE|EXITING|0x80, no longer PRIV_PROC
    "adopt_garbage_flags_of_pm": req(INIT, FORK) + restart(flags=0x20, corrupt=(0, 0x9a))
        + req(INIT, GETPID),
    # RS's entry loses PRIV_PROC: any user could have it killed
    "adopt_rs_as_user_process": req(INIT, FORK) + restart(flags=0x20, corrupt=(2 * 56, 0x10))
        + req(INIT, KILL, P_RS, SIGKILL),
}


if __name__ == "__main__":
    sys.exit(seeds.write(SEEDS, __file__, REGRESSIONS))
