#!/usr/bin/python3
"""Writes the ds seed corpus (fuzz/ds/corpus/*).
Encoding: see the header comment of ds.c (per step: sender, type,
flags, key, value, ptr, len, answers; some choices take extra bytes).

Usage: make_corpus.py [OUTDIR]   (default: the corpus/ beside this file)
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import seeds  # noqa: E402  (fuzz/common/seeds.py)

U0, U1, VFS, TTY, RS, PM, STALE, HELLO = range(8)
PUB, RET, DEL, SUB, CHK, RLB, NOTIFY, RAW = range(8)
U32, STR, MEM, LABEL, OVER, INIT = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20
EFAULT, EDEAD = 1, 2          # fakesys.c ERRS[b - 1]


def key(k):
    """A key field: its length (< 32) then its bytes."""
    k = k.encode()
    return bytes([len(k)]) + k


def step(who, typ, flags=U32, k="a", value=9, ptr=0, ln=6, answers=b"", raw_type=None):
    out = bytes([who, typ])
    if raw_type is not None:
        out += struct.pack("<I", raw_type & 0xffffffff)
    out += bytes([flags]) + key(k) + bytes([value, ptr, ln, len(answers)]) + answers
    return out


SEEDS = {
    "u32_roundtrip": step(VFS, PUB, U32, "a", 10) + step(U0, RET, U32, "a")
        + step(U1, RET, U32, "b"),
    "overwrite": step(U0, PUB, U32, "a", 11) + step(U0, PUB, U32, "a", 12)
        + step(U0, PUB, U32 | OVER, "a", 12) + step(U1, PUB, U32 | OVER, "a")
        + step(VFS, PUB, STR | OVER, "a") + step(TTY, RET, U32, "a"),
    "str_mem": step(VFS, PUB, STR, "b", ln=7) + step(TTY, RET, STR, "b", ln=7)
        + step(U0, PUB, MEM, "key.c", ln=2) + step(U1, RET, MEM, "key.c", ln=2)
        + step(U1, RET, STR, "b", ln=0),
    "max_data": step(U0, PUB, MEM, "m", ln=0xf0) + step(U0, PUB, MEM, "n", ln=0xf1)
        + step(U0, RET, MEM, "m", ln=0xf0) + step(U0, PUB, STR, "s", ptr=0x7f, ln=8),
    "copy_faults": step(VFS, PUB, STR, "a", ln=6, answers=bytes([EFAULT]))
        + step(STALE, PUB, MEM, "b", ln=4) + step(VFS, PUB, STR, "c", ln=6)
        + step(VFS, RET, STR, "c", ln=6, answers=bytes([EDEAD])),
    "delete": step(U0, PUB, U32, "a") + step(U1, DEL, U32, "a") + step(U0, DEL, STR, "a")
        + step(U0, DEL, U32, "a") + step(RS, DEL, U32, "a") + step(U0, RET, U32, "a"),
    "labels": step(RS, PUB, LABEL, "drv", value=U0) + step(VFS, PUB, LABEL, "x", value=U0)
        + step(U0, RLB, 0, "", value=U0) + step(U0, DEL, LABEL, "drv")
        + step(RS, DEL, LABEL, "drv") + step(U0, RLB, 0, "", value=U0),
    "subscribe_check": step(VFS, SUB, U32 | INIT, "^a.*$") + step(U0, PUB, U32, "a")
        + step(VFS, CHK) + step(VFS, CHK) + step(TTY, SUB, 0, "drv\\.up\\..*")
        + step(RS, PUB, LABEL, "drv.up.x", value=U1) + step(TTY, CHK) + step(U0, CHK),
    "subscriber_dead": step(HELLO, SUB, 0, "a+") + step(U0, PUB, U32, "aa", answers=bytes([0, EDEAD]))
        + step(HELLO, CHK),
    "bad_regex": step(U0, SUB, 0, "(a") + step(U0, SUB, 0, "a|b")
        + step(U0, SUB, INIT, ".*") + step(U0, SUB, 0, "") + step(U0, SUB, 0x40, "[a-c]*"),
    "keys": step(VFS, PUB, U32, "") + step(VFS, PUB, U32, "x" * 31) + step(VFS, RET, U32, "x" * 31)
        + bytes([VFS, PUB, U32, 32]) + b"y" * 32 + bytes([9, 0, 0, 0]),
    "unknown_types": step(U0, RAW, raw_type=0x806) + step(U1, RAW, raw_type=0x7ff)
        + step(VFS, RAW, raw_type=-1) + step(TTY, NOTIFY),
    # One more key than the harness's store holds (DS_NR_ENTRIES=8 in
    # fuzz/CMakeLists.txt): the last publish finds the store full.
    "fill_table": b"".join(step(U0, PUB, U32, "k%d" % i) for i in range(9)),
    # One more subscriber than it has room for (DS_NR_SUBS=4), then one
    # of them subscribes again (its slot is reused, not a new one).
    "fill_subscribers": b"".join(step(w, SUB, 0, "k.*") for w in (U0, U1, VFS, TTY, RS))
        + step(U1, SUB, U32, "a") + step(U0, PUB, U32, "k1") + step(U1, CHK),
}


if __name__ == "__main__":
    sys.exit(seeds.write(SEEDS, __file__))
