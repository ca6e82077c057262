#!/usr/bin/python3
"""Writes the rs_sys seed corpus (fuzz/rs_sys/corpus/*) from readable step lists.
Encoding: see the header comment of rs_sys.c (4 bytes per step: what, type,
label, args; some choices take extra bytes).

Usage: make_corpus.py [OUTDIR]   (default: the corpus/ beside this file)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import seeds  # noqa: E402  (fuzz/common/seeds.py)

INIT, CHILD, S0, S1 = range(4)
SENDREC, SENDNB, CRASH, TICK = 0 << 2, 5 << 2, 6 << 2, 7 << 2
UP, DOWN, RESTART, UPDATE, EDIT, LOOKUP, COUNT, RCRASH, READY, FINIT, FPREP, RAW = range(12)
DS, TTY, VM, PM, HELLO, RS, TEST_IPC, WL_HELLO, EMPTY, LONG, NOSUCH, JUNK = range(12)
WAIT = 0x08


def req(who, typ, label=DS, args=0, extra=b""):
    return bytes([who | SENDREC, typ, label, args]) + extra


def nb(who, typ, label=DS, args=0):
    return bytes([who | SENDNB, typ, label, args])


def crash(svc):
    return bytes([CRASH, svc, 0, 0])[:2]


def tick(n):
    return bytes([TICK, (n - 1) % 32])


SEEDS = {
    "lookup_count": req(INIT, LOOKUP, DS) + req(INIT, LOOKUP, RS) + req(INIT, COUNT)
        + req(INIT, READY) + req(INIT, LOOKUP, NOSUCH) + req(INIT, LOOKUP, LONG),
    "not_init": req(CHILD, LOOKUP, DS) + req(S0, COUNT) + req(S1, DOWN, HELLO),
    "restart_hello": req(INIT, RESTART, HELLO) + tick(4) + req(INIT, LOOKUP, HELLO),
    "update_hello": req(INIT, UPDATE, HELLO, 0x31) + tick(8) + req(INIT, LOOKUP, HELLO),
    "update_bad_state": req(INIT, UPDATE, HELLO, 0x70) + req(INIT, UPDATE, DS, 0xf0)
        + req(INIT, UPDATE, RS, 0x10),
    "crash_and_lookup": crash(HELLO) + tick(2) + req(INIT, LOOKUP, HELLO) + crash(DS)
        + tick(8) + req(INIT, LOOKUP, DS),
    "rs_crash_hook": req(INIT, RCRASH, HELLO) + tick(3) + req(INIT, RCRASH, RS)
        + req(INIT, RCRASH, NOSUCH),
    "edit": req(INIT, EDIT, HELLO, 0x03) + req(INIT, EDIT, HELLO, 0x00) + crash(HELLO)
        + tick(10) + req(INIT, LOOKUP, HELLO),
    "down_up": req(INIT, DOWN, HELLO) + req(INIT, LOOKUP, HELLO) + req(INIT, UP, HELLO)
        + req(INIT, UP, TEST_IPC) + req(INIT, UP, WL_HELLO, WAIT),
    "forged_replies": req(S0, FINIT, DS, 0x00) + req(S1, FPREP, DS, 0x01)
        + nb(CHILD, FINIT, DS, 0x04) + nb(INIT, FPREP, DS, 0x09),
    "forged_during_update": req(INIT, UPDATE, HELLO, 0x51) + nb(S0, FPREP, HELLO, 0x01)
        + nb(S1, FINIT, HELLO, 0x02) + tick(6) + req(CHILD, LOOKUP, HELLO),
    "unknown_types": req(INIT, RAW, DS, 0, b"\x05") + req(INIT, RAW, DS, 0, b"\x13")
        + req(S0, RAW, DS, 0, b"\xff"),
    "labels": req(INIT, LOOKUP, EMPTY) + req(INIT, LOOKUP, JUNK)
        + req(INIT, LOOKUP, 12, 0, b"\x03dsx") + req(INIT, DOWN, 13, 0, b"\x10" + b"a" * 16),
}


if __name__ == "__main__":
    sys.exit(seeds.write(SEEDS, __file__))
