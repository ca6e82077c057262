"""The campaign runner: golden run, then experiments, in parallel, into a Store.

Contract:
- ``Worker(spec, append, campaign)`` owns one Session (one QEMU): it boots
  once, takes snapshot ``ready``, then for every experiment restores it,
  applies the plan through the control channel, starts the workload
  (``run <workload>``), applies VM-level faults, waits for the workload's
  ``program_exit`` (or a panic, or the workload timeout), runs ``sanity``
  and ``fault list``, and returns the ``Evidence``. A Session that ended
  (panic, QEMU death) or raised SessionError is replaced before the next
  experiment. Workers never touch the store.
- ``execute(store, campaign, spec, workers=N, scheduler=None)`` runs every
  pending experiment of the store: the main process classifies each result
  (classify.py), checks expectations and records it (one transaction per
  experiment). Harness faults are retried up to ``campaign.retries`` times,
  then recorded as ``harness_fault``. ``workers == 1`` runs in this process;
  more use a process pool (one Session per process); ``scheduler`` (an
  address, or a ``distributed.Client``) runs batches of experiments as Dask
  tasks, each Dask worker process keeping one Session across its tasks.
- Ctrl-C / SIGTERM: the run is marked ``interrupted`` and the exception
  propagates; experiments in flight stay ``running`` and are redone by
  ``resume`` (``Store.reset_running``).
- ``new_run(campaign, out_dir, spec, …)`` creates the run directory and store;
  ``resume_run(run_dir, spec, …)`` continues one.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import multiprocessing
import multiprocessing.util
import os
import subprocess
import time
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

from . import campaign as campaign_mod
from .campaign import Campaign
from .classify import Evidence, Golden, check, classify, workload_output
from .plan import Experiment, expand
from .progress import Progress
from .session import MachineSpec, Session, SessionError, make_session
from .store import Store

__all__ = ["Worker", "RunError", "execute", "new_run", "resume_run", "replay",
           "code_version", "qemu_version"]


class RunError(Exception):
    """The run cannot go on (golden run failed, bad run directory, ...)."""


# -- one worker ------------------------------------------------------------------

class Worker:
    def __init__(self, spec: MachineSpec, campaign: Campaign, live: bool = False):
        self.spec = spec
        self.campaign = campaign
        self.live = live
        self.session: Optional[Session] = None
        self.boots = 0
        self._warm_boot_ms: Optional[float] = None

    def _discard(self) -> None:
        if self.session is not None:
            try:
                self.session.close()
            except Exception:
                pass
            self.session = None

    def ensure_ready(self) -> Session:
        if self.session is not None and self.session.exit_kind() is None:
            return self.session
        self._discard()
        s = make_session(self.spec, self.campaign.append, self.live)
        self.session = s
        try:
            s.boot_to_ready(self.campaign.timeouts.boot)
            s.snapshot_save("ready")
        except Exception:
            self._discard()
            raise
        self.boots += 1
        return s

    def warm(self) -> None:
        """Boot now (process-pool warm-up); the boot's wall ms is reported
        as the ``boot`` phase of this worker's next experiment."""
        t0 = time.monotonic()
        boots = self.boots
        self.ensure_ready()
        if self.boots != boots:
            self._warm_boot_ms = (time.monotonic() - t0) * 1000.0

    def _is_end(self, e: Dict[str, Any]) -> bool:
        return (e.get("event") == "program_exit" and e.get("label") == self.campaign.workload) \
            or e.get("event") == "panic"

    def run(self, exp: Optional[Experiment]) -> Evidence:
        """Run one experiment (None: the golden run, no faults)."""
        t = self.campaign.timeouts
        ev = Evidence(workload=self.campaign.workload)
        t0 = time.monotonic()
        s: Optional[Session] = None
        mark = 0
        phases = ev.phase_ms
        try:
            boots = self.boots
            s = self.ensure_ready()
            t1 = time.monotonic()
            if self.boots != boots:
                phases["boot"] = (t1 - t0) * 1000.0
            s.snapshot_load("ready")
            s.take_events()
            mark = s.console_mark()
            t2 = time.monotonic()
            phases["restore"] = (t2 - t1) * 1000.0
            # Perf: the faults, ``ticks`` and ``run`` go in one write (the
            # guest runs them in this order within about one tick); the
            # answers are checked as before, one by one. A refused fault is
            # still a harness fault (the session is then discarded).
            faults = list(exp.faults if exp else ())
            run_line = f"run {self.campaign.workload}"
            answers = s.commands(faults + ["ticks", run_line])
            for line, a in zip(faults, answers):
                if not a.get("ok"):
                    raise SessionError(f"guest refused {line!r}: {a.get('error')}")
            ev.start_tick = answers[len(faults)].get("ticks")
            a = answers[len(faults) + 1]
            if not a.get("ok"):
                raise SessionError(f"guest refused run {self.campaign.workload}: "
                                   f"{a.get('error')}")
            for vf in (exp.vm_faults if exp else ()):
                delay = vf.params.get("delay_ms", 0) / 1000.0
                if delay:
                    time.sleep(delay)
                if s.exit_kind() is None:
                    info = s.vm_fault(vf)
                    ev.vm_applied.append({"kind": vf.kind, "tick": info.get("tick")})
            end = s.wait_event(self._is_end, t.workload)
            if end is not None and end.get("event") == "program_exit":
                ev.workload_status = end.get("status")
            t3 = time.monotonic()
            phases["workload"] = (t3 - t2) * 1000.0
            if s.exit_kind() is None:
                # Perf: one write (the guest reads ``fault list`` as soon as
                # the sanity round has answered).
                a, b = s.commands(["sanity", "fault list"])
                ev.sanity = a.get("results") if a.get("ok") else None
                ev.fault_list = b.get("faults") if b.get("ok") else None
        except SessionError as exc:
            if s is None or s.exit_kind() != "panic":
                ev.harness_error = str(exc)
        finally:
            if s is not None:
                ev.machine_exit = s.exit_kind()
                try:
                    ev.events = s.take_events()
                    ev.console = s.console_since(mark)
                except Exception as exc:  # the session is unusable
                    ev.harness_error = ev.harness_error or f"collecting evidence: {exc}"
                if ev.harness_error or ev.machine_exit is not None:
                    self._discard()
            if "workload" in phases:
                phases["collection"] = (time.monotonic() - t0) * 1000.0 - sum(
                    v for k, v in phases.items() if k in ("boot", "restore", "workload"))
            ev.duration_s = time.monotonic() - t0
            if self._warm_boot_ms is not None and "boot" not in phases:
                phases["boot"] = self._warm_boot_ms    # booted ahead by warm()
            self._warm_boot_ms = None
        if not ev.harness_error and ev.duration_s > t.experiment:
            ev.harness_error = (f"experiment took {ev.duration_s:.1f} s, over the harness "
                                f"timeout of {t.experiment:.1f} s")
        return ev

    def golden(self) -> Evidence:
        return self.run(None)

    def close(self) -> None:
        self._discard()


