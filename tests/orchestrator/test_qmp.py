"""The QMP layer against a real QEMU (no kernel, started with -S)."""

import os
import signal
import socket

import pytest

from orchestrator.qmp import (QMPClient, QMPCommandError, QMPConnectionError, QMPHumanError,
                              QMPTimeoutError)


@pytest.fixture
def qmp(bare_qemu):
    client = QMPClient(bare_qemu.qmp_path, timeout=5)
    client.connect(wait=10)
    yield client
    client.close()


def test_handshake_greeting(bare_qemu):
    with QMPClient(bare_qemu.qmp_path) as c:
        greeting = c.connect(wait=10)
        assert greeting["QMP"]["version"]["qemu"]["major"] >= 7
        assert c.connected


def test_query_status_prelaunch(qmp):
    st = qmp.command("query-status")
    assert st["running"] is False
    assert st["status"] == "prelaunch"


def test_cont_stop_and_events(qmp):
    qmp.command("cont")
    assert qmp.get_event("RESUME", timeout=5)["event"] == "RESUME"
    assert qmp.command("query-status")["running"] is True
    qmp.command("stop")
    ev = qmp.get_event("STOP", timeout=5)
    assert "timestamp" in ev
    assert qmp.command("query-status")["status"] == "paused"


def test_events_are_queued_while_waiting_for_replies(qmp):
    qmp.command("cont")
    qmp.command("stop")
    qmp.command("query-status")    # the events arrive while replies are awaited
    names = [e["event"] for e in qmp.events()]
    assert names == ["RESUME", "STOP"]
    assert qmp.events() == []


def test_unknown_command_raises_with_class(qmp):
    with pytest.raises(QMPCommandError) as info:
        qmp.command("no-such-command")
    assert info.value.error_class == "CommandNotFound"
    assert info.value.command == "no-such-command"
    assert qmp.command("query-status")["status"] == "prelaunch"  # still usable


def test_bad_arguments_raise_generic_error(qmp):
    with pytest.raises(QMPCommandError) as info:
        qmp.command("query-status", bogus=1)
    assert info.value.error_class == "GenericError"
    assert "bogus" in info.value.desc


def test_hmp_error_string_is_an_error(qmp):
    with pytest.raises(QMPHumanError) as info:
        qmp.human_monitor_command("xyzzy")
    assert "xyzzy" in info.value.desc
    assert isinstance(info.value, QMPCommandError)


def test_hmp_success_and_output(qmp):
    assert qmp.human_monitor_command("cont") == ""
    text = qmp.human_monitor_command("info status", expect_output=True)
    assert "running" in text


def test_timeout_then_late_reply_is_discarded(bare_qemu, qmp):
    os.kill(bare_qemu.proc.pid, signal.SIGSTOP)
    try:
        with pytest.raises(QMPTimeoutError):
            qmp.command("query-status", timeout=0.3)
    finally:
        os.kill(bare_qemu.proc.pid, signal.SIGCONT)
    # The late reply to the timed-out command must not answer this one.
    assert qmp.command("query-version")["qemu"]["major"] >= 7


def test_event_timeout(qmp):
    with pytest.raises(QMPTimeoutError):
        qmp.get_event("RESET", timeout=0.2)


def test_connection_refused(sockdir):
    path = os.path.join(sockdir, "dead.sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)             # bound but not listening: ECONNREFUSED
    try:
        with pytest.raises(QMPConnectionError):
            QMPClient(path).connect()
    finally:
        s.close()


def test_missing_socket(sockdir):
    with pytest.raises(QMPConnectionError):
        QMPClient(os.path.join(sockdir, "nothing.sock")).connect(wait=0.2)


def test_quit_then_connection_error(bare_qemu, qmp):
    qmp.command("quit")
    bare_qemu.proc.wait(timeout=10)
    with pytest.raises(QMPConnectionError):
        qmp.command("query-status")
    assert not qmp.connected
