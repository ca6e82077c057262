"""store.py + runner.py with the fake machine: results, retries, resume
after kill -9, Dask LocalCluster."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from orchestrator.campaign import load
from orchestrator.runner import execute, new_run
from orchestrator.session import MachineSpec
from orchestrator.store import Store

from .conftest import ROOT

FAKE = MachineSpec("fake")


def test_run_inline_records_everything(tmp_path, campaign_file):
    c = load(campaign_file(12))
    st = new_run(c, str(tmp_path), FAKE, "r")
    counts = execute(st, c, FAKE, workers=1, progress=False)
    assert counts == {"done": 12}
    rows = st.rows()
    assert st.run_info()["status"] == "done"
    assert st.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert st.golden().status == 0
    crash = [r for r in rows if r["template"] == "crash"]
    assert all(r["recovery"] == "transparent" and r["verdict"] == "pass" for r in crash)
    drops = [r for r in rows if r["template"] == "drop"]
    assert all(r["system"] == "hang" for r in drops)
    assert st.events(crash[0]["id"])[0]["event"] == "fault_fired"
    assert "crucible-workload: wl_hello start" in st.console(crash[0]["id"])


def test_recovery_off_fails_expectations(tmp_path, campaign_file):
    c = load(campaign_file(6, "recovery = false"))
    st = new_run(c, str(tmp_path), FAKE, "r")
    execute(st, c, FAKE, workers=1, progress=False)
    crash = [r for r in st.rows() if r["template"] == "crash"]
    assert all(r["recovery"] == "none" and r["verdict"] == "fail" for r in crash)


def test_harness_faults_are_retried(tmp_path, campaign_file):
    c = load(campaign_file(9))
    spec = MachineSpec("fake", {"harness_fail_every": 3})
    st = new_run(c, str(tmp_path), spec, "r")
    counts = execute(st, c, spec, workers=1, progress=False)
    assert counts == {"done": 9}
    assert 2 <= max(r["attempts"] for r in st.rows()) <= 1 + c.retries


def test_harness_fault_given_up(tmp_path, campaign_file):
    c = load(campaign_file(3))
    spec = MachineSpec("fake", {"die_on": "pm"})        # every fault on pm kills "QEMU"
    st = new_run(c, str(tmp_path), spec, "r")
    execute(st, c, spec, workers=1, progress=False)
    hf = [r for r in st.rows() if r["status"] == "harness_fault"]
    assert hf and all(r["attempts"] == 1 + c.retries for r in hf)
    assert all(r["verdict"] is None for r in hf)


def test_process_pool(tmp_path, campaign_file):
    c = load(campaign_file(10))
    st = new_run(c, str(tmp_path), FAKE, "r")
    assert execute(st, c, FAKE, workers=2, progress=False) == {"done": 10}


def test_resume_after_kill_9(tmp_path, campaign_file):
    """A real run in a subprocess, killed with SIGKILL mid-run, then resumed."""
    path = campaign_file(40)
    out = tmp_path / "res"
    env = dict(os.environ, PYTHONPATH=ROOT, CRUCIBLE_FAKE='{"run_s": 0.05}')
    proc = subprocess.Popen([sys.executable, "-m", "orchestrator.cli", "run", path,
                             "--machine", "fake", "--out", str(out), "--run-id", "k",
                             "--workers", "1", "--no-progress"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = out / "k" / "run.db"
    deadline = time.monotonic() + 60
    done = 0
    while time.monotonic() < deadline:
        if db.exists():
            try:
                c = sqlite3.connect(str(db), timeout=5)
                done = c.execute("SELECT COUNT(*) FROM experiments WHERE status='done'"
                                 ).fetchone()[0]
                c.close()
            except sqlite3.OperationalError:
                done = 0
            if done >= 8:
                break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 8 <= done < 40
    st = Store.open(str(db.parent))
    before = {r["id"]: (r["ended"], r["attempts"]) for r in st.rows() if r["status"] == "done"}
    assert len(before) >= 8 and st.run_info()["status"] == "running"
    st.close()
    r = subprocess.run([sys.executable, "-m", "orchestrator.cli", "resume", "k", "--out",
                        str(out), "--no-progress", "--no-report"], cwd=ROOT,
                       env=dict(env, CRUCIBLE_FAKE="{}"), capture_output=True, text=True,
                       timeout=120)
    assert r.returncode in (0, 1), r.stderr
    st = Store.open(str(db.parent))
    rows = st.rows()
    assert len(rows) == 40 and all(x["status"] == "done" for x in rows)
    for x in rows:                       # finished ones were not repeated
        if x["id"] in before:
            assert (x["ended"], x["attempts"]) == before[x["id"]]
    assert st.conn.execute("SELECT COUNT(DISTINCT exp_id) FROM console").fetchone()[0] == 40
    assert st.run_info()["status"] == "done"


def test_dask_local_cluster(tmp_path, campaign_file):
    distributed = pytest.importorskip("distributed")
    c = load(campaign_file(8))
    st = new_run(c, str(tmp_path), FAKE, "r")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        counts = execute(st, c, FAKE, scheduler=client, progress=False)
    assert counts == {"done": 8}
    inline = new_run(c, str(tmp_path), FAKE, "i")
    execute(inline, c, FAKE, workers=1, progress=False)
    key = lambda s: [(r["id"], r["system"], r["recovery"], r["activated"]) for r in s.rows()]
    assert key(st) == key(inline)
