"""Adding a round, or re-exporting a file in another order, changes no existing record id."""

from __future__ import annotations

import random
from pathlib import Path

from reviewflow.importers import read_export
from reviewflow.importers.collect import import_searches
from reviewflow.paths import ReviewPaths
from reviewflow.records import assign_record_ids
from reviewflow.searchlog import read_search_log

from . import minireview
from .conftest import REPO


def imported_ids(root: Path) -> dict[tuple[str, str], str]:
    paths = ReviewPaths(root)
    records, _ = import_searches(read_search_log(paths.search_log, paths.searches), paths.searches)
    return {(f, t): rid for f, t, rid in zip(records["source_file"], records["title"], records["record_id"], strict=True)}


def test_adding_a_round_changes_no_existing_id(tmp_path: Path) -> None:
    paths = minireview.write_inputs(tmp_path)
    before = imported_ids(tmp_path)
    (paths.searches / "r5.ris").write_text(minireview.RIS, encoding="utf-8")  # the same records again, a new round
    with paths.search_log.open("a", encoding="utf-8") as log:
        log.write("5,2015-05-01,database,TestDB,partnership again,r5.ris,\n")
    after = imported_ids(tmp_path)
    assert {k: v for k, v in after.items() if k in before} == before
    new = [v for k, v in after.items() if k[0] == "r5.ris"]
    assert len(new) == 3 and all(v.startswith("R05-") for v in new)
    assert not set(new) & set(before.values())


def test_reexporting_a_file_in_another_order_changes_no_id(tmp_path: Path) -> None:
    paths = minireview.write_inputs(tmp_path)
    before = imported_ids(tmp_path)
    blocks = minireview.RIS.strip("\n").split("\n\n")
    (paths.searches / "r1.ris").write_text("\n\n".join(reversed(blocks)) + "\n", encoding="utf-8")
    assert imported_ids(tmp_path) == before


def ids_of(path: Path, round_number: int) -> dict[str, str]:
    export = read_export(path)
    ids = assign_record_ids([round_number] * len(export.records), [r.raw for r in export.records])
    return {r.fields["title"]: rid for r, rid in zip(export.records, ids, strict=True)}


def test_shuffling_a_demo_export_changes_no_id(tmp_path: Path) -> None:
    source = REPO / "data" / "raw" / "searches" / "eds" / "round01.ris"
    blocks = [b for b in source.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    random.Random(7).shuffle(blocks)
    shuffled = tmp_path / "round01.ris"
    shuffled.write_text("\n\n".join(blocks) + "\n\n", encoding="utf-8")
    assert len(blocks) > 100
    assert ids_of(shuffled, 1) == ids_of(source, 1)
