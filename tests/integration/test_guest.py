"""In-guest programs, bad boot images and the kernel panic path.

Each in-guest test program runs alone with ``run=<prog> halt=1``; init ends
the machine with status 0 (QEMU status 1) when every program passed. The
program prints (docs/os.md):

    crucible-test: <program> <case> PASS
    crucible-test: <program> <case> FAIL <what went wrong>
    crucible-test: <program> done pass=<n> fail=<m>
"""

import random
import re

import pytest

from orchestrator.machine import (BootTimeout, GuestPanic, MachineExited, WaitTimeout)

from .conftest import BOOT_TIMEOUT, RUN_TIMEOUT

PROGRAMS = ["smoke", "test_proc", "test_events", "test_priv", "test_ipc", "test_ds", "test_rs"]
CASE_RE = re.compile(r"^crucible-test: (\S+) (\S+) (PASS|FAIL)(?: (.*))?$")
DONE_RE = re.compile(r"^crucible-test: (\S+) done pass=(\d+) fail=(\d+)")


def parse_results(program, lines):
    """(cases: [(case, verdict, detail)], done: (pass, fail) or None)."""
    cases, done = [], None
    for line in lines:
        m = DONE_RE.match(line)
        if m and m.group(1) == program:
            done = (int(m.group(2)), int(m.group(3)))
            continue
        m = CASE_RE.match(line)
        if m and m.group(1) == program:
            cases.append((m.group(2), m.group(3), m.group(4) or ""))
    return cases, done


def test_parse_results():
    cases, done = parse_results("t", [
        "crucible-test: t a PASS", "crucible-test: t b FAIL got 3, want 4",
        "crucible-test: other c PASS", "crucible-test: t done pass=1 fail=1"])
    assert cases == [("a", "PASS", ""), ("b", "FAIL", "got 3, want 4")]
    assert done == (1, 1)


@pytest.mark.parametrize("program", PROGRAMS)
def test_guest_program(image, require, program):
    require(program)
    with image.machine(append=f"run={program} halt=1") as m:
        try:
            status = m.wait(RUN_TIMEOUT)
            ended = f"QEMU status {status.returncode} ({status.kind})"
        except WaitTimeout:
            status, ended = None, f"HUNG: still running after {RUN_TIMEOUT:.0f} s (killed)"
        lines = m.console_text().splitlines()
        tail = m.console_tail(40)
    cases, done = parse_results(program, lines)
    failing = [f"{case}: {detail}" for case, verdict, detail in cases if verdict == "FAIL"]
    summary = (f"{program}: {ended}; {len(cases)} cases, failing:\n  "
               + ("\n  ".join(failing) or "(none)") + f"\n--- console (tail) ---\n{tail}")
    assert status is not None, summary
    assert status.kind != "panic", f"kernel panic: {status.panic}\n{summary}"
    assert not failing, summary
    assert done is not None, f"{program} printed no done line ({status.kind})\n{tail}"
    assert done[1] == 0 and done[0] > 0, f"{program} done pass={done[0]} fail={done[1]}\n{tail}"
    assert done[0] == len(cases), f"done pass={done[0]} but {len(cases)} case lines\n{tail}"
    assert status.returncode == 1, f"QEMU status {status.returncode} ({status.kind}), want 1\n{tail}"


ERROR_WORDS = re.compile(r"panic|bad|invalid|corrupt|not an elf|error|refus|fail", re.I)


def test_bad_module_stops_boot_naming_it(image, tmp_path):
    fake = tmp_path / "hello"
    fake.write_bytes(random.Random(1).randbytes(8192))
    with image.machine(replace={"hello": str(fake)}) as m:
        try:
            ready = m.boot_to_ready(BOOT_TIMEOUT / 2)
            pytest.fail(f"booted to ready with a corrupt hello module: {ready.line}")
        except (GuestPanic, MachineExited, BootTimeout):
            pass
        text = m.console_text()
    naming = [line for line in text.splitlines()
              if re.search(r"\bhello\b", line) and ERROR_WORDS.search(line)]
    assert naming, f"no console line names the bad module 'hello':\n{text[-3000:]}"


def test_boot_without_rs_panics(image):
    with image.machine(exclude=["rs"]) as m:
        with pytest.raises(GuestPanic) as info:
            try:
                m.boot_to_ready(BOOT_TIMEOUT / 2)
            except (BootTimeout, MachineExited, WaitTimeout) as exc:
                pytest.fail(f"no panic line without rs: {exc}")
        assert re.search(r"\brs\b", info.value.what), info.value.what
        status = m.wait(BOOT_TIMEOUT / 2)
    assert status.kind == "panic" and status.returncode == 251, status
