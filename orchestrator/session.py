"""The machine interface the campaign runner drives, and how to make one.

The runner knows nothing of QEMU, QMP or the gdbstub: it talks to a
``Session`` — one booted guest with a control channel. Two implementations:
``fakemachine.FakeSession`` (a deterministic simulation for tests) and
``qemu_session.QemuSession`` (the adapter to machine.py + control.py).

Contract of a Session (every method may raise ``SessionError`` for harness
trouble: QEMU gone without a panic, no answer in time, garbage on the
channel; a guest panic is NOT a SessionError once ``exit_kind()`` says
"panic"):

- ``boot_to_ready(timeout)``: launch and wait for the ready line.
- ``snapshot_save(name)`` / ``snapshot_load(name)``: whole-VM snapshot of the
  ready state; after a load the guest is exactly as at the save (no faults
  loaded, same tick), and the control channel works.
- ``command(line, timeout)`` → the JSON answer (dict) of one control
  command (docs/inject.md); an ``{"ok": false}`` answer is returned, not
  raised.
- ``commands(lines, timeout)`` → the answers of several commands, in order
  (same as ``command`` on each; QemuSession sends them in one write).
- ``wait_event(match, timeout)`` → the first event (dict) received since the
  last ``take_events()`` for which ``match(event)`` is true, or None after
  ``timeout`` seconds (or at once when the machine has ended).
- ``take_events()`` → every event received since the previous call, in
  order (including those already returned by ``wait_event``).
- ``console_mark()`` → an opaque position in the console;
  ``console_since(mark)`` → the console text written after it.
- ``vm_fault(fault: plan.VmFault)`` → ``{"tick": T or None, ...}``: apply a
  VM-level fault from the host (vm_pause: stop, wait duration_ms, cont;
  mem_bitflip: flip ``bits`` bits chosen with ``seed`` in ``region`` of
  ``target``'s memory; reg_bitflip: flip ``bit`` of ``register``).
- ``exit_kind()`` → None while the guest runs, "panic" after a kernel
  panic, "died" when QEMU ended otherwise.
- ``close()``: end the machine; idempotent; never leaves a QEMU behind.

``MachineSpec`` names a Session implementation in a picklable way (worker
processes and Dask workers build their own Session from it).
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

__all__ = ["Session", "SessionError", "MachineSpec", "make_session", "MACHINES"]


class SessionError(Exception):
    """Harness trouble (kept apart from the system's outcomes, retried)."""


class Session(ABC):
    @abstractmethod
    def boot_to_ready(self, timeout: float) -> None: ...

    @abstractmethod
    def snapshot_save(self, name: str) -> None: ...

    @abstractmethod
    def snapshot_load(self, name: str) -> None: ...

    @abstractmethod
    def command(self, line: str, timeout: float = 5.0) -> Dict[str, Any]: ...

    def commands(self, lines: List[str], timeout: float = 5.0) -> List[Dict[str, Any]]:
        """The answers to several commands, in order, as if ``command`` was
        called for each (a Session may send them together: see QemuSession)."""
        return [self.command(line, timeout) for line in lines]

    @abstractmethod
    def wait_event(self, match: Callable[[Dict[str, Any]], bool],
                   timeout: float) -> Optional[Dict[str, Any]]: ...

    @abstractmethod
    def take_events(self) -> List[Dict[str, Any]]: ...

    @abstractmethod
    def console_mark(self) -> int: ...

    @abstractmethod
    def console_since(self, mark: int) -> str: ...

    @abstractmethod
    def vm_fault(self, fault) -> Dict[str, Any]: ...

    @abstractmethod
    def exit_kind(self) -> Optional[str]: ...

    @abstractmethod
    def close(self) -> None: ...


#: Machine kinds → "module:class" of their Session.
MACHINES = {
    "qemu": "orchestrator.qemu_session:QemuSession",
    "fake": "orchestrator.fakemachine:FakeSession",
}


@dataclass(frozen=True)
class MachineSpec:
    """Which Session to build and its options (kept picklable: plain data)."""
    kind: str = "qemu"
    options: Dict[str, Any] = field(default_factory=dict)

    def key(self) -> str:
        return f"{self.kind}:{sorted(self.options.items())!r}"


def make_session(spec: MachineSpec, append: str, live: bool = False) -> Session:
    """A new (not yet booted) Session. ``append``: kernel command line;
    ``live``: stream the console to stdout (replay)."""
    target = MACHINES.get(spec.kind)
    if target is None:
        raise SessionError(f"unknown machine kind {spec.kind!r} "
                           f"(expected one of: {', '.join(MACHINES)})")
    mod, cls = target.split(":")
    return getattr(importlib.import_module(mod), cls)(append=append, live=live, **spec.options)
