"""plan.py determinism and classify.py on hand-written evidence."""

from orchestrator.campaign import loads
from orchestrator.classify import Evidence, Golden, check, classify, workload_output
from orchestrator.plan import expand, fingerprint

SPEC = """\
name = "p"
seed = {seed}
experiments = 30
workload = "wl_ds"
[[faults]]
site = "ipc"
action = ["drop", "delay", "corrupt"]
target = ["pm", "vm", "ds"]
source = "rs"
nth = {{min = 1, max = 20}}
prob = 500000
[[faults]]
kind = "mem_bitflip"
target = "ds"
region = "data"
bits = {{min = 1, max = 4}}
[[faults]]
kind = "reg_bitflip"
register = ["eax", "eip"]
"""


def test_same_seed_same_plan():
    a = expand(loads(SPEC.format(seed=3)))
    b = expand(loads(SPEC.format(seed=3)))
    assert [e.to_json() for e in a] == [e.to_json() for e in b]
    assert fingerprint(a) == fingerprint(b)
    assert len({e.id for e in a}) == 30


def test_other_seed_other_plan_same_ids():
    a = expand(loads(SPEC.format(seed=3)))
    b = expand(loads(SPEC.format(seed=4)))
    assert [e.id for e in a] == [e.id for e in b]
    assert fingerprint(a) != fingerprint(b)


def test_sampled_values_in_bounds():
    for e in expand(loads(SPEC.format(seed=9))):
        if e.fault_type.startswith("ipc/"):
            line = e.faults[0]
            f = dict(w.split("=") for w in line.split()[2:])
            assert 1 <= int(f["nth"]) <= 20 and f["target"] in ("pm", "vm", "ds")
            assert "seed" in f          # prob < 1e6: the guest's draw is seeded
        elif e.fault_type == "mem_bitflip":
            assert 1 <= e.vm_faults[0].params["bits"] <= 4
        else:
            assert 0 <= e.vm_faults[0].params["bit"] <= 31
    assert {e.template for e in expand(loads(SPEC.format(seed=9)))} == {
        "ipc_action_target", "mem_bitflip_ds", "reg_bitflip"}


def test_round_trip_json():
    for e in expand(loads(SPEC.format(seed=1))):
        assert type(e).from_json(e.to_json()) == e


# -- classify ------------------------------------------------------------------

GOLD = Golden(0, ["crucible-workload: wl_ds value=42",
                  "crucible-workload: wl_ds ok ticks=*"])
OUT = "crucible-workload: wl_ds value=42\ncrucible-workload: wl_ds ok ticks=99\n"


def ev(events=(), status=0, console=OUT, **kw):
    return Evidence(workload="wl_ds", events=list(events), console=console,
                    workload_status=status, sanity=kw.pop("sanity", [{"label": "pm", "ok": True}]),
                    **kw)


FIRED = {"event": "fault_fired", "tick": 150, "id": 1, "site": "sef", "action": "crash",
         "target": "pm"}


def test_not_activated_is_not_benign():
    o = classify(ev(fault_list=[{"id": 1, "activations": 0}]), GOLD)
    assert not o.activated and o.system == "passed" and o.failure == "none"
    assert check(o, {"activated": True}) == ["expected the fault to activate, it never did"]
    assert check(o, {"recovery": ["transparent"]}) == []   # says nothing about recovery


def test_transparent_restart_with_latency():
    o = classify(ev([FIRED,
                     {"event": "service_crashed", "tick": 151, "label": "pm", "ep": 3,
                      "signal": 11},
                     {"event": "service_restarted", "tick": 160, "label": "pm", "ep": 3,
                      "restarts": 1, "latency": 9, "same_ep": True}]), GOLD)
    assert (o.activated, o.activation_tick, o.failure, o.failed_label) == (True, 150,
                                                                            "exception", "pm")
    assert (o.recovery, o.recovery_latency, o.system) == ("transparent", 9, "passed")
    assert check(o, {"recovery": ["transparent"], "max_recovery_ticks": 10}) == []
    assert check(o, {"max_recovery_ticks": 5}) == ["recovery took 9 ticks, limit 5"]


