"""The campaign subcommands of ``crucible``: run, resume, report, compare,
replay, list. cli.py appends ``commands(Command)`` to its own and catches ``ERRORS``.

Exit status: run / resume: 0 when every experiment met its expectations,
1 when some failed them or ended as harness faults, 2 on a bad campaign or
run directory, 130 when interrupted (resume it). compare: 1 when NEW is
worse than BASE, else 0. A RUN argument is a run directory or a run id
under the results directory (``--out``, default ``results/``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import List

from . import compare as compare_mod
from . import report as report_mod
from .campaign import CampaignError, load
from .image import repo_root
from .runner import RunError, execute, new_run, replay, resume_run
from .session import MACHINES, MachineSpec, SessionError
from .store import Store, StoreError

__all__ = ["commands", "ERRORS"]

ERRORS = (CampaignError, RunError, StoreError, SessionError)


def _results_dir(args) -> str:
    return args.out or os.path.join(repo_root(), "results")


def _run_dir(args, name: str) -> str:
    if os.path.isdir(name):
        return name
    cand = os.path.join(_results_dir(args), name)
    if os.path.isdir(cand):
        return cand
    raise StoreError(f"no run {name!r} (neither a directory nor a run under "
                     f"{_results_dir(args)}; see crucible list)")


def _machine_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--machine", choices=sorted(MACHINES), default=None,
                   help="qemu (default) or fake (a simulated guest, to test the harness)")
    p.add_argument("--build-dir", default=None, help="build directory of the boot image")
    p.add_argument("--no-build", action="store_true", help="do not (re)build first")


def _spec(args, default: str = "qemu") -> MachineSpec:
    kind = args.machine or default
    if kind == "qemu":
        if not args.no_build:
            from .build import build
            build(args.build_dir)
        return MachineSpec("qemu", {"build_dir": args.build_dir} if args.build_dir else {})
    # The fake machine's options (tests): JSON in $CRUCIBLE_FAKE, e.g. {"run_s": 0.05}.
    return MachineSpec(kind, json.loads(os.environ.get("CRUCIBLE_FAKE") or "{}"))


def _parallel_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="QEMU instances in parallel (default: the campaign's, else cores)")
    p.add_argument("--scheduler", default=None, metavar="ADDR",
                   help="run on a Dask distributed cluster (e.g. tcp://host:8786)")
    p.add_argument("--out", default=None, metavar="DIR",
                   help="results directory holding the runs (default: results/)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--no-report", action="store_true", help="do not write reports at the end")


def _finish(store: Store, args) -> int:
    counts = store.counts()
    rows = store.rows()
    failed = sum(1 for r in rows if r["verdict"] == "fail")
    harness = counts.get("harness_fault", 0)
    print(f"crucible: run {store.run_dir}: {counts.get('done', 0)} done, {failed} failed "
          f"expectations, {harness} harness faults")
    if not args.no_report:
        paths = report_mod.write(store.run_dir)
        print(f"crucible: reports {paths['html']} {paths['markdown']} {paths['junit']}")
    return 1 if failed or harness else 0


def _interrupted(store: Store) -> int:
    print(f"\ncrucible: interrupted; finish with: ./crucible resume {store.run_dir}",
          file=sys.stderr)
    return 130


# -- run ----------------------------------------------------------------------

def _run_configure(p):
    p.add_argument("campaign", metavar="CAMPAIGN", help="campaign file (TOML), e.g. "
                   "campaigns/smoke.toml")
    p.add_argument("--run-id", default=None, help="name of the run (default: NAME-DATE-TIME)")
    _parallel_options(p)
    _machine_options(p)


def _run_run(args) -> int:
    c = load(args.campaign)
    spec = _spec(args)
    store = new_run(c, _results_dir(args), spec, args.run_id, args.workers)
    print(f"crucible: run {store.run_dir}: {c.experiments} experiments of {c.name}",
          flush=True)
    try:
        execute(store, c, spec, args.workers, args.scheduler, not args.no_progress)
    except KeyboardInterrupt:
        return _interrupted(store)
    return _finish(store, args)


# -- resume -------------------------------------------------------------------

def _resume_configure(p):
    p.add_argument("run", metavar="RUN", help="run directory or run id")
    _parallel_options(p)
    _machine_options(p)


def _resume_run(args) -> int:
    store = Store.open(_run_dir(args, args.run))
    spec = _spec(args, store.run_info()["machine"] or "qemu")
    before = store.counts()
    print(f"crucible: resuming {store.run_dir}: " +
          ", ".join(f"{v} {k}" for k, v in sorted(before.items())), flush=True)
    try:
        resume_run(store, spec, workers=args.workers, scheduler=args.scheduler,
                   progress=not args.no_progress)
    except KeyboardInterrupt:
        return _interrupted(store)
    return _finish(store, args)


# -- report -------------------------------------------------------------------

def _report_configure(p):
    p.add_argument("run", metavar="RUN", help="run directory or run id")
    p.add_argument("--out", default=None, metavar="DIR", help="results directory")


def _report_run(args) -> int:
    paths = report_mod.write(_run_dir(args, args.run))
    for kind, path in paths.items():
        print(f"{kind}: {path}")
    return 0


# -- compare ------------------------------------------------------------------

def _compare_configure(p):
    p.add_argument("base", metavar="BASE", help="the reference run")
    p.add_argument("new", metavar="NEW", help="the run to judge")
    p.add_argument("--out", default=None, metavar="DIR", help="results directory")
    p.add_argument("--report", default=None, metavar="FILE",
                   help="also write the Markdown regression report to FILE")


def _compare_run(args) -> int:
    cmp = compare_mod.compare(_run_dir(args, args.base), _run_dir(args, args.new))
    text = cmp.markdown()
    sys.stdout.write(text)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            f.write(text)
    return 1 if cmp.worse else 0


# -- replay -------------------------------------------------------------------

def _replay_configure(p):
    p.add_argument("run", metavar="RUN", help="run directory or run id")
    p.add_argument("experiment", metavar="EXPERIMENT", help="experiment id, e.g. 0003-crash_pm")
    p.add_argument("--out", default=None, metavar="DIR", help="results directory")
    _machine_options(p)


def _replay_run(args) -> int:
    store = Store.open(_run_dir(args, args.run))
    spec = _spec(args, store.run_info()["machine"] or "qemu")
    exp, ev, out, violations = replay(store, args.experiment, spec, live=True)
    print(f"--- {exp.id} (seed {exp.seed})\n{exp.plan_text()}")
    print(f"activated={out.activated} tick={out.activation_tick} failure={out.failure} "
          f"recovery={out.recovery} latency={out.recovery_latency} system={out.system} "
          f"invariants={out.invariants or 'hold'}"
          + (f" harness_fault={out.harness_fault}" if out.harness_fault else ""))
    print("verdict: " + ("FAIL: " + "; ".join(violations) if violations else "pass"))
    return 1 if violations or out.harness_fault else 0


# -- list ---------------------------------------------------------------------

def _list_configure(p):
    p.add_argument("--out", default=None, metavar="DIR", help="results directory")


def _list_run(args) -> int:
    root = _results_dir(args)
    runs: List[str] = sorted(d for d in os.listdir(root)
                             if os.path.isfile(os.path.join(root, d, "run.db"))) \
        if os.path.isdir(root) else []
    if not runs:
        print(f"no runs under {root}")
        return 0
    print(f"{'RUN':40} {'CAMPAIGN':16} {'STATUS':12} {'DONE':>9} {'FAILED':>6} {'HARNESS':>7}")
    for d in runs:
        try:
            st = Store.open(os.path.join(root, d))
            info, counts, rows = st.run_info(), st.counts(), st.rows()
            st.close()
        except StoreError as exc:
            print(f"{d:40} (unreadable: {exc})")
            continue
        total = sum(counts.values())
        failed = sum(1 for r in rows if r["verdict"] == "fail")
        print(f"{d:40} {info['campaign_name']:16} {info['status']:12} "
              f"{counts.get('done', 0):>4}/{total:<4} {failed:>6} "
              f"{counts.get('harness_fault', 0):>7}")
    return 0


def commands(Command) -> list:
    """The campaign subcommands as cli.Command objects (cli.py passes its
    Command class, so that this module does not import cli.py)."""
    return [
        Command("run", "run a fault campaign (TOML) into results/<run-id>/",
                _run_configure, _run_run, __doc__.split("\n\n", 1)[1]),
        Command("resume", "finish an interrupted run (finished experiments are kept)",
                _resume_configure, _resume_run),
        Command("report", "write report.md, report.html and junit.xml of a run",
                _report_configure, _report_run),
        Command("compare", "regression report BASE → NEW; exit 1 when NEW is worse",
                _compare_configure, _compare_run),
        Command("replay", "rerun one experiment of a run with the console live",
                _replay_configure, _replay_run),
        Command("list", "runs under results/ with their status",
                _list_configure, _list_run),
    ]
