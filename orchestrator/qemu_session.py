"""QemuSession: the Session interface (session.py) over machine.py and
control.py.

- One QEMU (machine.Machine) and one control.ControlClient on its COM2
  socket (non-strict: a line cut by a snapshot restore is skipped, not an
  error).
- ``snapshot_load``: loads the VM snapshot (machine.snapshot_load), then
  re-synchronises the control channel: it sends ``ticks`` and drops every
  event that arrived before the answer. Bytes the guest sent before the load
  (still in the socket or QEMU's chardev: e.g. the boot's ``ready`` event,
  or the tail of the previous experiment) therefore never reach the next
  experiment; events after the answer are the restored guest's.
  ``last_load_tick`` holds the tick of that answer.
- VM-level faults: ``vm_pause`` uses QMP stop/cont; ``mem_bitflip`` /
  ``reg_bitflip`` call orchestrator.vmfaults (``resolve`` + ``flip_target``
  with byte offsets / bits drawn with the plan's ``seed``;
  ``flip_register``).
- ``timings``: wall ms of the last snapshot load (for the benchmark).

Errors: MachineError / ControlError / OSError become SessionError, except
after a guest panic (``exit_kind() == "panic"``), when commands answer
``{"ok": false, "error": "guest panicked"}``.
"""

from __future__ import annotations

import importlib
import sys
import time
from typing import Any, Callable, Dict, List, Optional

from .control import ControlClient, ControlError
from .image import find_image
from .machine import MachineError
from .session import Session, SessionError

__all__ = ["QemuSession"]


class QemuSession(Session):
    def __init__(self, append: str = "", live: bool = False, build_dir: Optional[str] = None,
                 **machine_kwargs):
        self.append = append
        self.live = live
        self.image = find_image(build_dir)
        self.machine = None
        self.ctl: Optional[ControlClient] = None
        self._seen = 0          # events of ctl.all_events already handed out
        self.last_load_tick: Optional[int] = None
        self.timings: Dict[str, float] = {}
        self._live_pos = 0
        self.machine_kwargs = machine_kwargs

    def _guard(self, what: str, fn: Callable, *a, **kw):
        try:
            return fn(*a, **kw)
        except SessionError:
            if self.exit_kind() == "panic":
                return {"ok": False, "error": "guest panicked"}
            raise
        except (MachineError, ControlError, OSError) as exc:
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
            self.ctl = ControlClient(sock=self.machine.connect_control(), strict=False)
            self.machine.boot_to_ready(timeout)
            self._stream()
        try:
            boot()
        except (MachineError, ControlError, OSError) as exc:
            raise SessionError(f"boot: {exc}") from exc

    def snapshot_save(self, name: str) -> None:
        self._guard("snapshot save", self.machine.snapshot_save, name)

    def snapshot_load(self, name: str) -> None:
        self.timings["restore_ms"] = self._guard("snapshot load", self.machine.snapshot_load,
                                                 name)
        # Re-synchronise: everything before the answer to this command was
        # sent before (or during) the load and belongs to no experiment.
        ans = self._guard("ticks", self.ctl.request, "ticks", 5.0)
        self.last_load_tick = ans.get("ticks") if isinstance(ans, dict) else None
        self.ctl.events.clear()
        self.ctl.all_events.clear()       # keeps memory flat over long runs
        self._seen = 0

    def command(self, line: str, timeout: float = 5.0) -> Dict[str, Any]:
        out = self._guard(line, self.ctl.request, line, timeout)
        self._stream()
        return out

    def commands(self, lines: List[str], timeout: float = 5.0) -> List[Dict[str, Any]]:
        # Perf: one write, answered within about one guest tick (control.py
        # request_many) instead of one tick-long round trip per command.
        out = self._guard(lines[0] if lines else "commands", self.ctl.request_many, lines,
                          timeout)
        if isinstance(out, dict):          # guest panicked: every command gets that answer
            out = [out] * len(lines)
        self._stream()
        return out

    def wait_event(self, match, timeout: float) -> Optional[Dict[str, Any]]:
        deadline = time.monotonic() + timeout
        checked = self._seen
        while True:
            new = self.ctl.all_events[checked:]
            for e in new:
                if match(e):
                    return e
            checked += len(new)
            if self.exit_kind() is not None or time.monotonic() >= deadline:
                return None
            try:
                self.ctl.pump(min(0.05, max(0.0, deadline - time.monotonic())))
            except (ControlError, OSError):
                if self.exit_kind() is None:
                    # QEMU may be exiting (panic): give it a moment to be reaped
                    if self._ended_soon(1.0):
                        return None
                    raise SessionError("control channel lost") from None
                return None
            self._stream()

    def _ended_soon(self, seconds: float) -> bool:
        """True if QEMU ends within ``seconds`` (the channel closed because
        the machine is going away)."""
        try:
            self.machine.proc.wait(timeout=seconds)
        except Exception:
            pass
        return self.exit_kind() is not None

    def take_events(self) -> List[Dict[str, Any]]:
        if self.ctl is None:
            return []
        try:
            self.ctl.pump(0.0)
        except (ControlError, OSError):
            pass
        out = self.ctl.all_events[self._seen:]
        self._seen += len(out)
        self.ctl.events.clear()
        return list(out)

    def console_mark(self) -> int:
        return len(self.machine.console_text())

    def console_since(self, mark: int) -> str:
        return self.machine.console_text()[mark:]

    def vm_fault(self, fault) -> Dict[str, Any]:
        p = fault.params
        tick = None
        try:
            tick = self.ctl.request("ticks", 2.0).get("ticks")
        except (ControlError, OSError):
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
        if self.ctl is not None:
            self.ctl.close()
        if self.machine is not None:
            self.machine.close()
