"""The OS boots to the ready line and keeps serving."""

import time

from orchestrator.machine import READY_RE

from .conftest import BOOT_TIMEOUT


def test_boots_to_ready_and_keeps_running(image):
    with image.machine() as m:
        ready = m.boot_to_ready(BOOT_TIMEOUT)
        assert ready.services >= 5, ready.line
        time.sleep(1.0)
        assert m.running, f"QEMU ended after the ready line: {m.exit_status}\n{m.console_tail()}"
        ready_lines = [line for line in m.lines() if READY_RE.match(line)]
        assert len(ready_lines) == 1, m.console_tail()
        assert not any(line.startswith("crucible: panic:") for line in m.lines())
        assert m.qmp().command("query-status")["status"] == "running"

