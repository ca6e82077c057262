"""QMP protocol layer: a small, synchronous client for QEMU's QMP socket.

This module knows the QEMU Machine Protocol and nothing else: not how QEMU
is started, not what a machine or a campaign is. Standard library only.

Contract:
- ``QMPClient(path).connect()`` opens the unix socket, reads the greeting,
  negotiates ``qmp_capabilities`` and returns the greeting.
- ``command(name, **args)`` sends one command with a fresh id and returns its
  ``return`` value, or raises ``QMPCommandError`` (with ``error_class`` and
  ``desc``). Replies are matched by id; a reply that arrives after its command
  timed out is discarded, so one timeout does not shift every later answer.
- Asynchronous events read while waiting for a reply are queued in arrival
  order; ``get_event()`` / ``events()`` / ``clear_events()`` consume them.
- Every wait has a timeout; running out raises ``QMPTimeoutError``.
- A socket that cannot be reached, or closes, raises ``QMPConnectionError``.
- ``human_monitor_command()`` runs an HMP command. HMP reports its errors as
  a *successful* return string, so a non-empty answer is treated as an error
  (``QMPHumanError``) unless the caller says it expects output.

Not thread-safe: one client is used by one thread at a time.
"""

from __future__ import annotations

import collections
import errno
import itertools
import json
import socket
import time
from typing import Any, Deque, Dict, List, Optional

__all__ = [
    "QMPError", "QMPConnectionError", "QMPTimeoutError", "QMPProtocolError",
    "QMPCommandError", "QMPHumanError", "QMPClient",
]


class QMPError(Exception):
    """Base class of every error of this module."""


class QMPConnectionError(QMPError):
    """The socket could not be reached, or it closed under us."""


class QMPTimeoutError(QMPError):
    """No answer (or no matching event) within the given time."""


class QMPProtocolError(QMPError):
    """The peer sent something that is not QMP (bad JSON, bad greeting)."""


class QMPCommandError(QMPError):
    """QEMU answered a command with an error object.

    Attributes: ``command`` (the command name), ``error_class`` (QMP's error
    class, e.g. ``CommandNotFound``, ``GenericError``) and ``desc``.
    """

    def __init__(self, command: str, error_class: str, desc: str):
        super().__init__(f"{command}: {error_class}: {desc}")
        self.command = command
        self.error_class = error_class
        self.desc = desc


class QMPHumanError(QMPCommandError):
    """An HMP command answered with text where none was expected.

    HMP errors come back as a successful return string; ``error_class`` is
    ``"HMPError"`` and ``desc`` the (stripped) text.
    """


