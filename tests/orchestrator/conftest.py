"""Fixtures of the orchestrator tests: a bare QEMU with QMP, and a tiny
multiboot kernel (tinykernel/tiny.c) built at test time with clang + ld.lld.

Every fixture that starts QEMU kills it on teardown, whatever the test did.
"""

import os
import shutil
import subprocess
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TINY = os.path.join(HERE, "tinykernel")


@pytest.fixture
def sockdir():
    """A short temporary directory (unix socket paths are limited to 108 bytes)."""
    d = tempfile.mkdtemp(prefix="crq-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


class BareQemu:
    """qemu-system-i386 stopped at reset (-S), no kernel, QMP at ``qmp_path``."""

    def __init__(self, sockdir):
        self.qmp_path = os.path.join(sockdir, "qmp.sock")
        self.proc = subprocess.Popen(
            ["qemu-system-i386", "-accel", "tcg", "-display", "none", "-S",
             "-monitor", "none", "-qmp", f"unix:{self.qmp_path},server=on,wait=off"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        if self.proc.stderr:
            self.proc.stderr.close()


@pytest.fixture
def bare_qemu(sockdir):
    q = BareQemu(sockdir)
    try:
        yield q
    finally:
        # A test may leave it SIGSTOPped: continue it so the kill is reaped.
        try:
            os.kill(q.proc.pid, 18)  # SIGCONT
        except ProcessLookupError:
            pass
        q.kill()


@pytest.fixture(scope="session")
def tiny_kernel(tmp_path_factory):
    """Path of the tiny multiboot kernel ELF, built once per session."""
    out = tmp_path_factory.mktemp("tinykernel")
    obj, elf = out / "tiny.o", out / "tiny.elf"
    subprocess.run(["clang", "--target=i686-unknown-none-elf", "-ffreestanding", "-fno-pic",
                    "-fno-stack-protector", "-mno-sse", "-mno-mmx", "-O1", "-Wall", "-Wextra",
                    "-Werror", "-c", os.path.join(TINY, "tiny.c"), "-o", str(obj)], check=True)
    subprocess.run(["ld.lld", "-m", "elf_i386", "-static", "-nostdlib", "-T",
                    os.path.join(TINY, "link.ld"), str(obj), "-o", str(elf)], check=True)
    return str(elf)