def test_reset_latency_from_ticks_and_hang_cause():
    o = classify(ev([FIRED,
                     {"event": "service_crashed", "tick": 200, "label": "ds", "cause": "hang"},
                     {"event": "service_restarted", "tick": 230, "label": "ds",
                      "same_ep": False}]), GOLD)
    assert (o.failure, o.recovery, o.recovery_latency) == ("hang", "reset", 30)


def test_recovery_off_is_no_recovery():
    o = classify(ev([{"event": "service_crashed", "label": "hello", "signal": 11},
                     {"event": "service_failed", "label": "hello", "reason": "recovery_off"}],
                    status=1), GOLD)
    assert (o.failure, o.recovery, o.system) == ("exception", "none", "error")


def test_workload_sanity_is_not_an_invariant():
    e = ev(status=None, sanity=[{"label": "ds", "ok": True},
                                {"label": "wl_ds", "ok": False, "invariant": "no answer"}])
    o = classify(e, GOLD)
    assert o.invariants == [] and o.system == "hang"


def test_crash_by_exit_and_gave_up_and_error():
    o = classify(ev([FIRED, {"event": "service_crashed", "tick": 1, "label": "ds",
                             "cause": "exit"},
                     {"event": "service_failed", "tick": 2, "label": "ds"}], status=1), GOLD)
    assert (o.failure, o.recovery, o.system) == ("crash", "gave_up", "error")
    assert check(o, {"system": ["passed"]}) == ["system outcome error, expected passed"]


def test_rollback():
    o = classify(ev([{"event": "service_rolled_back", "tick": 5, "label": "pm",
                      "state": 1, "result": -1}]), GOLD)
    assert o.recovery == "rollback"


def test_kernel_panic_from_event_console_or_exit():
    for e in (ev([FIRED, {"event": "panic", "tick": 3, "message": "boom"}], status=None),
              ev([FIRED], status=None, console="crucible: panic: boom\n"),
              ev([FIRED], status=None, machine_exit="panic", console="")):
        o = classify(e, GOLD)
        assert (o.failure, o.system) == ("panic", "panic")
        assert o.harness_fault is None
    assert classify(ev([], status=None, console="crucible: panic: boom\n")).panic_message == "boom"


def test_workload_hang():
    assert classify(ev([FIRED], status=None), GOLD).system == "hang"


def test_silent_corruption_vs_golden_and_volatile_fields():
    assert classify(ev(console=OUT.replace("42", "41").replace("99", "5")), GOLD).system \
        == "silent_corruption"
    assert classify(ev(console="noise\n" + OUT.replace("99", "12345")), GOLD).system \
        == "passed"
    assert workload_output("x\ncrucible-workload: wl_ds a ms=3\nwl_ds: old\n"
                           "crucible-workload: wl_dsx b\n", "wl_ds") == \
        ["crucible-workload: wl_ds a ms=*"]


def test_invariants():
    o = classify(ev(sanity=[{"label": "pm", "ok": True},
                            {"label": "ds", "ok": False, "invariant": "subs_count"}]), GOLD)
    assert o.invariants == ["ds:subs_count"]
    assert check(o, {}) == ["invariants violated: ds:subs_count"]
    assert check(o, {"invariants": "any"}) == []


def test_harness_faults_kept_apart():
    o = classify(ev(harness_error="no answer to 'sanity' within 5.0 s"), GOLD)
    assert o.harness_fault and check(o, {"system": ["panic"]}) == []
    o = classify(ev(status=None, machine_exit="died"), GOLD)
    assert o.harness_fault == "QEMU died (not a guest panic)"


def test_vm_fault_activation():
    o = classify(ev(vm_applied=[{"kind": "vm_pause", "tick": 77}]), GOLD)
    assert o.activated and o.activation_tick == 77


def test_evidence_json_round_trip():
    e = ev([FIRED], vm_applied=[{"kind": "vm_pause", "tick": 1}])
    assert Evidence.from_json(e.to_json()) == e
