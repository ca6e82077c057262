"""Client of the guest's control channel (docs/inject.md).

The guest answers every command line with exactly one JSON line
({"ok": true, ...} or {"ok": false, "error": ...}) and sends events
({"event": ..., "tick": ...}) at any time. ControlClient sends commands,
returns parsed answers, and keeps every event in arrival order, including
those that arrive while it waits for an answer.

Errors:
  ControlError          the guest answered {"ok": false} (``answer`` holds it)
                        or the channel closed / cannot be reached
  ControlTimeout        no answer (or event) within the timeout
  ControlProtocolError  a line that is not JSON, or not an answer or event

Stdlib only. The socket path is the machine layer's (Machine.control_path).
"""

import json
import select
import socket
import time
from typing import Any, Callable, Dict, List, Optional

__all__ = ["ControlError", "ControlTimeout", "ControlProtocolError", "ControlClient"]


class ControlError(Exception):
    """The guest refused a command, or the channel is gone."""

    def __init__(self, message: str, answer: Optional[Dict[str, Any]] = None):
        super().__init__(message)
        self.answer = answer


class ControlTimeout(ControlError):
    """Nothing came within the timeout."""


class ControlProtocolError(ControlError):
    """The guest sent something that is not a JSON answer or event."""

    def __init__(self, message: str, line: bytes = b""):
        super().__init__(message)
        self.line = line


