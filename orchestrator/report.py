"""Reports of a run: Markdown, self-contained HTML (plots inline) and JUnit XML.

Contract:
- ``load(run_dir)`` → ``RunData`` (run row, experiment rows, golden run).
- ``summarize(data)`` → counts: passed / failed expectations, not activated,
  harness faults, not run; per system outcome and recovery kind; recovery
  latency median / p90 / max; per (target, fault type) groups.
- ``markdown(data)``, ``html(data)`` (Jinja2 template
  ``templates/report.html.j2``; matplotlib plots embedded as base64 PNG, no
  external reference), ``junit(data)`` (one testcase per experiment,
  classname = campaign.fault_type, a ``failure`` per expectation violation,
  ``error`` for a harness fault, ``skipped`` for one not run).
- ``write(run_dir)`` writes report.md, report.html and junit.xml into the
  run directory and returns their paths.
"""

from __future__ import annotations

import base64
import io
import os
import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from .campaign import RECOVERIES, SYSTEM_OUTCOMES
from .classify import Golden
from .plan import Experiment
from .store import Store

__all__ = ["RunData", "load", "summarize", "markdown", "html", "junit", "write",
           "latency_stats"]

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


@dataclass
class RunData:
    run: Dict[str, Any]
    rows: List[Dict[str, Any]]
    golden: Optional[Golden]


def load(run_dir: str) -> RunData:
    store = Store.open(run_dir)
    try:
        rows = store.rows()
        for r in rows:
            r["plan_text"] = Experiment.from_json(r["plan"]).plan_text()
        return RunData(store.run_info(), rows, store.golden())
    finally:
        store.close()


def latency_stats(values: List[int]) -> Dict[str, Any]:
    if not values:
        return {"n": 0, "median": None, "p90": None, "max": None}
    v = sorted(values)
    return {"n": len(v), "median": statistics.median(v),
            "p90": v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))], "max": v[-1]}


def summarize(data: RunData) -> Dict[str, Any]:
    rows = data.rows
    done = [r for r in rows if r["status"] == "done"]
    system = {s: sum(1 for r in done if r["system"] == s) for s in SYSTEM_OUTCOMES}
    recovery = {k: sum(1 for r in done if r["recovery"] == k) for k in RECOVERIES}
    lat = [r["recovery_latency"] for r in done if r["recovery_latency"] is not None]
    groups: Dict[tuple, Dict[str, Any]] = {}
    for r in done:
        g = groups.setdefault((r["target"], r["fault_type"]),
                              {"target": r["target"], "fault_type": r["fault_type"], "n": 0,
                               "activated": 0, "failed": 0, "system": {}})
        g["n"] += 1
        g["activated"] += bool(r["activated"])
        g["failed"] += r["verdict"] == "fail"
        g["system"][r["system"]] = g["system"].get(r["system"], 0) + 1
    return {
        "total": len(rows),
        "passed": sum(1 for r in done if r["verdict"] == "pass"),
        "failed": sum(1 for r in done if r["verdict"] == "fail"),
        "not_activated": sum(1 for r in done if not r["activated"]),
        "harness": sum(1 for r in rows if r["status"] == "harness_fault"),
        "pending": sum(1 for r in rows if r["status"] in ("pending", "running")),
        "system": system, "recovery": recovery, "latency": latency_stats(lat),
        "latencies": lat,
        "groups": [groups[k] for k in sorted(groups)],
    }


def _when(t: Optional[float]) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)) if t else ""


