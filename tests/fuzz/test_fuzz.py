"""Fuzzing: the runner's contracts and a short smoke run of each engine.

The smoke runs build the engine targets (fuzz_libfuzzer, fuzz_afl) in the
build directory ($CRUCIBLE_BUILD_DIR or ./build) and fuzz ipc_core for a few
seconds each; they assert that the engine executed inputs.
"""
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from orchestrator import fuzz  # noqa: E402

BUILD = os.environ.get("CRUCIBLE_BUILD_DIR") or os.path.join(ROOT, "build")


def test_harnesses_listed():
    assert "ipc_core" in fuzz.harnesses()


def test_stack_signature_skips_noise():
    report = """==1==ERROR: AddressSanitizer: heap-buffer-overflow
    #0 0x1 in __asan_memcpy asan.cpp:1
    #1 0x2 in fz_fail fuzz_common.c:3
    #2 0x3 in mini_send /x/ipc.c:10
    #3 0x4 in do_ipc /x/ipc.c:20
    #4 0x5 in kernel_ipc_trap /x/ipc.c:30
    #5 0x6 in LLVMFuzzerTestOneInput h.c:1
"""
    assert fuzz.stack_signature(report) == "mini_send|do_ipc|kernel_ipc_trap"
    assert fuzz.stack_signature("no stack here") is None


def test_replay_errors(tmp_path):
    with pytest.raises(fuzz.FuzzError, match="no such file"):
        fuzz.replay(str(tmp_path / "missing"))
    with pytest.raises(fuzz.FuzzError, match="not a regular file"):
        fuzz.replay(str(tmp_path))
    stray = tmp_path / "input"
    stray.write_bytes(b"\x00")
    with pytest.raises(fuzz.FuzzError, match="cannot tell which harness"):
        fuzz.replay(str(stray))


def test_unknown_target_and_engine():
    with pytest.raises(fuzz.FuzzError, match="unknown fuzz target"):
        fuzz.run("nope", "libfuzzer", 1)
    with pytest.raises(fuzz.FuzzError, match="unknown engine"):
        fuzz.run("ipc_core", "honggfuzz", 1)


# The engines are installed by the project (./crucible, .ci/run): a missing
# one is a broken install to report, not a reason to test nothing.
def test_libfuzzer_smoke():
    res = fuzz.run("ipc_core", "libfuzzer", 5, build_dir=BUILD)
    assert res.execs > 0 and res.execs_per_sec > 0


def test_libfuzzer_jobs_count_the_executions_of_every_job():
    # --jobs N runs libFuzzer's fork mode, whose parent reports each job's
    # totals in lines of its own ("#N: cov: ...") and no final stats.
    res = fuzz.run("ipc_core", "libfuzzer", 4, jobs=2, build_dir=BUILD)
    assert res.execs > 0 and res.execs_per_sec > 0
    assert res.coverage.get("cov", 0) > 0


def test_afl_smoke():
    assert shutil.which("afl-fuzz") and shutil.which("afl-clang-fast"), "AFL++ is not installed"
    res = fuzz.run("ipc_core", "afl", 5, build_dir=BUILD)
    assert res.execs > 0 and res.execs_per_sec > 0


def test_replay_corpus_file_runs_clean():
    seed = os.path.join(ROOT, "fuzz", "ipc_core", "corpus", "send_receive")
    assert fuzz.replay(seed, BUILD) == 0


@pytest.mark.parametrize("harness,seed", [
    ("ds", "subscribe_check"),      # single-handler: DS's sources + fakesys
    ("rs", "crash_restart"),        # single-handler: RS's sources + fakesys
    ("ds_sys", "keys"),             # DS in the whole host simulator
])
def test_server_harness_listed_and_replays_clean(harness, seed):
    assert harness in fuzz.harnesses()
    path = os.path.join(ROOT, "fuzz", harness, "corpus", seed)
    assert fuzz.replay(path, BUILD) == 0


def test_bench_reports_a_median_per_engine():
    res = fuzz.bench(1, BUILD, ("libfuzzer",), repeat=2, targets=["ds"])
    runs = res["samples"]["ds"]["libfuzzer"]
    assert len(runs) == 2 and all(r > 0 for r in runs)
    assert res["harnesses"]["ds"]["libfuzzer"] == sorted(runs)[1]


def test_libfuzzer_run_takes_the_seed_the_bench_gives(tmp_path):
    build = fuzz.ensure_built(BUILD, "libfuzzer")
    binary = fuzz._engine_binary(build, "ds", "libfuzzer")
    fuzz._run_libfuzzer(binary, "ds", 1, 1, str(tmp_path), str(tmp_path / "raw"), seed=7)
    assert "INFO: Seed: 7\n" in (tmp_path / "last-run.log").read_text()


def test_bench_rejects_bad_arguments():
    with pytest.raises(fuzz.FuzzError, match="unknown fuzz target"):
        fuzz.bench(1, BUILD, ("libfuzzer",), targets=["nope"])
    with pytest.raises(fuzz.FuzzError, match="repeat must be at least 1"):
        fuzz.bench(1, BUILD, ("libfuzzer",), repeat=0)