# -- process-pool and Dask task functions (module level: picklable) -----------

_worker: Optional[Worker] = None
_worker_key: Optional[Tuple[str, str]] = None
_exit_hook = False


def _get_worker(spec: MachineSpec, campaign_text: str, campaign_path: str) -> Worker:
    """The Worker of this process, created on first use (and again when the
    spec or campaign differ)."""
    global _worker, _worker_key, _exit_hook
    key = (spec.key(), campaign_text)
    if _worker is None or _worker_key != key:
        if _worker is not None:
            _worker.close()
        c = campaign_mod.loads(campaign_text, campaign_path)
        _worker = Worker(spec, c)
        _worker_key = key
    if not _exit_hook and multiprocessing.parent_process() is not None:
        # Perf (and hygiene): a pool process ends with os._exit, so neither
        # atexit (machine._kill_leftovers) nor __del__ ran and its QEMU
        # lived on, orphaned, idling at 10-45 % of a core each for many
        # seconds; on this 2-core machine every later campaign or benchmark
        # run (the next of a bench's runs, the golden run...) competed with
        # them, which is what made restores and workloads take 100-300 ms
        # on whichever worker was scheduled behind them. multiprocessing
        # runs its Finalize hooks (exitpriority set) before os._exit.
        multiprocessing.util.Finalize(None, _close_process_worker, exitpriority=10)
        _exit_hook = True
    return _worker


def _close_process_worker() -> None:
    global _worker
    if _worker is not None:
        _worker.close()
        _worker = None


def _task(spec: MachineSpec, campaign_text: str, campaign_path: str,
          exp_json: Optional[Dict[str, Any]]) -> Tuple[Optional[str], Dict[str, Any]]:
    w = _get_worker(spec, campaign_text, campaign_path)
    exp = Experiment.from_json(exp_json) if exp_json is not None else None
    try:
        ev = w.run(exp)
    except Exception as exc:   # boot failure and the like: a harness fault
        w.close()
        ev = Evidence(workload=w.campaign.workload,
                      harness_error=f"{type(exc).__name__}: {exc}")
    return (exp.id if exp else None), ev.to_json()


