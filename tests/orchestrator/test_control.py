"""Tests of the control channel: the client (orchestrator/control.py)
against a fake guest on a unix socket, and the guest side (kernel control
channel, fault injection, RS events; docs/inject.md) against the real OS
in QEMU."""

import os
import shutil
import socket
import tempfile
import threading
import time

import pytest

from orchestrator.control import (ControlClient, ControlError, ControlProtocolError,
                                  ControlTimeout)

SCALE = float(os.environ.get("CRUCIBLE_TIMEOUT_SCALE", "1"))


# --------------------------- the fake guest ---------------------------

class FakeGuest:
    """A unix-socket server: for each received line, ``script(line)``
    returns the bytes to send back (or None for silence)."""

    def __init__(self, path, script):
        self.path = path
        self.script = script
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.srv.bind(path)
        self.srv.listen(1)
        self.lines = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            conn, _ = self.srv.accept()
        except OSError:
            return
        buf = b""
        with conn:
            while True:
                try:
                    data = conn.recv(4096)
                except OSError:
                    return
                if not data:
                    return
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    self.lines.append(line.decode())
                    out = self.script(line.decode())
                    if out is None:
                        continue
                    if out == b"CLOSE":
                        return
                    conn.sendall(out)

    def close(self):
        self.srv.close()


@pytest.fixture
def sockpath():
    d = tempfile.mkdtemp(prefix="crc-")
    yield os.path.join(d, "c.sock")
    shutil.rmtree(d, ignore_errors=True)


def fake(sockpath, script):
    g = FakeGuest(sockpath, script)
    c = ControlClient(sockpath).connect(timeout=2)
    return g, c


def test_answer_and_interleaved_events(sockpath):
    def script(line):
        if line == "ticks":
            # an event before the answer, the answer split in two writes' worth,
            # another event after it
            return (b'{"event":"fault_fired","tick":5,"id":1}\n'
                    b'{"ok":true,"ticks":42}\n{"event":"service_crashed","tick":6,"label":"hello"}\n')
        return b'{"ok":false,"error":"unknown command"}\n'
    g, c = fake(sockpath, script)
    try:
        assert c.command("ticks")["ticks"] == 42
        ev = c.wait_for_event("service_crashed", lambda e: e["label"] == "hello", timeout=2)
        assert ev["tick"] == 6
        assert [e["event"] for e in c.all_events] == ["fault_fired", "service_crashed"]
        with pytest.raises(ControlError) as ei:
            c.command("nonsense")
        assert ei.value.answer == {"ok": False, "error": "unknown command"}
        assert c.request("nonsense")["ok"] is False
    finally:
        c.close()
        g.close()


def test_garbage_line_is_protocol_error(sockpath):
    g, c = fake(sockpath, lambda line: b"this is not json\n")
    try:
        with pytest.raises(ControlProtocolError):
            c.command("ticks", timeout=2)
    finally:
        c.close()
        g.close()


def test_garbage_skipped_when_not_strict(sockpath):
    g = FakeGuest(sockpath, lambda line: b'\x00garbage\n[1,2]\n{"ok":true,"ticks":1}\n')
    c = ControlClient(sockpath, strict=False).connect(timeout=2)
    try:
        assert c.command("ticks", timeout=2)["ticks"] == 1
        assert len(c.garbage) == 2
    finally:
        c.close()
        g.close()


def test_timeouts(sockpath):
    g, c = fake(sockpath, lambda line: None)
    try:
        t0 = time.monotonic()
        with pytest.raises(ControlTimeout):
            c.command("ticks", timeout=0.3)
        assert time.monotonic() - t0 < 2
        with pytest.raises(ControlTimeout):
            c.wait_for_event("ready", timeout=0.2)
    finally:
        c.close()
        g.close()


def test_closed_channel(sockpath):
    g, c = fake(sockpath, lambda line: b"CLOSE")
    try:
        with pytest.raises(ControlError):
            c.command("ticks", timeout=2)
    finally:
        c.close()
        g.close()


def test_connect_retries_then_fails(sockpath):
    with pytest.raises(ControlError):
        ControlClient(sockpath).connect(timeout=0.2)
    # the server appears later: the retry loop finds it
    def later():
        time.sleep(0.2)
        return FakeGuest(sockpath, lambda line: b'{"ok":true,"ticks":3}\n')
    holder = []
    t = threading.Thread(target=lambda: holder.append(later()))
    t.start()
    c = ControlClient(sockpath).connect(timeout=3)
    t.join()
    try:
        assert c.ticks() == 3
    finally:
        c.close()
        holder[0].close()


# --------------------------- the real OS ---------------------------

def _image():
    from orchestrator.image import ImageError, find_image
    try:
        return find_image()
    except ImageError as exc:
        pytest.fail(str(exc))


class Guest:
    """A booted machine and a connected control client."""

    def __init__(self, append=""):
        self.machine = _image().machine(append=("run=smoke " + append).strip())
        self.machine.launch()
        self.ctl = ControlClient(self.machine.control_path).connect(timeout=10)
        self.ready = self.machine.boot_to_ready(timeout=60 * SCALE)

    def close(self):
        self.ctl.close()
        self.machine.close()


@pytest.fixture
def guest():
    g = Guest()
    try:
        yield g
    finally:
        g.close()


T = 10 * SCALE


