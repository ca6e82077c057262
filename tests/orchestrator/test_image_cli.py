"""image.py (module list) and the crucible CLI, on a fake build directory
whose kernel.elf is the tiny test kernel."""

import json
import os
import shutil
import subprocess

import pytest

from orchestrator.image import BOOT_MODULES, BootImage, ImageError, find_image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ELF = b"\x7fELF" + b"\0" * 60


@pytest.fixture
def fake_build(tmp_path, tiny_kernel):
    boot = tmp_path / "image" / "boot"
    boot.mkdir(parents=True)
    shutil.copy(tiny_kernel, boot / "kernel.elf")
    for name in ("init", "rs", "pm", "ds", "smoke", "test_ipc"):
        (boot / name).write_bytes(ELF)
    (boot / "notes.txt").write_text("not an ELF")
    return tmp_path


def test_module_order_and_programs(fake_build):
    img = find_image(str(fake_build))
    assert img.programs() == ["smoke", "test_ipc"]
    names = [os.path.basename(p) for p in img.modules()]
    assert names == ["rs", "ds", "pm", "init", "smoke", "test_ipc"]
    assert [n for n in BOOT_MODULES if n in names] == ["rs", "ds", "pm", "init"]
    assert "rs" not in [os.path.basename(p) for p in img.modules(exclude=["rs"])]


def test_replace_module(fake_build, tmp_path):
    img = find_image(str(fake_build))
    other = tmp_path / "x" / "ds"
    other.parent.mkdir()
    other.write_bytes(b"junk")
    mods = img.modules(replace={"ds": str(other)})
    assert mods[1] == str(other)
    with pytest.raises(ImageError):
        img.modules(replace={"ds": str(tmp_path / "wrongname")})


def test_missing_image(tmp_path):
    with pytest.raises(ImageError, match="kernel.elf"):
        find_image(str(tmp_path))


def crucible(*args, timeout=60):
    env = dict(os.environ, CRUCIBLE_NO_INSTALL="1")
    return subprocess.run([os.path.join(ROOT, "crucible"), *args], capture_output=True,
                          text=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("cmd", ["build", "boot", "test", "bench"])
def test_every_subcommand_has_help(cmd):
    r = crucible(cmd, "--help")
    assert r.returncode == 0 and "usage: crucible " + cmd in r.stdout


def test_boot_streams_console_and_returns_guest_status(fake_build):
    r = crucible("boot", "--no-build", "--build-dir", str(fake_build), "--append", "exit=1")
    assert "crucible: ready services=0 ticks=0" in r.stdout
    assert "tiny: module test_ipc" in r.stdout
    assert r.returncode == 1, r.stderr


def test_boot_timeout_stops_qemu(fake_build):
    r = crucible("boot", "--no-build", "--build-dir", str(fake_build), "--timeout", "0.5")
    assert r.returncode == 0, r.stderr
    assert "crucible: ready" in r.stdout


def test_bench_boot_prints_json(fake_build):
    r = crucible("bench", "boot", "--runs", "2", "--no-build", "--build-dir", str(fake_build))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data["boot_ready_ms_runs"]) == 2
    assert data["boot_ready_ms_min"] <= data["boot_ready_ms_median"] <= data["boot_ready_ms_max"]


def test_boot_image_machine_passes_modules(fake_build):
    img = BootImage(str(fake_build / "image" / "boot"))
    with img.machine(append="exit=0") as m:
        m.boot_to_ready(20)
        assert m.wait(20).guest_ok
        assert "tiny: module smoke" in m.console_text()


