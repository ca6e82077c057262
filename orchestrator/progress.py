"""A small progress bar: experiments done, rate and ETA (no dependencies).

``Progress(total, done=0, stream=sys.stderr)``; ``advance(n=1, note="")``;
``finish()``. On a terminal it redraws one line; otherwise it prints a line
at most every ``every_s`` seconds (and at the end), so CI logs stay short.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Optional

__all__ = ["Progress", "format_eta"]


def format_eta(seconds: Optional[float]) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds + 0.5)
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class Progress:
    def __init__(self, total: int, done: int = 0, stream: Optional[IO[str]] = None,
                 width: int = 30, every_s: float = 5.0, enabled: bool = True):
        self.total = total
        self.done = done
        self.start_done = done
        self.stream = stream or sys.stderr
        self.width = width
        self.every_s = every_s
        self.enabled = enabled
        self.t0 = time.monotonic()
        self._last = 0.0
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.notes = 0

    def rate(self) -> float:
        dt = time.monotonic() - self.t0
        return (self.done - self.start_done) / dt if dt > 0 else 0.0

    def line(self, note: str = "") -> str:
        frac = self.done / self.total if self.total else 1.0
        fill = int(frac * self.width)
        r = self.rate()
        eta = (self.total - self.done) / r if r > 0 else None
        bar = "#" * fill + "." * (self.width - fill)
        return (f"[{bar}] {self.done}/{self.total} {r:.2f} exp/s ETA {format_eta(eta)}"
                + (f"  {note}" if note else ""))

    def advance(self, n: int = 1, note: str = "") -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if self.tty:
            self.stream.write("\r\x1b[2K" + self.line(note))
            self.stream.flush()
        elif now - self._last >= self.every_s or self.done >= self.total:
            self._last = now
            self.stream.write(self.line(note) + "\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()
