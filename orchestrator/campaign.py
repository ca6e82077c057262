"""Campaign specifications: load a TOML file, validate it, return a Campaign.

Contract:
- ``load(path)`` / ``loads(text, path)`` return a validated ``Campaign`` or
  raise ``CampaignError``. Validation happens entirely before anything runs.
  A CampaignError carries every problem found (``.problems``: list of
  ``Problem(file, line, message)``); ``str()`` is one line per problem,
  ``FILE:LINE: what is wrong (expected …)``.
- tomllib gives no positions for keys, so ``KeyLocator`` finds them by
  scanning the text (table headers, ``[[faults]]`` entries, dotted keys,
  inline tables).
- A fault field may be a scalar, a list (one value is sampled) or a range
  ``{min=…, max=…}`` (an integer sampled uniformly, both ends included).
  Sampling happens in plan.py; this module only checks every possible value.

The fault vocabulary is docs/inject.md's (sites, actions, trigger fields)
plus the VM-level kinds done from the host: ``vm_pause``, ``mem_bitflip``,
``reg_bitflip``.

Top-level keys: name, description, seed, experiments, workload, workers,
recovery (bool; false boots the guest with ``rs_recovery=0``), boot_args
(extra kernel command line), [timeouts] boot/experiment/workload (seconds),
[expect] (defaults for every fault), retries (harness-fault retries),
[[faults]] (fault templates; each may carry its own ``expect``).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

__all__ = [
    "CampaignError", "Problem", "Campaign", "FaultTemplate", "Timeouts", "Choice",
    "load", "loads", "known_labels", "SITE_ACTIONS", "WORKLOADS", "VM_KINDS",
    "SYSTEM_OUTCOMES", "RECOVERIES", "FAILURES",
]

# -- vocabulary ---------------------------------------------------------------

SITE_ACTIONS: Dict[str, Tuple[str, ...]] = {
    "ipc": ("drop", "delay", "duplicate", "corrupt", "reorder"),
    "kcall": ("fail",),
    "sef": ("crash", "panic", "exit", "hang", "reply_error", "corrupt_state"),
}
VM_KINDS = ("vm_pause", "mem_bitflip", "reg_bitflip")
FAULT_KINDS = ("inject",) + VM_KINDS
BOOT_LABELS = ("rs", "ds", "pm", "vm", "tty", "hello", "init")
PROGRAM_LABELS = ("wl_hello", "wl_ds", "wl_mix", "test_ipc", "ipc_peer", "test_ds",
                  "test_rs", "bench_ipc", "bench_peer")
#: Programs a campaign may use as its workload (RS's program table).
WORKLOADS = ("wl_hello", "wl_ds", "wl_mix")
REGIONS = ("text", "data", "stack")
REGISTERS = ("eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp", "eip", "eflags")
RECOVERIES = ("transparent", "reset", "rollback", "none", "gave_up")
FAILURES = ("none", "crash", "exception", "hang", "panic")
SYSTEM_OUTCOMES = ("passed", "error", "silent_corruption", "hang", "panic")

TOP_KEYS = {"name", "description", "seed", "experiments", "workload", "workers",
            "recovery", "boot_args", "timeouts", "expect", "faults", "retries"}
TIMEOUT_KEYS = {"boot", "experiment", "workload"}
EXPECT_KEYS = {"recovery", "max_recovery_ticks", "system", "failure", "invariants",
               "activated"}
COMMON_FAULT_KEYS = {"kind", "name", "weight", "expect"}
INJECT_KEYS = {"site", "action", "target", "source", "type", "nth", "after", "prob",
               "seed", "persistent", "arg", "mask"}
VM_KEYS = {
    "vm_pause": {"duration_ms", "delay_ms"},
    "mem_bitflip": {"target", "region", "bits", "delay_ms"},
    "reg_bitflip": {"register", "bit", "delay_ms"},
}
PROB_MAX = 1_000_000


def known_labels(repo: Optional[str] = None) -> frozenset:
    """Labels a fault may target: boot processes, RS's program table (the
    static list, plus whatever servers/rs/table.c declares when found)."""
    labels = set(BOOT_LABELS) | set(PROGRAM_LABELS)
    repo = repo or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    table = os.path.join(repo, "system", "servers", "rs", "table.c")
    try:
        with open(table, encoding="utf-8", errors="replace") as f:
            labels |= set(re.findall(r'^\s*\{\s*"([a-z_][a-z0-9_]*)"', f.read(), re.M))
    except OSError:
        pass
    return frozenset(labels)


# -- errors -------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class CampaignError(Exception):
    """The campaign file cannot be used. ``problems`` lists every problem
    with its file and line; the message is one problem per line."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# -- key positions ------------------------------------------------------------

