"""VM-level faults against the real OS under QEMU."""

import time

import pytest

from orchestrator import vmfaults as vf
from orchestrator.elf import ElfFile

from .conftest import SCALE
from .test_snapshot import CRASH, flip_ping_call


def ticks(m, image):
    return vf.read_kernel_u32(m, image.boot_dir, "kernel_ticks")


def test_flip_memory_changes_exactly_one_bit(machine, image):
    target = vf.resolve(machine, image.boot_dir, "hello", "rodata")
    addr = target.locate(16).paddr
    with vf.guest_memory(machine) as mem:                 # guest stopped throughout
        before = mem.read(addr - 32, 64)
        rec = vf.flip_memory(machine, addr, 5, mem)
        after = mem.read(addr - 32, 64)
        diff = [a ^ b for a, b in zip(before, after)]
        assert sum(bin(d).count("1") for d in diff) == 1
        assert diff[32] == 1 << 5
        assert (rec.phys_addr, rec.bit, rec.old, rec.new) == (addr, 5, before[32], after[32])
        vf.flip_memory(machine, addr, 5, mem)             # undo
        assert mem.read(addr - 32, 64) == before
    assert machine.qmp().command("query-status")["running"]


def test_resolve_translates_to_the_elf_contents(machine, image):
    elf = ElfFile(image.path("hello"))
    with vf.guest_memory(machine) as mem:
        for region, name in (("text", ".text"), ("rodata", ".rodata"), ("data", ".data")):
            t = vf.resolve(machine, image.boot_dir, "hello", region, mem)
            assert t.proc.name == "hello" and t.proc.pdir % 4096 == 0
            assert sum(e.size for e in t.extents) == t.size
            got = b"".join(mem.read(e.paddr, e.size) for e in t.extents)
            want = elf.section_data(elf.section(name))
            if region != "data":
                assert got == want, region
            else:
                # .data holds variables hello sets at run time (heap bounds,
                # its endpoint, callbacks): the rest is as the ELF says.
                same = sum(a == b for a, b in zip(got, want))
                assert same >= len(want) * 0.6, (got.hex(), want.hex())
                sym = elf.symbol("last_invariant")
                if sym is not None:
                    o = sym.value - t.vstart
                    assert got[o:o + 4] == want[o:o + 4]
        stack = vf.resolve(machine, image.boot_dir, "hello", "stack", mem)
        assert stack.extents and stack.vstart + stack.size == 0xBFFFF000


def test_resolve_errors(machine, image):
    with pytest.raises(vf.ProcessNotFound):
        vf.find_process(machine, image.boot_dir, "nosuchproc")
    with pytest.raises(ValueError):
        vf.resolve(machine, image.boot_dir, "hello", "heapz")


def test_text_flip_crashes_hello_and_rs_restarts_it(machine, image):
    rec = flip_ping_call(machine, image)
    assert rec.label == "hello" and rec.region == "text"
    assert rec.symbol and rec.symbol.startswith("sef_receive+")
    assert rec.new == rec.old ^ 0x80
    machine.wait_for_line(CRASH, 10 * SCALE)
    after = vf.find_process(machine, image.boot_dir, "hello")
    assert after.name == "hello" and after.pdir != 0
    assert rec.as_dict()["phys_addr"] == rec.phys_addr


def test_pause_stops_guest_time(machine, image):
    t0 = ticks(machine, image)
    rec = vf.pause(machine, 200)
    t1 = ticks(machine, image)
    assert rec.was_running and rec.actual_ms >= 200
    time.sleep(0.2)                                       # the same wall time, running
    t2 = ticks(machine, image)
    paused, running = t1 - t0, t2 - t1
    assert running >= 100, running
    assert paused < running / 2, (paused, running)
    assert machine.qmp().command("query-status")["running"]


def test_pause_keeps_guest_ticks_during_the_pause(machine, image):
    """Read kernel_ticks inside the pause through QMP's xp (gdb would resume)."""
    addr = vf.kernel_symbol(image.boot_dir, "kernel_ticks")
    q = machine.qmp()
    q.command("stop")
    a = q.human_monitor_command(f"xp /1wx {addr:#x}", expect_output=True)
    time.sleep(0.2)
    b = q.human_monitor_command(f"xp /1wx {addr:#x}", expect_output=True)
    q.command("cont")
    assert a == b


def test_flip_register(machine):
    with vf.guest_memory(machine) as mem:                 # stopped: nothing else moves
        rec = vf.flip_register(machine, "eax", 7, mem)
        assert rec.new == rec.old ^ 0x80 and rec.eip != 0
        assert mem.registers()["eax"] == rec.new
        vf.flip_register(machine, "eax", 7, mem)          # undo
        assert mem.registers()["eax"] == rec.old
    assert machine.qmp().command("query-status")["running"]
    rec = vf.flip_register(machine, "esi", 31)            # own session
    assert rec.new == rec.old ^ (1 << 31)
    with pytest.raises(ValueError):
        vf.flip_register(machine, "rax", 0)
