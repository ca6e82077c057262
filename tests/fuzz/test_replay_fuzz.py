"""./crucible replay-fuzz: a `system` harness input as a control-channel
script, replayed on the real OS in QEMU (orchestrator/replay_fuzz.py,
docs/fuzzing.md).

Needs the build ($CRUCIBLE_BUILD_DIR or ./build): the decoder tool
fuzz/system_decode and the boot image with fuzzplay.
"""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from orchestrator import replay_fuzz as rf  # noqa: E402
from orchestrator.qemu_session import QemuSession  # noqa: E402

BUILD = os.environ.get("CRUCIBLE_BUILD_DIR") or os.path.join(ROOT, "build")

# Inputs in the harness's format (fuzz/system/system.c): op, a, b [, x].
CRASH_HELLO = bytes([3, 4, 0])                  # crash LABELS[4 % 5] = hello
HELLO_GET = bytes([2, 0, 0])                    # HELLO_GET by puppet 0
TICK_5 = bytes([5, 4, 0])                       # 1 + 4 % 16 ticks
# FAULTS[0] (sef crash) on LABELS[4] (hello), nth 1, persistent, any type
HELLO_CRASH_FOREVER = bytes([4, 0, 4, 1])


def _input(tmp_path, data: bytes, name="input"):
    p = tmp_path / name
    p.write_bytes(data)
    return str(p)


def _script(tmp_path, data: bytes):
    return rf.script(rf.decode(_input(tmp_path, data), BUILD))


def _cli(*args):
    env = dict(os.environ, CRUCIBLE_BUILD_DIR=BUILD)
    return subprocess.run([os.path.join(ROOT, "crucible"), "replay-fuzz", "--no-build", *args],
                          capture_output=True, text=True, env=env, timeout=300)


# -- script generation ------------------------------------------------------

def test_crash_step_becomes_crash_command(tmp_path):
    assert _script(tmp_path, CRASH_HELLO) == ["crash hello", "@wait-restart hello", "sanity"]


def test_fault_step_becomes_exact_fault_add(tmp_path):
    lines = _script(tmp_path, HELLO_CRASH_FOREVER)
    assert lines[0] == "fault add site=sef action=crash target=hello nth=1 persistent=1"
    # type choice 1 on pm (b % 5 == 1): the target's request type, nth 1 + (11 >> 3) % 4
    lines = _script(tmp_path, bytes([4, 5, 11, 2]))
    assert lines[0] == "fault add site=ipc action=drop target=pm nth=2 persistent=0 type=0x904"


def test_tick_step_becomes_wait_on_guest_clock(tmp_path):
    assert _script(tmp_path, TICK_5) == ["@wait-ticks 5", "sanity"]


def test_calls_become_one_fuzzplay_run_per_segment(tmp_path):
    lines = _script(tmp_path, HELLO_GET + bytes([1, 2, 7]) + CRASH_HELLO + HELLO_GET)
    assert lines == ["run fuzzplay 020000 010207", "@wait-exit fuzzplay",
                     "crash hello", "@wait-restart hello",
                     "run fuzzplay 020000", "@wait-exit fuzzplay", "sanity"]


def test_pm_kill_keeps_its_extra_byte(tmp_path):
    # b = 5: PM_KILL, one more byte for the pid
    assert _script(tmp_path, bytes([0, 1, 5, 3]))[0] == "run fuzzplay 00010503"


def test_subscribe_steps_decode_to_ds_or_hello_watch(tmp_path):
    # op 9: b % 4 == 0 DS_SUBSCRIBE (0x803) by the system puppet; 1-3
    # HELLO_WATCH (0xc02) by puppet a % 3, mode answer / hold / stop
    steps = rf.decode(_input(tmp_path, bytes([9, 5, 4, 9, 4, 2, 9, 2, 3])), BUILD)
    assert [s["type"] for s in steps] == [0x803, 0xC02, 0xC02]
    assert "mode" not in steps[0] and "puppet" not in steps[0]
    assert (steps[1]["puppet"], steps[1]["mode"]) == (1, 2)
    assert (steps[2]["puppet"], steps[2]["mode"]) == (2, 0)
    assert rf.script(steps)[0] == "run fuzzplay 090504 090402 090203"


def test_long_call_segments_are_split_within_the_argument_limit():
    steps = [{"step": i, "op": "hello", "bytes": "020000"} for i in range(48)]
    runs = [ln for ln in rf.script(steps) if ln.startswith("run ")]
    assert len(runs) > 1
    for ln in runs:
        assert len(ln) - len("run fuzzplay ") <= rf.ARGS_MAX
    assert sum(ln.count("020000") for ln in runs) == 48


def test_steps_without_a_guest_counterpart_are_notes():
    steps = [{"step": 0, "op": "puppet", "bytes": "070000", "created": 1},
             {"step": 1, "op": "pending", "bytes": "080000", "puppet": 0},
             {"step": 2, "op": "run", "bytes": "060100", "steps": 17}]
    lines = rf.script(steps)
    assert all(ln.startswith("#") for ln in lines[:-1]) and lines[-1] == "sanity"


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(rf.ReplayFuzzError, match="no such file"):
        rf.decode(str(tmp_path / "missing"), BUILD)
    r = _cli(str(tmp_path / "missing"))
    assert r.returncode == 2 and "cannot read" in r.stderr


