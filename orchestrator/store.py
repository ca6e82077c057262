"""The results store: one SQLite database per run, ``results/<run-id>/run.db``.

Contract:
- WAL mode, ``synchronous=NORMAL``; one writer (the runner's main process).
  Each state change of an experiment is one transaction, so a run killed at
  any point (Ctrl-C, kill -9) keeps every finished experiment and loses at
  most the ones in flight, which stay ``running``.
- ``Store.create(dir, campaign, experiments, meta)`` writes the run row (the
  campaign text, code version, QEMU version, start time) and one ``pending``
  row per experiment. ``Store.open(dir)`` opens an existing run.
- Experiment status: ``pending`` → ``running`` → ``done`` | ``harness_fault``
  (given up after the retries); a retried harness fault goes back to
  ``pending`` with ``attempts`` incremented. ``reset_running()`` (at resume)
  puts ``running`` rows back to ``pending``: they are redone, not repeated
  (their partial events are deleted in the same transaction).
- ``record(id, outcome, violations, evidence)`` stores the outcome fields,
  the events and a console excerpt, and marks the experiment done.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from typing import Any, Dict, Iterator, List, Optional

from .classify import Evidence, Golden, Outcome
from .plan import Experiment

__all__ = ["Store", "StoreError", "SCHEMA_VERSION", "CONSOLE_EXCERPT"]

SCHEMA_VERSION = 1
CONSOLE_EXCERPT = 16_000        # characters kept per experiment

SCHEMA = """
CREATE TABLE IF NOT EXISTS run (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    run_id TEXT NOT NULL,
    schema INTEGER NOT NULL,
    campaign_name TEXT NOT NULL,
    campaign_path TEXT NOT NULL,
    campaign_text TEXT NOT NULL,
    seed INTEGER NOT NULL,
    code_version TEXT,
    qemu_version TEXT,
    machine TEXT,
    workers INTEGER,
    started REAL NOT NULL,
    ended REAL,
    status TEXT NOT NULL,              -- running | interrupted | done | failed
    golden TEXT                        -- JSON of Golden
);
CREATE TABLE IF NOT EXISTS experiments (
    id TEXT PRIMARY KEY,
    idx INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    template TEXT NOT NULL,
    fault_type TEXT NOT NULL,
    target TEXT NOT NULL,
    plan TEXT NOT NULL,                -- JSON of Experiment
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    started REAL, ended REAL, duration_s REAL,
    activated INTEGER, activation_tick INTEGER,
    failure TEXT, failed_label TEXT,
    recovery TEXT, recovery_latency INTEGER,
    system TEXT, invariants TEXT, panic_message TEXT,
    workload_status INTEGER,
    harness_fault TEXT,
    verdict TEXT,                      -- pass | fail | NULL (not judged)
    violations TEXT
);
CREATE INDEX IF NOT EXISTS experiments_status ON experiments(status);
CREATE TABLE IF NOT EXISTS events (
    exp_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT, tick INTEGER, json TEXT NOT NULL,
    PRIMARY KEY (exp_id, seq)
);
CREATE TABLE IF NOT EXISTS console (
    exp_id TEXT PRIMARY KEY, text TEXT NOT NULL
);
"""

OUTCOME_COLS = ("activated", "activation_tick", "failure", "failed_label", "recovery",
                "recovery_latency", "system", "invariants", "panic_message",
                "harness_fault")


class StoreError(Exception):
    """The run directory or its database is missing or unusable."""


class Store:
    def __init__(self, run_dir: str, conn: sqlite3.Connection):
        self.run_dir = run_dir
        self.db_path = os.path.join(run_dir, "run.db")
        self.conn = conn

    # -- opening ---------------------------------------------------------

    @staticmethod
    def _connect(path: str) -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    @classmethod
    def create(cls, run_dir: str, run_id: str, campaign, experiments: List[Experiment],
               meta: Optional[Dict[str, Any]] = None) -> "Store":
        meta = meta or {}
        os.makedirs(run_dir, exist_ok=True)
        path = os.path.join(run_dir, "run.db")
        if os.path.exists(path):
            raise StoreError(f"{run_dir} already holds a run (use resume)")
        conn = cls._connect(path)
        store = cls(run_dir, conn)
        conn.executescript(SCHEMA)
        with store.tx():
            conn.execute(
                "INSERT INTO run (id, run_id, schema, campaign_name, campaign_path, "
                "campaign_text, seed, code_version, qemu_version, machine, workers, started, "
                "status) VALUES (1,?,?,?,?,?,?,?,?,?,?,?,'running')",
                (run_id, SCHEMA_VERSION, campaign.name, campaign.path, campaign.text,
                 campaign.seed, meta.get("code_version"), meta.get("qemu_version"),
                 meta.get("machine"), meta.get("workers"), time.time()))
            conn.executemany(
                "INSERT INTO experiments (id, idx, seed, template, fault_type, target, plan) "
                "VALUES (?,?,?,?,?,?,?)",
                [(e.id, e.index, e.seed, e.template, e.fault_type, e.target,
                  json.dumps(e.to_json(), sort_keys=True)) for e in experiments])
        return store

    @classmethod
    def open(cls, run_dir: str) -> "Store":
        path = os.path.join(run_dir, "run.db")
        if not os.path.isfile(path):
            raise StoreError(f"no run database at {path}")
        try:
            conn = cls._connect(path)
            row = conn.execute("SELECT schema FROM run WHERE id = 1").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a run database ({exc})") from None
        if row is None:
            raise StoreError(f"{path}: run row missing")
        if row["schema"] != SCHEMA_VERSION:
            raise StoreError(f"{path}: schema {row['schema']}, expected {SCHEMA_VERSION}")
        return cls(run_dir, conn)

    def close(self) -> None:
        self.conn.close()

    # -- transactions ----------------------------------------------------

    class _Tx:
        def __init__(self, conn):
            self.conn = conn

        def __enter__(self):
            self.conn.execute("BEGIN IMMEDIATE")

        def __exit__(self, exc_type, *rest):
            self.conn.execute("ROLLBACK" if exc_type else "COMMIT")

    def tx(self) -> "_Tx":
        return Store._Tx(self.conn)

    # -- the run ---------------------------------------------------------

    def run_info(self) -> Dict[str, Any]:
        return dict(self.conn.execute("SELECT * FROM run WHERE id = 1").fetchone())

    def set_run_status(self, status: str) -> None:
        with self.tx():
            self.conn.execute("UPDATE run SET status = ?, ended = ? WHERE id = 1",
                              (status, time.time() if status != "running" else None))

    def set_golden(self, golden: Golden) -> None:
        with self.tx():
            self.conn.execute("UPDATE run SET golden = ? WHERE id = 1",
                              (json.dumps({"status": golden.status, "output": golden.output,
                                           "duration_s": golden.duration_s}),))

    def golden(self) -> Optional[Golden]:
        row = self.conn.execute("SELECT golden FROM run WHERE id = 1").fetchone()
        if not row or not row["golden"]:
            return None
        return Golden(**json.loads(row["golden"]))

    # -- experiments -----------------------------------------------------

    def reset_running(self) -> int:
        """Put experiments left ``running`` by an interrupted run back to
        ``pending``; returns how many."""
        with self.tx():
            ids = [r[0] for r in self.conn.execute(
                "SELECT id FROM experiments WHERE status = 'running'")]
            for i in ids:
                self.conn.execute("DELETE FROM events WHERE exp_id = ?", (i,))
                self.conn.execute("DELETE FROM console WHERE exp_id = ?", (i,))
            self.conn.execute("UPDATE experiments SET status = 'pending' "
                              "WHERE status = 'running'")
        return len(ids)

    def experiments(self, status: Optional[str] = None) -> List[Experiment]:
        q = "SELECT plan FROM experiments"
        args: tuple = ()
        if status:
            q += " WHERE status = ?"
            args = (status,)
        return [Experiment.from_json(json.loads(r[0])) for r in
                self.conn.execute(q + " ORDER BY idx", args)]

    def experiment(self, exp_id: str) -> Optional[Experiment]:
        row = self.conn.execute("SELECT plan FROM experiments WHERE id = ?",
                                (exp_id,)).fetchone()
        return Experiment.from_json(json.loads(row[0])) if row else None

    def mark_running(self, exp_id: str) -> None:
        with self.tx():
            self.conn.execute("UPDATE experiments SET status = 'running', started = ?, "
                              "attempts = attempts + 1 WHERE id = ?", (time.time(), exp_id))

    def attempts(self, exp_id: str) -> int:
        return self.conn.execute("SELECT attempts FROM experiments WHERE id = ?",
                                 (exp_id,)).fetchone()[0]

    def record(self, exp_id: str, outcome: Outcome, violations: List[str],
               evidence: Optional[Evidence] = None, final: bool = True) -> None:
        """Store an outcome. A harness fault with ``final=False`` puts the
        experiment back to pending (it will be retried); otherwise it is done
        (or harness_fault)."""
        o = outcome.to_json()
        if outcome.harness_fault:
            status = "harness_fault" if final else "pending"
            verdict = None
        else:
            status = "done"
            verdict = "fail" if violations else "pass"
        with self.tx():
            self.conn.execute("DELETE FROM events WHERE exp_id = ?", (exp_id,))
            self.conn.execute("DELETE FROM console WHERE exp_id = ?", (exp_id,))
            self.conn.execute(
                "UPDATE experiments SET status=?, ended=?, duration_s=?, activated=?, "
                "activation_tick=?, failure=?, failed_label=?, recovery=?, recovery_latency=?, "
                "system=?, invariants=?, panic_message=?, harness_fault=?, workload_status=?, "
                "verdict=?, violations=? WHERE id=?",
                (status, time.time(), evidence.duration_s if evidence else None,
                 int(o["activated"]), o["activation_tick"], o["failure"], o["failed_label"],
                 o["recovery"], o["recovery_latency"], o["system"], json.dumps(o["invariants"]),
                 o["panic_message"], o["harness_fault"],
                 evidence.workload_status if evidence else None, verdict,
                 json.dumps(violations), exp_id))
            if evidence is not None:
                self.conn.executemany(
                    "INSERT INTO events (exp_id, seq, event, tick, json) VALUES (?,?,?,?,?)",
                    [(exp_id, n, e.get("event"), e.get("tick") if isinstance(e.get("tick"), int)
                      else None, json.dumps(e)) for n, e in enumerate(evidence.events)])
                text = evidence.console or ""
                if len(text) > CONSOLE_EXCERPT:
                    half = CONSOLE_EXCERPT // 2
                    text = text[:half] + "\n[... console cut ...]\n" + text[-half:]
                self.conn.execute("INSERT INTO console (exp_id, text) VALUES (?,?)",
                                  (exp_id, text))

    def rows(self) -> List[Dict[str, Any]]:
        """Every experiment row as a dict (JSON columns decoded), by index."""
        out = []
        for r in self.conn.execute("SELECT * FROM experiments ORDER BY idx"):
            d = dict(r)
            for k in ("invariants", "violations"):
                d[k] = json.loads(d[k]) if d[k] else []
            d["plan"] = json.loads(d["plan"])
            out.append(d)
        return out

    def events(self, exp_id: str) -> List[Dict[str, Any]]:
        return [json.loads(r[0]) for r in self.conn.execute(
            "SELECT json FROM events WHERE exp_id = ? ORDER BY seq", (exp_id,))]

    def console(self, exp_id: str) -> str:
        r = self.conn.execute("SELECT text FROM console WHERE exp_id = ?", (exp_id,)).fetchone()
        return r[0] if r else ""

    def counts(self) -> Dict[str, int]:
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT status, COUNT(*) FROM experiments GROUP BY status")}
