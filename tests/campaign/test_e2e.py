"""Fault campaigns end to end on the real OS (QEMU), through the same path
as ``./crucible run``: campaign text → plan → runner (snapshot restore per
experiment, control channel, workload, sanity) → classifier → store.

Each scenario is a tiny campaign (a QEMU boots in ~0.2 s, an experiment
takes tens of ms), so the module stays within a few seconds plus the
shipped-campaign slices. The image must be built (``./crucible test``
builds first); a missing image is a failure, not a skip.
"""

import os

import pytest

from orchestrator import campaign as campaign_mod
from orchestrator.image import ImageError, find_image
from orchestrator.runner import execute, new_run
from orchestrator.session import MachineSpec

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QEMU = MachineSpec("qemu", {})


@pytest.fixture(scope="module", autouse=True)
def _image():
    try:
        find_image()
    except ImageError as exc:
        pytest.fail(str(exc))


def run_campaign(tmp_path, text, workers=1, scheduler=None, experiments=None, name="c.toml"):
    """Run campaign ``text`` on QEMU; return (store, {template: [outcome rows]})."""
    path = tmp_path / name
    path.write_text(text)
    c = campaign_mod.load(str(path))
    if experiments is not None:
        c.experiments = experiments
    store = new_run(c, str(tmp_path / "results"), QEMU, "run", workers)
    execute(store, c, QEMU, workers=workers, scheduler=scheduler, progress=False)
    rows = {}
    for r in store.rows():
        rows.setdefault(r["template"], []).append(r)
    return store, rows


HEAD = """\
name = "{name}"
seed = 3
workload = "wl_hello"
recovery = {recovery}
[timeouts]
boot = 30
experiment = 30
workload = {wl_timeout}
"""


def head(name, recovery=True, wl_timeout=5):
    return HEAD.format(name=name, recovery="true" if recovery else "false",
                       wl_timeout=wl_timeout)


def test_crash_of_hello_recovers_transparently(tmp_path):
    store, rows = run_campaign(tmp_path, head("crash") + """
[[faults]]
name = "crash"
site = "sef"
action = "crash"
target = "hello"
expect.recovery = "transparent"
expect.system = "passed"
""")
    (o,) = rows["crash"]
    assert o["activated"] and o["failure"] == "exception" and o["failed_label"] == "hello"
    assert o["recovery"] == "transparent" and isinstance(o["recovery_latency"], int)
    assert o["system"] == "passed" and o["verdict"] == "pass", o
    golden = store.golden()
    assert golden.output == ["crucible-workload: wl_hello ok counter=50"]


def test_crash_without_recovery_is_classified(tmp_path):
    _, rows = run_campaign(tmp_path, head("norecovery", recovery=False) + """
[[faults]]
name = "crash"
site = "sef"
action = "crash"
target = "hello"
expect.recovery = "none"
expect.system = ["error", "hang"]
""")
    (o,) = rows["crash"]
    assert o["activated"] and o["failure"] in ("exception", "crash")
    assert o["recovery"] == "none" and o["system"] in ("error", "hang")
    assert o["verdict"] == "pass", o


def test_dropped_reply_is_a_workload_hang(tmp_path):
    _, rows = run_campaign(tmp_path, head("dropreply", wl_timeout=1) + """
[[faults]]
name = "drop_reply"
site = "ipc"
action = "drop"
target = "wl_hello"
source = "hello"
nth = 3
expect.system = "hang"
expect.failure = "none"
""")
    (o,) = rows["drop_reply"]
    assert o["activated"] and o["system"] == "hang" and o["workload_status"] is None
    assert o["harness_fault"] is None and o["verdict"] == "pass", o


def test_fault_that_never_fires_is_not_activated(tmp_path):
    _, rows = run_campaign(tmp_path, head("silent") + """
[[faults]]
name = "never"
site = "sef"
action = "crash"
target = "hello"
nth = 1000000
expect.activated = false
expect.system = "passed"
""")
    (o,) = rows["never"]
    assert not o["activated"] and o["failure"] == "none" and o["system"] == "passed"
    assert o["verdict"] == "pass", o


def test_smoke_campaign_report(tmp_path):
    store, rows = run_campaign(tmp_path, open(os.path.join(ROOT, "campaigns",
                                                           "smoke.toml")).read(),
                               workers=2, name="smoke.toml")
    assert store.counts().get("done") == 3
    assert all(o["verdict"] == "pass" for rs in rows.values() for o in rs), rows
    assert not rows["never_fires"][0]["activated"]


def test_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        store, rows = run_campaign(tmp_path, head("dask") + """
[[faults]]
name = "crash"
site = "sef"
action = "crash"
target = "hello"
expect.recovery = "transparent"
expect.system = "passed"
""", scheduler=client, experiments=2)
    outs = rows["crash"]
    assert len(outs) == 2 and all(o["verdict"] == "pass" for o in outs), outs


@pytest.mark.parametrize("name", ["smoke", "crash_recovery", "hang", "ipc_chaos", "bitflip"])
def test_shipped_campaign_slice(tmp_path, name):
    """Every shipped campaign validates and runs its first 2 experiments
    on the real OS: each is recorded, none is a harness fault."""
    text = open(os.path.join(ROOT, "campaigns", f"{name}.toml")).read()
    store, rows = run_campaign(tmp_path, text, workers=1, experiments=2,
                               name=f"{name}.toml")
    outs = [o for rs in rows.values() for o in rs]
    assert len(outs) == 2 and store.counts().get("done") == 2, store.counts()
    assert all(o["harness_fault"] is None for o in outs), outs
    assert all(o["system"] for o in outs)


def test_qemu_that_dies_is_a_harness_fault_and_retried(tmp_path, monkeypatch):
    """Kill the worker's QEMU during an experiment: the runner must not
    crash; the attempt is a harness fault (kept apart from the system's
    outcomes), retried on a freshly booted QEMU, and the experiment ends
    with its real outcome."""
    import signal
    from orchestrator import qemu_session

    real_load = qemu_session.QemuSession.snapshot_load
    loads = {"n": 0}

    def load_then_die(self, name):
        loads["n"] += 1
        if loads["n"] == 2:             # 1 = the golden run, 2 = the experiment
            os.kill(self.machine.pid, signal.SIGKILL)
        return real_load(self, name)

    monkeypatch.setattr(qemu_session.QemuSession, "snapshot_load", load_then_die)
    store, rows = run_campaign(tmp_path, head("dies") + """
[[faults]]
name = "crash"
site = "sef"
action = "crash"
target = "hello"
expect.recovery = "transparent"
""")
    (o,) = rows["crash"]
    assert o["attempts"] == 2, o                        # the killed one, then the retry
    assert o["harness_fault"] is None and o["status"] == "done", o
    assert o["recovery"] == "transparent" and o["verdict"] == "pass", o