def markdown(data: RunData) -> str:
    s = summarize(data)
    run = data.run
    out = [f"# Crucible run `{run['run_id']}`", "",
           f"Campaign **{run['campaign_name']}** (`{run['campaign_path']}`), seed {run['seed']}, "
           f"code `{run['code_version']}`, {run['qemu_version']}, machine {run['machine']}, "
           f"{run['workers']} worker(s). Status: **{run['status']}**. "
           f"Started {_when(run['started'])}" + (f", ended {_when(run['ended'])}."
                                                 if run["ended"] else "."), "",
           "## Summary", "",
           f"- {s['passed']} passed, **{s['failed']} failed expectations**, "
           f"{s['not_activated']} not activated, {s['harness']} harness faults, "
           f"{s['pending']} not run — {s['total']} experiments",
           "- system outcomes: " + ", ".join(f"{k} {v}" for k, v in s["system"].items()),
           "- recovery: " + ", ".join(f"{k} {v}" for k, v in s["recovery"].items()),
           f"- recovery latency (ticks): median {s['latency']['median']}, "
           f"p90 {s['latency']['p90']}, max {s['latency']['max']} (n={s['latency']['n']})", "",
           "## Per target and fault type", "",
           "| target | fault | n | activated | " + " | ".join(SYSTEM_OUTCOMES)
           + " | failed expectations |",
           "|---|---|---|---|" + "---|" * len(SYSTEM_OUTCOMES) + "---|"]
    for g in s["groups"]:
        out.append(f"| {g['target'] or '—'} | {g['fault_type']} | {g['n']} | {g['activated']} | "
                   + " | ".join(str(g["system"].get(k, 0)) for k in SYSTEM_OUTCOMES)
                   + f" | {g['failed']} |")
    out += ["", "## Experiments", "",
            "| id | plan | activated | failure | recovery | latency | system | verdict |",
            "|---|---|---|---|---|---|---|---|"]
    for r in data.rows:
        if r["status"] == "harness_fault":
            verdict = f"harness fault: {r['harness_fault']}"
        elif r["status"] != "done":
            verdict = r["status"]
        elif r["verdict"] == "fail":
            verdict = "**FAIL**: " + "; ".join(r["violations"])
        else:
            verdict = "pass"
        act = ("yes" + (f" @{r['activation_tick']}" if r["activation_tick"] is not None else "")
               if r["activated"] else "not activated") if r["status"] == "done" else ""
        failure = (r["failure"] or "") + (f" ({r['failed_label']})" if r["failed_label"] else "")
        plan = r["plan_text"].replace("\n", "<br>").replace("|", "\\|")
        out.append(f"| `{r['id']}` | `{plan}` | {act} | {failure} | {r['recovery'] or ''} | "
                   f"{'' if r['recovery_latency'] is None else r['recovery_latency']} | "
                   f"{r['system'] or ''} | {verdict} |")
    return "\n".join(out) + "\n"


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def plots(s: Dict[str, Any]) -> Dict[str, Optional[str]]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    out: Dict[str, Optional[str]] = {"outcomes": None, "latency": None}
    groups = s["groups"]
    if groups:
        labels = [f"{g['target'] or '-'}\n{g['fault_type']}" for g in groups]
        fig, ax = plt.subplots(figsize=(max(5, 1.1 * len(groups)), 3.6))
        bottom = [0] * len(groups)
        colors = {"passed": "#4c9a4c", "error": "#e0a030", "silent_corruption": "#b05cc0",
                  "hang": "#5080c0", "panic": "#c03030"}
        for sysout in SYSTEM_OUTCOMES:
            vals = [g["system"].get(sysout, 0) for g in groups]
            if any(vals):
                ax.bar(labels, vals, bottom=bottom, label=sysout, color=colors[sysout])
                bottom = [b + v for b, v in zip(bottom, vals)]
        ax.set_ylabel("experiments")
        ax.legend(fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        out["outcomes"] = _png(fig)
        plt.close(fig)
    if s["latencies"]:
        fig, ax = plt.subplots(figsize=(5, 3))
        ax.hist(s["latencies"], bins=min(30, max(5, len(set(s["latencies"])))), color="#5080c0")
        ax.set_xlabel("recovery latency (ticks)")
        ax.set_ylabel("experiments")
        out["latency"] = _png(fig)
        plt.close(fig)
    return out


def html(data: RunData) -> str:
    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             autoescape=jinja2.select_autoescape(["html", "j2"]),
                             undefined=jinja2.StrictUndefined)
    s = summarize(data)
    return env.get_template("report.html.j2").render(
        run=data.run, rows=data.rows, summary=s, groups=s["groups"], systems=SYSTEM_OUTCOMES,
        plots=plots(s), started=_when(data.run["started"]), ended=_when(data.run["ended"]))


def junit(data: RunData) -> str:
    run = data.run
    rows = data.rows
    suite = ET.Element("testsuite", name=f"crucible.{run['campaign_name']}",
                       tests=str(len(rows)),
                       failures=str(sum(1 for r in rows if r["verdict"] == "fail")),
                       errors=str(sum(1 for r in rows if r["status"] == "harness_fault")),
                       skipped=str(sum(1 for r in rows if r["status"] in ("pending", "running"))),
                       time=f"{sum(r['duration_s'] or 0 for r in rows):.3f}")
    props = ET.SubElement(suite, "properties")
    for k in ("run_id", "seed", "code_version", "qemu_version"):
        ET.SubElement(props, "property", name=k, value=str(run[k]))
    for r in rows:
        tc = ET.SubElement(suite, "testcase", name=r["id"],
                           classname=f"{run['campaign_name']}.{r['fault_type'].replace('/', '.')}",
                           time=f"{r['duration_s'] or 0:.3f}")
        if r["status"] == "harness_fault":
            ET.SubElement(tc, "error", message=str(r["harness_fault"]), type="harness_fault")
        elif r["status"] != "done":
            ET.SubElement(tc, "skipped", message=f"not run ({r['status']})")
        elif r["verdict"] == "fail":
            for v in r["violations"]:
                ET.SubElement(tc, "failure", message=v, type="expectation")
        out = ET.SubElement(tc, "system-out")
        out.text = (f"plan:\n{r['plan_text']}\nactivated={bool(r['activated'])} "
                    f"failure={r['failure']} recovery={r['recovery']} "
                    f"latency={r['recovery_latency']} system={r['system']}")
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def write(run_dir: str) -> Dict[str, str]:
    data = load(run_dir)
    paths = {"markdown": os.path.join(run_dir, "report.md"),
             "html": os.path.join(run_dir, "report.html"),
             "junit": os.path.join(run_dir, "junit.xml")}
    for kind, text in (("markdown", markdown(data)), ("html", html(data)),
                       ("junit", junit(data))):
        with open(paths[kind], "w", encoding="utf-8") as f:
            f.write(text)
    return paths