def test_fault_add_list_clear(guest):
    c = guest.ctl
    fid = c.fault_add(site="ipc", action="drop", target="nobody", type="0xc00")
    other = c.fault_add(site="kcall", action="fail", target="nobody", arg=-5)
    faults = {f["id"]: f for f in c.fault_list()}
    assert faults[fid]["site"] == "ipc" and faults[fid]["action"] == "drop"
    assert faults[fid]["target"] == "nobody" and faults[fid]["type"] == 0xc00
    assert faults[other]["action"] == "fail"
    assert c.fault_clear(fid) == 1
    assert [f["id"] for f in c.fault_list()] == [other]
    assert c.fault_clear() == 1
    assert c.fault_list() == []


def test_malformed_commands_keep_guest_alive(guest):
    c = guest.ctl
    for bad in ["", "bogus", "fault add site=ipc", "fault add site=ipc action=fail target=x",
                "fault add site=ipc action=drop target=hello nth=zero", "fault clear x",
                "crash", "lu hello", "x" * 400, "fault add " + "a=1 " * 60]:
        ans = c.request(bad, timeout=T)
        assert ans["ok"] is False and ans["error"], bad
    assert c.ticks() > 0
    assert guest.machine.running


def test_crash_hello_restarts_same_endpoint(guest):
    c = guest.ctl
    c.command("crash hello", timeout=T)
    fired = c.wait_for_event("fault_fired", lambda e: e["target"] == "hello", timeout=T)
    assert fired["site"] == "sef" and fired["action"] == "crash"
    crashed = c.wait_for_event("service_crashed", lambda e: e["label"] == "hello", timeout=T)
    assert crashed["signal"] == 11
    rest = c.wait_for_event("service_restarted", lambda e: e["label"] == "hello", timeout=T)
    assert rest["same_ep"] is True and rest["restarts"] == 1 and rest["latency"] >= 0
    hello = [p for p in c.ps() if p["name"] == "hello"][0]
    assert hello["restarts"] == 1 and hello["ep"] == rest["ep"]


def test_hang_hello_detected_by_heartbeat(guest):
    c = guest.ctl
    c.command("hang hello", timeout=T)
    crashed = c.wait_for_event("service_crashed", lambda e: e["label"] == "hello", timeout=T)
    assert crashed["cause"] == "hang"
    rest = c.wait_for_event("service_restarted", lambda e: e["label"] == "hello", timeout=T)
    assert rest["same_ep"] is True


def test_workload_ok_then_dropped_reply_hangs_it(guest):
    c = guest.ctl
    c.command("run wl_hello", timeout=T)
    ev = c.wait_for_event("program_exit", lambda e: e["label"] == "wl_hello", timeout=3 * T)
    assert ev["status"] == 0
    guest.machine.wait_for_line(r"crucible-workload: wl_hello ok counter=50", timeout=T)
    # drop hello's 5th reply to the workload: it never finishes
    fid = c.fault_add(site="ipc", action="drop", target="wl_hello", source="hello", nth=5)
    c.command("run wl_hello", timeout=T)
    c.wait_for_event("fault_fired", lambda e: e["id"] == fid, timeout=T)
    try:
        ev = c.wait_for_event("program_exit", lambda e: e["label"] == "wl_hello",
                              timeout=3 * SCALE)
    except ControlTimeout:
        pass                            # it hangs: the reply never came
    else:
        # Only a restart of hello (ERESTART to the blocked call) may end it:
        # say what happened so a failure explains itself.
        pytest.fail(f"wl_hello ended despite the dropped reply: {ev}\n"
                    f"{guest.machine.console_tail(40)}")
    f = [f for f in c.fault_list() if f["id"] == fid][0]
    assert f["activations"] == 1


def test_fault_that_never_matches(guest):
    c = guest.ctl
    fid = c.fault_add(site="sef", action="crash", target="hello", type="0x7fff")
    c.command("run wl_hello", timeout=T)
    c.wait_for_event("program_exit", lambda e: e["label"] == "wl_hello", timeout=3 * T)
    f = [f for f in c.fault_list() if f["id"] == fid][0]
    assert f["activations"] == 0


def test_sanity_every_server_ok(guest):
    ans = guest.ctl.command("sanity", timeout=T)
    labels = {r["label"]: r for r in ans["results"]}
    for name in ("pm", "rs", "ds", "vm", "tty", "hello"):
        assert labels[name]["ok"] is True, labels.get(name)


def test_live_update_hello(guest):
    c = guest.ctl
    c.command("lu hello 1", timeout=T)
    ev = c.wait_for_event("service_updated", lambda e: e["label"] == "hello", timeout=T)
    assert ev["result"] == 0 and ev["state"] == 1


def test_boot_time_fault_crashes_hello_at_first_request():
    g = Guest("inject=site:sef,action:crash,target:hello,type:0xc00")
    try:
        c = g.ctl
        faults = c.fault_list()
        assert len(faults) == 1 and faults[0]["activations"] == 0
        c.command("run wl_hello", timeout=T)
        fired = c.wait_for_event("fault_fired", timeout=T)
        assert fired["target"] == "hello" and fired["type"] == 0xc00
        rest = c.wait_for_event("service_restarted", lambda e: e["label"] == "hello", timeout=T)
        assert rest["same_ep"] is True
        c.wait_for_event("program_exit", lambda e: e["label"] == "wl_hello", timeout=3 * T)
    finally:
        g.close()
