"""Snapshots of the machine layer against the real OS under QEMU."""

import time

import pytest

from orchestrator import vmfaults as vf
from orchestrator.machine import SnapshotError, SnapshotExists, SnapshotNotFound

from .conftest import SCALE


def ticks(m, image):
    return vf.read_kernel_u32(m, image.boot_dir, "kernel_ticks")


def test_load_returns_to_the_saved_point(machine, image):
    q = machine.qmp()
    q.command("stop")
    t_saved = ticks(machine, image)
    assert machine.snapshot_save("point") > 0
    assert not q.command("query-status")["running"], "a stopped guest stays stopped"
    q.command("cont")
    time.sleep(0.3)
    t_later = ticks(machine, image)
    assert t_later > t_saved + 50
    q.command("stop")
    machine.snapshot_load("point")
    assert not q.command("query-status")["running"]
    assert ticks(machine, image) == t_saved          # exactly the saved state
    q.command("cont")
    time.sleep(0.1)
    assert ticks(machine, image) > t_saved           # and it runs on from there


def test_running_guest_keeps_running_across_save_and_load(machine, image):
    q = machine.qmp()
    machine.snapshot_save("r")
    assert q.command("query-status")["running"]
    t0 = ticks(machine, image)
    time.sleep(0.2)
    machine.snapshot_load("r")
    assert q.command("query-status")["running"]
    t1 = ticks(machine, image)
    assert t1 < t0 + 150
    time.sleep(0.1)
    assert ticks(machine, image) > t1


def _call_site(image, caller, callee):
    """Offset in .text of the last byte of a `call callee` inside caller."""
    from orchestrator.elf import ElfFile
    elf = ElfFile(image.path("hello"))
    text = elf.section(".text")
    data = elf.section_data(text)
    fn, target = elf.symbol(caller), elf.symbol(callee)
    if fn is None or target is None:
        pytest.fail(f"hello has no {caller} / {callee}: the test needs them")
    start = fn.value - text.addr
    for i in range(start, start + (fn.size or 256)):
        if data[i] == 0xE8:
            rel = int.from_bytes(data[i + 1:i + 5], "little", signed=True)
            if text.addr + i + 5 + rel == target.value:
                return i + 4
    pytest.fail(f"no call {callee} in {caller}: the test needs one")


def flip_ping_call(m, image):
    """Corrupt hello's `call sef_ping_handle` (sign bit of rel32): the next
    heartbeat ping makes hello jump 2 GiB away and fault."""
    off = _call_site(image, "sef_receive", "sef_ping_handle")
    target = vf.resolve(m, image.boot_dir, "hello", "text")
    return vf.flip_target(m, target, off, 7)


CRASH = r"^rs: hello crashed"


def test_load_undoes_a_memory_flip_and_console_goes_on(machine, image):
    """A flip then load: no crash; the console and the guest carry on after
    a load (a second flip crashes hello and RS's line reaches the console)."""
    machine.snapshot_save("clean")
    rec = flip_ping_call(machine, image)
    assert rec.new == rec.old ^ 0x80
    machine.wait_for_line(CRASH, 10 * SCALE)            # the flip is real
    size_before = len(machine.console_text())
    machine.snapshot_load("clean")
    n = len(machine.lines())
    time.sleep(1.2)                                     # > 2 heartbeat periods
    assert not any(l.startswith("rs: hello crashed") for l in machine.lines()[n:]), \
        "load did not undo the flip"
    flip_ping_call(machine, image)
    machine.wait_for_line(CRASH, 10 * SCALE)            # console still captured
    assert len(machine.console_text()) > size_before


def test_missing_tag_is_a_typed_error_and_guest_runs_on(machine, image):
    with pytest.raises(SnapshotNotFound) as err:
        machine.snapshot_load("no-such-tag")
    assert err.value.tag == "no-such-tag" and err.value.op == "load"
    assert machine.qmp().command("query-status")["running"]
    t0 = ticks(machine, image)
    time.sleep(0.1)
    assert ticks(machine, image) > t0
    with pytest.raises(SnapshotNotFound):
        machine.snapshot_delete("no-such-tag")


def test_existing_tag(machine):
    machine.snapshot_save("x")
    with pytest.raises(SnapshotExists):
        machine.snapshot_save("x")
    machine.snapshot_save("x", overwrite=True)
    assert machine.snapshot_tags() == ["x"]
    machine.snapshot_delete("x")
    assert machine.snapshot_tags() == []


def test_no_snapshot_drive(image):
    with image.machine(name="crvm", snapshot_drive=False) as m:
        assert "-blockdev" not in m.command_line()
        with pytest.raises(SnapshotError):
            m.snapshot_save("x")
