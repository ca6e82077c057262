"""Shared helpers for the campaign-layer tests (fake machine only)."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

MANY = """\
name = "many"
seed = 5
experiments = {n}
workload = "wl_hello"
{extra}
[[faults]]
name = "crash"
site = "sef"
action = "crash"
target = ["hello", "ds", "pm"]
expect.recovery = "transparent"
expect.system = "passed"
[[faults]]
name = "drop"
site = "ipc"
action = "drop"
target = "pm"
nth = {{min = 1, max = 15}}
[[faults]]
name = "flip"
kind = "mem_bitflip"
target = "ds"
region = "data"
"""


@pytest.fixture
def campaign_file(tmp_path):
    def make(n=12, extra=""):
        p = tmp_path / f"many{n}.toml"
        p.write_text(MANY.format(n=n, extra=extra))
        return str(p)
    return make


def crucible(*args, env=None, **kw):
    """Run the CLI as ./crucible does (a subprocess with Debian's Python)."""
    e = dict(os.environ, PYTHONPATH=ROOT, **(env or {}))
    return subprocess.run([sys.executable, "-m", "orchestrator.cli", *args], cwd=ROOT,
                          env=e, capture_output=True, text=True, timeout=120, **kw)
