"""Replay a ``system`` fuzz input on the real OS in QEMU (``./crucible replay-fuzz``).

Contracts (docs/fuzzing.md has the mapping and its limits):

- ``decode(path, build_dir)`` runs ``<build>/fuzz/system_decode`` (the
  harness's own decoder, fuzz/system/decode.h) and returns the steps as
  dicts (one per JSON line). A missing or unreadable file, or a missing
  tool, is a ``ReplayFuzzError``.
- ``script(steps)`` translates them into a control-channel script: a list
  of lines, each a control command (docs/inject.md) or a host directive
  starting with ``@`` (``@wait-ticks N``, ``@wait-exit PROGRAM``,
  ``@wait-restart LABEL``) or a ``#`` note. Consecutive call steps become
  one ``run fuzzplay HEX...`` (the guest program decodes the same bytes)
  followed by ``@wait-exit fuzzplay``. The script always ends with
  ``sanity``.
- ``execute(session, lines, step_timeout)`` runs a script on a booted
  ``Session`` (session.py) and returns a ``Verdict``: ``outcome`` is
  ``survived``, ``panic``, ``hang`` (the control channel stopped
  answering), ``sanity`` (a sanity check failed), ``service_lost`` (RS
  gave up on a service), ``oracle`` (fuzzplay saw a reply the harness
  would reject, or the guest refused a fault record); ``failed`` is true
  for every outcome but ``survived``.
- ``replay(path, build_dir, timeout)`` boots QEMU and does all of it.

Errors: ``ReplayFuzzError`` (bad input, missing build output, boot failure).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from .image import default_build_dir

__all__ = ["ReplayFuzzError", "Verdict", "decode", "script", "execute", "replay", "commands"]

CALL_OPS = ("pm", "ds", "hello", "subscribe")
PROGRAM = "fuzzplay"
ARGS_MAX = 199                  # CTL_RUN_ARGS_MAX - 1 (system/include/crucible/com.h)
WORD_MAX = 64                   # hex characters per argument word


class ReplayFuzzError(Exception):
    """The input cannot be replayed (message says why)."""


@dataclass
class Verdict:
    outcome: str = "survived"
    detail: str = ""
    notes: List[str] = field(default_factory=list)
    events: List[Dict[str, Any]] = field(default_factory=list)
    console: str = ""

    @property
    def failed(self) -> bool:
        return self.outcome != "survived"

    # The most telling outcome wins, whatever order the evidence arrives
    # in: a service RS gave up on also leaves a process that cannot answer
    # the final sanity round, but the loss of the service is the finding.
    RANK = ("panic", "hang", "service_lost", "sanity", "oracle", "unresponsive")

    def fail(self, outcome: str, detail: str) -> None:
        """Records a failure; the highest-ranked one (RANK) is the outcome,
        the others become notes."""
        if not self.failed:
            self.outcome, self.detail = outcome, detail
        elif self.RANK.index(outcome) < self.RANK.index(self.outcome):
            self.notes.append(f"also {self.outcome}: {self.detail}")
            self.outcome, self.detail = outcome, detail
        else:
            self.notes.append(f"also {outcome}: {detail}")


# -- decoding ---------------------------------------------------------------

def decoder_path(build_dir: Optional[str] = None) -> str:
    return os.path.join(build_dir or default_build_dir(), "fuzz", "system_decode")


def decode(path: str, build_dir: Optional[str] = None) -> List[Dict[str, Any]]:
    """The steps of input ``path`` as the harness decodes them."""
    if not os.path.isfile(path):
        raise ReplayFuzzError(f"no such file: {path}")
    if not os.access(path, os.R_OK):
        raise ReplayFuzzError(f"cannot read {path}: permission denied")
    tool = decoder_path(build_dir)
    if not os.access(tool, os.X_OK):
        raise ReplayFuzzError(f"{tool} is missing: build first (./crucible build)")
    proc = subprocess.run([tool, path], capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        raise ReplayFuzzError(proc.stderr.strip() or f"system_decode failed ({proc.returncode})")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


# -- translation ------------------------------------------------------------

def _run_lines(hexes: List[str]) -> List[str]:
    """``run fuzzplay`` lines for the call steps' hex bytes, each within the
    control channel's argument limit (a step is never split)."""
    lines, words, size = [], [], 0
    for h in hexes:
        cost = len(h) + 1
        if words and size + cost > ARGS_MAX:
            lines.append(words)
            words, size = [], 0
        words.append(h)
        size += cost
    if words:
        lines.append(words)
    out = []
    for ws in lines:
        out.append(f"run {PROGRAM} {' '.join(ws)}")
        out.append(f"@wait-exit {PROGRAM}")
    return out


