"""The ``crucible`` command line (run through ./crucible).

Each subcommand is one ``Command``: a name, a one-line help, a function that
adds its arguments to its parser, and a function that runs it and returns
the exit status. To add a subcommand, write those two functions and append
a ``Command`` to ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Callable, List, Optional

from . import bench as bench_mod
from . import campaign_cli
from .fuzz import commands as fuzz_cli_commands
from .replay_fuzz import commands as replay_fuzz_cli_commands
from .build import BuildError, build
from .image import ImageError, default_build_dir, find_image, repo_root
from .machine import MachineError


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    epilog: str = ""


def _add_build_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--build-dir", default=None,
                   help="build directory (default: $CRUCIBLE_BUILD_DIR or ./build)")
    p.add_argument("--no-build", action="store_true",
                   help="do not (re)build first; use the image as it is")


def _ensure_image(args: argparse.Namespace):
    """Build unless --no-build, then return the boot image."""
    if not args.no_build:
        build(args.build_dir)
    return find_image(args.build_dir)


# -- build ------------------------------------------------------------------

def _build_configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--build-dir", default=None,
                   help="build directory (default: $CRUCIBLE_BUILD_DIR or ./build)")


def _build_run(args: argparse.Namespace) -> int:
    build_dir = build(args.build_dir, out=sys.stdout)
    print(f"crucible: built {build_dir}")
    return 0


# -- boot -------------------------------------------------------------------

BOOT_EPILOG = """\
exit status: the guest's isa-debug-exit value when it ends the machine
(init with halt=1: 0 if every program passed, 1 otherwise); 125 on a kernel
panic; 3 if the guest reset (triple fault); 4 if QEMU failed; 0 after Ctrl-C
or --timeout.
example: crucible boot --append "run=test_ipc halt=1"
"""


def _boot_configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--append", default="", metavar="ARGS",
                   help='kernel command line, e.g. "run=test_ipc halt=1"')
    p.add_argument("--timeout", type=float, default=None, metavar="S",
                   help="stop the machine after S seconds (default: run until Ctrl-C)")
    p.add_argument("--icount", type=int, default=None, metavar="SHIFT",
                   help="deterministic time: -icount shift=SHIFT")
    _add_build_options(p)


def _boot_run(args: argparse.Namespace) -> int:
    image = _ensure_image(args)
    machine = image.machine(append=args.append, icount=args.icount)
    out = sys.stdout.buffer
    try:
        machine.launch()
        print(f"crucible: qemu pid {machine.pid}, console {machine.console_path}, "
              f"qmp {machine.qmp_path}, control {machine.control_path} (Ctrl-C ends)",
              file=sys.stderr, flush=True)
        deadline = None if args.timeout is None else time.monotonic() + args.timeout
        with open(machine.console_path, "rb") as console:
            while True:
                ended = not machine.running
                data = console.read()
                if data:
                    out.write(data)
                    out.flush()
                if ended:
                    break
                if deadline is not None and time.monotonic() >= deadline:
                    print("crucible: --timeout reached, stopping QEMU", file=sys.stderr)
                    return 0
                time.sleep(0.01)
        status = machine.exit_status
        print(f"crucible: qemu ended: {status.kind}, status {status.returncode}"
              + (f", guest value {status.value}" if status.value is not None else "")
              + (f", panic: {status.panic}" if status.panic else ""), file=sys.stderr)
        if status.kind == "qemu-error":
            sys.stderr.write(status.stderr)
        return {"debug-exit": status.value, "panic": 125, "reset": 3}.get(status.kind, 4)
    except KeyboardInterrupt:
        print("\ncrucible: interrupted, stopping QEMU", file=sys.stderr)
        return 0
    finally:
        machine.close()


# -- test -------------------------------------------------------------------

def _test_configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("pytest_args", nargs="*", metavar="PYTEST_ARG",
                   help="extra arguments for pytest (after --), e.g. -- -k qmp")
    _add_build_options(p)


def _test_run(args: argparse.Namespace) -> int:
    status = 0
    build_dir = args.build_dir or default_build_dir()
    if not args.no_build:
        try:
            build(build_dir, out=sys.stdout)
        except BuildError as exc:
            print(f"crucible test: {exc}", file=sys.stderr)
            status = 1
    if os.path.exists(os.path.join(build_dir, "CTestTestfile.cmake")):
        print("crucible test: ctest", flush=True)
        if subprocess.call(["ctest", "--output-on-failure"], cwd=build_dir) != 0:
            status = 1
    else:
        print("crucible test: no ctest file (build not configured)", file=sys.stderr)
        status = 1
    print("crucible test: pytest", flush=True)
    env = dict(os.environ, CRUCIBLE_BUILD_DIR=os.path.abspath(build_dir))
    rc = subprocess.call([sys.executable, "-m", "pytest", "tests/", "-q"] + args.pytest_args,
                         cwd=repo_root(), env=env)
    if rc != 0:
        status = 1
    print(f"crucible test: {'FAILED' if status else 'passed'}", flush=True)
    return status


# -- bench ------------------------------------------------------------------

BENCHMARKS = ("boot", "ipc", "snapshot", "campaign", "fuzz")   # fuzz, campaign: when named


def _bench_configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("which", nargs="*", metavar="BENCH",
                   help="benchmarks to run: boot, ipc, snapshot, campaign, fuzz "
                        "(default: boot, ipc, snapshot)")
    p.add_argument("--runs", type=int, default=None,
                   help="repetitions (default: 5 boots, 3 ipc runs, 20 snapshots, "
                        "3 runs per fuzz harness and engine; campaign: the number "
                        "of experiments, default the campaign's)")
    p.add_argument("--fuzz-seconds", type=float, default=5.0, metavar="S",
                   help="fuzz: seconds per run (default 5; AFL++ at least 8)")
    p.add_argument("--fuzz-targets", default=None, metavar="H[,H...]",
                   help="fuzz: only these harnesses (default: all)")
    p.add_argument("--fuzz-engines", default=None, metavar="E[,E...]",
                   help="fuzz: only these engines (libfuzzer, afl; default both)")
    _add_build_options(p)


def _bench_run(args: argparse.Namespace) -> int:
    unknown = sorted(set(args.which) - set(BENCHMARKS))
    if unknown:
        print(f"crucible bench: unknown benchmark(s) {', '.join(unknown)}; "
              f"choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    if "fuzz" in args.which:        # executions per second of fuzz/ harnesses
        from . import fuzz as fuzz_mod
        try:
            targets = args.fuzz_targets.split(",") if args.fuzz_targets else None
            engines = tuple(args.fuzz_engines.split(",")) if args.fuzz_engines else fuzz_mod.ENGINES
            bad = sorted(set(engines) - set(fuzz_mod.ENGINES))
            if bad:
                raise fuzz_mod.FuzzError(f"unknown engine(s) {', '.join(bad)}; choose from "
                                         f"{', '.join(fuzz_mod.ENGINES)}")
            print(json.dumps(fuzz_mod.bench(args.fuzz_seconds, args.build_dir, engines,
                                            args.runs or 3, targets),
                             indent=2, sort_keys=True))
        except fuzz_mod.FuzzError as exc:
            print(f"crucible bench: {exc}", file=sys.stderr)
            return 2
        if args.which == ["fuzz"]:
            return 0
    image = _ensure_image(args)
    which = [w for w in args.which if w != "fuzz"] or ["boot", "ipc", "snapshot"]
    result = bench_mod.run(image, which, args.runs)
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0


COMMANDS: List[Command] = [
    Command("build", "configure (once) and build the host targets and the boot image",
            _build_configure, _build_run),
    Command("boot", "build if needed, boot the OS and stream its console until Ctrl-C",
            _boot_configure, _boot_run, BOOT_EPILOG),
    Command("test", "the whole suite: build, ctest, then pytest tests/",
            _test_configure, _test_run),
    Command("bench", "benchmarks (JSON on stdout): boot to ready, IPC round trip, snapshot, campaign",
            _bench_configure, _bench_run),
]
COMMANDS += campaign_cli.commands(Command)   # run resume report compare replay list
COMMANDS += fuzz_cli_commands(Command)       # fuzz (orchestrator/fuzz.py)
COMMANDS += replay_fuzz_cli_commands(Command)  # replay-fuzz (orchestrator/replay_fuzz.py)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="crucible",
                                description="Crucible: a fault-injection testbed around a "
                                            "MINIX-3-style OS under QEMU.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for cmd in COMMANDS:
        sp = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help, epilog=cmd.epilog,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
        cmd.configure(sp)
        sp.set_defaults(func=cmd.run)
    return p


def _terminate(signum, frame):  # SIGTERM/SIGHUP: unwind so QEMU gets killed
    raise SystemExit(128 + signum)


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    try:
        return args.func(args)
    except (BuildError, ImageError, MachineError) + campaign_cli.ERRORS as exc:
        print(f"crucible {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
