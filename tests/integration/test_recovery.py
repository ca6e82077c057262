"""RS recovery policy in a real boot: a service that keeps failing is
reported once and not restarted forever, and the rest of the system
carries on."""

import re
import time

from .conftest import BOOT_TIMEOUT

# hello crashes (a real CPU exception in its SEF receive) on every message
# it receives, from the kernel command line: no host help needed.
CRASH_ALWAYS = "inject=site:sef,action:crash,target:hello,persistent:1"
CRASH_RE = re.compile(r"^kernel: exception \d+ in hello ")


def test_service_failing_repeatedly_is_given_up_once(image):
    with image.machine(append=CRASH_ALWAYS) as m:
        m.boot_to_ready(BOOT_TIMEOUT)
        m.wait_for_line(r"^rs: giving up on hello$", 30)
        crashes = [l for l in m.lines() if CRASH_RE.match(l)]
        # RS's policy: the first failure restarts at once, then with
        # backoff; the sixth failure within 5 s makes RS give up.
        assert len(crashes) == 6, m.console_tail()
        time.sleep(1.5)                 # > 2 heartbeat periods
        later = m.lines()
        assert sum(l == "rs: giving up on hello" for l in later) == 1
        assert len([l for l in later if CRASH_RE.match(l)]) == len(crashes), \
            "RS went on restarting a service it gave up on"
        assert not any(l.startswith("crucible: panic:") for l in later)
        assert m.running, m.console_tail()


def test_other_services_unaffected_by_a_failing_one(image):
    """With hello given up on, a user program using PM and TTY still runs."""
    with image.machine(append=CRASH_ALWAYS + " run=smoke halt=1") as m:
        status = m.wait(BOOT_TIMEOUT)
        done = [l for l in m.lines() if re.match(r"^crucible-test: smoke done ", l)]
        assert done and done[0].endswith("fail=0"), m.console_tail()
        assert status.guest_ok, f"{status}\n{m.console_tail()}"