class ControlClient:
    """One connection to the control channel.

    ``path``: the unix socket (QEMU's COM2 chardev, server side). ``strict``:
    raise ControlProtocolError on a garbage line (default); with False such
    lines are kept in ``garbage`` and skipped (e.g. right after a snapshot
    restore, when a line may be cut).
    """

    def __init__(self, path: Optional[str] = None, *, sock: Optional[socket.socket] = None,
                 strict: bool = True):
        self.path = path
        self.sock = sock
        self.strict = strict
        self.buf = b""
        self.events: List[Dict[str, Any]] = []   # not yet consumed by wait_for_event
        self.all_events: List[Dict[str, Any]] = []
        self.garbage: List[bytes] = []
        self._answers: List[Dict[str, Any]] = []
        self._seen = 0                           # events of all_events already matched

    # -- connection ---------------------------------------------------------

    def connect(self, timeout: float = 5.0, interval: float = 0.02) -> "ControlClient":
        """Connect to ``path``, retrying until ``timeout`` (ControlError then)."""
        if self.sock is not None:
            return self
        deadline = time.monotonic() + timeout
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(self.path)
                self.sock = s
                return self
            except OSError as exc:
                s.close()
                if time.monotonic() >= deadline:
                    raise ControlError(f"cannot connect to {self.path}: {exc}") from exc
                time.sleep(interval)

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None

    def __enter__(self) -> "ControlClient":
        return self.connect()

    def __exit__(self, *exc) -> None:
        self.close()

    # -- reading ------------------------------------------------------------

    def _line(self, raw: bytes) -> None:
        raw = raw.strip()
        if not raw:
            return
        try:
            msg = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            msg = None
        if isinstance(msg, dict) and "event" in msg:
            self.events.append(msg)
            self.all_events.append(msg)
        elif isinstance(msg, dict) and "ok" in msg:
            self._answers.append(msg)
        else:
            self.garbage.append(raw)
            if self.strict:
                raise ControlProtocolError(f"not a control line: {raw[:80]!r}", raw)

    def pump(self, wait: float = 0.0) -> bool:
        """Read what is there (waiting up to ``wait`` s for something) and
        parse complete lines. Returns True if bytes arrived. ControlError if
        the channel closed."""
        if self.sock is None:
            raise ControlError("not connected")
        r, _, _ = select.select([self.sock], [], [], max(0.0, wait))
        if not r:
            return False
        data = self.sock.recv(65536)
        if not data:
            raise ControlError("control channel closed")
        self.buf += data
        *lines, self.buf = self.buf.split(b"\n")
        for raw in lines:
            self._line(raw)
        return True

    # -- commands -----------------------------------------------------------

    def request(self, line: str, timeout: float = 5.0) -> Dict[str, Any]:
        """Send one command line and return its answer, whatever "ok" says.
        ControlTimeout if no answer comes within ``timeout``."""
        if "\n" in line:
            raise ValueError("a command is one line")
        self.pump(0.0)
        self._answers.clear()
        if self.sock is None:
            raise ControlError("not connected")
        self.sock.sendall(line.encode() + b"\n")
        deadline = time.monotonic() + timeout
        while not self._answers:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ControlTimeout(f"no answer to {line!r} within {timeout:.1f} s")
            self.pump(min(left, 0.05))
        return self._answers.pop(0)

    def request_many(self, lines: List[str], timeout: float = 5.0) -> List[Dict[str, Any]]:
        """Send several command lines in one write and return their answers,
        in order (the guest answers every line, in order). ControlTimeout if
        they do not all come within ``timeout``.
        Perf: the guest reads the channel once per clock tick and runs every
        complete line it finds, so N lines sent together cost about one tick
        instead of N round trips of a tick each."""
        if not lines:
            return []
        if any("\n" in line for line in lines):
            raise ValueError("a command is one line")
        self.pump(0.0)
        self._answers.clear()
        if self.sock is None:
            raise ControlError("not connected")
        self.sock.sendall(b"".join(line.encode() + b"\n" for line in lines))
        deadline = time.monotonic() + timeout
        while len(self._answers) < len(lines):
            left = deadline - time.monotonic()
            if left <= 0:
                raise ControlTimeout(f"no answer to {lines[len(self._answers)]!r} "
                                     f"within {timeout:.1f} s")
            self.pump(min(left, 0.05))
        out, self._answers = self._answers[:len(lines)], self._answers[len(lines):]
        return out

    def command(self, line: str, timeout: float = 5.0) -> Dict[str, Any]:
        """As request(), but an {"ok": false} answer raises ControlError."""
        ans = self.request(line, timeout)
        if ans.get("ok") is not True:
            raise ControlError(f"{line!r}: {ans.get('error', 'refused')}", ans)
        return ans

    # -- events -------------------------------------------------------------

    def wait_for_event(self, name: str, predicate: Optional[Callable[[Dict[str, Any]], bool]] = None,
                       timeout: float = 10.0) -> Dict[str, Any]:
        """The first not yet consumed event called ``name`` (for which
        ``predicate`` holds), waiting up to ``timeout`` s; it and the events
        before it are consumed from ``events``. ControlTimeout otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev.get("event") == name and (predicate is None or predicate(ev)):
                    del self.events[: i + 1]
                    return ev
            left = deadline - time.monotonic()
            if left <= 0:
                raise ControlTimeout(f"no {name!r} event within {timeout:.1f} s")
            self.pump(min(left, 0.05))

    def drain(self, wait: float = 0.0) -> List[Dict[str, Any]]:
        """Read for ``wait`` s and return (and consume) every pending event."""
        end = time.monotonic() + wait
        while True:
            left = end - time.monotonic()
            if not self.pump(max(0.0, min(left, 0.05))) and left <= 0:
                break
        out, self.events = self.events, []
        return out

    # -- conveniences ---------------------------------------------------------

    def fault_add(self, **fields: Any) -> int:
        """fault add with the given fields; returns the new fault id."""
        args = " ".join(f"{k}={v}" for k, v in fields.items())
        return int(self.command(f"fault add {args}")["id"])

    def fault_list(self) -> List[Dict[str, Any]]:
        return self.command("fault list")["faults"]

    def fault_clear(self, fault_id: Optional[int] = None) -> int:
        return int(self.command("fault clear" + (f" {fault_id}" if fault_id else ""))["cleared"])

    def ps(self) -> List[Dict[str, Any]]:
        return self.command("ps")["procs"]

    def ticks(self) -> int:
        return int(self.command("ticks")["ticks"])
