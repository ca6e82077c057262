"""Fuzzing runner: build, run, triage and replay the harnesses of fuzz/.

Contracts:

- ``harnesses()`` lists the harness names (fuzz/<name>/<name>.c).
- ``ensure_built(build_dir, engine)`` configures the tree if needed and
  builds the CMake targets ``fuzz_<engine>`` (an ExternalProject that builds
  every harness with that engine) and ``<h>_replay``; returns the build dir.
- ``run(target, engine, seconds, jobs, build_dir)`` fuzzes one harness for
  ``seconds`` and returns a ``FuzzResult`` (executions, executions per
  second, coverage, unique crashes). Crashes are minimized, deduplicated by
  the top symbolized frames of the replay binary's ASan report, and written
  as ``results/fuzz/<target>/crash-<sig>`` (the input) plus
  ``crash-<sig>.txt`` (report with the one-line replay command).
- ``replay(path, build_dir, target=None)`` reruns one input with the trace;
  returns the replay driver's exit status.
- ``bench(seconds, build_dir, engines, repeat, targets)`` returns the
  median executions per second per harness and engine over ``repeat``
  runs: ``{"harnesses": {name: {"libfuzzer": N, "afl": N}}, "samples": ...}``.

Errors: ``FuzzError`` (unknown target or engine, missing or unusable
file, build failure, an engine that did not start).
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from .build import BuildError
from .image import default_build_dir, repo_root

__all__ = ["FuzzError", "FuzzResult", "ENGINES", "harnesses", "ensure_built", "run",
           "replay", "bench", "stack_signature"]

ENGINES = ("libfuzzer", "afl")
AFL_ENV = {"AFL_SKIP_CPUFREQ": "1", "AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES": "1",
           "AFL_NO_UI": "1", "AFL_NO_AFFINITY": "1"}
# Frames that say nothing about where the bug is.
_NOISE_FRAMES = re.compile(r"^(__|abort|raise|fz_fail|LLVMFuzzerTestOneInput$|main$|"
                           r"fuzzer::|gsignal|std::|kernel_panic|arch_shutdown|run_file)")
_FRAME_RE = re.compile(r"^\s*#(\d+) 0x[0-9a-f]+ in (\S+)(?: (\S+))?")


class FuzzError(Exception):
    """The fuzz command cannot do what was asked (message says why)."""


@dataclass
class FuzzResult:
    target: str
    engine: str
    seconds: float
    execs: int = 0
    execs_per_sec: float = 0.0
    coverage: Dict[str, object] = field(default_factory=dict)
    crashes: List[str] = field(default_factory=list)   # reproducer paths (unique)

    def summary(self) -> str:
        cov = " ".join(f"{k}={v}" for k, v in self.coverage.items())
        return (f"crucible fuzz: {self.target} {self.engine}: {self.execs} executions in "
                f"{self.seconds:.1f} s, {self.execs_per_sec:.0f}/s, coverage {cov or '?'}, "
                f"{len(self.crashes)} unique crash(es)")


def fuzz_dir() -> str:
    return os.path.join(repo_root(), "fuzz")


def harnesses() -> List[str]:
    """Names of the harnesses present in the tree."""
    out = []
    for d in sorted(os.listdir(fuzz_dir())):
        if os.path.isfile(os.path.join(fuzz_dir(), d, d + ".c")):
            out.append(d)
    return out


def _check_target(target: str) -> None:
    if target not in harnesses():
        raise FuzzError(f"unknown fuzz target {target!r}; choose from {', '.join(harnesses())}")


def _cmake(argv: List[str], what: str) -> None:
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL, text=True)
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-25:])
        raise FuzzError(f"{what} failed ({' '.join(argv)}):\n{tail}")


def ensure_built(build_dir: Optional[str], engine: Optional[str],
                 targets: Optional[List[str]] = None) -> str:
    """Configure if needed; build fuzz_<engine> (if engine) and the replay
    drivers of ``targets`` (default: all harnesses). Returns the build dir."""
    build_dir = os.path.abspath(build_dir or default_build_dir())
    if not os.path.exists(os.path.join(build_dir, "build.ninja")):
        _cmake(["cmake", "-S", repo_root(), "-B", build_dir, "-G", "Ninja"], "configure")
    names = [f"{t}_replay" for t in (targets or harnesses())]
    if engine:
        names.append(f"fuzz_{engine}")
    _cmake(["cmake", "--build", build_dir, "--target"] + names, "build")
    return build_dir


def _engine_binary(build_dir: str, target: str, engine: str) -> str:
    path = os.path.join(build_dir, f"fuzz-{engine}", f"{target}_{engine}")
    if not os.access(path, os.X_OK):
        raise FuzzError(f"{path} was not built (is {target} built for {engine}?)")
    return path


def _replay_binary(build_dir: str, target: str) -> str:
    path = os.path.join(build_dir, "fuzz", f"{target}_replay")
    if not os.access(path, os.X_OK):
        raise FuzzError(f"{path} was not built")
    return path


def _results_dir(target: str) -> str:
    d = os.path.join(repo_root(), "results", "fuzz", target)
    os.makedirs(d, exist_ok=True)
    return d


def _seed_corpus(target: str, dst: str) -> None:
    """Copies fuzz/<target>/corpus into dst (kept across runs)."""
    os.makedirs(dst, exist_ok=True)
    for f in glob.glob(os.path.join(fuzz_dir(), target, "corpus", "*")):
        if os.path.isfile(f) and not os.path.exists(os.path.join(dst, os.path.basename(f))):
            shutil.copy(f, dst)
    if not os.listdir(dst):
        with open(os.path.join(dst, "empty"), "wb") as f:
            f.write(b"\0")


def _dict_args(target: str, flag: str) -> List[str]:
    d = os.path.join(fuzz_dir(), target, f"{target}.dict")
    return [f"{flag}{d}"] if os.path.isfile(d) else []


# ------------------------------------------------------------------ engines

def _run_libfuzzer(binary: str, target: str, seconds: float, jobs: int, work: str,
                   raw_crashes: str, max_len: Optional[int] = None,
                   seed: Optional[int] = None) -> FuzzResult:
    corpus = os.path.join(work, "corpus")
    _seed_corpus(target, corpus)
    os.makedirs(raw_crashes, exist_ok=True)
    argv = [binary, corpus, f"-max_total_time={max(1, int(seconds))}", "-print_final_stats=1",
            f"-artifact_prefix={raw_crashes}/", "-close_fd_mask=1"] + _dict_args(target, "-dict=")
    if max_len:
        argv.append(f"-max_len={max_len}")
    if seed is not None:
        argv.append(f"-seed={seed}")
    if jobs > 1:
        argv += [f"-fork={jobs}", "-ignore_crashes=1"]
    start = time.monotonic()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors="replace", stdin=subprocess.DEVNULL, cwd=work)
    elapsed = time.monotonic() - start
    out = proc.stdout
    if "INFO: Seed:" not in out:
        raise FuzzError(f"libFuzzer did not start:\n{out[-2000:]}")
    res = FuzzResult(target, "libfuzzer", elapsed)
    m = re.search(r"stat::number_of_executed_units:\s*(\d+)", out)
    # Status lines: "#N\tNEW ..." in one process; "#N: cov: ..." from the
    # parent in fork mode (--jobs), which prints no final stats.
    execs = [int(x) for x in re.findall(r"^#(\d+):?\s", out, re.M)]
    res.execs = int(m.group(1)) if m else (max(execs) if execs else 0)
    m = re.search(r"stat::average_exec_per_sec:\s*(\d+)", out)
    res.execs_per_sec = float(m.group(1)) if m else res.execs / max(elapsed, 1e-9)
    covs = re.findall(r"cov: (\d+) ft: (\d+)", out)
    if covs:
        res.coverage = {"cov": int(covs[-1][0]), "ft": int(covs[-1][1])}
    with open(os.path.join(work, "last-run.log"), "w") as f:
        f.write(out)
    return res


def _afl_stats(out_dir: str) -> List[Dict[str, str]]:
    stats = []
    for path in glob.glob(os.path.join(out_dir, "*", "fuzzer_stats")):
        d = {}
        with open(path) as f:
            for line in f:
                k, _, v = line.partition(":")
                d[k.strip()] = v.strip()
        stats.append(d)
    return stats


def _run_afl(binary: str, target: str, seconds: float, jobs: int, work: str,
             seed: Optional[int] = None) -> FuzzResult:
    seeds = os.path.join(work, "seeds")
    if os.path.isdir(seeds):
        shutil.rmtree(seeds)
    _seed_corpus(target, seeds)
    out_dir = os.path.join(work, "out")
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    env = dict(os.environ, **AFL_ENV)
    procs = []
    start = time.monotonic()
    for j in range(max(1, jobs)):
        role = [] if jobs <= 1 else (["-M", "main"] if j == 0 else ["-S", f"sec{j}"])
        argv = (["afl-fuzz", "-V", str(max(1, int(seconds))), "-i", seeds, "-o", out_dir]
                + role + (["-s", str(seed + j)] if seed is not None else [])
                + _dict_args(target, "-x") + ["--", binary])
        log = open(os.path.join(work, f"afl-{j}.log"), "w")
        procs.append((subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, env=env), log))
    for p, log in procs:
        try:
            p.wait(timeout=seconds + 120)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        log.close()
    elapsed = time.monotonic() - start
    stats = _afl_stats(out_dir)
    if not stats:
        with open(os.path.join(work, "afl-0.log"), errors="replace") as f:
            raise FuzzError(f"AFL++ did not start:\n{f.read()[-2000:]}")
    res = FuzzResult(target, "afl", elapsed)
    res.execs = sum(int(s.get("execs_done", 0)) for s in stats)
    res.execs_per_sec = sum(float(s.get("execs_per_sec", 0)) for s in stats)
    best = max(stats, key=lambda s: int(s.get("edges_found", 0)))
    res.coverage = {"edges": int(best.get("edges_found", 0)),
                    "bitmap": best.get("bitmap_cvg", "?")}
    return res


# ------------------------------------------------------------------ triage

def stack_signature(report: str, frames: int = 3) -> Optional[str]:
    """The top ``frames`` meaningful function names of the first stack in a
    sanitizer report joined by '|', or None if there is no stack."""
    names = []
    for line in report.splitlines():
        m = _FRAME_RE.match(line)
        if not m:
            if names and not line.strip():
                break
            continue
        fn = m.group(2)
        if _NOISE_FRAMES.match(fn) or "libc.so" in line or "compiler-rt" in line:
            continue
        names.append(fn)
        if len(names) == frames:
            break
    return "|".join(names) if names else None


def _reproduce(replay_bin: str, path: str, trace: bool = False,
               timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, ASAN_OPTIONS="symbolize=1:detect_leaks=0:abort_on_error=1",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    argv = [replay_bin] + (["-v"] if trace else []) + [path]
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors="replace", env=env, timeout=timeout)


def _minimize(engine: str, binary: str, crash: str, out: str) -> str:
    """Minimizes crash into out; returns out, or crash if minimizing failed."""
    try:
        if engine == "libfuzzer":
            subprocess.run([binary, crash, "-minimize_crash=1", "-max_total_time=15",
                            f"-exact_artifact_path={out}"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=60)
        else:
            subprocess.run(["afl-tmin", "-i", crash, "-o", out, "--", binary],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=120, env=dict(os.environ, **AFL_ENV))
    except (subprocess.TimeoutExpired, OSError):
        pass
    return out if os.path.isfile(out) and os.path.getsize(out) > 0 else crash


def _triage(target: str, engine: str, binary: str, replay_bin: str,
            raw: List[str]) -> List[str]:
    """Minimizes, deduplicates and saves raw crash inputs; returns the saved
    reproducers (one per distinct stack)."""
    results = _results_dir(target)
    saved = []
    for crash in raw:
        with tempfile.TemporaryDirectory() as tmp:
            small = _minimize(engine, binary, crash, os.path.join(tmp, "min"))
            rep = _reproduce(replay_bin, small)
            if rep.returncode == 0:
                rep = _reproduce(replay_bin, crash)
                small = crash
                if rep.returncode == 0:
                    print(f"crucible fuzz: {crash} does not reproduce in the replay driver",
                          file=sys.stderr)
                    continue
            sig = stack_signature(rep.stdout) or rep.stdout.strip().splitlines()[-1:][0]
            digest = hashlib.sha1(sig.encode()).hexdigest()[:12]
            dest = os.path.join(results, f"crash-{digest}")
            if os.path.exists(dest):
                continue
            shutil.copy(small, dest)
            fail = next((ln for ln in rep.stdout.splitlines()
                         if "crucible-fuzz: FAIL" in ln or "ERROR:" in ln
                         or "runtime error:" in ln), "")
            with open(dest + ".txt", "w") as f:
                f.write(f"target: {target}\nengine: {engine}\nstack: {sig}\n"
                        f"what: {fail}\nreplay: ./crucible fuzz --replay {dest}\n\n"
                        f"{rep.stdout[-6000:]}")
            saved.append(dest)
            print(f"crucible fuzz: crash {digest}: {fail or sig}\n"
                  f"  replay: ./crucible fuzz --replay {dest}")
    return saved


# ------------------------------------------------------------------ public

def run(target: str, engine: str, seconds: float, jobs: int = 1,
        build_dir: Optional[str] = None) -> FuzzResult:
    """Build, fuzz ``target`` with ``engine`` for ``seconds``, triage crashes."""
    _check_target(target)
    if engine not in ENGINES:
        raise FuzzError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    if seconds <= 0 or jobs < 1:
        raise FuzzError("--time must be > 0 and --jobs >= 1")
    try:
        build_dir = ensure_built(build_dir, engine, [target])
    except BuildError as exc:
        raise FuzzError(str(exc)) from exc
    binary = _engine_binary(build_dir, target, engine)
    replay_bin = _replay_binary(build_dir, target)
    work = os.path.join(_results_dir(target), engine)
    os.makedirs(work, exist_ok=True)
    if engine == "libfuzzer":
        raw_dir = os.path.join(work, "raw-crashes")
        if os.path.isdir(raw_dir):
            shutil.rmtree(raw_dir)
        res = _run_libfuzzer(binary, target, seconds, jobs, work, raw_dir)
        raw = sorted(glob.glob(os.path.join(raw_dir, "crash-*")) +
                     glob.glob(os.path.join(raw_dir, "timeout-*")))
    else:
        res = _run_afl(binary, target, seconds, jobs, work)
        raw = sorted(glob.glob(os.path.join(work, "out", "*", "crashes", "id:*")))
    res.crashes = _triage(target, engine, binary, replay_bin, raw)
    return res


def _target_of(path: str) -> Optional[str]:
    names = set(harnesses())
    parts = os.path.abspath(path).split(os.sep)
    for part in reversed(parts[:-1]):
        if part in names:
            return part
    side = path + ".txt"
    if os.path.isfile(side):
        with open(side, errors="replace") as f:
            m = re.search(r"^target: (\S+)", f.read(), re.M)
            if m and m.group(1) in names:
                return m.group(1)
    return None


def replay(path: str, build_dir: Optional[str] = None, target: Optional[str] = None) -> int:
    """Rerun one input with the trace; returns the replay driver's status
    (0: ran clean; nonzero: the failure it reproduced)."""
    if not os.path.exists(path):
        raise FuzzError(f"no such file: {path}")
    if not os.path.isfile(path):
        raise FuzzError(f"not a regular file: {path}")
    if path.endswith(".txt"):
        raise FuzzError(f"{path} is a crash report; replay the input beside it "
                        f"({path[:-4]})")
    target = target or _target_of(path)
    if not target:
        raise FuzzError(f"cannot tell which harness {path} is for: it is not under a "
                        f"directory named after one ({', '.join(harnesses())}); use --target")
    _check_target(target)
    try:
        build_dir = ensure_built(build_dir, None, [target])
    except BuildError as exc:
        raise FuzzError(str(exc)) from exc
    rep = _reproduce(_replay_binary(build_dir, target), path, trace=True, timeout=300)
    sys.stdout.write(rep.stdout)
    print(f"crucible fuzz: replay of {path} ({target}): "
          f"{'ran clean' if rep.returncode == 0 else f'FAILED (status {rep.returncode})'}")
    return rep.returncode


def _bench_tmp() -> Optional[str]:
    """Where bench runs keep their corpus: tmpfs (/dev/shm) when there is
    one, so that the figure is the harness's and not the disk's (an engine
    writes every new input it finds, thousands in its first seconds)."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


