"""Fixtures of the VM-level tests (snapshots, gdbstub, VM faults): the
built boot image and a booted machine that is always killed on teardown.

A missing image skips the tests (fails with CRUCIBLE_REQUIRE_IMAGE=1), as
in tests/integration. Timeouts scale with CRUCIBLE_TIMEOUT_SCALE.
"""

import os

import pytest

from orchestrator.image import ImageError, find_image

SCALE = float(os.environ.get("CRUCIBLE_TIMEOUT_SCALE", "1"))
BOOT_TIMEOUT = 60 * SCALE


@pytest.fixture(scope="session")
def image():
    try:
        img = find_image()
    except ImageError as exc:
        pytest.fail(str(exc))   # the suite builds first: a missing image is a bug
    for name in ("hello", "rs"):
        if not img.has(name):
            pytest.fail(f"{name} is not in the boot image")
    return img


@pytest.fixture
def machine(image):
    """A machine booted to the ready line (snapshot drive and gdbstub on)."""
    m = image.machine(name="crvm")
    try:
        m.launch()
        m.boot_to_ready(BOOT_TIMEOUT)
        yield m
    finally:
        m.close()
