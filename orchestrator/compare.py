"""Regression report between two runs of the same campaign.

Contract:
- ``compare(base_dir, new_dir)`` → ``Comparison``: experiments matched by id
  AND seed (same campaign text and seed give the same ids/seeds; others are
  listed as unmatched), outcome changes (activation, failure, recovery,
  system, invariants, verdict), recovery-latency medians per fault type and
  overall, and the regressions:
  * an experiment that passed its expectations in BASE and fails in NEW;
  * a panic or hang in NEW where BASE had none (same experiment).
  An experiment not finished (pending / harness fault) in either run is
  left out of the regressions and counted apart.
- ``Comparison.worse`` is true when there is at least one regression;
  ``markdown()`` is the report. The CLI exits 1 when worse, else 0.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from . import report

__all__ = ["Comparison", "compare", "FIELDS"]

FIELDS = ("activated", "failure", "recovery", "system", "invariants", "verdict")


@dataclass
class Comparison:
    base: Dict[str, Any]
    new: Dict[str, Any]
    matched: int = 0
    unmatched: List[str] = field(default_factory=list)
    unfinished: List[str] = field(default_factory=list)
    changes: List[Dict[str, Any]] = field(default_factory=list)
    regressions: List[Dict[str, Any]] = field(default_factory=list)
    improvements: List[Dict[str, Any]] = field(default_factory=list)
    latency: Dict[str, Dict[str, Optional[float]]] = field(default_factory=dict)

    @property
    def worse(self) -> bool:
        return bool(self.regressions)

    def markdown(self) -> str:
        b, n = self.base, self.new
        out = [f"# Regression report: `{b['run_id']}` → `{n['run_id']}`", "",
               f"Campaign {b['campaign_name']} (seed {b['seed']}) → {n['campaign_name']} "
               f"(seed {n['seed']}); code `{b['code_version']}` → `{n['code_version']}`.", "",
               f"**{'WORSE' if self.worse else 'not worse'}**: {len(self.regressions)} "
               f"regression(s), {len(self.improvements)} improvement(s), "
               f"{len(self.changes)} changed, {self.matched} matched experiments, "
               f"{len(self.unmatched)} unmatched, {len(self.unfinished)} unfinished.", ""]
        if self.regressions:
            out += ["## Regressions", ""]
            out += [f"- `{r['id']}`: {r['why']}" for r in self.regressions]
            out.append("")
        if self.improvements:
            out += ["## Improvements", ""]
            out += [f"- `{r['id']}`: {r['why']}" for r in self.improvements]
            out.append("")
        if self.changes:
            out += ["## Outcome changes", "", "| id | field | base | new |", "|---|---|---|---|"]
            for c in self.changes:
                for f, (old, new) in c["fields"].items():
                    out.append(f"| `{c['id']}` | {f} | {old} | {new} |")
            out.append("")
        out += ["## Recovery latency (median ticks)", "", "| fault type | base | new | shift |",
                "|---|---|---|---|"]
        for k, v in sorted(self.latency.items()):
            shift = (f"{v['new'] - v['base']:+g}" if v["base"] is not None and
                     v["new"] is not None else "")
            out.append(f"| {k} | {_fmt(v['base'])} | {_fmt(v['new'])} | {shift} |")
        if self.unmatched:
            out += ["", "## Unmatched experiments (different id or seed)", ""]
            out += [f"- `{i}`" for i in self.unmatched]
        if self.unfinished:
            out += ["", "## Not finished in one of the runs", ""]
            out += [f"- `{i}`" for i in self.unfinished]
        return "\n".join(out) + "\n"


def _fmt(v: Optional[float]) -> str:
    return "" if v is None else f"{v:g}"


def _median(vals: List[int]) -> Optional[float]:
    return float(statistics.median(vals)) if vals else None


def _bad(row: Dict[str, Any]) -> bool:
    return row["system"] in ("panic", "hang")


def compare(base_dir: str, new_dir: str) -> Comparison:
    base, new = report.load(base_dir), report.load(new_dir)
    cmp = Comparison(base.run, new.run)
    brows = {r["id"]: r for r in base.rows}
    nrows = {r["id"]: r for r in new.rows}
    for i in sorted(set(brows) | set(nrows)):
        b, n = brows.get(i), nrows.get(i)
        if b is None or n is None or b["seed"] != n["seed"]:
            cmp.unmatched.append(i)
            continue
        if b["status"] != "done" or n["status"] != "done":
            cmp.unfinished.append(i)
            continue
        cmp.matched += 1
        diff = {f: (b[f], n[f]) for f in FIELDS if b[f] != n[f]}
        if diff:
            cmp.changes.append({"id": i, "fields": diff})
        why = []
        if b["verdict"] == "pass" and n["verdict"] == "fail":
            why.append("passed its expectations, now fails: " + "; ".join(n["violations"]))
        if _bad(n) and not _bad(b):
            why.append(f"new {n['system']} (was {b['system']})")
        if why:
            cmp.regressions.append({"id": i, "why": "; ".join(why)})
        elif b["verdict"] == "fail" and n["verdict"] == "pass":
            cmp.improvements.append({"id": i, "why": "now passes its expectations"})
    for label, rows in (("base", base.rows), ("new", new.rows)):
        per: Dict[str, List[int]] = {}
        for r in rows:
            if r["status"] == "done" and r["recovery_latency"] is not None:
                per.setdefault(r["fault_type"], []).append(r["recovery_latency"])
                per.setdefault("(all)", []).append(r["recovery_latency"])
        for k, vals in per.items():
            cmp.latency.setdefault(k, {"base": None, "new": None})[label] = _median(vals)
    return cmp
