"""Generated CSV files neutralise formula cells for spreadsheets; reviewflow reads the values back unchanged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from reviewflow.csvio import read_table, write_csv

VALUES = ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "  =1+1", "\t=1", "\r=1", "'=already quoted", "''+two",
          "'plain apostrophe", "A study = good", "-0.25", "-3", "", "it's fine"]


def written(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("name", ["ledger.csv", "included_studies.csv", "import_report.csv", "search_summary.csv"])
def test_generated_csv_cells_are_neutralised_and_read_back_unchanged(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_csv(pd.DataFrame({"value": VALUES, "n": range(len(VALUES))}), path)
    cells = written(path)["value"].tolist()
    for original, cell in zip(VALUES, cells, strict=True):
        stripped = cell.lstrip("'").lstrip(" ")
        if stripped[:1] in ("=", "+", "@", "\t", "\r") or (stripped.startswith("-") and original not in ("-0.25", "-3")):
            assert cell.startswith("'"), f"{original!r} was written as {cell!r}"
    assert cells[VALUES.index("-0.25")] == "-0.25" and cells[VALUES.index("A study = good")] == "A study = good"
    assert cells[VALUES.index("'=already quoted")] == "''=already quoted"  # so that reading it back is exact
    assert read_table(path)["value"].tolist() == VALUES


@pytest.mark.parametrize("name", ["records.csv", "PRISMA.csv"])
def test_records_and_prisma_csv_stay_exact(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_csv(pd.DataFrame({"value": VALUES}), path)
    assert written(path)["value"].tolist() == VALUES
    assert read_table(path)["value"].tolist() == VALUES
