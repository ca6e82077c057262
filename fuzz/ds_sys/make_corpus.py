#!/usr/bin/python3
"""Writes the ds_sys seed corpus (fuzz/ds_sys/corpus/*) from readable step lists.
Encoding: see the header comment of ds_sys.c (8 bytes per step: sender, type,
flags, key, value, ptr, len, fill; some choices take extra bytes).

Usage: make_corpus.py [OUTDIR]   (default: the corpus/ beside this file)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import seeds  # noqa: E402  (fuzz/common/seeds.py)

U0, U1, S0, S1 = range(4)
NOTIFY = 0x1C
PUB, RET, DEL, SUB, CHK, RLB = range(6)
U32, STR, MEM, LABEL, OVER, INIT = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20
KA, KB, KC, KDRV, KXYZ, KDOT, KOR, KPAREN = range(8)
EMPTY, LONG32, LONG31 = 8, 9, 10
RE_A, RE_ABC, RE_AB, RE_DRV = 12, 13, 14, 15


def step(who, typ, flags=U32, key=KA, value=1, ptr=0, ln=6, fill=0x41, extra=b""):
    return bytes([who, typ, flags, key, value, ptr, ln, fill]) + extra


SEEDS = {
    "u32_roundtrip": step(S0, PUB, U32, KA, 1) + step(U0, RET, U32, KA)
        + step(U1, RET, U32, KB),
    "overwrite_rules": step(U0, PUB, U32, KA, 2) + step(U0, PUB, U32, KA, 3)
        + step(U0, PUB, U32 | OVER, KA, 3) + step(U1, PUB, U32 | OVER, KA, 1)
        + step(S0, PUB, STR | OVER, KA) + step(S1, RET, U32, KA),
    "str_mem": step(S0, PUB, STR, KB, 0, 0, 7, 0x41) + step(S1, RET, STR, KB, 0, 0, 7)
        + step(U0, PUB, MEM, KC, 0, 0, 2, 0x30) + step(U1, RET, MEM, KC, 0, 0, 2)
        + step(U1, RET, STR, KB, 0, 0, 0),
    "str_with_nul": step(U0, PUB, STR, KXYZ, 0, 0, 2, 0x85) + step(U0, RET, STR, KXYZ, 0, 0, 7),
    "bad_pointers": step(S0, PUB, STR, KA, 0, 2, 6) + step(S0, PUB, MEM, KB, 0, 4, 2)
        + step(U0, PUB, MEM, KC, 0, 3, 7) + step(U0, PUB, STR, KC, 0, 5, 6)
        + step(U0, PUB, MEM, KDRV, 0, 7, 6) + step(S0, RET, STR, KA, 0, 4, 2),
    "lengths": step(S0, PUB, MEM, KA, 0, 0, 3) + step(S0, PUB, MEM, KB, 0, 0, 4)
        + step(S0, PUB, STR, KC, 0, 0, 2) + step(U1, RET, MEM, KA, 0, 0, 4),
    "delete": step(U0, PUB, U32, KA, 1) + step(U1, DEL, U32, KA) + step(U0, DEL, STR, KA)
        + step(U0, DEL, U32, KA) + step(U0, RET, U32, KA),
    "labels": step(S0, PUB, LABEL, KDRV, 5) + step(S0, RET, LABEL, KA)
        + step(U0, RLB, 0, KA, 5) + step(U0, DEL, LABEL, KA),
    "subscribe_check": step(S0, SUB, U32 | INIT, RE_A) + step(U0, PUB, U32, KA, 1)
        + step(S0, CHK) + step(S0, CHK) + step(S1, SUB, 0, RE_DRV) + step(S1, CHK),
    "subscribe_bad_regex": step(U0, SUB, 0, KPAREN) + step(U0, SUB, 0, KOR)
        + step(U0, SUB, INIT, KDOT) + step(U0, SUB, 0, EMPTY) + step(U0, SUB, 0x40, RE_ABC),
    "keys": step(S0, PUB, U32, EMPTY) + step(S0, PUB, U32, LONG32) + step(S0, PUB, U32, LONG31)
        + step(S0, RET, U32, LONG31) + step(S0, PUB, U32, 11, 0, 0, 0, 0, bytes([3]) + b"q\x00r"),
    "unknown_types": step(U0, 6, 0, KA, 0, 0, 0, 0, b"\x05") + step(U1, 7, 0, KA, 0, 0, 0, 0,
                                                                     b"\x00\x09\x00\x00")
        + step(S0, 7, 0, KA, 0, 0, 0, 0, b"\xff\xff\xff\xff") + step(S1 | NOTIFY, PUB),
    "retrieve_label": step(U0, RLB, 0, KA, 4) + step(U0, RLB, 0, KA, 5) + step(U0, RLB, 0, KA, 7),
}


if __name__ == "__main__":
    sys.exit(seeds.write(SEEDS, __file__))
