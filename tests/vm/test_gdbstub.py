"""The RSP client: framing against a fake stub (no QEMU), then QEMU's
gdbstub on the real OS."""

import socket
import threading
import time

import pytest

from orchestrator import gdbstub
from orchestrator.elf import ElfFile
from orchestrator.gdbstub import (GdbClient, GdbError, GdbProtocolError, GdbTimeout,
                                  GdbUnsupported)


def test_framing():
    assert gdbstub.checksum(b"OK") == (ord("O") + ord("K")) % 256
    assert gdbstub.frame("g") == b"$g#67"
    assert gdbstub.unescape(b"0*\"") == b"0" * 6          # '"' = 34: 5 more
    raw = b"a#b$c}d*e"
    assert gdbstub.unescape(gdbstub.escape(raw)) == raw


class FakeStub(threading.Thread):
    """A scripted stub on a unix socket: handler(packet) -> list of raw
    bytes to send (acks included)."""

    def __init__(self, path, handler):
        super().__init__(daemon=True)
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.srv.bind(path)
        self.srv.listen(1)
        self.handler = handler
        self.received = []

    def run(self):
        conn, _ = self.srv.accept()
        buf = b""
        with conn:
            while True:
                data = conn.recv(4096)
                if not data:
                    return
                buf += data
                while True:
                    buf = buf.lstrip(b"+-")
                    if b"#" not in buf or len(buf) < buf.index(b"#") + 3:
                        break
                    end = buf.index(b"#") + 3
                    pkt, buf = buf[:end], buf[end:]
                    body = pkt[1:-3].decode()
                    self.received.append(body)
                    for out in self.handler(body):
                        conn.sendall(out)


def test_acks_retransmit_and_errors(tmp_path):
    path = str(tmp_path / "gdb.sock")
    state = {"nak": 1}

    def handler(p):
        if p.startswith("qSupported"):
            return [b"+", gdbstub.frame("PacketSize=1000")]
        if p == "g" and state["nak"]:
            state["nak"] -= 1
            return [b"-"]                                  # make the client resend
        if p == "g":
            return [b"+", b"$0011#zz", gdbstub.frame("0011")]  # a bad checksum first
        if p.startswith("m"):
            return [b"+", gdbstub.frame("E14")]
        if p.startswith("p"):
            return [b"+", gdbstub.frame("")]
        return [b"+"]                                      # never answer

    stub = FakeStub(path, handler)
    stub.start()
    with GdbClient(path, timeout=1.0).connect() as g:
        assert not g.no_ack and g.features["PacketSize"] == "1000"
        assert g.read_registers() == b"\x00\x11"
        assert stub.received.count("g") == 2
        with pytest.raises(GdbError) as err:
            g.read_memory(0x1000, 4)
        assert err.value.code == 0x14
        with pytest.raises(GdbUnsupported):
            g.read_register(0)
        t = time.monotonic()
        with pytest.raises(GdbTimeout):
            g.request("qNothing", timeout=0.2)
        assert time.monotonic() - t < 1.0


def test_connection_refused(tmp_path):
    with pytest.raises(GdbProtocolError):
        GdbClient(str(tmp_path / "none.sock")).connect()


# -- QEMU's gdbstub ---------------------------------------------------------

def kernel_ticks_addr(image):
    return ElfFile(image.kernel).symbol("kernel_ticks").value


def read_ticks(machine, image):
    """Connect (stops the guest), read kernel_ticks, detach (resumes)."""
    g = GdbClient(machine.gdb_path).connect(wait=5)
    try:
        return int.from_bytes(g.read_memory(kernel_ticks_addr(image), 4), "little")
    finally:
        g.detach()


def test_kernel_ticks_increase_while_running(machine, image):
    t0 = read_ticks(machine, image)
    assert machine.qmp().command("query-status")["running"], "detach resumes"
    time.sleep(0.2)
    t1 = read_ticks(machine, image)
    assert t1 > t0 > 0


def test_physical_mode_reads_the_same_kernel_bytes(machine, image):
    with GdbClient(machine.gdb_path).connect(wait=5) as g:
        assert g.halt_reason().startswith("T")
        addr = kernel_ticks_addr(image)
        virt = g.read_memory(addr, 64)
        g.set_physical_memory(True)
        try:
            assert g.read_memory(addr, 64) == virt       # identity-mapped kernel
        finally:
            g.set_physical_memory(False)
    machine.qmp().command("cont")


def test_register_round_trip(machine):
    with GdbClient(machine.gdb_path).connect(wait=5) as g:
        regs = g.read_registers()
        assert len(regs) >= 16 * 4
        changed = bytearray(regs)
        changed[0:4] = (0xDEADBEEF).to_bytes(4, "little")      # eax
        g.write_registers(bytes(changed))
        assert g.read_registers()[:4] == changed[:4]
        # p/P answer once the target description was read.
        assert "i386" in g.target_xml()
        assert g.read_register(0) == changed[0:4]
        g.write_register(0, regs[0:4])
        assert g.read_register(0) == regs[0:4]
        assert g.read_registers() == regs
    machine.qmp().command("cont")
