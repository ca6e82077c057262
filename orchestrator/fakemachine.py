"""FakeSession: a deterministic simulation of a booted Crucible guest.

It speaks the control channel's vocabulary (docs/inject.md) without QEMU, so
the campaign layer (runner, store, reports, Dask, CLI) can be tested in
milliseconds. Its behaviour is a caricature of the real OS, fixed and
documented here so tests can rely on it:

- Every server (rs ds pm vm tty hello) sees ``MESSAGES`` (10) matching
  messages per workload run; a fault with ``nth`` > 10 or ``after`` > 1000
  never fires; ``prob`` is drawn from a generator seeded with the fault's
  ``seed``.
- sef crash → service_crashed (signal 11); panic/exit → cause panic/exit;
  hang → cause hang (heartbeat, latency 500). With recovery on (no
  ``rs_recovery=0`` in append) a service_restarted (same_ep) follows, with
  latency 3 + nth; with recovery off service_failed and the workload fails
  (status 1). A fault on ``rs`` is a kernel panic (machine ends).
- sef reply_error, kcall fail → workload status 1.
- sef corrupt_state → sanity of the target fails (invariant ``state``).
- ipc drop to pm, vm or ds → the workload never exits (hang).
- ipc corrupt → the workload's output differs, status 0 (silent corruption).
- ipc delay / duplicate / reorder → no visible effect.
- vm_pause → nothing; mem_bitflip → a crash (exception) of the target when
  its seed is odd; reg_bitflip → nothing.
- Options: ``boot_s`` / ``run_s`` (sleep per boot / per workload run),
  ``harness_fail_every`` (every k-th ``run`` command raises SessionError),
  ``die_on`` (a target label: a fault on it makes "QEMU" die).
"""

from __future__ import annotations

import random
import sys
import time
from typing import Any, Callable, Dict, List, Optional

from .session import Session, SessionError

__all__ = ["FakeSession", "MESSAGES"]

MESSAGES = 10
SERVERS = ("rs", "ds", "pm", "vm", "tty", "hello")
SITE_ACTIONS = {"ipc": {"drop", "delay", "duplicate", "corrupt", "reorder"},
                "kcall": {"fail"},
                "sef": {"crash", "panic", "exit", "hang", "reply_error", "corrupt_state"}}


