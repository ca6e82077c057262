#!/usr/bin/python3
"""Writes the pm_sys seed corpus (fuzz/pm_sys/corpus/*). Encoding: see the header
comment of pm_sys.c (4 bytes per step: caller, type, pid choice, argument).

Usage: make_corpus.py [OUTDIR]   (default: the corpus/ beside this file)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import seeds  # noqa: E402  (fuzz/common/seeds.py)

INIT, C1, C2, SYS = range(4)
(FORK, EXIT, WAIT, KILL, GETPID, SIGACTION, GETSYSINFO, EXEC, REBOOT, EVMASK, EVREPLY,
 GETTIME, GETRES, GETPPID) = range(14)
MINUS1, ZERO, ONE, SMALL, RAW, INTMIN, SELF, BIG = range(8)


def step(who, typ, pid=MINUS1, arg=0, extra=b""):
    return bytes([who, typ, pid, arg]) + extra


def tick(n):
    return bytes([0x80 | (n << 2), 0, 0, 0])


SEEDS = {
    "getpid_ppid": step(INIT, GETPID) + step(C1, GETPID) + step(C2, GETPPID) + step(SYS, GETPID),
    "fork_exit_wait": step(C1, FORK) + step(C1, WAIT) + step(C2, EXIT, 0, 7)
        + step(INIT, WAIT, MINUS1, 0) + step(INIT, WAIT, MINUS1, 0x40),
    "kill_signals": step(C1, SIGACTION, 0, 15 | 0) + step(C1, SIGACTION, 0, 1)
        + step(INIT, KILL, SMALL, 9) + step(C2, KILL, SELF, 15) + step(INIT, KILL, MINUS1, 0)
        + step(C1, KILL, ZERO, 39) + step(INIT, WAIT),
    "getsysinfo": step(C1, GETSYSINFO, 0, 0x08 | 0) + step(C1, GETSYSINFO, 0, 0x08 | 3)
        + step(C1, GETSYSINFO, 0, 0x10 | 2) + step(C1, GETSYSINFO, 0, 0x48 | 6)
        + step(SYS, GETSYSINFO, 0, 0x0F, b"\x00\x10\x00\x00"),
    "exec": step(C1, EXEC, 0, 1) + step(C2, EXEC, 0, 2) + step(C2, EXEC, 0, 3 | 0xE0)
        + step(C1, EXEC, 0, 0 | 0x04) + step(INIT, WAIT),
    "system_caller": step(SYS, FORK) + step(SYS, EXIT) + step(SYS, WAIT) + step(SYS, SIGACTION)
        + step(SYS, EXEC) + step(SYS, KILL, ONE, 9),
    "events": step(SYS, EVMASK, 0, 3) + step(SYS, EVREPLY, SELF, 1) + step(C1, EVMASK, 0, 1)
        + step(C1, EXIT) + step(SYS, EVREPLY, SMALL, 1) + tick(3),
    "time_unknown": step(INIT, GETTIME) + step(C1, GETRES) + step(C2, 14) + step(C2, 15, 0, 0, b"\x63")
        + tick(7) + step(INIT, GETTIME),
    "reboot": step(C1, REBOOT) + step(INIT, REBOOT, 0, 0) + step(INIT, GETPID),
}


if __name__ == "__main__":
    sys.exit(seeds.write(SEEDS, __file__))
