"""Benchmarks of the boot image. They measure and print; they never assert.

- ``boot``: wall milliseconds from QEMU's start (process spawn) to the
  console's ready line, over ``runs`` boots with the default command line
  (so init's default program, ``smoke``, is included). The console is
  polled every 2 ms, which bounds the resolution.
- ``ipc``: the in-guest system program ``bench_ipc`` does N IPC round trips
  and prints ``crucible-bench: ipc roundtrips=N ticks=T`` (T clock ticks of
  1/HZ s; HZ from system/include/crucible/config.h, 1000 today).

  * Instructions per round trip: boot with ``-icount shift=0``. Then QEMU's
    virtual clock advances 2^0 = 1 ns per guest instruction, so one tick of
    1/HZ s (1 ms at HZ=1000) is 1e9/HZ = 1,000,000 guest instructions, and
    instructions per round trip = T * (1e9/HZ) / N. This is deterministic
    and independent of the host's speed (granularity: one tick).
  * Microseconds per round trip (wall-ish): the same program without icount,
    virtual time follows the host clock, so us per round trip =
    T * (1e6/HZ) / N; the median over ``runs`` boots is reported.
- ``snapshot``: one boot to ready, then ``runs`` snapshot_save (new tags)
  and ``runs`` snapshot_load (of the first tag) of a running guest (QMP snapshot-save / snapshot-load jobs
  on the machine's qcow2 scratch drive; wall ms from the job command to its
  conclusion, as Machine.snapshot_* return). Reports
  ``snapshot_save_ms_median`` and ``snapshot_load_ms_median`` (and min, max,
  runs).
- ``campaign``: a real campaign run (default ``campaigns/crash_recovery.toml``)
  with ``workers`` QEMUs (default 2) through runner.execute, into a
  temporary directory. Reports ``experiments_per_second`` (experiments
  after the golden run, over the wall time after the golden run: it
  includes the second worker's boot), ``experiments_per_second_total``
  (everything, golden run and boots included),
  ``experiments_per_second_steady`` (the campaign proper: experiments over
  the wall time from the golden result being recorded by the main process
  to the last experiment's result being recorded; it excludes what
  ``experiments_per_second`` still counts: the pool's process start-up
  (spawn + imports, ~0.2 s, before the golden run can start) and the
  pool's shutdown (QEMUs closed) after the last result; a worker boot not
  finished by then still counts), with ``campaign_startup_s`` (start to
  golden recorded) and ``campaign_teardown_s`` (last result to the end of
  execute) beside it so that nothing is hidden; ``phase_ms`` (median wall
  ms per phase over the experiments: restore, workload, collection,
  classification; ``boot`` once: the median of the boots seen), and the
  system outcome counts.
"""

from __future__ import annotations

import os
import re
import statistics
import time
from typing import Any, Dict, List, Optional

from .image import BootImage, repo_root
from .machine import MachineError

__all__ = ["BENCH_RE", "hz", "bench_boot", "bench_ipc", "bench_snapshot", "bench_campaign",
           "run"]

BENCH_RE = re.compile(r"^crucible-bench: ipc roundtrips=(\d+) ticks=(\d+)")


def hz() -> int:
    """Clock ticks per second, read from the OS's config.h (default 1000)."""
    path = os.path.join(repo_root(), "system", "include", "crucible", "config.h")
    try:
        with open(path) as f:
            m = re.search(r"^#define\s+HZ\s+(\d+)", f.read(), re.M)
            if m:
                return int(m.group(1))
    except OSError:
        pass
    return 1000


def _summary(values: List[float], prefix: str, unit: str) -> Dict[str, Any]:
    return {f"{prefix}_{unit}_median": statistics.median(values),
            f"{prefix}_{unit}_min": min(values),
            f"{prefix}_{unit}_max": max(values),
            f"{prefix}_{unit}_runs": values}


def bench_boot(image: BootImage, runs: int = 9, timeout: float = 60.0) -> Dict[str, Any]:
    """Boot ``runs`` times; wall ms from QEMU spawn to the ready line. The
    machine is the plain one (no snapshot drive, no gdbstub): what a boot
    costs, not what the campaign tooling adds to QEMU's start."""
    values = []
    for _ in range(runs):
        with image.machine(snapshot_drive=False, gdbstub=False) as m:
            ready = m.boot_to_ready(timeout)
            values.append(round(ready.elapsed_s * 1000.0, 2))
    return _summary(values, "boot_ready", "ms")


# A fault plan whose only fault never matches bench_ipc's traffic (hello is
# never sent HELLO_CRASH during the benchmark): the injection engine is
# armed, so every delivery runs the matcher.
IDLE_PLAN = "inject=site:ipc,action:drop,target:hello,type:0xc01"


def _ipc_once(image: BootImage, icount: Optional[int], timeout: float,
              extra: str = ""):
    append = ("run=bench_ipc halt=1 " + extra).strip()
    with image.machine(append=append, icount=icount) as m:
        match = m.wait_for_line(BENCH_RE, timeout)
        return int(match.group(1)), int(match.group(2))


