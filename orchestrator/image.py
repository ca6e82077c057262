"""The boot image: where the build puts it and which modules a boot loads.

Contract:
- ``repo_root()`` is the repository; ``default_build_dir()`` is
  ``$CRUCIBLE_BUILD_DIR`` or ``<repo>/build``; the image is in
  ``<build>/image/boot/`` (kernel.elf plus one ELF per module);
  ``$CRUCIBLE_BOOT_DIR`` names a boot directory directly (another build).
- ``BootImage.modules()`` returns the module paths in boot order: the boot
  processes ``rs ds pm vm tty hello init`` (those present), then every other
  ELF file of boot/ (the programs), sorted. Callers may leave modules out or
  replace one by another file (its basename must stay the module's name).
- ``BootImage.machine(append=...)`` makes a ``Machine`` for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional

from .machine import Machine

__all__ = ["BOOT_MODULES", "ImageError", "BootImage", "repo_root", "default_build_dir",
           "find_image"]

#: Boot processes, in the order they are passed (the kernel's boot table).
BOOT_MODULES = ("rs", "ds", "pm", "vm", "tty", "hello", "init")
KERNEL = "kernel.elf"


class ImageError(Exception):
    """The boot image is missing or incomplete."""


def repo_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_build_dir() -> str:
    return os.environ.get("CRUCIBLE_BUILD_DIR") or os.path.join(repo_root(), "build")


def _is_elf(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


@dataclass(frozen=True)
class BootImage:
    """A built boot directory (``<build>/image/boot``)."""
    boot_dir: str

    @property
    def kernel(self) -> str:
        return os.path.join(self.boot_dir, KERNEL)

    def path(self, name: str) -> str:
        return os.path.join(self.boot_dir, name)

    def has(self, name: str) -> bool:
        return os.path.isfile(self.path(name))

    def programs(self) -> List[str]:
        """Names of the ELF files of boot/ that are neither the kernel nor a
        boot process, sorted."""
        names = []
        for name in sorted(os.listdir(self.boot_dir)):
            p = self.path(name)
            if name != KERNEL and name not in BOOT_MODULES and os.path.isfile(p) and _is_elf(p):
                names.append(name)
        return names

    def modules(self, exclude: Iterable[str] = (),
                replace: Optional[Dict[str, str]] = None) -> List[str]:
        """Module paths in boot order. ``exclude``: names to leave out;
        ``replace``: name → path of another file to pass instead (its
        basename must be the name, since the guest names modules by it)."""
        replace = dict(replace or {})
        skip = set(exclude)
        out = []
        for name in list(BOOT_MODULES) + self.programs():
            if name in skip:
                continue
            if name in replace:
                path = replace.pop(name)
                if os.path.basename(path) != name:
                    raise ImageError(f"replacement for {name} must be named {name}: {path}")
                out.append(path)
            elif self.has(name):
                out.append(self.path(name))
        for name, path in replace.items():     # extra modules not in the image
            out.append(path)
        return out

    def machine(self, append: str = "", exclude: Iterable[str] = (),
                replace: Optional[Dict[str, str]] = None, **kwargs) -> Machine:
        """A (not yet launched) Machine booting this image."""
        return Machine(self.kernel, self.modules(exclude, replace), append, **kwargs)


def find_image(build_dir: Optional[str] = None) -> BootImage:
    """The image of ``build_dir`` (default_build_dir()), or of the boot
    directory ``$CRUCIBLE_BOOT_DIR`` when set and no build_dir is given;
    ImageError if it has no kernel.elf."""
    if build_dir is None and os.environ.get("CRUCIBLE_BOOT_DIR"):
        boot = os.environ["CRUCIBLE_BOOT_DIR"]
    else:
        boot = os.path.join(build_dir or default_build_dir(), "image", "boot")
    img = BootImage(boot)
    if not os.path.isfile(img.kernel):
        raise ImageError(f"no boot image: {img.kernel} is missing (run ./crucible build)")
    return img
