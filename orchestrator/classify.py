"""Outcome of one experiment from its evidence. Pure functions, no I/O.

Contract:
- ``Evidence`` is what a worker collected (JSON-serializable through
  ``to_json`` / ``from_json``); ``classify(evidence, golden)`` returns an
  ``Outcome``; ``check(outcome, expect)`` returns the list of expectation
  violations (empty = the experiment passed).
- Vocabulary (docs/inject.md events):
  * activation: ``fault_fired`` events, ``fault list`` activations > 0, or a
    VM-level fault the harness applied → activated, at the first tick.
  * failure: ``panic`` event or ``crucible: panic:`` console line or QEMU's
    panic exit → ``panic`` (kernel panic); ``service_crashed`` with a
    ``signal`` → ``exception`` (a CPU exception, e.g. the sef crash action);
    cause ``hang`` → ``hang`` (heartbeat); cause ``exit``/``panic`` or
    anything else → ``crash``; nothing → ``none``.
  * recovery: ``service_restarted`` with same_ep → ``transparent``, without
    → ``reset``; ``service_rolled_back`` → ``rollback``; ``service_failed``
    → ``gave_up`` (reason ``recovery_off``, i.e. rs_recovery=0: ``none``);
    else ``none``. Latency: the event's ``latency`` field,
    else restart tick − crash tick.
  * system: panic → ``panic``; no ``program_exit`` of the workload →
    ``hang``; status ≠ 0 → ``error``; output ≠ golden output →
    ``silent_corruption``; else ``passed``.
  * invariants: ``label:invariant`` of every failed sanity result, except
    the workload's own (it is a system program, and a hung one fails its
    sanity check with "no answer": that is the system outcome ``hang``).
  * harness fault (QEMU died without a panic, harness timeout, garbage on
    the channel): ``harness_fault`` holds the reason, kept apart from the
    system's outcomes; ``check`` reports no violation for it (it is retried,
    not judged).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional

__all__ = ["Evidence", "Golden", "Outcome", "classify", "check", "workload_output",
           "passed", "WORKLOAD_PREFIX"]

PANIC_LINE = re.compile(r"^crucible: panic: (.*)$", re.M)
#: Lines that vary from run to run and are never compared with the golden run.
_VOLATILE = re.compile(r"\b(ticks?|tick|ms|us|elapsed|uptime)=\S+")


@dataclass
class Evidence:
    workload: str
    events: List[Dict[str, Any]] = field(default_factory=list)
    console: str = ""
    workload_status: Optional[int] = None      # program_exit status; None: no exit
    sanity: Optional[List[Dict[str, Any]]] = None   # `sanity` results; None: not run
    fault_list: Optional[List[Dict[str, Any]]] = None
    vm_applied: List[Dict[str, Any]] = field(default_factory=list)  # {"kind","tick"}
    start_tick: Optional[int] = None
    machine_exit: Optional[str] = None         # None (running) | "panic" | "died"
    harness_error: Optional[str] = None
    duration_s: float = 0.0
    #: wall ms per phase of this experiment (runner.Worker.run): restore,
    #: workload (plan + run + wait for the exit), collection (sanity, fault
    #: list, events, console); "boot" when the worker booted for it.
    phase_ms: Dict[str, float] = field(default_factory=dict)

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Evidence":
        return cls(**d)


@dataclass(frozen=True)
class Golden:
    """The golden (fault-free) run: workload status and output lines."""
    status: Optional[int]
    output: List[str]
    duration_s: float = 0.0


@dataclass
class Outcome:
    activated: bool = False
    activation_tick: Optional[int] = None
    failure: str = "none"
    failed_label: Optional[str] = None
    recovery: str = "none"
    recovery_latency: Optional[int] = None
    system: str = "passed"
    invariants: List[str] = field(default_factory=list)
    harness_fault: Optional[str] = None
    panic_message: Optional[str] = None

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Outcome":
        return cls(**d)


#: Prefix of every workload output line (docs/campaigns.md, docs/os.md):
#: ``crucible-workload: <workload> ok ...`` / ``... error <what>`` / any
#: further ``crucible-workload: <workload> <detail>`` lines.
WORKLOAD_PREFIX = "crucible-workload: "


def workload_output(console: str, workload: str) -> List[str]:
    """The workload's own lines: those starting with
    ``crucible-workload: <workload> `` (the one format the guest's
    workloads print), with volatile fields (ticks=…, ms=…) masked so that
    timing never counts as corruption. Console lines of other programs
    (kernel, RS, tests) never count."""
    prefix = f"{WORKLOAD_PREFIX}{workload} "
    out = []
    for line in console.splitlines():
        line = line.rstrip("\r")
        if line.startswith(prefix):
            out.append(_VOLATILE.sub(lambda m: m.group(0).split("=")[0] + "=*", line))
    return out


def _events(ev: Evidence, name: str) -> List[Dict[str, Any]]:
    return [e for e in ev.events if isinstance(e, dict) and e.get("event") == name]


def classify(ev: Evidence, golden: Optional[Golden] = None) -> Outcome:
    out = Outcome()
    if ev.harness_error:
        out.harness_fault = ev.harness_error
    elif ev.machine_exit == "died":
        out.harness_fault = "QEMU died (not a guest panic)"

    # activation
    ticks = [e.get("tick") for e in _events(ev, "fault_fired")]
    ticks += [v.get("tick") for v in ev.vm_applied]
    if ticks or any((f.get("activations") or 0) > 0 for f in ev.fault_list or []):
        out.activated = True
        known = [t for t in ticks if isinstance(t, int)]
        out.activation_tick = min(known) if known else None

    # component failure
    panics = _events(ev, "panic")
    m = PANIC_LINE.search(ev.console or "")
    if panics or m or ev.machine_exit == "panic":
        out.failure = "panic"
        out.panic_message = (panics[0].get("message") if panics else None) or \
            (m.group(1) if m else "kernel panic")
    crashes = _events(ev, "service_crashed")
    if crashes and out.failure != "panic":
        c = crashes[0]
        out.failed_label = c.get("label")
        cause = c.get("cause")
        if cause == "hang":
            out.failure = "hang"
        elif c.get("signal") is not None and cause is None:
            out.failure = "exception"
        else:
            out.failure = "crash"

    # recovery
    restarts = _events(ev, "service_restarted")
    if _events(ev, "service_rolled_back"):
        out.recovery = "rollback"
    elif restarts:
        r = restarts[0]
        out.recovery = "transparent" if r.get("same_ep", True) else "reset"
        lat = r.get("latency")
        if not isinstance(lat, int) and crashes and isinstance(r.get("tick"), int) \
                and isinstance(crashes[0].get("tick"), int):
            lat = r["tick"] - crashes[0]["tick"]
        out.recovery_latency = lat if isinstance(lat, int) else None
        out.failed_label = out.failed_label or r.get("label")
    elif _events(ev, "service_failed"):
        failed = _events(ev, "service_failed")[0]
        # rs_recovery=0: RS never tried, so there was no recovery at all
        out.recovery = "none" if failed.get("reason") == "recovery_off" else "gave_up"
        out.failed_label = out.failed_label or failed.get("label")

    # invariants
    for r in ev.sanity or []:
        if r.get("label") == ev.workload:
            continue    # the workload is a system program too: a hung one "does not answer"
        if not r.get("ok", True):
            out.invariants.append(f"{r.get('label', '?')}:{r.get('invariant', '?')}")

    # system outcome
    if out.failure == "panic":
        out.system = "panic"
    elif ev.workload_status is None:
        out.system = "hang"
    elif ev.workload_status != 0:
        out.system = "error"
    elif golden is not None and workload_output(ev.console, ev.workload) != golden.output:
        out.system = "silent_corruption"
    else:
        out.system = "passed"
    return out


def check(out: Outcome, expect: Dict[str, Any]) -> List[str]:
    """Expectation violations, as sentences. Rules: ``system``, ``invariants``
    (default "hold") and ``activated`` always apply; ``failure``,
    ``recovery`` and ``max_recovery_ticks`` apply only when the fault
    activated (a fault that never fired says nothing about recovery — the
    report lists it as not activated, never as benign)."""
    if out.harness_fault:
        return []
    v: List[str] = []
    if "activated" in expect and out.activated != expect["activated"]:
        v.append(f"expected the fault to {'activate' if expect['activated'] else 'stay silent'}"
                 f", it {'did' if out.activated else 'never did'}")
    if "system" in expect and out.system not in expect["system"]:
        v.append(f"system outcome {out.system}, expected {' or '.join(expect['system'])}")
    if expect.get("invariants", "hold") == "hold" and out.invariants:
        v.append("invariants violated: " + ", ".join(out.invariants))
    if out.activated:
        if "failure" in expect and out.failure not in expect["failure"]:
            v.append(f"component failure {out.failure}, expected "
                     f"{' or '.join(expect['failure'])}")
        if "recovery" in expect and out.recovery not in expect["recovery"]:
            v.append(f"recovery {out.recovery}, expected {' or '.join(expect['recovery'])}")
        lim = expect.get("max_recovery_ticks")
        if lim is not None and out.recovery_latency is not None and out.recovery_latency > lim:
            v.append(f"recovery took {out.recovery_latency} ticks, limit {lim}")
    return v


def passed(out: Outcome, expect: Dict[str, Any]) -> bool:
    return not out.harness_fault and not check(out, expect)