class FakeSession(Session):
    def __init__(self, append: str = "", live: bool = False, boot_s: float = 0.0,
                 run_s: float = 0.0, harness_fail_every: int = 0, die_on: str = ""):
        self.append = append
        self.recovery = "rs_recovery=0" not in append.split()
        self.live = live
        self.boot_s = boot_s
        self.run_s = run_s
        self.harness_fail_every = harness_fail_every
        self.die_on = die_on
        self._console: List[str] = []
        self._events: List[Dict[str, Any]] = []
        self._faults: List[Dict[str, Any]] = []
        self._snapshots: Dict[str, Any] = {}
        self._tick = 0
        self._booted = False
        self._exit: Optional[str] = None
        self._runs = 0
        self._broken: set = set()

    # -- helpers ----------------------------------------------------------

    def _print(self, line: str) -> None:
        self._console.append(line + "\n")
        if self.live:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def _event(self, name: str, **fields) -> None:
        self._events.append(dict(event=name, tick=self._tick, **fields))

    def _alive(self) -> None:
        if self._exit is not None:
            raise SessionError(f"machine has ended ({self._exit})")
        if not self._booted:
            raise SessionError("machine not booted")

    # -- Session ----------------------------------------------------------

    def boot_to_ready(self, timeout: float) -> None:
        time.sleep(self.boot_s)
        self._booted = True
        self._tick = 120
        self._print(f"crucible: ready services=6 ticks={self._tick}")
        self._event("ready", services=6)

    def snapshot_save(self, name: str) -> None:
        self._alive()
        self._snapshots[name] = (list(self._faults), self._tick, set(self._broken))

    def snapshot_load(self, name: str) -> None:
        self._alive()
        if name not in self._snapshots:
            raise SessionError(f"no snapshot {name!r}")
        faults, self._tick, broken = self._snapshots[name]
        self._faults = [dict(f) for f in faults]
        self._broken = set(broken)

    def command(self, line: str, timeout: float = 5.0) -> Dict[str, Any]:
        self._alive()
        words = line.split()
        if words[:2] == ["fault", "add"]:
            f: Dict[str, Any] = {}
            for w in words[2:]:
                k, _, v = w.partition("=")
                f[k] = v
            if f.get("action") not in SITE_ACTIONS.get(f.get("site", ""), ()):
                return {"ok": False, "error": "bad site/action"}
            for k in ("type", "nth", "after", "prob", "seed", "persistent", "arg", "mask"):
                if k in f:
                    f[k] = int(f[k], 0)
            f.update(id=len(self._faults) + 1, matches=0, activations=0)
            self._faults.append(f)
            return {"ok": True, "id": f["id"]}
        if words[:2] == ["fault", "clear"]:
            n = len(self._faults)
            self._faults = []
            return {"ok": True, "cleared": n}
        if words[:2] == ["fault", "list"]:
            return {"ok": True, "faults": [dict(f) for f in self._faults]}
        if words == ["ticks"]:
            return {"ok": True, "ticks": self._tick}
        if words == ["sanity"]:
            return {"ok": True, "results": [
                {"label": s, "ok": s not in self._broken} if s not in self._broken else
                {"label": s, "ok": False, "invariant": "state"} for s in SERVERS]}
        if len(words) == 2 and words[0] == "run":
            return self._run(words[1])
        return {"ok": False, "error": f"unknown command: {line}"}

    def _run(self, program: str) -> Dict[str, Any]:
        self._runs += 1
        if self.harness_fail_every and self._runs % self.harness_fail_every == 0:
            raise SessionError("control channel: no answer (simulated harness fault)")
        time.sleep(self.run_s)
        status, hang, corrupt = 0, False, False
        self._print(f"crucible-workload: {program} start")
        for f in self._faults:
            target = f.get("target")
            for n in range(1, MESSAGES + 1):
                self._tick += 1
                f["matches"] += 1
                if n < f.get("nth", 1) or self._tick <= f.get("after", 0):
                    continue
                prob = f.get("prob", 1_000_000)
                if prob < 1_000_000 and random.Random(f.get("seed", 1) * 7919 + n).randrange(
                        1_000_000) >= prob:
                    continue
                f["activations"] += 1
                self._event("fault_fired", id=f["id"], site=f["site"], action=f["action"],
                            target=target, source=f.get("source", "any"), type=f.get("type", 0))
                eff = self._effect(f, target)
                if eff == "died":
                    self._exit = "died"
                    return {"ok": True}
                if eff == "panic":
                    return {"ok": True}
                status |= eff == "error"
                hang |= eff == "hang"
                corrupt |= eff == "corrupt"
                if not f.get("persistent"):
                    break
        if hang:
            return {"ok": True}
        self._tick += 5
        self._print(f"crucible-workload: {program} value={43 if corrupt else 42}")
        self._print(f"crucible-workload: {program} ok ticks={self._tick}")
        self._event("program_exit", label=program, status=int(status))
        return {"ok": True}

    def _crash(self, target: str, **cause) -> str:
        if target == "rs":
            self._print("crucible: panic: rs crashed")
            self._event("panic", message="rs crashed")
            self._exit = "panic"
            return "panic"
        self._event("service_crashed", label=target, ep=SERVERS.index(target)
                    if target in SERVERS else 99, **cause)
        if not self.recovery:
            self._print(f"rs: {target} stopped, not restarted (rs_recovery=0)")
            self._event("service_failed", label=target, reason="recovery_off")
            return "error"
        latency = 500 if cause.get("cause") == "hang" else 3 + self._tick % 7
        self._tick += latency
        self._event("service_restarted", label=target, ep=0, restarts=1, latency=latency,
                    same_ep=True)
        return "ok"

    def _effect(self, f: Dict[str, Any], target: str) -> str:
        if self.die_on and target == self.die_on:
            return "died"
        site, action = f["site"], f["action"]
        if site == "sef":
            if action == "crash":
                return self._crash(target, signal=11)
            if action in ("panic", "exit", "hang"):
                return self._crash(target, cause=action)
            if action == "reply_error":
                return "error"
            self._broken.add(target)
            return "ok"
        if site == "kcall":
            return "error"
        if action == "drop" and target in ("pm", "vm", "ds"):
            return "hang"
        if action == "corrupt":
            return "corrupt"
        return "ok"

    def wait_event(self, match: Callable[[Dict[str, Any]], bool],
                   timeout: float) -> Optional[Dict[str, Any]]:
        for e in self._events:
            if match(e):
                return e
        if self._exit is None:
            time.sleep(min(timeout, 0.005))
        return None

    def take_events(self) -> List[Dict[str, Any]]:
        out, self._events = self._events, []
        return out

    def console_mark(self) -> int:
        return len(self._console)

    def console_since(self, mark: int) -> str:
        return "".join(self._console[mark:])

    def vm_fault(self, fault) -> Dict[str, Any]:
        self._alive()
        self._tick += 1
        tick = self._tick
        if fault.kind == "mem_bitflip" and fault.params.get("seed", 0) % 2 == 1:
            self._crash(fault.params["target"], signal=11)
        return {"tick": tick}

    def exit_kind(self) -> Optional[str]:
        return self._exit

    def close(self) -> None:
        if self._exit is None:
            self._exit = "died" if self._booted else None
        self._booted = False