def bench_ipc(image: BootImage, runs: int = 3, timeout: float = 120.0) -> Dict[str, Any]:
    """IPC round trip cost: instructions (icount) and microseconds (median).

    Also the cost of the fault-injection hooks: the same instruction count
    with a fault plan loaded that never fires (the engine armed: every
    delivery is matched), next to the figure with no plan (each hook is
    one predictable branch). Resolution: one tick of the icount run is
    1e6 instructions, i.e. 1e6 / roundtrips instructions per round trip.
    """
    if not image.has("bench_ipc"):
        raise ValueError("bench_ipc is not in the boot image")
    ticks_per_s = hz()
    out: Dict[str, Any] = {"hz": ticks_per_s}
    n, t = _ipc_once(image, 0, timeout)
    out["ipc_roundtrips"] = n
    out["ipc_ticks_icount"] = t
    out["ipc_roundtrip_instructions"] = t * (1e9 / ticks_per_s) / n if n else None
    out["ipc_instructions_resolution"] = (1e9 / ticks_per_s) / n if n else None
    n2, t2 = _ipc_once(image, 0, timeout, IDLE_PLAN)
    armed = t2 * (1e9 / ticks_per_s) / n2 if n2 else None
    out["ipc_roundtrip_instructions_plan_loaded"] = armed
    if armed is not None and out["ipc_roundtrip_instructions"] is not None:
        out["inject_armed_cost_instructions"] = round(
            armed - out["ipc_roundtrip_instructions"], 1)
    us = []
    for _ in range(runs):
        n, t = _ipc_once(image, None, timeout)
        us.append(round(t * (1e6 / ticks_per_s) / n, 4) if n else float("nan"))
    out.update(_summary(us, "ipc_roundtrip", "us"))
    return out


def bench_snapshot(image: BootImage, runs: int = 20, timeout: float = 60.0) -> Dict[str, Any]:
    """Median wall ms of snapshot save and load on a booted, running guest."""
    saves, loads = [], []
    with image.machine() as m:
        m.boot_to_ready(timeout)
        for i in range(runs):               # a campaign saves once, loads often
            saves.append(round(m.snapshot_save(f"bench{i}"), 3))
            time.sleep(0.01)
        for i in range(runs):
            loads.append(round(m.snapshot_load("bench0"), 3))
            time.sleep(0.01)
    out = _summary(saves, "snapshot_save", "ms")
    out.update(_summary(loads, "snapshot_load", "ms"))
    return out


def bench_campaign(image: BootImage, path: Optional[str] = None, workers: int = 2,
                   experiments: Optional[int] = None) -> Dict[str, Any]:
    """Run a campaign on real QEMUs and time it (see the module docstring)."""
    import shutil
    import tempfile
    from . import campaign as campaign_mod
    from .runner import execute, new_run
    from .session import MachineSpec

    path = path or os.path.join(repo_root(), "campaigns", "crash_recovery.toml")
    c = campaign_mod.load(path)
    if experiments:
        c.experiments = experiments
    spec = MachineSpec("qemu", {"build_dir": os.path.dirname(os.path.dirname(
        image.boot_dir))})
    phases: Dict[str, List[float]] = {}
    systems: Dict[str, int] = {}

    def on_evidence(eid, ev, classify_ms):
        for k, v in ev.phase_ms.items():
            phases.setdefault(k, []).append(v)
        phases.setdefault("classification", []).append(classify_ms)

    marks: Dict[str, float] = {}

    def on_result(eid, out):
        systems[out.system] = systems.get(out.system, 0) + 1
        marks["last"] = time.monotonic()     # after store.record of this result

    def on_golden():
        marks["golden"] = time.monotonic()

    out_dir = tempfile.mkdtemp(prefix="crucible-bench-")
    try:
        store = new_run(c, out_dir, spec, "bench", workers)
        n = len(store.experiments())
        t0 = time.monotonic()
        execute(store, c, spec, workers=workers, progress=False, on_result=on_result,
                on_evidence=on_evidence, on_golden=on_golden)
        total = time.monotonic() - t0
        golden = store.golden()
        store.close()
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    after_golden = max(1e-9, total - (golden.duration_s if golden else 0.0))
    t_golden = marks.get("golden", t0)
    t_last = marks.get("last", t0 + total)
    steady = max(1e-9, t_last - t_golden)
    return {
        "campaign": c.name, "campaign_workers": workers, "campaign_experiments": n,
        "experiments_per_second": round(n / after_golden, 2),
        "experiments_per_second_total": round(n / total, 2),
        "experiments_per_second_steady": round(n / steady, 2),
        "campaign_startup_s": round(t_golden - t0, 3),
        "campaign_teardown_s": round(t0 + total - t_last, 3),
        "campaign_wall_s": round(total, 3),
        "phase_ms": {k: round(statistics.median(v), 2) for k, v in sorted(phases.items())},
        "phase_ms_max": {k: round(max(v), 2) for k, v in sorted(phases.items())},
        "campaign_systems": systems,
    }


def run(image: BootImage, which: List[str], runs: Optional[int] = None) -> Dict[str, Any]:
    """Run the named benchmarks; a failing one reports ``<name>_error``."""
    result: Dict[str, Any] = {"qemu_accel": "tcg", "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    for name in which:
        try:
            if name == "boot":
                result.update(bench_boot(image, runs or 5))
            elif name == "ipc":
                result.update(bench_ipc(image, runs or 3))
            elif name == "snapshot":
                result.update(bench_snapshot(image, runs or 20))
            elif name == "campaign":
                result.update(bench_campaign(image, experiments=runs))
            else:
                raise ValueError(f"unknown benchmark {name}")
        except (MachineError, ValueError, RuntimeError, OSError) as exc:
            result[f"{name}_error"] = str(exc).splitlines()[0]
    return result
