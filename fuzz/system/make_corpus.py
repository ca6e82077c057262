#!/usr/bin/python3
"""Writes the system seed corpus (fuzz/system/corpus/*). Encoding: see the
header comment of system.c (3 bytes per step: op, a, b; some ops take one
more byte).

Usage: make_corpus.py [OUTDIR]   (default: the corpus/ beside this file)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import seeds  # noqa: E402  (fuzz/common/seeds.py)

PM, DS, HELLO, CRASH, FAULT, TICK, RUN, PUPPET, PENDING, SUB = range(10)
LDS, LPM, LVM, LTTY, LHELLO = range(5)
GETPID, GETPPID, FORK, EXIT, WAIT, KILL, SIGACT, GETTIME = range(8)


def s(op, a=0, b=0, extra=b""):
    return bytes([op, a, b]) + extra


SEEDS = {
    "calls": s(PM, 0, GETPID) + s(PM, 1, FORK) + s(DS, 2, 0) + s(DS, 0, 1) + s(HELLO, 1)
        + s(PM, 2, GETTIME),
    "exit_wait": s(PM, 1, EXIT | (3 << 3)) + s(PM, 0, WAIT) + s(PUPPET) + s(PM, 3, EXIT)
        + s(PM, 0, WAIT | 8) + s(PENDING, 0),
    "kill": s(PM, 2, SIGACT | (15 << 3)) + s(PM, 0, KILL | (15 << 3), b"\x03")
        + s(PM, 0, KILL | (9 << 3), b"\x03") + s(PM, 0, WAIT) + s(TICK, 3),
    "crash_restart": s(HELLO, 0) + s(CRASH, LHELLO) + s(HELLO, 1) + s(CRASH, LDS) + s(DS, 0, 0)
        + s(CRASH, LPM) + s(PM, 1, GETPID) + s(CRASH, LVM) + s(CRASH, LTTY) + s(TICK, 10),
    "hello_crash": s(HELLO, 0, 1) + s(RUN, 40) + s(HELLO, 0) + s(PENDING, 0),
    "faults_sef": s(FAULT, 0, LHELLO, b"\x00") + s(HELLO, 0) + s(FAULT, 4, LDS, b"\x00")
        + s(DS, 1, 1) + s(FAULT, 3, LPM, b"\x02") + s(PM, 0, GETPID) + s(TICK, 15),
    "faults_ipc": s(FAULT, 5, LDS, b"\x00") + s(DS, 0, 0) + s(FAULT, 6, LPM, b"\x00")
        + s(PM, 1, GETPID) + s(TICK, 5) + s(FAULT, 8, LHELLO, b"\x04") + s(HELLO, 2)
        + s(FAULT, 10, LPM, b"\x00") + s(PM, 0, FORK),
    "subscribe": s(SUB) + s(DS, 0, 2) + s(DS, 1, 4) + s(SUB) + s(CRASH, LDS) + s(SUB),
    # hello holds exits (b % 4: 1 answer, 2 hold, 3 stop), is crashed
    # while holding one and is told again as a new instance
    "proc_events": s(SUB, 0, 2) + s(PM, 1, EXIT | (3 << 3)) + s(PM, 0, WAIT | 8)
        + s(SUB, 0, 1) + s(PM, 0, WAIT | 8) + s(PUPPET) + s(SUB, 3, 2) + s(PM, 3, EXIT)
        + s(CRASH, LHELLO) + s(PM, 0, WAIT) + s(SUB, 0, 3) + s(PM, 2, EXIT),
    "many_puppets": s(PUPPET) + s(PUPPET) + s(PUPPET) + s(PUPPET) + s(PM, 4, EXIT)
        + s(PM, 5, KILL | (9 << 3), b"\x00") + s(PM, 0, WAIT) + s(PM, 0, WAIT),
}


if __name__ == "__main__":
    sys.exit(seeds.write(SEEDS, __file__))