def _warm(spec: MachineSpec, campaign_text: str, campaign_path: str) -> bool:
    """Boot this process's Worker (no experiment). A failure is not an error
    here: the next task of this process boots again and reports it."""
    w = _get_worker(spec, campaign_text, campaign_path)
    try:
        w.warm()
        return True
    except Exception:
        w.close()
        return False


def _batch(spec: MachineSpec, campaign_text: str, campaign_path: str,
           exps: List[Dict[str, Any]]) -> List[Tuple[Optional[str], Dict[str, Any]]]:
    return [_task(spec, campaign_text, campaign_path, e) for e in exps]


# -- backends ----------------------------------------------------------------

class _Inline:
    """Everything in this process (workers == 1)."""

    def __init__(self, spec: MachineSpec, c: Campaign):
        self.args = (spec, c.text, c.path)

    def results(self, exps: List[Optional[Experiment]]) -> Iterator[Tuple[Optional[str], Evidence]]:
        for e in exps:
            eid, evj = _task(*self.args, e.to_json() if e else None)
            yield eid, Evidence.from_json(evj)

    def close(self) -> None:
        global _worker
        if _worker is not None:
            _worker.close()
            _worker = None


class _Pool:
    """One process per QEMU (spawned, so no state is shared by fork)."""

    def __init__(self, spec: MachineSpec, c: Campaign, workers: int):
        self.args = (spec, c.text, c.path)
        self.workers = workers
        self.pool = cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))

    def warm(self, busy: int = 0) -> None:
        """Start every process and boot its QEMU now, in parallel with
        whatever runs first (the golden run: ``busy`` = 1 process taken).
        Perf: spawned processes start lazily, one per submitted task, and
        boot QEMU on their first experiment: the second worker's spawn +
        import + boot (~0.5 s) used to overlap the first experiments and
        cost ~40 ms per experiment that no phase measured. The pool hands
        queued tasks to idle processes, so with the golden run in flight
        these warm-ups land on the other processes (if one lands on a
        booted worker it is a no-op)."""
        for _ in range(max(0, self.workers - busy)):
            self.pool.submit(_warm, *self.args)   # FIFO: runs before later experiments

    def results(self, exps):
        futs = [self.pool.submit(_task, *self.args, e.to_json() if e else None) for e in exps]
        if len(exps) == 1 and exps[0] is None:
            self.warm(busy=1)            # the golden run: boot the others meanwhile
        for f in cf.as_completed(futs):
            eid, evj = f.result()
            yield eid, Evidence.from_json(evj)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _Dask:
    """Batches of experiments as tasks on a distributed cluster."""

    def __init__(self, spec: MachineSpec, c: Campaign, scheduler: Any):
        from distributed import Client
        self.args = (spec, c.text, c.path)
        if isinstance(scheduler, str):
            self.client = Client(scheduler)
            self.own = True
        else:
            self.client, self.own = scheduler, False
        self.nworkers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def results(self, exps):
        from distributed import as_completed
        payload = [e.to_json() if e else None for e in exps]
        size = max(1, math.ceil(len(payload) / (self.nworkers * 4)))
        futs = [self.client.submit(_batch, *self.args, payload[i:i + size], pure=False)
                for i in range(0, len(payload), size)]
        for f in as_completed(futs):
            for eid, evj in f.result():
                yield eid, Evidence.from_json(evj)

    def close(self) -> None:
        if self.own:
            self.client.close()


# -- the run -----------------------------------------------------------------

def code_version(repo: Optional[str] = None) -> str:
    repo = repo or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty", "--tags"], cwd=repo,
                              capture_output=True, text=True, timeout=10).stdout.strip() \
            or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def qemu_version() -> str:
    try:
        out = subprocess.run(["qemu-system-i386", "--version"], capture_output=True,
                             text=True, timeout=10).stdout
        return out.splitlines()[0] if out else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _backend(spec, c, workers, scheduler):
    if scheduler is not None:
        return _Dask(spec, c, scheduler)
    if workers <= 1:
        return _Inline(spec, c)
    return _Pool(spec, c, workers)


def default_workers() -> int:
    return os.cpu_count() or 1


