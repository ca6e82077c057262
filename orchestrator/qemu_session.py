"""QemuSession: the Session interface (session.py) over machine.py.

Status: written against machine.py's snapshot API (snapshot_save/load) and
the control protocol of docs/inject.md. The control channel client is a
minimal line reader here; when orchestrator/control.py lands, ``_Control``
should be replaced by it (same duties: send a line, return the next answer
line, keep every event line in order). VM-level faults: ``vm_pause`` uses
QMP stop/cont; ``mem_bitflip`` / ``reg_bitflip`` call
orchestrator.vmfaults: ``resolve`` + ``flip_target`` (``bits`` flips at
byte offsets / bits drawn with the plan's ``seed``) and ``flip_register``.
Not yet exercised against a real guest.

Errors: MachineError / OSError / timeouts become SessionError, except after
a guest panic (``exit_kind() == "panic"``).
"""

from __future__ import annotations

import importlib
import json
import socket
import sys
import time
from typing import Any, Callable, Dict, List, Optional

from .image import find_image
from .machine import MachineError
from .session import Session, SessionError

__all__ = ["QemuSession"]


class _Control:
    """Line protocol on the control socket: answers ({"ok":…}) vs events."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.sock.setblocking(False)
        self.buf = b""
        self.answers: List[Dict[str, Any]] = []
        self.events: List[Dict[str, Any]] = []

    def pump(self, wait: float) -> None:
        import select
        r, _, _ = select.select([self.sock], [], [], wait)
        if not r:
            return
        data = self.sock.recv(65536)
        if not data:
            raise SessionError("control channel closed")
        self.buf += data
        *lines, self.buf = self.buf.split(b"\n")
        for raw in lines:
            raw = raw.strip()
            if not raw:
                continue
            try:
                msg = json.loads(raw)
            except ValueError:
                continue      # stray bytes (e.g. restored guest mid-line): ignore
            if isinstance(msg, dict) and "event" in msg:
                self.events.append(msg)
            elif isinstance(msg, dict) and "ok" in msg:
                self.answers.append(msg)

    def command(self, line: str, timeout: float) -> Dict[str, Any]:
        self.answers.clear()
        self.sock.sendall(line.encode() + b"\n")
        deadline = time.monotonic() + timeout
        while not self.answers:
            left = deadline - time.monotonic()
            if left <= 0:
                raise SessionError(f"no answer to {line!r} within {timeout:.1f} s")
            self.pump(min(left, 0.05))
        return self.answers.pop(0)


class QemuSession(Session):
    def __init__(self, append: str = "", live: bool = False, build_dir: Optional[str] = None,
                 **machine_kwargs):
        self.append = append
        self.live = live
        self.image = find_image(build_dir)
        self.machine = None
        self.ctl: Optional[_Control] = None
        self._seen = 0          # events already handed out by take_events
        self._live_pos = 0
        self.machine_kwargs = machine_kwargs

    def _guard(self, what: str, fn: Callable, *a, **kw):
        try:
            return fn(*a, **kw)
        except SessionError:
            if self.exit_kind() == "panic":
                return {"ok": False, "error": "guest panicked"}
            raise
        except (MachineError, OSError) as exc:
            if self.exit_kind() == "panic":
                return {"ok": False, "error": "guest panicked"}
            raise SessionError(f"{what}: {exc}") from exc

    def _stream(self) -> None:
        if self.live and self.machine is not None:
            text = self.machine.console_text()
            sys.stdout.write(text[self._live_pos:])
            sys.stdout.flush()
            self._live_pos = len(text)

    # -- Session ---------------------------------------------------------------

    def boot_to_ready(self, timeout: float) -> None:
        def boot():
            self.machine = self.image.machine(append=self.append, **self.machine_kwargs)
            self.machine.launch()
            self.ctl = _Control(self.machine.connect_control())
            self.machine.boot_to_ready(timeout)
            self._stream()
        try:
            boot()
        except (MachineError, OSError) as exc:
            raise SessionError(f"boot: {exc}") from exc

    def snapshot_save(self, name: str) -> None:
        self._guard("snapshot save", self.machine.snapshot_save, name)

    def snapshot_load(self, name: str) -> None:
        self._guard("snapshot load", self.machine.snapshot_load, name)
        self.ctl.events.clear()
        self._seen = 0

    def command(self, line: str, timeout: float = 5.0) -> Dict[str, Any]:
        out = self._guard(line, self.ctl.command, line, timeout)
        self._stream()
        return out

    def wait_event(self, match, timeout: float) -> Optional[Dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            for e in self.ctl.events[self._seen:]:
                if match(e):
                    return e
            if self.exit_kind() is not None or time.monotonic() >= deadline:
                return None
            try:
                self.ctl.pump(0.05)
            except (SessionError, OSError):
                if self.exit_kind() is None:
                    raise SessionError("control channel lost") from None
            self._stream()

    def take_events(self) -> List[Dict[str, Any]]:
        out = self.ctl.events[self._seen:] if self.ctl else []
        self._seen += len(out)
        return list(out)

    def console_mark(self) -> int:
        return len(self.machine.console_text())

    def console_since(self, mark: int) -> str:
        return self.machine.console_text()[mark:]

    def vm_fault(self, fault) -> Dict[str, Any]:
        p = fault.params
        tick = None
        try:
            tick = self.ctl.command("ticks", 2.0).get("ticks")
        except SessionError:
            pass
        if fault.kind == "vm_pause":
            q = self.machine.qmp()
            self._guard("stop", q.command, "stop")
            time.sleep(p["duration_ms"] / 1000.0)
            self._guard("cont", q.command, "cont")
            return {"tick": tick}
        try:
            vmf = importlib.import_module("orchestrator.vmfaults")
        except ImportError:
            raise SessionError(f"{fault.kind}: orchestrator.vmfaults is missing") from None
        if fault.kind == "mem_bitflip":
            import random
            rng = random.Random(p.get("seed", 0))
            target = self._guard(fault.kind, vmf.resolve, self.machine, self.image.boot_dir,
                                 p["target"], p["region"])
            flips = []
            for _ in range(p.get("bits", 1)):
                rec = None
                for _try in range(16):          # skip holes (unmapped pages)
                    try:
                        rec = vmf.flip_target(self.machine, target,
                                              rng.randrange(max(1, target.size)),
                                              rng.randrange(8))
                        break
                    except vmf.NotMapped:
                        continue
                    except (vmf.VMFaultError, MachineError, OSError) as exc:
                        raise SessionError(f"mem_bitflip: {exc}") from exc
                if rec is not None:
                    flips.append(rec.as_dict())
            return {"tick": tick, "flips": flips}
        rec = self._guard(fault.kind, vmf.flip_register, self.machine, p["register"], p["bit"])
        return {"tick": tick, "flip": rec.as_dict() if hasattr(rec, "as_dict") else rec}

    def exit_kind(self) -> Optional[str]:
        if self.machine is None or self.machine.proc is None:
            return None
        st = self.machine.exit_status
        if st is None:
            return None
        return "panic" if st.kind == "panic" else "died"

    def close(self) -> None:
        if self.machine is not None:
            self.machine.close()
