"""Progress of the long steps: a bar on a terminal, plain lines in a log.

The steps call :func:`track` around their long loops (import: export files
read; de-duplication: candidate pairs compared; screening: worksheets ranked;
report: its parts written), or :func:`progress` where they count by hand.

- On a terminal (stderr is a tty) a tqdm bar shows what is done, the count,
  the rate and the time left.
- Otherwise (a Snakemake job, whose output goes through ``tee`` into its log)
  plain lines are printed at every tenth of the way: what, how many of how
  many, the percentage. They hold no time, so that a rerun writes the same
  log; loops of fewer than ``QUIET_BELOW`` items print nothing.
- ``REVIEWFLOW_PROGRESS=0`` silences both, ``=bar`` forces the bar,
  ``=lines`` the plain lines.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO, TypeVar

from tqdm import tqdm

T = TypeVar("T")

#: loops shorter than this print no plain lines (a small review's logs stay as they were)
QUIET_BELOW = 10_000
#: plain lines at every tenth of the way
STEPS = 10


def _mode(stream: TextIO) -> str:
    chosen = os.environ.get("REVIEWFLOW_PROGRESS", "").strip().lower()
    if chosen in ("0", "off", "no", "false"):
        return "off"
    if chosen in ("bar", "lines"):
        return chosen
    return "bar" if getattr(stream, "isatty", lambda: False)() else "lines"


class Progress:
    """Counts done of ``total``; shows them as a bar or as plain lines (see the module's docstring)."""

    def __init__(self, total: int, what: str, unit: str = "records", *, quiet_below: int = QUIET_BELOW,
                 size: int | None = None, stream: TextIO | None = None) -> None:
        self.total = max(int(total), 0)
        self.what = what
        self.unit = unit
        self.done = 0
        self.stream = stream or sys.stderr
        mode = _mode(self.stream)
        self.bar: tqdm | None = None
        # size: how many records the work concerns, when it is counted in larger units (stages, parts)
        self.lines = mode == "lines" and (self.total if size is None else size) >= quiet_below
        self.quiet = mode == "off" or not self.lines and size is not None and size < quiet_below
        self.next_line = 1
        if mode == "bar" and self.total and not self.quiet:
            self.bar = tqdm(total=self.total, desc=what, unit=f" {unit}", unit_scale=self.total >= 10_000, file=self.stream,
                            dynamic_ncols=True, leave=True)

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        elif self.lines:
            if self.next_line <= STEPS and self.done * STEPS >= self.next_line * self.total:
                print(f"{self.what}: {self.done:,} of {self.total:,} {self.unit} ({100 * self.done // self.total} %)",
                      file=self.stream, flush=True)
                self.next_line = self.done * STEPS // self.total + 1

    def part(self, name: str) -> None:
        """Count the next named part of a step counted in parts (the report's: figures, studies, sections...)."""
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(name, refresh=False)
            self.bar.update(1)
        elif self.lines:
            print(f"{self.what}: {name} ({self.done} of {self.total})", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@contextmanager
def progress(total: int, what: str, unit: str = "records", **options: object) -> Iterator[Progress]:
    """``with progress(n, "what") as done: ... done.update(k)``."""
    shown = Progress(total, what, unit, **options)  # type: ignore[arg-type]
    try:
        yield shown
    finally:
        shown.close()


def track(items: Iterable[T], total: int, what: str, unit: str = "records", **options: object) -> Iterator[T]:
    """Yield ``items``, counting each one (``total`` of them) as done."""
    with progress(total, what, unit, **options) as shown:
        for item in items:
            yield item
            shown.update()
