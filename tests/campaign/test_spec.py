"""campaign.py: validation with file and line, and the shipped campaigns."""

import glob
import os

import pytest

from orchestrator.campaign import CampaignError, load, loads

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

GOOD = """\
name = "t"
seed = 7
experiments = 5
workload = "wl_mix"

[timeouts]
boot = 10

[[faults]]
site = "sef"
action = ["crash", "hang"]
target = ["pm", "vm", "ds"]
nth = {min = 1, max = 20}
expect.recovery = "transparent"

[[faults]]
kind = "vm_pause"
duration_ms = 50
"""


def test_good_campaign_loads():
    c = loads(GOOD, "good.toml")
    assert c.name == "t" and c.seed == 7 and c.experiments == 5 and c.workload == "wl_mix"
    assert c.timeouts.boot == 10.0
    assert [f.kind for f in c.faults] == ["inject", "vm_pause"]
    assert c.faults[0].fields["nth"].kind == "range"
    assert c.faults[0].expect == {"recovery": ["transparent"]}
    assert c.append == ""


def test_recovery_off_boot_option():
    c = loads(GOOD.replace('seed = 7', 'seed = 7\nrecovery = false\nboot_args = "sanity=1"'))
    assert c.append == "rs_recovery=0 sanity=1"


@pytest.mark.parametrize("campaign", sorted(glob.glob(os.path.join(ROOT, "campaigns", "*.toml"))))
def test_shipped_campaigns_are_valid(campaign):
    c = load(campaign)
    assert c.experiments >= 1 and c.faults


def _error(text):
    with pytest.raises(CampaignError) as ei:
        loads(text, "bad.toml")
    return ei.value


def _replace(old, new):
    assert old in GOOD
    return GOOD.replace(old, new)


def line_of(text, needle):
    return next(i for i, l in enumerate(text.splitlines(), 1) if needle in l)


@pytest.mark.parametrize("text, needle, words", [
    # unknown top-level key
    (_replace('seed = 7', 'seed = 7\nsed = 3'), "sed = 3", ["unknown key 'sed'"]),
    # unknown key in a fault
    (_replace('nth = {', 'nht = 3\nnth = {'), "nht = 3", ["unknown key 'nht'", "nth"]),
    # unknown site
    (_replace('site = "sef"', 'site = "sfe"'), 'site = "sfe"', ["site", "ipc, kcall, sef"]),
    # unknown action
    (_replace('["crash", "hang"]', '["crash", "explode"]'), "explode", ["action", "explode"]),
    # kcall fault with an ipc-only action
    (_replace('site = "sef"\naction = ["crash", "hang"]', 'site = "kcall"\naction = "drop"'),
     'action = "drop"', ["not valid at site 'kcall'", "fail", "ipc action"]),
    # unknown target
    (_replace('"pm", "vm", "ds"]', '"pm", "vn", "ds"]'), '"vn"', ["unknown label", "'vn'"]),
    # impossible triggers
    (_replace('nth = {min = 1, max = 20}', 'nth = 0'), "nth = 0", ["nth = 0", ">= 1"]),
    (_replace('nth = {min = 1, max = 20}', 'nth = {min = 0, max = 3}'), "nth = {",
     ["nth = 0"]),
    (_replace('nth = {min = 1, max = 20}', 'prob = 2000000'), "prob =", ["prob", "0..1000000"]),
    (_replace('nth = {min = 1, max = 20}', 'after = -5'), "after =", ["after = -5"]),
    (_replace('nth = {min = 1, max = 20}', 'nth = {min = 5, max = 2}'), "nth = {", ["min 5 > max 2"]),
    (_replace('nth = {min = 1, max = 20}', 'source = "pm"'), "source =", ["only an ipc"]),
    # unknown fault kind, bad VM fault fields
    (_replace('kind = "vm_pause"', 'kind = "vm_freeze"'), "vm_freeze", ["unknown fault kind"]),
    (_replace('duration_ms = 50', 'duration_ms = 0'), "duration_ms", ["duration_ms = 0"]),
    (GOOD + '\n[[faults]]\nkind = "mem_bitflip"\ntarget = "pm"\nregion = "heap"\n',
     'region = "heap"', ["region", "text, data, stack"]),
    # workload
    (_replace('workload = "wl_mix"', 'workload = "wl_nope"'), "workload", ["wl_hello"]),
    # expectations, timeouts
    (_replace('expect.recovery = "transparent"', 'expect.recovery = "magic"'),
     "expect.recovery", ["expect.recovery", "transparent"]),
    (_replace('boot = 10', 'boot = -1'), "boot = -1", ["timeouts.boot"]),
    (_replace('boot = 10', 'bot = 10'), "bot = 10", ["unknown key 'bot'"]),
])
def test_bad_input_names_file_and_line(text, needle, words):
    err = _error(text)
    msg = str(err)
    line = line_of(text, needle)
    assert f"bad.toml:{line}:" in msg, msg
    for w in words:
        assert w in msg, msg


def test_missing_workload():
    err = _error(GOOD.replace('workload = "wl_mix"\n', ""))
    assert "bad.toml:1: missing key 'workload'" in str(err)
    assert "wl_hello, wl_ds, wl_mix" in str(err)


def test_toml_syntax_error_has_line():
    text = GOOD.replace('seed = 7', 'seed = = 7')
    err = _error(text)
    assert str(err).startswith(f"bad.toml:{line_of(text, 'seed = = 7')}: TOML syntax error")


def test_several_problems_reported_together():
    err = _error(_replace('seed = 7', 'seed = 7\nsed = 1\nworkers = 0'))
    assert len(err.problems) == 2


def test_unreadable_file(tmp_path):
    with pytest.raises(CampaignError, match="cannot read"):
        load(str(tmp_path / "nope.toml"))