_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")
_INLINE_KEY_RE = re.compile(r"([A-Za-z0-9_\-]+)\s*=")


class KeyLocator:
    """Maps key paths (tuples such as ``("faults", 2, "nth")``) to the
    1-based line where they are written. Keys inside an inline table map to
    the inline table's line. Unknown paths fall back to their nearest known
    ancestor, then to line 1."""

    def __init__(self, text: str):
        self.lines: Dict[Tuple, int] = {}
        prefix: Tuple = ()
        arrays: Dict[Tuple, int] = {}
        in_multiline = False
        for no, raw in enumerate(text.splitlines(), 1):
            if raw.count('"""') % 2 == 1 or raw.count("'''") % 2 == 1:
                in_multiline = not in_multiline
                if not in_multiline:
                    continue
            elif in_multiline:
                continue
            h = _HEADER_RE.match(raw)
            if h and not _KEY_RE.match(raw):
                parts = tuple(p.strip().strip('"') for p in h.group(2).split("."))
                if h.group(1) == "[[":
                    idx = arrays.get(parts, -1) + 1
                    arrays[parts] = idx
                    prefix = parts + (idx,)
                else:
                    prefix = parts
                self.lines.setdefault(prefix, no)
                for i in range(1, len(parts)):
                    self.lines.setdefault(parts[:i], no)
                continue
            k = _KEY_RE.match(raw)
            if k:
                parts = tuple(p.strip() for p in k.group(1).split("."))
                path = prefix + parts
                for i in range(len(prefix) + 1, len(path) + 1):
                    self.lines.setdefault(path[:i], no)
                rest = raw[k.end():]
                if "{" in rest:  # inline table: its keys live on this line
                    for sub in _INLINE_KEY_RE.findall(rest.split("{", 1)[1]):
                        self.lines.setdefault(path + (sub,), no)

    def line(self, path: Tuple) -> int:
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


