"""report.py, compare.py and the CLI commands on fake runs."""

import re
import xml.etree.ElementTree as ET

from orchestrator import report
from orchestrator.compare import compare

from .conftest import crucible


def _run(out, campaign, run_id, *extra):
    r = crucible("run", campaign, "--machine", "fake", "--out", str(out), "--run-id", run_id,
                 "--workers", "1", "--no-progress", *extra)
    assert r.returncode in (0, 1), r.stderr
    return r


def test_reports_and_compare(tmp_path, campaign_file):
    out = tmp_path / "res"
    base = campaign_file(9)
    _run(out, base, "base")
    run_dir = out / "base"
    for name in ("report.md", "report.html", "junit.xml"):
        assert (run_dir / name).exists()
    html = (run_dir / "report.html").read_text()
    assert "data:image/png;base64," in html
    # self-contained: no external scripts, styles or images
    assert not re.search(r'(src|href)="(?!data:)', html)
    suite = ET.parse(run_dir / "junit.xml").getroot()
    assert suite.tag == "testsuite" and len(suite.findall("testcase")) == 9
    md = (run_dir / "report.md").read_text()
    assert "| `0001-crash` |" in md

    # same campaign again: not worse
    _run(out, base, "same")
    assert not compare(str(run_dir), str(out / "same")).worse
    assert crucible("compare", "base", "same", "--out", str(out)).returncode == 0

    # recovery off: crash experiments now fail their expectations -> worse
    worse = campaign_file(9, "recovery = false")
    r = _run(out, worse, "norec")
    assert r.returncode == 1
    cmp = compare(str(run_dir), str(out / "norec"))
    assert cmp.worse and all("crash" in x["id"] for x in cmp.regressions)
    r = crucible("compare", "base", "norec", "--out", str(out), "--report",
                 str(tmp_path / "reg.md"))
    assert r.returncode == 1 and "WORSE" in r.stdout
    assert "Regressions" in (tmp_path / "reg.md").read_text()
    # and the other way round it is an improvement, not worse
    back = compare(str(out / "norec"), str(run_dir))
    assert not back.worse and back.improvements


def test_junit_failures_for_violations(tmp_path, campaign_file):
    out = tmp_path / "res"
    _run(out, campaign_file(3, "recovery = false"), "r")
    suite = ET.parse(out / "r" / "junit.xml").getroot()
    assert int(suite.get("failures")) >= 1
    fails = [tc for tc in suite.findall("testcase") if tc.find("failure") is not None]
    msgs = [f.get("message") for f in fails[0].findall("failure")]
    assert "recovery none, expected transparent" in msgs


def test_cli_list_report_replay_and_errors(tmp_path, campaign_file):
    out = tmp_path / "res"
    _run(out, campaign_file(3), "one")
    r = crucible("list", "--out", str(out))
    assert r.returncode == 0 and re.search(r"one\s+many\s+done\s+3/3", r.stdout), r.stdout
    r = crucible("report", "one", "--out", str(out))
    assert r.returncode == 0 and "report.html" in r.stdout
    r = crucible("replay", "one", "0001-crash", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "crucible-workload: wl_hello start" in r.stdout and "recovery=transparent" in r.stdout
    # clear errors
    r = crucible("replay", "one", "9999-x", "--out", str(out))
    assert r.returncode == 2 and "no experiment '9999-x'" in r.stderr
    r = crucible("report", "nope", "--out", str(out))
    assert r.returncode == 2 and "no run 'nope'" in r.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nworkload = "wl_hello"\n[[faults]]\nsite = "kcall"\n'
                   'action = "drop"\ntarget = "pm"\n')
    r = crucible("run", str(bad), "--machine", "fake", "--out", str(out))
    assert r.returncode == 2 and f"{bad}:5: action = 'drop' is not valid at site 'kcall'" \
        in r.stderr
    r = crucible("run", campaign_file(3), "--machine", "fake", "--out", str(out),
                 "--run-id", "one")
    assert r.returncode == 2 and "exists already" in r.stderr
    for cmd in ("run", "resume", "report", "compare", "replay", "list"):
        assert crucible(cmd, "--help").returncode == 0


def test_smoke_campaign_on_fake(tmp_path):
    r = crucible("run", "campaigns/smoke.toml", "--machine", "fake", "--out", str(tmp_path),
                 "--run-id", "s", "--no-progress")
    assert r.returncode == 0, r.stdout + r.stderr
    data = report.load(str(tmp_path / "s"))
    assert [x["verdict"] for x in data.rows] == ["pass"] * len(data.rows)