def test_script_only_prints_the_script(tmp_path):
    r = _cli("--script-only", _input(tmp_path, CRASH_HELLO + HELLO_GET))
    assert r.returncode == 0, r.stderr
    assert "crash hello\n" in r.stdout and "run fuzzplay 020000\n" in r.stdout
    assert r.stdout.rstrip().endswith("sanity")


class _OneExitSession:
    """A stub Session (orchestrator/session.py contract) on which only the
    first `run` ever exits: the second program is still running."""

    def __init__(self):
        self.events, self.runs, self.sent = [], 0, []

    def command(self, line, timeout=5.0):
        self.sent.append(line)
        if line.startswith("run "):
            self.runs += 1
            if self.runs == 1:
                self.events.append({"event": "program_exit", "label": "fuzzplay", "status": 0})
        if line == "sanity":
            return {"ok": True, "results": []}
        return {"ok": True}

    def wait_event(self, match, timeout):
        return next((e for e in self.events if match(e)), None)

    def take_events(self):
        out, self.events = self.events, []
        return out

    def console_mark(self):
        return 0

    def console_since(self, mark):
        return ""

    def exit_kind(self):
        return None


def test_a_wait_never_takes_an_earlier_runs_exit():
    """Two fuzzplay segments: the second @wait-exit must wait for the
    second program, not match the first one's exit (it did: the final
    sanity round then ran while fuzzplay was still alive)."""
    lines = ["run fuzzplay 090002", "@wait-exit fuzzplay", "crash hello",
             "run fuzzplay 090003", "@wait-exit fuzzplay", "sanity"]
    s = _OneExitSession()
    v = rf.execute(s, lines, step_timeout=0.01)
    assert any("did not exit" in n for n in v.notes), v.notes
    assert [e["event"] for e in v.events] == ["program_exit"]
    assert s.sent[-1] == "sanity"


# -- in QEMU ----------------------------------------------------------------

def test_crash_then_hello_get_survives(tmp_path):
    r = _cli(_input(tmp_path, CRASH_HELLO + HELLO_GET))
    assert r.returncode == 0, r.stdout + r.stderr
    assert '"service_restarted"' in r.stdout and '"label": "hello"' in r.stdout
    assert "fuzzplay: step 0 type 0xc00 -> 0 reply 0" in r.stdout
    assert r.stdout.rstrip().endswith("replay-fuzz: survived")


def test_hello_watch_survives_a_crash_while_holding(tmp_path):
    # HELLO_WATCH hold, crash hello, HELLO_WATCH stop: hello subscribes to
    # process events in the guest too, and PM takes the restarted
    # instance's unsubscribe (the same endpoint, told SERVICE_RESTARTED).
    data = bytes([9, 0, 2]) + CRASH_HELLO + bytes([9, 0, 3])
    r = _cli(_input(tmp_path, data))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("fuzzplay: step 0 type 0xc02 -> 0 reply 0") == 2
    assert r.stdout.rstrip().endswith("replay-fuzz: survived")


def test_persistent_crash_fault_on_hello_is_a_failure(tmp_path):
    # The current OS: RS restarts hello with backoff, each init crashes it
    # again, RS gives up (service_failed too_many); the calls get
    # EDEADSRCDST, the kernel does not panic and sanity holds.
    data = HELLO_CRASH_FOREVER + HELLO_GET + bytes([5, 15, 0]) * 2 + HELLO_GET
    r = _cli("--timeout", "20", _input(tmp_path, data))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "replay-fuzz: service_lost: RS gave up on hello (too_many)" in r.stdout
    assert "-> -205" in r.stdout


def test_run_arguments_are_validated_and_passed():
    s = QemuSession(build_dir=BUILD)
    try:
        s.boot_to_ready(60)
        bad = s.command("run fuzzplay 02\"00")
        assert not bad["ok"] and "bad arguments" in bad["error"]
        assert not s.command("run fuzzplay " + "0" * 200)["ok"]
        assert not s.command("lu hello 1 extra")["ok"]
        assert s.command("run fuzzplay 0g")["ok"]          # not hex: fuzzplay says so
        e = s.wait_event(lambda e: e.get("event") == "program_exit", 10)
        assert e is not None and e["label"] == "fuzzplay" and e["status"] == 1
        s.take_events()
        assert s.command("run fuzzplay 0200 00 010201")["ok"]   # words split anywhere
        e = s.wait_event(lambda e: e.get("event") == "program_exit", 10)
        assert e is not None and e["status"] == 0
    finally:
        s.close()


def test_verdict_keeps_the_most_telling_outcome():
    """Evidence arrives in any order (the final sanity round before the
    events): the ranked outcome wins, the others stay as notes."""
    from orchestrator.replay_fuzz import Verdict
    v = Verdict()
    v.fail("unresponsive", "? did not answer the sanity check")
    v.fail("service_lost", "RS gave up on hello (too_many)")
    assert v.outcome == "service_lost"
    assert any(n.startswith("also unresponsive") for n in v.notes)
    v.fail("sanity", "ds: bad entry")           # ranks below: a note
    assert v.outcome == "service_lost" and any(n.startswith("also sanity") for n in v.notes)
