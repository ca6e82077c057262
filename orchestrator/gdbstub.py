"""GDB remote serial protocol (RSP) client: a small, synchronous client for
QEMU's gdbstub. Standard library only.

This module knows the protocol and nothing else: not how QEMU is started,
not what a machine, a process or a fault is.

Contract:
- ``GdbClient(path).connect()`` opens the unix socket (``tcp=(host, port)``
  also works), negotiates ``qSupported`` and switches to no-ack mode
  (``QStartNoAckMode``) when the stub offers it; otherwise every packet is
  acknowledged with ``+`` and a ``-`` makes the sender retransmit.
  QEMU stops the guest when a debugger connects.
- Packets are framed ``$data#cs`` (cs = sum of the data bytes mod 256, two
  hex digits); a reply with a bad checksum is NAKed (``-``) and re-read, or
  raises GdbProtocolError in no-ack mode. Run-length encoded replies
  (``*``) are expanded; ``}`` escapes are decoded.
- Typed errors: ``GdbError`` (base; also an ``Exx`` error reply, with
  ``code``), ``GdbTimeout`` (no reply in time), ``GdbProtocolError``
  (malformed traffic, closed socket), ``GdbUnsupported`` (the stub answered
  the empty packet: it does not know the command).
- Requests: ``halt_reason()`` (``?``), ``read_registers()`` / ``write_registers()``
  (``g`` / ``G``, raw bytes in target order), ``read_register(n)`` /
  ``write_register(n, value_bytes)`` (``p`` / ``P``; QEMU answers them only
  after the target description was read: call ``target_xml()`` first),
  ``read_memory(addr, n)`` / ``write_memory(addr, data)`` (``m`` / ``M``,
  split in chunks), ``set_physical_memory(on)`` (``Qqemu.PhyMemMode:1/0``:
  memory packets then address guest-physical memory), ``interrupt()``
  (byte 0x03; returns the stop reply), ``cont()`` (``c``: no reply until the
  target stops again, ``wait_stop()`` reads it), ``detach()`` (``D``: QEMU
  then resumes the guest), ``close()`` (drops the socket: QEMU leaves the
  guest as it is).

Not thread-safe: one client is used by one thread at a time.
"""

from __future__ import annotations

import socket
import time
from typing import Dict, Optional, Tuple, Union

__all__ = ["GdbError", "GdbTimeout", "GdbProtocolError", "GdbUnsupported", "GdbClient",
           "checksum", "frame", "escape", "unescape"]

#: Largest memory chunk per m/M packet (QEMU's packet buffer is 4 KiB, hex doubles).
CHUNK = 1024


class GdbError(Exception):
    """Base class of this module's errors; also an ``Exx`` reply (``code``)."""

    def __init__(self, message: str, code: Optional[int] = None):
        super().__init__(message)
        self.code = code


class GdbTimeout(GdbError):
    """No (complete) reply within the timeout."""


class GdbProtocolError(GdbError):
    """Malformed traffic, an unexpected reply, or the socket closed."""


class GdbUnsupported(GdbError):
    """The stub answered with the empty packet: command not supported."""


def checksum(data: bytes) -> int:
    """RSP checksum: the sum of the bytes modulo 256."""
    return sum(data) & 0xFF


def escape(data: bytes) -> bytes:
    """Escape ``#$}*`` as ``}`` followed by the byte XOR 0x20 (binary data)."""
    out = bytearray()
    for b in data:
        if b in b"#$}*":
            out += bytes((0x7D, b ^ 0x20))
        else:
            out.append(b)
    return bytes(out)


def unescape(data: bytes) -> bytes:
    """Undo ``}`` escapes and expand run-length encoding (``X*n``: X repeated
    ``ord(n) - 29`` more times)."""
    out = bytearray()
    i = 0
    while i < len(data):
        b = data[i]
        if b == 0x7D and i + 1 < len(data):
            out.append(data[i + 1] ^ 0x20)
            i += 2
        elif b == 0x2A and out and i + 1 < len(data):   # '*'
            out += bytes((out[-1],)) * (data[i + 1] - 29)
            i += 2
        else:
            out.append(b)
            i += 1
    return bytes(out)


def _is_stop_reply(reply: str) -> bool:
    """True for ``Txx...`` / ``Sxx`` stop replies."""
    return (len(reply) >= 3 and reply[0] in "TS"
            and all(c in "0123456789abcdefABCDEF" for c in reply[1:3]))


def frame(data: Union[str, bytes]) -> bytes:
    """The wire form of one packet: ``$data#cs``."""
    if isinstance(data, str):
        data = data.encode("ascii")
    return b"$" + data + b"#" + b"%02x" % checksum(data)