def script(steps: List[Dict[str, Any]]) -> List[str]:
    """The control-channel script of the decoded steps (see module doc)."""
    out: List[str] = []
    calls: List[str] = []

    def flush() -> None:
        out.extend(_run_lines(calls))
        calls.clear()

    for s in steps:
        op = s["op"]
        if op in CALL_OPS:
            calls.append(s["bytes"])
            continue
        flush()
        n = s["step"]
        if op == "crash":
            out.append(f"crash {s['label']}")
            out.append(f"@wait-restart {s['label']}")
        elif op == "fault":
            out.append(f"fault add {s['record']}")
        elif op == "tick":
            out.append(f"@wait-ticks {s['ticks']}")
        elif op == "run":
            out.append(f"# step {n}: run {s['steps']} scheduling steps: the guest runs on its own")
        elif op == "puppet":
            out.append(f"# step {n}: new user puppet: every puppet's calls are made by {PROGRAM}")
        elif op == "pending":
            out.append(f"# step {n}: pending result of puppet {s['puppet']}: "
                       f"{PROGRAM}'s calls are synchronous (skipped)")
    flush()
    out.append("sanity")
    return out


# -- execution --------------------------------------------------------------

def _wait_ticks(session, n: int, timeout: float) -> bool:
    """Waits until the guest clock moved n ticks; False if it did not in time."""
    start = session.command("ticks").get("ticks")
    if start is None:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = session.command("ticks").get("ticks")
        if now is not None and now >= start + n:
            return True
        time.sleep(0.01)
    return False


def _run_line(session, line: str, verdict: Verdict, step_timeout: float) -> None:
    """One script line; records failures in verdict."""
    word, _, rest = line.partition(" ")
    if word == "@wait-ticks":
        if not _wait_ticks(session, int(rest), step_timeout):
            verdict.fail("hang", f"the guest clock did not advance {rest} ticks")
    elif word == "@wait-exit":
        e = session.wait_event(lambda e: e.get("event") == "program_exit"
                               and e.get("label") == rest, step_timeout)
        if e is None:
            if session.exit_kind() is None:
                verdict.notes.append(f"{rest} did not exit within {step_timeout:.0f} s "
                                     "(a call stays blocked); replay stopped there")
            raise _Stop()
        if e.get("status") == 1:
            verdict.fail("oracle", f"{rest} exited with status 1 (see console)")
        elif e.get("status") != 0:
            verdict.notes.append(f"{rest} exited with status {e.get('status')}")
    elif word == "@wait-restart":
        e = session.wait_event(lambda e: e.get("event") in ("service_restarted", "service_failed")
                               and e.get("label") == rest, step_timeout)
        if e is None and session.exit_kind() is None:
            verdict.notes.append(f"no restart of {rest} within {step_timeout:.0f} s")
    else:
        # The @wait directives look only at events from here on: an earlier
        # run's exit must not end the wait for this one (Session contract:
        # wait_event sees the events since the last take_events).
        verdict.events.extend(session.take_events())
        ans = session.command(line, step_timeout)
        if not ans.get("ok"):
            err = ans.get("error", "?")
            if err == "guest panicked":
                raise _Stop()
            if word == "fault":
                verdict.fail("oracle", f"fault record refused: {line} ({err})")
            else:
                verdict.notes.append(f"{line}: {err}")
        elif word == "sanity":
            for r in ans.get("results", []):
                if r.get("ok"):
                    continue
                if r.get("invariant") == "no answer":
                    verdict.fail("unresponsive", f"{r.get('label')} did not answer the sanity check")
                else:
                    verdict.fail("sanity", f"{r.get('label')}: {r.get('invariant')}")


class _Stop(Exception):
    """Internal: the script cannot go on."""


