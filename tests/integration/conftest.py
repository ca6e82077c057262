"""Fixtures of the QEMU integration tests: the built boot image.

The image is built before the tests run (`./crucible test` builds first),
so an image or program that is missing is a failure, never a skip: these
tests exist to exercise the OS. Timeouts scale with CRUCIBLE_TIMEOUT_SCALE
(default 1) for slow machines.
"""

import os

import pytest

from orchestrator.image import BootImage, ImageError, find_image

SCALE = float(os.environ.get("CRUCIBLE_TIMEOUT_SCALE", "1"))
BOOT_TIMEOUT = 60 * SCALE
RUN_TIMEOUT = 60 * SCALE


def _missing(reason: str):
    pytest.fail(reason)


@pytest.fixture(scope="session")
def image() -> BootImage:
    try:
        return find_image()
    except ImageError as exc:
        _missing(str(exc))


@pytest.fixture
def require(image):
    """require(name): fail unless boot/<name> exists."""
    def check(name: str) -> None:
        if not image.has(name):
            _missing(f"{name} is not in the boot image {image.boot_dir}")
    return check
