"""Expand a Campaign into concrete experiments, deterministically.

Contract:
- ``expand(campaign)`` returns ``campaign.experiments`` Experiments. The same
  campaign (same text, same seed) always gives the same list: ids, seeds,
  fault lines, VM faults, expectations. Nothing here reads the clock or the
  global random generator.
- Experiment i (0-based) has seed ``derive_seed(campaign.seed, i)`` and id
  ``NNNN-<template>`` (NNNN = i+1). Its template is picked round-robin over
  ``[[faults]]`` when every weight is equal, else by weight with the
  experiment's own generator. Each field's Choice is sampled with that
  generator, so editing one template changes only the experiments that
  use it.
- An inject fault becomes one ``fault add …`` command line (docs/inject.md).
  When a fault has a probability below 1e6 and no seed, the experiment seed
  is used so that the guest's draw is reproducible too.
- A VM-level fault becomes a ``VmFault(kind, params)``; params always carry
  ``delay_ms`` (after the workload starts) and, for bit flips, ``seed`` (which
  bits / which addresses the adapter picks).
- Expectations: campaign ``[expect]`` overridden key by key by the
  template's ``expect``.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Tuple

from .campaign import PROB_MAX, Campaign, Choice, FaultTemplate

__all__ = ["Experiment", "VmFault", "expand", "derive_seed", "fault_line"]

#: Order of fields on a ``fault add`` line.
_LINE_ORDER = ("site", "action", "target", "source", "type", "nth", "after", "prob",
               "seed", "persistent", "arg", "mask")


@dataclass(frozen=True)
class VmFault:
    kind: str                      # vm_pause | mem_bitflip | reg_bitflip
    params: Dict[str, Any]

    def describe(self) -> str:
        return self.kind + " " + " ".join(f"{k}={v}" for k, v in sorted(self.params.items()))


@dataclass(frozen=True)
class Experiment:
    id: str
    index: int
    seed: int
    template: str
    fault_type: str                # "sef/crash", "ipc/drop", "vm_pause", ...
    target: str                    # label hit ("" for reg_bitflip / vm_pause)
    faults: Tuple[str, ...]        # control-channel command lines
    vm_faults: Tuple[VmFault, ...] = ()
    expect: Dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> Dict[str, Any]:
        d = asdict(self)
        d["faults"] = list(self.faults)
        d["vm_faults"] = [asdict(v) for v in self.vm_faults]
        return d

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Experiment":
        return cls(id=d["id"], index=d["index"], seed=d["seed"], template=d["template"],
                   fault_type=d["fault_type"], target=d["target"], faults=tuple(d["faults"]),
                   vm_faults=tuple(VmFault(v["kind"], dict(v["params"])) for v in d["vm_faults"]),
                   expect=dict(d["expect"]))

    def plan_text(self) -> str:
        """The plan, one line per action (for reports and replay)."""
        return "\n".join(list(self.faults) + [f"vm {v.describe()}" for v in self.vm_faults])


def derive_seed(campaign_seed: int, index: int) -> int:
    """A 31-bit seed for experiment ``index`` (stable across Python versions)."""
    h = hashlib.sha256(f"crucible:{campaign_seed}:{index}".encode()).digest()
    return int.from_bytes(h[:4], "big") & 0x7FFFFFFF


def _sample(c: Choice, rng: random.Random) -> Any:
    if c.kind == "range":
        return rng.randint(c.lo, c.hi)
    if c.kind == "list":
        return c.values[rng.randrange(len(c.values))]
    return c.values[0]


def _norm(key: str, v: Any) -> Any:
    if key in ("type", "arg", "mask") and isinstance(v, str):
        return int(v, 0)
    if key == "persistent":
        return int(bool(v))
    return v


def fault_line(values: Dict[str, Any]) -> str:
    """``fault add`` command line for concrete field values."""
    parts = [f"{k}={values[k]}" for k in _LINE_ORDER if k in values]
    return "fault add " + " ".join(parts)


def _concretize(t: FaultTemplate, rng: random.Random, exp_seed: int):
    # Sample in a fixed (sorted) order so the draw sequence is stable.
    values = {k: _norm(k, _sample(t.fields[k], rng)) for k in sorted(t.fields)}
    if t.kind == "inject":
        if values.get("prob", PROB_MAX) < PROB_MAX and "seed" not in values:
            values["seed"] = exp_seed
        return ((fault_line(values),), (), f"{values['site']}/{values['action']}",
                str(values["target"]))
    params = dict(values)
    params.setdefault("delay_ms", 0)
    if t.kind == "mem_bitflip":
        params.setdefault("bits", 1)
        params["seed"] = exp_seed
    if t.kind == "reg_bitflip" and "bit" not in params:
        params["bit"] = rng.randint(0, 31)
    return (), (VmFault(t.kind, params),), t.kind, str(params.get("target", ""))


def expand(campaign: Campaign) -> List[Experiment]:
    """Every experiment of the campaign, in index order."""
    templates = campaign.faults
    weights = [t.weight for t in templates]
    weighted = len(set(weights)) > 1
    width = max(4, len(str(campaign.experiments)))
    out = []
    for i in range(campaign.experiments):
        seed = derive_seed(campaign.seed, i)
        rng = random.Random(seed)
        if weighted:
            t = rng.choices(templates, weights=weights)[0]
        else:
            t = templates[i % len(templates)]
        faults, vm_faults, ftype, target = _concretize(t, rng, seed)
        expect = dict(campaign.expect)
        expect.update(t.expect)
        out.append(Experiment(id=f"{i + 1:0{width}d}-{t.name}", index=i, seed=seed,
                              template=t.name, fault_type=ftype, target=target,
                              faults=faults, vm_faults=vm_faults, expect=expect))
    return out


def fingerprint(experiments: List[Experiment]) -> str:
    """A digest of a plan (to check two runs ran the same experiments)."""
    blob = json.dumps([e.to_json() for e in experiments], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