def execute(session, lines: List[str], step_timeout: float = 10.0) -> Verdict:
    """Runs script lines on a booted session; the verdict (module doc).
    A final ``sanity`` line runs even when the script stopped early (a
    blocked fuzzplay), unless the guest panicked or stopped answering."""
    from .session import SessionError

    verdict = Verdict()
    mark = session.console_mark()
    final_sanity = bool(lines) and lines[-1] == "sanity"
    body = lines[:-1] if final_sanity else lines
    try:
        for line in body:
            if not line or line.startswith("#"):
                continue
            if session.exit_kind() is not None:
                break
            _run_line(session, line, verdict, step_timeout)
    except _Stop:
        pass
    except SessionError as exc:
        if session.exit_kind() is None:
            verdict.fail("hang", f"no answer: {exc}")
    if final_sanity and session.exit_kind() is None and verdict.outcome != "hang":
        try:
            _run_line(session, "sanity", verdict, step_timeout)
        except (SessionError, _Stop) as exc:
            if session.exit_kind() is None:
                verdict.fail("hang", f"sanity: no answer: {exc}")
    verdict.events.extend(session.take_events())
    kind = session.exit_kind()
    if kind == "panic":
        panics = [e.get("message", "") for e in verdict.events if e.get("event") == "panic"]
        verdict.fail("panic", panics[-1] if panics else "kernel panic")
    elif kind == "died":
        verdict.fail("panic", "QEMU ended")
    for e in verdict.events:
        if e.get("event") == "service_failed":
            verdict.fail("service_lost", f"RS gave up on {e.get('label')} ({e.get('reason')})")
    verdict.console = session.console_since(mark)
    return verdict


def replay(path: str, build_dir: Optional[str] = None, step_timeout: float = 10.0,
           boot_timeout: float = 60.0) -> Verdict:
    """Decodes, translates, boots QEMU and runs the script."""
    from .qemu_session import QemuSession
    from .session import SessionError

    lines = script(decode(path, build_dir))
    session = QemuSession(build_dir=build_dir)
    try:
        try:
            session.boot_to_ready(boot_timeout)
        except SessionError as exc:
            raise ReplayFuzzError(f"boot failed: {exc}") from exc
        return execute(session, lines, step_timeout)
    finally:
        session.close()


# -- command line -----------------------------------------------------------

REPLAY_EPILOG = """\
Decodes a `system` harness input with the harness's decoder, prints the
control-channel script, boots QEMU, runs it, then `sanity`. Exit status 0
when the guest survived, 1 when it failed (panic, hang, sanity violation,
a service RS gave up on, a reply the harness's oracle rejects), 2 for a bad
input or a build/boot problem. Mapping and limits: docs/fuzzing.md.
"""


def _cli_configure(p) -> None:
    p.add_argument("file", help="a system harness input (e.g. results/fuzz/system/crash-*)")
    p.add_argument("--script-only", action="store_true",
                   help="print the script and exit (no QEMU)")
    p.add_argument("--timeout", type=float, default=10.0, metavar="S",
                   help="seconds each script step may take (default 10)")
    p.add_argument("--build-dir", default=None,
                   help="build directory (default: $CRUCIBLE_BUILD_DIR or ./build)")
    p.add_argument("--no-build", action="store_true", help="do not (re)build first")


def _cli_run(args) -> int:
    import sys
    from .build import BuildError, build

    if not os.path.isfile(args.file) or not os.access(args.file, os.R_OK):
        print(f"crucible replay-fuzz: cannot read {args.file}", file=sys.stderr)
        return 2
    try:
        if not args.no_build:
            build(args.build_dir)
        lines = script(decode(args.file, args.build_dir))
        print("# control-channel script (docs/fuzzing.md)")
        for line in lines:
            print(line)
        sys.stdout.flush()
        if args.script_only:
            return 0
        v = replay(args.file, args.build_dir, step_timeout=args.timeout)
    except (ReplayFuzzError, BuildError) as exc:
        print(f"crucible replay-fuzz: {exc}", file=sys.stderr)
        return 2
    print("# events")
    for e in v.events:
        print(json.dumps(e, sort_keys=True))
    print("# console")
    print(v.console.rstrip())
    for n in v.notes:
        print(f"note: {n}")
    print(f"replay-fuzz: {v.outcome}" + (f": {v.detail}" if v.detail else ""))
    return 1 if v.failed else 0


def commands(command_cls) -> list:
    """The ``replay-fuzz`` subcommand for orchestrator/cli.py's COMMANDS."""
    return [command_cls("replay-fuzz", "replay a system fuzz input on the real OS in QEMU",
                        _cli_configure, _cli_run, REPLAY_EPILOG)]
