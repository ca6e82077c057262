#!/usr/bin/python3
"""Writes the rs seed corpus (fuzz/rs_handler/corpus/*).
Encoding: see the header comment of rs.c (per step: kind, who,
kind's fields, answers).

Usage: make_corpus.py [OUTDIR]   (default: the corpus/ beside this file)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import seeds  # noqa: E402  (fuzz/common/seeds.py)

REQ, INIT_ANS, LU_ANS, SIG, CLOCK, NOTIFY = 0, 3, 4, 5, 6, 7
INIT, DS, TTY, VM, PM, HELLO, RS, USER, CHILD0, CHILD1 = range(10)
STALE, VFS, SYSTEM = 12, 13, 14
UP, DOWN, RESTART, UPDATE, EDIT, LOOKUP, COUNT, CRASH, READY, SIGNAL = range(10)
L = {"ds": 0, "tty": 1, "vm": 2, "pm": 3, "hello": 4, "rs": 5, "test_ipc": 6,
     "test_ds": 8, "wl_hello": 12, "fuzzplay": 15, "": 17, "nosuch": 18}
WAIT = 0x40


def req(who, typ, label="ds", flags=0, state=0, timeout=0, answers=b""):
    return bytes([REQ, who, typ, L[label], flags, state & 0xff, timeout,
                  len(answers)]) + answers


def init_ans(who, result=0, xfer=0, answers=b""):
    return bytes([INIT_ANS, who, result, xfer, len(answers)]) + answers


def lu_ans(who, result=0):
    return bytes([LU_ANS, who, result, 0])


def sig(who, sigs=0, stopped=0, via_system=0, answers=b""):
    return bytes([SIG, who, sigs, stopped, via_system, len(answers)]) + answers


def clock(ticks):
    return bytes([CLOCK, 0, ticks, 0])


SEEDS = {
    "lookup_count": req(INIT, LOOKUP, "pm") + req(INIT, COUNT) + req(DS, LOOKUP, "nosuch")
        + req(USER, LOOKUP, "ds") + req(INIT, READY) + req(INIT, LOOKUP, ""),
    "up_program": req(INIT, UP, "test_ipc") + init_ans(CHILD0) + req(INIT, LOOKUP, "test_ipc")
        + req(INIT, DOWN, "test_ipc") + req(INIT, UP, "fuzzplay"),
    "up_wait_exit": req(INIT, UP, "test_ds", WAIT) + init_ans(CHILD0)
        + sig(CHILD0, 0, stopped=1) + req(INIT, LOOKUP, "test_ds"),
    "up_init_fails": req(INIT, UP, "wl_hello") + init_ans(CHILD0, result=5)
        + req(INIT, UP, "wl_hello", answers=bytes([1])),
    "crash_restart": sig(HELLO, 0) + clock(0x90) + init_ans(CHILD0) + req(INIT, LOOKUP, "hello")
        + sig(CHILD0, 1) + clock(0xff) + clock(0xff) + init_ans(CHILD0, 2),
    "crash_via_system": sig(TTY, 1, via_system=1) + clock(0x90) + init_ans(TTY)
        + sig(VM, 2, stopped=3, via_system=1),
    "restart_request": req(INIT, RESTART, "ds") + init_ans(DS) + init_ans(DS)
        + req(INIT, RESTART, "rs") + req(PM, RESTART, "hello") + clock(0xff),
    "update": req(INIT, UPDATE, "hello", state=1, timeout=100) + lu_ans(HELLO)
        + init_ans(HELLO) + req(INIT, UPDATE, "hello", state=1, timeout=5)
        + clock(10) + lu_ans(HELLO, 3) + req(INIT, UPDATE, "rs"),
    "update_wrong_answers": req(INIT, UPDATE, "tty", state=2, timeout=50) + lu_ans(DS)
        + init_ans(TTY) + lu_ans(TTY) + lu_ans(TTY) + clock(0xff),
    "edit_crash": req(INIT, EDIT, "hello", flags=3) + req(INIT, CRASH, "hello")
        + req(INIT, CRASH, "rs") + req(INIT, EDIT, "nosuch", flags=0xc0),
    "heartbeat": clock(0x88) + clock(0x88) + bytes([NOTIFY, DS, 0]) + clock(0x90)
        + bytes([NOTIFY, SYSTEM, 0]),
    "signals_other": sig(DS, 3) + sig(USER, 0) + sig(RS, 0) + sig(HELLO, 4, answers=bytes([1, 2])),
    "unknown_types": bytes([REQ, INIT, 10, 0x05, 0x07, 0, 0, 0, 0, 0, 0, 0])
        + bytes([REQ, USER, 10, 0x01, 0x06, 0, 0, 0, 0, 0, 0, 0])
        + req(INIT, SIGNAL) + req(STALE, COUNT) + req(VFS, DOWN, "pm"),
    "kernel_errors": req(INIT, UP, "test_ipc", answers=bytes([0, 1]))
        + req(INIT, UP, "test_ipc", answers=bytes([0, 0, 0, 3])) + sig(PM, 0, answers=bytes([2])),
}


if __name__ == "__main__":
    sys.exit(seeds.write(SEEDS, __file__))