class GdbClient:
    """A synchronous RSP client. ``timeout`` is the default of every wait.
    Usable as a context manager (``close()`` on exit, no detach)."""

    def __init__(self, path: Optional[str] = None, tcp: Optional[Tuple[str, int]] = None,
                 timeout: float = 5.0):
        if (path is None) == (tcp is None):
            raise ValueError("give exactly one of path or tcp")
        self.path = path
        self.tcp = tcp
        self.timeout = timeout
        self.no_ack = False
        self.features: Dict[str, str] = {}
        self._sock: Optional[socket.socket] = None
        self._buf = b""

    # -- connection -------------------------------------------------------

    def connect(self, wait: float = 0.0) -> "GdbClient":
        """Connect (retrying for ``wait`` s while the socket is not there),
        negotiate features and no-ack mode. Returns self."""
        deadline = time.monotonic() + wait
        while True:
            if self.path is not None:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                addr: object = self.path
            else:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                addr = self.tcp
            try:
                sock.settimeout(self.timeout)
                sock.connect(addr)
                break
            except OSError as exc:
                sock.close()
                if time.monotonic() >= deadline:
                    raise GdbProtocolError(f"cannot connect to gdbstub {addr}: {exc}") from exc
                time.sleep(0.01)
        self._sock = sock
        self._buf = b""
        try:
            reply = self.request("qSupported:multiprocess-;swbreak+;hwbreak+;xmlRegisters=i386")
            for item in reply.split(";"):
                if item.endswith(("+", "-")):
                    self.features[item[:-1]] = item[-1]
                elif "=" in item:
                    k, v = item.split("=", 1)
                    self.features[k] = v
            if self.features.get("QStartNoAckMode") == "+":
                self._expect_ok(self.request("QStartNoAckMode"), "QStartNoAckMode")
                self.no_ack = True
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        """Drop the connection (idempotent). QEMU leaves the guest's run
        state as it is (stopped, since connecting stopped it)."""
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None

    @property
    def connected(self) -> bool:
        return self._sock is not None

    def __enter__(self) -> "GdbClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- requests ---------------------------------------------------------

    def halt_reason(self) -> str:
        """``?``: the stop reply (e.g. ``T05thread:01;``)."""
        return self.request("?")

    def read_registers(self) -> bytes:
        """``g``: every register, raw, in the target's order and byte order."""
        return bytes.fromhex(self._checked(self.request("g"), "g"))

    def write_registers(self, data: bytes) -> None:
        """``G``: write every register (same layout as read_registers)."""
        self._expect_ok(self.request("G" + data.hex()), "G")

    def read_register(self, number: int) -> bytes:
        """``p n``: one register, raw bytes. GdbUnsupported if the stub does
        not answer ``p`` (QEMU: call ``target_xml()`` first)."""
        return bytes.fromhex(self._checked(self.request(f"p{number:x}"), "p"))

    def write_register(self, number: int, value: bytes) -> None:
        """``P n=v``: write one register (raw bytes, target byte order)."""
        self._expect_ok(self.request(f"P{number:x}={value.hex()}"), "P")

    def target_xml(self, annex: str = "target.xml") -> str:
        """Read a target description document (``qXfer:features:read``)."""
        out = []
        offset = 0
        while True:
            reply = self._checked(self.request(
                f"qXfer:features:read:{annex}:{offset:x},{CHUNK * 2:x}"), "qXfer")
            if not reply or reply[0] not in "lm":
                raise GdbProtocolError(f"bad qXfer reply {reply[:40]!r}")
            out.append(reply[1:])
            offset += len(reply) - 1
            if reply[0] == "l":
                return "".join(out)

    def read_memory(self, addr: int, length: int) -> bytes:
        """``m``: ``length`` bytes at ``addr`` (virtual, or physical after
        ``set_physical_memory(True)``). GdbError if unreadable."""
        out = bytearray()
        while length > 0:
            n = min(length, CHUNK)
            out += bytes.fromhex(self._checked(self.request(f"m{addr:x},{n:x}"), "m"))
            addr += n
            length -= n
        return bytes(out)

    def write_memory(self, addr: int, data: bytes) -> None:
        """``M``: write ``data`` at ``addr``."""
        for i in range(0, len(data), CHUNK):
            part = data[i:i + CHUNK]
            self._expect_ok(self.request(f"M{addr + i:x},{len(part):x}:{part.hex()}"), "M")

    def set_physical_memory(self, on: bool = True) -> None:
        """QEMU's ``Qqemu.PhyMemMode:1`` (or ``:0``)."""
        self._expect_ok(self.request(f"Qqemu.PhyMemMode:{1 if on else 0}"), "PhyMemMode")

    def interrupt(self, timeout: Optional[float] = None) -> str:
        """Send 0x03 (stop a running target); return the stop reply."""
        self._send_raw(b"\x03")
        return self.wait_stop(timeout)

    def cont(self) -> None:
        """``c``: resume. The stub answers only when the target stops again
        (``wait_stop`` / ``interrupt`` read that)."""
        self.send_packet("c")

    def wait_stop(self, timeout: Optional[float] = None) -> str:
        """Read the next stop reply (``S``/``T``/``W``/``X`` packet), skipping
        console output (``O``) packets."""
        while True:
            reply = self.read_packet(timeout)
            if reply[:1] in ("S", "T", "W", "X"):
                return reply
            if reply[:1] != "O":
                raise GdbProtocolError(f"expected a stop reply, got {reply[:40]!r}")

    def detach(self) -> None:
        """``D``: detach (QEMU resumes the guest), then close."""
        try:
            self._expect_ok(self.request("D"), "D")
        finally:
            self.close()

    # -- packets ----------------------------------------------------------

    def request(self, data: str, timeout: Optional[float] = None) -> str:
        """Send one packet, return the reply's payload (decoded as latin-1).
        ``Exx`` replies are returned as is; see ``_checked``.

        QEMU sends an unsolicited stop reply (``T05...``) when the guest
        stops while a debugger is attached (e.g. right after connecting);
        for requests other than ``?`` such stray stop replies are skipped
        (no other reply of this client's requests starts with ``T`` + hex)."""
        self.send_packet(data)
        while True:
            reply = self.read_packet(timeout)
            if data != "?" and _is_stop_reply(reply):
                continue
            return reply

    def send_packet(self, data: Union[str, bytes], retries: int = 3) -> None:
        """Send a packet; outside no-ack mode wait for ``+`` (resend on ``-``)."""
        wire = frame(data)
        for _ in range(retries + 1):
            self._send_raw(wire)
            if self.no_ack:
                return
            ack = self._read_byte(self._deadline(None))
            while ack not in (b"+", b"-"):
                if ack == b"$":           # a packet before the ack: keep it
                    self._buf = b"$" + self._buf
                    return
                ack = self._read_byte(self._deadline(None))
            if ack == b"+":
                return
        raise GdbProtocolError(f"packet NAKed {retries + 1} times: {wire[:40]!r}")

    def read_packet(self, timeout: Optional[float] = None) -> str:
        """Read one packet and return its decoded payload; ack it (``+``)
        outside no-ack mode, NAK and re-read on a bad checksum."""
        deadline = self._deadline(timeout)
        while True:
            b = self._read_byte(deadline)
            while b != b"$":                  # skip acks and noise between packets
                b = self._read_byte(deadline)
            body = bytearray()
            while True:
                b = self._read_byte(deadline)
                if b == b"#":
                    break
                body += b
            cs = self._read_byte(deadline) + self._read_byte(deadline)
            try:
                good = int(cs, 16) == checksum(bytes(body))
            except ValueError:
                good = False
            if good:
                if not self.no_ack:
                    self._send_raw(b"+")
                return unescape(bytes(body)).decode("latin-1")
            if self.no_ack:
                raise GdbProtocolError(f"bad checksum {cs!r} on {bytes(body[:40])!r}")
            self._send_raw(b"-")

    # -- internals --------------------------------------------------------

    def _checked(self, reply: str, what: str) -> str:
        if reply == "":
            raise GdbUnsupported(f"{what}: not supported by the stub")
        if len(reply) == 3 and reply[0] == "E":
            try:
                code = int(reply[1:], 16)
            except ValueError:
                return reply
            raise GdbError(f"{what}: error reply {reply}", code)
        return reply

    def _expect_ok(self, reply: str, what: str) -> None:
        if self._checked(reply, what) != "OK":
            raise GdbProtocolError(f"{what}: expected OK, got {reply[:40]!r}")

    def _deadline(self, timeout: Optional[float]) -> float:
        return time.monotonic() + (self.timeout if timeout is None else timeout)

    def _send_raw(self, data: bytes) -> None:
        if self._sock is None:
            raise GdbProtocolError("not connected")
        try:
            self._sock.sendall(data)
        except OSError as exc:
            self.close()
            raise GdbProtocolError(f"gdbstub send failed: {exc}") from exc

    def _read_byte(self, deadline: float) -> bytes:
        if not self._buf:
            if self._sock is None:
                raise GdbProtocolError("not connected")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise GdbTimeout("no reply from gdbstub within the timeout")
            self._sock.settimeout(remaining)
            try:
                chunk = self._sock.recv(65536)
            except socket.timeout:
                raise GdbTimeout("no reply from gdbstub within the timeout") from None
            except OSError as exc:
                self.close()
                raise GdbProtocolError(f"gdbstub receive failed: {exc}") from exc
            if not chunk:
                self.close()
                raise GdbProtocolError("gdbstub closed the connection")
            self._buf = chunk
        b, self._buf = self._buf[:1], self._buf[1:]
        return b
