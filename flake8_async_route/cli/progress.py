"""A progress bar on stderr for long runs, shown only when stderr is a terminal."""
from __future__ import annotations

import sys
import time
from typing import Optional


class ProgressBar:
    WIDTH = 30

    def __init__(self, total: int, stream):
        self.total, self.stream = total, stream
        self.done = 0
        self.started = time.monotonic()

    @classmethod
    def for_stderr(cls, total: int) -> Optional["ProgressBar"]:
        return cls(total, sys.stderr) if sys.stderr.isatty() and total > 1 else None

    def __call__(self, advanced: int) -> None:
        self.done += advanced
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate else 0.0
        filled = int(self.WIDTH * self.done / max(self.total, 1))
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} files  {rate:.0f} files/s  "
                          f"ETA {eta:.0f}s ")
        if self.done >= self.total:
            # Done: the bar's line is erased, so what the run prints next starts on its own.
            self.stream.write("\r\033[K")
        self.stream.flush()