class QMPClient:
    """A synchronous QMP client over a unix socket.

    ``timeout`` is the default for every wait (connect, command, event).
    Usable as a context manager (closes the socket on exit).
    """

    def __init__(self, path: str, timeout: float = 5.0):
        self.path = path
        self.timeout = timeout
        self.greeting: Optional[Dict[str, Any]] = None
        self._sock: Optional[socket.socket] = None
        self._buf = b""
        self._events: Deque[Dict[str, Any]] = collections.deque()
        self._ids = itertools.count(1)
        self._abandoned: set = set()

    # -- connection -------------------------------------------------------

    def connect(self, wait: float = 0.0, timeout: Optional[float] = None) -> Dict[str, Any]:
        """Connect, read the greeting, negotiate capabilities.

        ``wait``: for how many seconds to retry while the socket does not
        exist yet or refuses connections (QEMU still starting); 0 = try once.
        Returns the greeting (``{"QMP": {"version": ..., ...}}``).
        Raises QMPConnectionError, QMPTimeoutError, QMPProtocolError.
        """
        if self._sock is not None:
            raise QMPError("already connected")
        deadline = time.monotonic() + wait
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(self.path)
                break
            except OSError as exc:
                sock.close()
                retriable = exc.errno in (errno.ENOENT, errno.ECONNREFUSED)
                if not retriable or time.monotonic() >= deadline:
                    raise QMPConnectionError(
                        f"cannot connect to QMP socket {self.path}: {exc.strerror}") from exc
                time.sleep(0.01)
        self._sock = sock
        self._buf = b""
        try:
            greeting = self._read_message(self._deadline(timeout))
            if "QMP" not in greeting:
                raise QMPProtocolError(f"expected a QMP greeting, got {greeting!r}")
            self.greeting = greeting
            self.command("qmp_capabilities", timeout=timeout)
        except BaseException:
            self.close()
            raise
        return greeting

    def close(self) -> None:
        """Close the socket (idempotent). Queued events are kept."""
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None

    @property
    def connected(self) -> bool:
        return self._sock is not None

    def __enter__(self) -> "QMPClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- commands ---------------------------------------------------------

    def command(self, name: str, args: Optional[Dict[str, Any]] = None,
                timeout: Optional[float] = None, **kwargs: Any) -> Any:
        """Run one QMP command; return its ``return`` value.

        Arguments come from ``args`` and/or keyword arguments (keywords win).
        Raises QMPCommandError on an error reply, QMPTimeoutError when no
        reply came within ``timeout`` (the late reply is later discarded),
        QMPConnectionError when the socket closes first.
        """
        arguments = dict(args or {})
        arguments.update(kwargs)
        cmd_id = f"crucible-{next(self._ids)}"
        msg: Dict[str, Any] = {"execute": name, "id": cmd_id}
        if arguments:
            msg["arguments"] = arguments
        self._send(msg)
        deadline = self._deadline(timeout)
        while True:
            try:
                reply = self._read_message(deadline)
            except QMPTimeoutError:
                self._abandoned.add(cmd_id)
                raise QMPTimeoutError(f"no reply to {name} within the timeout") from None
            if "event" in reply:
                self._events.append(reply)
                continue
            rid = reply.get("id")
            if rid in self._abandoned:
                self._abandoned.discard(rid)
                continue
            if rid != cmd_id:
                raise QMPProtocolError(f"reply for unknown id {rid!r}: {reply!r}")
            if "error" in reply:
                err = reply["error"]
                raise QMPCommandError(name, err.get("class", "?"), err.get("desc", ""))
            if "return" not in reply:
                raise QMPProtocolError(f"reply without return or error: {reply!r}")
            return reply["return"]

    def human_monitor_command(self, command_line: str, expect_output: bool = False,
                              timeout: Optional[float] = None) -> str:
        """Run an HMP command through QMP; return its text.

        With ``expect_output`` False (commands that only act, like ``stop``),
        any returned text is an HMP error and raises QMPHumanError. With
        True (``info ...``, ``xp``), the text is returned as is.
        """
        text = self.command("human-monitor-command", {"command-line": command_line},
                            timeout=timeout)
        if not isinstance(text, str):
            raise QMPProtocolError(f"HMP returned {text!r}")
        if text.strip() and not expect_output:
            raise QMPHumanError("human-monitor-command", "HMPError", text.strip())
        return text

    # -- events -----------------------------------------------------------

    def get_event(self, name: Optional[str] = None,
                  timeout: Optional[float] = None) -> Dict[str, Any]:
        """Return (and remove) the first queued event named ``name`` (any if
        None), reading the socket until one arrives. Other events stay queued.
        Raises QMPTimeoutError when none arrives within ``timeout``."""
        deadline = self._deadline(timeout)
        while True:
            for ev in self._events:
                if name is None or ev.get("event") == name:
                    self._events.remove(ev)
                    return ev
            try:
                msg = self._read_message(deadline)
            except QMPTimeoutError:
                raise QMPTimeoutError(f"no event {name or '(any)'} within the timeout") from None
            if "event" in msg:
                self._events.append(msg)
            elif msg.get("id") in self._abandoned:
                self._abandoned.discard(msg.get("id"))
            else:
                raise QMPProtocolError(f"unexpected message while waiting for an event: {msg!r}")

    def events(self, poll: bool = True) -> List[Dict[str, Any]]:
        """Return and clear every queued event; with ``poll``, first read
        whatever the socket already holds (no waiting)."""
        if poll and self._sock is not None:
            try:
                while True:
                    msg = self._read_message(time.monotonic())
                    if "event" in msg:
                        self._events.append(msg)
            except QMPTimeoutError:
                pass
        out = list(self._events)
        self._events.clear()
        return out

    def clear_events(self) -> None:
        """Forget every queued event."""
        self._events.clear()

    # -- wire -------------------------------------------------------------

    def _deadline(self, timeout: Optional[float]) -> float:
        return time.monotonic() + (self.timeout if timeout is None else timeout)

    def _send(self, msg: Dict[str, Any]) -> None:
        if self._sock is None:
            raise QMPConnectionError("not connected")
        data = json.dumps(msg).encode() + b"\n"
        try:
            self._sock.sendall(data)
        except OSError as exc:
            self.close()
            raise QMPConnectionError(f"QMP send failed: {exc}") from exc

    def _read_message(self, deadline: float) -> Dict[str, Any]:
        """Read one JSON message (QMP sends one per line) before ``deadline``."""
        while b"\n" not in self._buf:
            if self._sock is None:
                raise QMPConnectionError("not connected")
            # A passed deadline still makes one non-blocking attempt, so a
            # zero timeout drains what is already there.
            remaining = max(0.0, deadline - time.monotonic())
            self._sock.settimeout(remaining)
            try:
                chunk = self._sock.recv(65536)
            except (socket.timeout, BlockingIOError):
                raise QMPTimeoutError("timed out waiting for QMP data") from None
            except OSError as exc:
                self.close()
                raise QMPConnectionError(f"QMP receive failed: {exc}") from exc
            if not chunk:
                self.close()
                raise QMPConnectionError("QMP socket closed by peer")
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        line = line.strip()
        if not line:
            return self._read_message(deadline)
        try:
            msg = json.loads(line)
        except ValueError as exc:
            raise QMPProtocolError(f"bad JSON from QMP: {line[:200]!r}") from exc
        if not isinstance(msg, dict):
            raise QMPProtocolError(f"QMP message is not an object: {msg!r}")
        return msg

