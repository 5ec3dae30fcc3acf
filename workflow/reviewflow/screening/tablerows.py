"""Iterating over a table's rows as dicts, fast (``DataFrame.to_dict("records")`` boxes every cell)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd


def iter_rows(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """Each row as a dict of plain Python values, in order."""
    columns = [str(c) for c in frame.columns]
    for values in zip(*(frame[c].tolist() for c in frame.columns), strict=True):
        yield dict(zip(columns, values, strict=True))