def execute(store: Store, c: Campaign, spec: MachineSpec, workers: Optional[int] = None,
            scheduler: Any = None, progress: bool = True,
            on_result: Optional[Callable[[str, Any], None]] = None,
            on_evidence: Optional[Callable[[str, Evidence, float], None]] = None,
            on_golden: Optional[Callable[[], None]] = None
            ) -> Dict[str, int]:
    """Run every pending experiment of ``store``; returns the status counts.
    ``on_result(id, outcome)`` after each recorded experiment;
    ``on_evidence(id, evidence, classify_ms)`` too (benchmarks: phase
    timings; classify_ms is the wall ms of classify + check);
    ``on_golden()`` once the golden run is recorded (or found), before the
    experiments (benchmarks: where the campaign proper starts)."""
    store.reset_running()
    workers = workers or c.workers or default_workers()
    pending = store.experiments("pending")
    total = len(store.experiments())
    backend = _backend(spec, c, workers, scheduler)
    store.set_run_status("running")
    try:
        golden = store.golden()
        if golden is None:
            _, gev = next(iter(backend.results([None])))
            if gev.harness_error:
                raise RunError(f"golden run: harness fault: {gev.harness_error}")
            if gev.workload_status != 0:
                raise RunError(f"golden run: workload {c.workload} ended with status "
                               f"{gev.workload_status} without any fault "
                               f"(system {classify(gev).system}); nothing to compare with")
            golden = Golden(gev.workload_status, workload_output(gev.console, c.workload),
                            gev.duration_s)
            store.set_golden(golden)
        if on_golden:
            on_golden()
        bar = Progress(total, total - len(pending), enabled=progress)
        by_id = {e.id: e for e in pending}
        todo = pending
        for rnd in range(c.retries + 1):
            if not todo:
                break
            last = rnd == c.retries
            for e in todo:
                store.mark_running(e.id)
            retry: List[Experiment] = []
            for eid, ev in backend.results(todo):
                exp = by_id[eid]
                tc = time.monotonic()
                out = classify(ev, golden)
                violations = check(out, exp.expect)
                classify_ms = (time.monotonic() - tc) * 1000.0
                final = not out.harness_fault or last
                store.record(eid, out, violations, ev, final=final)
                if out.harness_fault and not final:
                    retry.append(exp)
                else:
                    bar.advance(1, f"{eid}: {out.system}")
                if on_result:
                    on_result(eid, out)
                if on_evidence:
                    on_evidence(eid, ev, classify_ms)
            todo = sorted(retry, key=lambda e: e.index)
        bar.finish()
        store.set_run_status("done")
    except BaseException:
        try:
            store.set_run_status("interrupted")
        finally:
            backend.close()
        raise
    backend.close()
    return store.counts()


def new_run(c: Campaign, out_dir: str, spec: MachineSpec, run_id: Optional[str] = None,
            workers: Optional[int] = None) -> Store:
    """Create ``out_dir/<run-id>/run.db`` with every experiment pending."""
    run_id = run_id or f"{c.name}-{time.strftime('%Y%m%d-%H%M%S')}"
    run_dir = os.path.join(out_dir, run_id)
    if os.path.exists(os.path.join(run_dir, "run.db")):
        raise RunError(f"run {run_dir} exists already (resume it, or pick another --run-id)")
    meta = {"code_version": code_version(),
            "qemu_version": qemu_version() if spec.kind == "qemu" else f"none ({spec.kind})",
            "machine": spec.kind, "workers": workers or c.workers or default_workers()}
    return Store.create(run_dir, run_id, c, expand(c), meta)


def campaign_of(store: Store) -> Campaign:
    info = store.run_info()
    return campaign_mod.loads(info["campaign_text"], info["campaign_path"])


def resume_run(store: Store, spec: MachineSpec, **kwargs) -> Dict[str, int]:
    return execute(store, campaign_of(store), spec, **kwargs)


def replay(store: Store, exp_id: str, spec: MachineSpec, live: bool = True):
    """Rerun one experiment of a run in this process (console streamed when
    ``live``); returns (experiment, evidence, outcome, violations). Nothing
    is stored."""
    c = campaign_of(store)
    exp = store.experiment(exp_id)
    if exp is None:
        known = ", ".join(e.id for e in store.experiments()[:5])
        raise RunError(f"no experiment {exp_id!r} in this run (e.g. {known}, ...)")
    w = Worker(spec, c, live=live)
    try:
        ev = w.run(exp)
    finally:
        w.close()
    out = classify(ev, store.golden())
    return exp, ev, out, check(out, exp.expect)