# -- the model ----------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    """A field's possible values: ``kind`` is ``value`` (``values`` has one
    element), ``list`` (sample one of ``values``) or ``range`` (an integer in
    ``lo..hi``, both included)."""
    kind: str
    values: Tuple = ()
    lo: int = 0
    hi: int = 0

    def possible(self) -> List[Any]:
        """Every value to validate (a range: its two ends)."""
        return [self.lo, self.hi] if self.kind == "range" else list(self.values)

    def to_json(self) -> Any:
        if self.kind == "range":
            return {"min": self.lo, "max": self.hi}
        return list(self.values) if self.kind == "list" else self.values[0]


@dataclass(frozen=True)
class FaultTemplate:
    """One ``[[faults]]`` entry. ``fields``: field name → Choice (``kind``,
    ``name``, ``weight`` and ``expect`` are kept apart)."""
    index: int
    name: str
    kind: str
    fields: Dict[str, Choice]
    expect: Dict[str, Any]
    weight: float = 1.0
    line: int = 0


@dataclass(frozen=True)
class Timeouts:
    boot: float = 60.0
    experiment: float = 60.0
    workload: float = 20.0


@dataclass
class Campaign:
    """A validated campaign. ``text`` is the file's text (stored with each
    run, so a run can be resumed or replayed without the file)."""
    name: str
    path: str
    text: str
    workload: str
    faults: List[FaultTemplate]
    description: str = ""
    seed: int = 1
    experiments: int = 1
    workers: Optional[int] = None
    recovery: bool = True
    boot_args: str = ""
    retries: int = 2
    timeouts: Timeouts = field(default_factory=Timeouts)
    expect: Dict[str, Any] = field(default_factory=dict)

    @property
    def append(self) -> str:
        """The kernel command line this campaign boots with (boot options the
        guest must honour: ``rs_recovery=0`` when recovery is off)."""
        opts = [] if self.recovery else ["rs_recovery=0"]
        if self.boot_args:
            opts.append(self.boot_args)
        return " ".join(opts)


# -- validation ---------------------------------------------------------------

class _Checker:
    def __init__(self, path: str, text: str, labels: frozenset):
        self.path = path
        self.loc = KeyLocator(text)
        self.labels = labels
        self.problems: List[Problem] = []

    def err(self, keypath: Tuple, message: str) -> None:
        self.problems.append(Problem(self.path, self.loc.line(keypath), message))

    def unknown_keys(self, table: Dict, allowed: set, where: Tuple, what: str) -> None:
        for key in table:
            if key not in allowed:
                self.err(where + (key,), f"unknown key '{key}' in {what} "
                         f"(expected one of: {', '.join(sorted(allowed))})")

    # scalar checks ------------------------------------------------------

    def integer(self, v: Any, kp: Tuple, name: str, lo: Optional[int] = None,
                hi: Optional[int] = None, hex_ok: bool = False) -> Optional[int]:
        if isinstance(v, str) and hex_ok:
            try:
                v = int(v, 0)
            except ValueError:
                self.err(kp, f"{name} = {v!r}: expected an integer (decimal or 0x hex)")
                return None
        if isinstance(v, bool) or not isinstance(v, int):
            self.err(kp, f"{name} = {v!r}: expected an integer")
            return None
        if lo is not None and v < lo or hi is not None and v > hi:
            rng = f"{lo}..{hi}" if hi is not None else f">= {lo}"
            self.err(kp, f"{name} = {v}: out of range (expected {rng})")
            return None
        return v

    def number(self, v: Any, kp: Tuple, name: str, lo: float = 0.0) -> Optional[float]:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.err(kp, f"{name} = {v!r}: expected a number")
            return None
        if v < lo or (lo == 0.0 and v == 0 and name.startswith("timeouts")):
            self.err(kp, f"{name} = {v}: expected a number > {lo}")
            return None
        return float(v)

    def choice(self, v: Any, kp: Tuple, name: str) -> Optional[Choice]:
        if isinstance(v, list):
            if not v:
                self.err(kp, f"{name}: empty list (expected at least one value)")
                return None
            return Choice("list", tuple(v))
        if isinstance(v, dict):
            if set(v) != {"min", "max"}:
                self.err(kp, f"{name}: a range must be {{min = A, max = B}}, got keys "
                         f"{', '.join(sorted(v)) or 'none'}")
                return None
            lo = self.integer(v["min"], kp, f"{name}.min", hex_ok=True)
            hi = self.integer(v["max"], kp, f"{name}.max", hex_ok=True)
            if lo is None or hi is None:
                return None
            if lo > hi:
                self.err(kp, f"{name}: range min {lo} > max {hi}")
                return None
            return Choice("range", (), lo, hi)
        return Choice("value", (v,))

    # the spec ----------------------------------------------------------

    def campaign(self, data: Dict, text: str) -> Optional[Campaign]:
        self.unknown_keys(data, TOP_KEYS, (), "the campaign")
        for key in ("name", "workload"):
            if key not in data:
                self.problems.append(Problem(self.path, 1, f"missing key '{key}' "
                                     + ("(the campaign's name, a string)" if key == "name" else
                                        f"(the program to run, one of: {', '.join(WORKLOADS)})")))
        name = data.get("name", "")
        if "name" in data and (not isinstance(name, str) or not name.strip()):
            self.err(("name",), "name: expected a non-empty string")
        workload = data.get("workload")
        if workload is not None and workload not in WORKLOADS:
            self.err(("workload",), f"workload = {workload!r}: unknown program "
                     f"(expected one of: {', '.join(WORKLOADS)})")
        desc = data.get("description", "")
        if not isinstance(desc, str):
            self.err(("description",), "description: expected a string")
        seed = self.integer(data.get("seed", 1), ("seed",), "seed", 0)
        workers = data.get("workers")
        if workers is not None:
            workers = self.integer(workers, ("workers",), "workers", 1)
        retries = self.integer(data.get("retries", 2), ("retries",), "retries", 0, 10)
        recovery = data.get("recovery", True)
        if not isinstance(recovery, bool):
            self.err(("recovery",), f"recovery = {recovery!r}: expected true or false")
        boot_args = data.get("boot_args", "")
        if not isinstance(boot_args, str):
            self.err(("boot_args",), "boot_args: expected a string (kernel command line)")
        timeouts = self.timeouts(data.get("timeouts", {}))
        expect = self.expect(data.get("expect", {}), ("expect",))
        faults_raw = data.get("faults")
        faults: List[FaultTemplate] = []
        if faults_raw is None:
            self.problems.append(Problem(self.path, 1, "missing [[faults]]: expected at least "
                                         "one fault template"))
        elif not isinstance(faults_raw, list) or not all(isinstance(f, dict) for f in faults_raw):
            self.err(("faults",), "faults: expected an array of tables ([[faults]])")
        else:
            names: Dict[str, int] = {}
            for i, f in enumerate(faults_raw):
                t = self.fault(i, f)
                if t is not None:
                    n = t.name
                    if n in names:
                        names[n] += 1
                        n = f"{n}_{names[t.name]}"
                        t = FaultTemplate(t.index, n, t.kind, t.fields, t.expect, t.weight, t.line)
                    names.setdefault(n, 1)
                    faults.append(t)
        n_exp = data.get("experiments", len(faults) or 1)
        experiments = self.integer(n_exp, ("experiments",), "experiments", 1, 1_000_000)
        if self.problems:
            return None
        return Campaign(name=name, path=self.path, text=text, workload=workload,
                        faults=faults, description=desc, seed=seed, experiments=experiments,
                        workers=workers, recovery=recovery, boot_args=boot_args,
                        retries=retries, timeouts=timeouts, expect=expect)

    def timeouts(self, t: Any) -> Timeouts:
        if not isinstance(t, dict):
            self.err(("timeouts",), "timeouts: expected a table [timeouts]")
            return Timeouts()
        self.unknown_keys(t, TIMEOUT_KEYS, ("timeouts",), "[timeouts]")
        vals = {}
        for k in TIMEOUT_KEYS & set(t):
            v = t[k]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
                self.err(("timeouts", k), f"timeouts.{k} = {v!r}: expected a number of "
                         "seconds > 0")
            else:
                vals[k] = float(v)
        return Timeouts(**vals)

    def expect(self, e: Any, kp: Tuple) -> Dict[str, Any]:
        if not isinstance(e, dict):
            self.err(kp, "expect: expected a table")
            return {}
        self.unknown_keys(e, EXPECT_KEYS, kp, "expect")
        out: Dict[str, Any] = {}
        for key, allowed in (("recovery", RECOVERIES), ("system", SYSTEM_OUTCOMES),
                             ("failure", FAILURES)):
            if key in e:
                v = e[key]
                vals = v if isinstance(v, list) else [v]
                bad = [x for x in vals if x not in allowed]
                if bad or not vals:
                    self.err(kp + (key,), f"expect.{key} = {v!r}: expected one of "
                             f"{', '.join(allowed)} (or a list of them)")
                else:
                    out[key] = list(vals)
        if "max_recovery_ticks" in e:
            v = self.integer(e["max_recovery_ticks"], kp + ("max_recovery_ticks",),
                             "expect.max_recovery_ticks", 0)
            if v is not None:
                out["max_recovery_ticks"] = v
        if "invariants" in e:
            v = e["invariants"]
            if v not in ("hold", "any"):
                self.err(kp + ("invariants",), f"expect.invariants = {v!r}: expected "
                         "\"hold\" or \"any\"")
            else:
                out["invariants"] = v
        if "activated" in e:
            v = e["activated"]
            if not isinstance(v, bool):
                self.err(kp + ("activated",), "expect.activated: expected true or false")
            else:
                out["activated"] = v
        return out

    def fault(self, i: int, f: Dict) -> Optional[FaultTemplate]:
        kp = ("faults", i)
        before = len(self.problems)
        kind = f.get("kind", "inject")
        if kind not in FAULT_KINDS:
            self.err(kp + ("kind",), f"unknown fault kind {kind!r} (expected one of: "
                     f"{', '.join(FAULT_KINDS)})")
            return None
        allowed = COMMON_FAULT_KEYS | (INJECT_KEYS if kind == "inject" else VM_KEYS[kind])
        self.unknown_keys(f, allowed, kp, f"a {kind} fault")
        fields: Dict[str, Choice] = {}
        for key in f:
            if key in allowed - COMMON_FAULT_KEYS:
                c = self.choice(f[key], kp + (key,), key)
                if c is not None:
                    fields[key] = c
        if kind == "inject":
            self.inject_fields(kp, fields)
            default_name = "_".join(str(fields[k].to_json()) if fields.get(k) and
                                    fields[k].kind == "value" else k
                                    for k in ("site", "action", "target") if k in fields)
        else:
            self.vm_fields(kind, kp, fields)
            default_name = kind + (f"_{fields['target'].to_json()}" if "target" in fields
                                   and fields["target"].kind == "value" else "")
        name = f.get("name", default_name or f"fault{i}")
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]+", name):
            self.err(kp + ("name",), f"name = {name!r}: expected letters, digits, _ . -")
        weight = f.get("weight", 1.0)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            self.err(kp + ("weight",), f"weight = {weight!r}: expected a number >= 0")
            weight = 1.0
        expect = self.expect(f.get("expect", {}), kp + ("expect",))
        if len(self.problems) != before:
            return None
        return FaultTemplate(i, name, kind, fields, expect, float(weight), self.loc.line(kp))

    def _each(self, fields: Dict[str, Choice], key: str, kp: Tuple, check) -> None:
        c = fields.get(key)
        if c is None:
            return
        for v in c.possible():
            check(v, kp + (key,))

    def _label(self, key: str, allow_any: bool):
        def check(v, kp):
            ok = isinstance(v, str) and (v in self.labels or (allow_any and v == "any"))
            if not ok:
                self.err(kp, f"{key} = {v!r}: unknown label (expected one of: "
                         f"{', '.join(sorted(self.labels))}{', any' if allow_any else ''})")
        return check

    def _int(self, key: str, lo=None, hi=None, hex_ok=False):
        return lambda v, kp: self.integer(v, kp, key, lo, hi, hex_ok)

    def _enum(self, key: str, allowed: Sequence[str]):
        def check(v, kp):
            if v not in allowed:
                self.err(kp, f"{key} = {v!r}: expected one of: {', '.join(allowed)}")
        return check

    def inject_fields(self, kp: Tuple, fields: Dict[str, Choice]) -> None:
        for key in ("site", "action", "target"):
            if key not in fields:
                self.err(kp, f"fault #{kp[1] + 1}: missing '{key}'")
        self._each(fields, "site", kp, self._enum("site", tuple(SITE_ACTIONS)))
        sites = [s for s in (fields["site"].possible() if "site" in fields else [])
                 if s in SITE_ACTIONS]
        if "action" in fields:
            for a in fields["action"].possible():
                for s in sites:
                    if a not in SITE_ACTIONS[s]:
                        only = [x for x, acts in SITE_ACTIONS.items() if a in acts]
                        hint = f"; '{a}' is a {'/'.join(only)} action" if only else ""
                        self.err(kp + ("action",), f"action = {a!r} is not valid at site "
                                 f"'{s}' (expected one of: {', '.join(SITE_ACTIONS[s])}){hint}")
        self._each(fields, "target", kp, self._label("target", True))
        self._each(fields, "source", kp, self._label("source", True))
        if "source" in fields and any(s != "ipc" for s in sites):
            self.err(kp + ("source",), "source: only an ipc fault has a sender "
                     "(remove source or use site = \"ipc\")")
        self._each(fields, "type", kp, self._int("type", 0, hex_ok=True))
        self._each(fields, "nth", kp, self._int("nth", 1))
        self._each(fields, "after", kp, self._int("after", 0))
        self._each(fields, "prob", kp, self._int("prob", 0, PROB_MAX))
        self._each(fields, "seed", kp, self._int("seed", 0))
        self._each(fields, "persistent", kp, self._persistent)
        self._each(fields, "arg", kp, self._int("arg", hex_ok=True))
        self._each(fields, "mask", kp, self._int("mask", 0, hex_ok=True))

    def _persistent(self, v, kp):
        if not (isinstance(v, bool) or v in (0, 1)):
            self.err(kp, f"persistent = {v!r}: expected 0, 1, true or false")

    def vm_fields(self, kind: str, kp: Tuple, fields: Dict[str, Choice]) -> None:
        self._each(fields, "delay_ms", kp, self._int("delay_ms", 0))
        if kind == "vm_pause":
            if "duration_ms" not in fields:
                self.err(kp, f"fault #{kp[1] + 1}: vm_pause needs duration_ms")
            self._each(fields, "duration_ms", kp, self._int("duration_ms", 1, 600_000))
        elif kind == "mem_bitflip":
            for key in ("target", "region"):
                if key not in fields:
                    self.err(kp, f"fault #{kp[1] + 1}: mem_bitflip needs {key}")
            self._each(fields, "target", kp, self._label("target", False))
            self._each(fields, "region", kp, self._enum("region", REGIONS))
            self._each(fields, "bits", kp, self._int("bits", 1, 64))
        else:
            if "register" not in fields:
                self.err(kp, f"fault #{kp[1] + 1}: reg_bitflip needs register")
            self._each(fields, "register", kp, self._enum("register", REGISTERS))
            self._each(fields, "bit", kp, self._int("bit", 0, 31))


def loads(text: str, path: str = "<campaign>", labels: Optional[frozenset] = None) -> Campaign:
    """Parse and validate campaign text. Raises CampaignError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = int(m.group(1)) if m else 1
        what = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        col = f", column {m.group(2)}" if m else ""
        raise CampaignError([Problem(path, line, f"TOML syntax error{col}: {what}")]) from None
    checker = _Checker(path, text, labels if labels is not None else known_labels())
    campaign = checker.campaign(data, text)
    if checker.problems:
        raise CampaignError(sorted(checker.problems, key=lambda p: p.line))
    return campaign


def load(path: str, labels: Optional[frozenset] = None) -> Campaign:
    """Read and validate a campaign file. Raises CampaignError (also when the
    file cannot be read)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise CampaignError([Problem(path, 0, f"cannot read campaign: {exc}")]) from None
    return loads(text, path, labels)
