"""The machine layer against QEMU running the tiny multiboot kernel
(tinykernel/tiny.c; its behaviour is chosen by the kernel command line)."""

import os
import time

import pytest

from orchestrator.machine import (PANIC_EXIT_STATUS, BootTimeout, ExitStatus, GuestPanic,
                                  Machine, MachineError, MachineExited, WaitTimeout, decode_exit)


def _gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie still answers kill(0); check its state.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.fixture
def modules(tmp_path):
    paths = []
    for name in ("rs", "ds", "hello"):
        p = tmp_path / name
        p.write_bytes(b"module " + name.encode())
        paths.append(str(p))
    return paths


def test_boot_to_ready_and_stays_alive(tiny_kernel):
    with Machine(tiny_kernel, append="quiet") as m:
        ready = m.boot_to_ready(timeout=20)
        assert (ready.services, ready.ticks) == (0, 0)
        assert 0 < ready.elapsed_s < 20
        time.sleep(0.3)
        assert m.running
        assert m.console_text().count("crucible: ready") == 1


def test_command_line_and_modules_reach_the_guest(tiny_kernel, modules):
    with Machine(tiny_kernel, modules, append="run=smoke halt=1") as m:
        assert "run=smoke halt=1" in m.wait_for_line(r"^tiny: cmdline ", 20).string
        names = [m.wait_for_line(r"^tiny: module (\S+)", 5).group(1) for _ in modules]
        assert names == ["rs", "ds", "hello"]
        m.boot_to_ready(5)


def test_debug_exit_status_is_decoded(tiny_kernel):
    with Machine(tiny_kernel, append="exit=3") as m:
        m.boot_to_ready(20)
        st = m.wait(20)
        assert st.returncode == 7 and st.kind == "debug-exit" and st.value == 3
        assert not st.guest_ok


def test_debug_exit_zero_is_status_one(tiny_kernel):
    with Machine(tiny_kernel, append="exit=0") as m:
        st = m.wait(20)
        assert (st.returncode, st.kind, st.value, st.guest_ok) == (1, "debug-exit", 0, True)


def test_panic_raises_and_exits_251(tiny_kernel):
    with Machine(tiny_kernel, append="panic=1") as m:
        m.boot_to_ready(20)
        with pytest.raises(GuestPanic) as info:
            m.wait_for_line(r"never printed", 20)
        assert info.value.what == "tiny kernel asked to panic"
        st = m.wait(20)
        assert st.returncode == PANIC_EXIT_STATUS == 251
        assert st.kind == "panic" and st.panic == "tiny kernel asked to panic"


def test_boot_timeout_kills_qemu(tiny_kernel):
    m = Machine(tiny_kernel, append="silent")
    with m:
        pid = m.pid
        with pytest.raises(BootTimeout):
            m.boot_to_ready(timeout=0.5)
        assert not m.running and _gone(pid)
        assert m.exit_status.kind == "killed"


def test_wait_for_line_timeout_leaves_qemu_running(tiny_kernel):
    with Machine(tiny_kernel) as m:
        with pytest.raises(WaitTimeout):
            m.wait_for_line(r"never printed", 0.5)
        assert m.running


def test_exit_before_line_raises_machine_exited(tiny_kernel):
    with Machine(tiny_kernel, append="exit=5") as m:
        with pytest.raises(MachineExited) as info:
            m.wait_for_line(r"never printed", 20)
        assert info.value.status.value == 5


def test_context_manager_never_leaves_qemu(tiny_kernel):
    with pytest.raises(RuntimeError):
        with Machine(tiny_kernel) as m:
            pid = m.pid
            workdir = m.workdir
            m.boot_to_ready(20)
            raise RuntimeError("test body failed")
    assert _gone(pid)
    assert not os.path.exists(workdir)


def test_qmp_and_control_channel(tiny_kernel):
    with Machine(tiny_kernel) as m:
        m.boot_to_ready(20)
        qmp = m.qmp()
        assert qmp.command("query-status")["running"] is True
        qmp.command("stop")
        assert qmp.command("query-status")["status"] == "paused"
        ctl = m.connect_control()
        ctl.close()


def test_missing_kernel_is_a_machine_error(tmp_path):
    with pytest.raises(MachineError, match="no such file"):
        Machine(str(tmp_path / "no-kernel.elf")).launch()


def test_qemu_refusing_to_start_is_a_machine_error(tiny_kernel):
    m = Machine(tiny_kernel, extra_args=["-no-such-option"])
    try:
        with pytest.raises(MachineError, match="failed to start"):
            m.launch()
    finally:
        m.close()


def test_unloadable_kernel_decodes_as_qemu_error(tmp_path):
    bogus = tmp_path / "kernel.elf"
    bogus.write_bytes(b"not a kernel at all")
    with Machine(str(bogus)) as m:
        st = m.wait(20)
    assert st.kind == "qemu-error" and "qemu" in st.stderr


def test_icount_argument(tiny_kernel):
    with Machine(tiny_kernel, icount=0, append="exit=0") as m:
        assert "shift=0" in m.command_line()
        assert m.wait(20).guest_ok


@pytest.mark.parametrize("rc, kind, value", [
    (1, "debug-exit", 0), (3, "debug-exit", 1), (251, "panic", 0x7d), (0, "reset", None),
    (-9, "signal", None)])
def test_decode_exit(rc, kind, value):
    st = decode_exit(rc, console="crucible: ready services=1 ticks=2\n")
    assert isinstance(st, ExitStatus)
    assert (st.kind, st.value) == (kind, value)


def test_decode_exit_qemu_error():
    st = decode_exit(1, console="", stderr="qemu-system-i386: could not load kernel 'x'\n")
    assert st.kind == "qemu-error"