def bench(seconds: float = 5.0, build_dir: Optional[str] = None, engines=ENGINES,
          repeat: int = 3, targets: Optional[List[str]] = None) -> Dict[str, object]:
    """Executions per second, one core, per harness and engine: the median
    of ``repeat`` runs of ``seconds`` each (AFL++ at least 8 s: it spends
    its first seconds calibrating), every run from the seed corpus, run i
    with the engine's random seed i (1, 2, ...): an execution's cost
    depends on the inputs the run happens to find, so each run explores
    the same way from one bench to the next.

    Returns ``{"harnesses": {name: {engine: median}}, "samples": {name:
    {engine: [per run]}}, "seconds_per_run": s, "repeat": n}``; a harness
    that could not run has an ``"error: ..."`` string instead of a number.
    """
    names = harnesses()
    for t in targets or []:
        _check_target(t)
    if repeat < 1:
        raise FuzzError(f"repeat must be at least 1 (got {repeat})")
    out: Dict[str, Dict[str, object]] = {}
    samples: Dict[str, Dict[str, List[int]]] = {}
    for engine in engines:
        try:
            build_dir = ensure_built(build_dir, engine)
        except FuzzError as exc:
            for h in targets or names:
                out.setdefault(h, {})[engine] = f"error: {str(exc).splitlines()[0]}"
            continue
        for h in targets or names:
            runs: List[int] = []
            try:
                binary = _engine_binary(build_dir, h, engine)
                for i in range(repeat):
                    with tempfile.TemporaryDirectory(dir=_bench_tmp()) as work:
                        if engine == "libfuzzer":
                            res = _run_libfuzzer(binary, h, seconds, 1, work,
                                                 os.path.join(work, "raw"), seed=i + 1)
                        else:
                            res = _run_afl(binary, h, max(seconds, 8.0), 1, work, seed=i + 1)
                    runs.append(round(res.execs_per_sec))
                out.setdefault(h, {})[engine] = sorted(runs)[len(runs) // 2]
                samples.setdefault(h, {})[engine] = runs
            except FuzzError as exc:
                out.setdefault(h, {})[engine] = f"error: {str(exc).splitlines()[0]}"
    return {"harnesses": out, "samples": samples, "seconds_per_run": seconds,
            "repeat": repeat}


# ------------------------------------------------------------------ CLI

FUZZ_EPILOG = """\
examples:
  crucible fuzz ipc_core --engine libfuzzer --time 60
  crucible fuzz ipc_core --engine afl --time 300 --jobs 2
  crucible fuzz --replay results/fuzz/ipc_core/crash-0123456789ab
exit status: 0 no crash found (replay: ran clean); 1 crashes found (replay:
the input fails); 2 usage, build or file errors.
"""


def _cli_configure(p) -> None:
    p.add_argument("target", nargs="?", help="harness: " + ", ".join(harnesses()))
    p.add_argument("--engine", choices=ENGINES, default="libfuzzer")
    p.add_argument("--time", type=float, default=60.0, metavar="SECONDS",
                   help="how long to fuzz (default 60)")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="parallel fuzzing processes (default 1)")
    p.add_argument("--replay", metavar="FILE", help="rerun one input with the trace")
    p.add_argument("--build-dir", default=None,
                   help="build directory (default: $CRUCIBLE_BUILD_DIR or ./build)")


def _cli_run(args) -> int:
    try:
        if args.replay:
            return 0 if replay(args.replay, args.build_dir, args.target) == 0 else 1
        if not args.target:
            print("crucible fuzz: name a TARGET (" + ", ".join(harnesses()) + ") or --replay FILE",
                  file=sys.stderr)
            return 2
        res = run(args.target, args.engine, args.time, args.jobs, args.build_dir)
    except FuzzError as exc:
        print(f"crucible fuzz: {exc}", file=sys.stderr)
        return 2
    print(res.summary())
    return 1 if res.crashes else 0


def commands(command_cls) -> list:
    """The ``fuzz`` subcommand for orchestrator/cli.py's COMMANDS."""
    return [command_cls("fuzz", "fuzz a harness (libFuzzer / AFL++) or replay a reproducer",
                        _cli_configure, _cli_run, FUZZ_EPILOG)]
