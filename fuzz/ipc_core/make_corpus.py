#!/usr/bin/python3
"""Writes the ipc_core seed corpus (fuzz/ipc_core/corpus/*) from readable
step lists. Encoding: see the header comment of ipc_core.c (3 header bytes,
then 4 bytes per step: op, actor, endpoint choice, message flags).

Usage: make_corpus.py [OUTDIR]   (default: the corpus/ beside this file)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import seeds  # noqa: E402  (fuzz/common/seeds.py)

OPS = {"send": 0, "receive": 1, "sendrec": 2, "notify": 3, "sendnb": 4, "senda": 5,
       "clear": 6, "tick": 7, "signal": 8, "getksig": 9, "clearrefs": 10,
       "tamper": 11, "badprim": 12}
RS, DS, VM, PM, U1, U2 = range(6)
STALE, ANY, NONE, SELF, TASK = 6, 10, 11, 12, 13
FULL = bytes([0x3F, 0xFF, 0x00])          # VM: every primitive and target


def step(op, actor, tgt=0, mflag=0x11, extra=b""):
    return bytes([OPS[op], actor, tgt, mflag]) + extra


SEEDS = {
    "send_receive": FULL + step("receive", DS, ANY) + step("send", VM, DS),
    "receive_then_sendnb": FULL + step("sendnb", VM, DS) + step("receive", DS, VM)
        + step("sendnb", VM, DS),
    "user_sendrec_reply": FULL + step("receive", PM, ANY) + step("sendrec", U1, PM)
        + step("send", PM, U1) + step("sendrec", U2, PM),
    "notify_coalesce": FULL + step("notify", DS, PM) + step("notify", DS, PM)
        + step("notify", VM, PM) + step("receive", PM, ANY) + step("receive", PM, DS),
    "deadlock_pair": FULL + step("send", DS, VM) + step("send", VM, DS)
        + step("sendrec", PM, DS) + step("receive", VM, PM),
    "senda_table": FULL + step("senda", DS, 3, 0x00,
                               bytes([0x04, VM, 1, 0x10, PM, 2, 0x01, STALE, 3]))
        + step("receive", VM, ANY) + step("receive", PM, DS) + step("receive", DS, ANY),
    "clear_unblocks": FULL + step("send", DS, VM) + step("receive", PM, VM)
        + step("clear", VM) + step("send", DS, STALE) + step("receive", PM, STALE),
    "clear_reply_refs": FULL + step("receive", DS, ANY) + step("sendrec", U1, DS)
        + step("clearrefs", DS) + step("sendrec", U1, DS),
    "signals": FULL + step("signal", U1, 8) + step("signal", DS, 10)
        + step("getksig", PM) + step("getksig", RS) + step("getksig", RS),
    "restricted_vm": bytes([0x01, 0x08, 0x00]) + step("receive", VM, ANY)
        + step("send", VM, DS) + step("notify", VM, PM) + step("send", VM, PM),
    "ticks_alarm": FULL + step("receive", DS, ANY) + step("tick", DS, 2, 0x01)
        + step("tick", RS, 3, 0x00),
    "bad_buffers": FULL + step("send", DS, VM, 0x08) + step("receive", DS, ANY, 0x08)
        + step("badprim", DS, 0, 0x03) + step("send", DS, VM, 0x04),
}


if __name__ == "__main__":
    sys.exit(seeds.write(SEEDS, __file__))
