"""Configure and build the tree through CMake (host targets and the image).

Contract: ``build(build_dir)`` runs ``cmake -S <repo> -B <build> -G Ninja``
when the build directory is not configured yet, then ``cmake --build``;
the tools' output goes to ``out`` (stderr by default, so that commands that
print JSON keep stdout clean). Raises BuildError on failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import IO, Optional

from .image import default_build_dir, repo_root

__all__ = ["BuildError", "build"]


class BuildError(Exception):
    """cmake failed (configure or build)."""


def build(build_dir: Optional[str] = None, out: Optional[IO] = None) -> str:
    """Build; return the build directory."""
    build_dir = build_dir or default_build_dir()
    out = out or sys.stderr
    out.flush()
    if not os.path.exists(os.path.join(build_dir, "build.ninja")):
        _run(["cmake", "-S", repo_root(), "-B", build_dir, "-G", "Ninja"], out, "configure")
    _run(["cmake", "--build", build_dir], out, "build")
    return build_dir


def _run(argv, out: IO, what: str) -> None:
    try:
        rc = subprocess.call(argv, stdout=out, stderr=out, stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise BuildError(f"{what} failed: {exc}") from exc
    if rc != 0:
        raise BuildError(f"{what} failed ({' '.join(argv)}: status {rc})")
