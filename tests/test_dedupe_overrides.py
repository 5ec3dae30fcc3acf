"""People's decisions in data/raw/decisions/duplicates.csv: they win, hold across reruns, and are checked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from reviewflow.cli import main
from reviewflow.csvio import read_table
from reviewflow.dedupe import find_duplicates
from reviewflow.dedupe.overrides import read_overrides
from reviewflow.errors import ReviewError
from .test_dedupe import article, clusters_of, make_records

#: Two records the rules keep apart (journals disagree), and an identical pair they join.
APART = [article(authors="Okafor, C.", volume="", pages="", journal="Eur J Heart Fail"),
         article(authors="Okafor, Chidi; Mensah, Ama", volume="", pages="", journal="Heart")]


def decisions(tmp_path: Path, rows: list[tuple[str, str, str, str]], text: str | None = None) -> Path:
    path = tmp_path / "duplicates.csv"
    lines = ["record_id_a,record_id_b,verdict,note"] + [",".join(row) for row in rows]
    path.write_text(text if text is not None else "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_same_joins_what_the_rules_keep_apart(tmp_path: Path) -> None:
    records = make_records(*APART)
    assert len(set(clusters_of(find_duplicates(records)))) == 2
    a, b = records["record_id"]
    path = decisions(tmp_path, [(b, a, "Same", "checked the PDFs")])
    result = find_duplicates(records, read_overrides(path, records["record_id"]))
    assert clusters_of(result) == [a, a]
    assert result.clusters["rule"][1] == "person"
    assert "checked the PDFs" in result.clusters["evidence"][1]
    assert result.review.empty  # decided: no longer in doubt


def test_different_keeps_apart_what_the_rules_join_even_through_other_records(tmp_path: Path) -> None:
    records = make_records(article(), article(), article(pages="551-9"))
    assert len(set(clusters_of(find_duplicates(records)))) == 1
    a, b, c = records["record_id"]
    path = decisions(tmp_path, [(a, b, "different", "two reports with one title")])
    result = find_duplicates(records, read_overrides(path, records["record_id"]))
    cluster = clusters_of(result)
    assert cluster[0] != cluster[1]
    assert cluster[2] in (cluster[0], cluster[1])


def test_decisions_hold_when_a_round_is_added(tmp_path: Path) -> None:
    round_one = make_records(*APART)
    a, b = round_one["record_id"]
    overrides = decisions(tmp_path, [(a, b, "same", "")])
    before = find_duplicates(round_one, read_overrides(overrides, round_one["record_id"]))
    both = make_records(*APART, dict(article(), round=2), dict(title="A different work about kidney disease", round=2))
    after = find_duplicates(both, read_overrides(overrides, both["record_id"]))
    assert clusters_of(after)[:2] == clusters_of(before) == [a, a]
    assert clusters_of(after)[2] == a


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (("R01-000000000001", "R09-999999999999", "same", ""), "record_id_b", "not a record id of this review"),
        (("R01-000000000001", "R01-000000000002", "maybe", ""), "verdict", "'maybe' is not a verdict"),
        (("R01-000000000001", "R01-000000000001", "same", ""), "record_id_b", "paired with itself"),
        (("", "R01-000000000002", "same", ""), "record_id_a", "empty"),
    ],
)
def test_errors_name_file_row_and_column(tmp_path: Path, row: tuple[str, str, str, str], column: str, message: str) -> None:
    records = make_records(*APART)
    path = decisions(tmp_path, [("R01-000000000001", "R01-000000000002", "same", "fine"), row])
    with pytest.raises(ReviewError) as raised:
        read_overrides(path, records["record_id"])
    text = raised.value.describe()
    assert str(path) in text and "row 3" in text and f"column '{column}'" in text and message in text


def test_two_verdicts_on_one_pair_are_an_error(tmp_path: Path) -> None:
    records = make_records(*APART)
    a, b = records["record_id"]
    path = decisions(tmp_path, [(a, b, "same", ""), (b, a, "different", "")])
    with pytest.raises(ReviewError, match="row 2 decided the same pair 'same'"):
        read_overrides(path, records["record_id"])


def test_a_different_that_same_decisions_chain_together_is_an_error(tmp_path: Path) -> None:
    records = make_records(article(), article(title="Second work on heart failure nursing care"), article(title="Third"))
    a, b, c = records["record_id"]
    path = decisions(tmp_path, [(a, b, "same", ""), (b, c, "same", ""), (a, c, "different", "")])
    with pytest.raises(ReviewError, match="other rows decide 'same' links that join them"):
        find_duplicates(records, read_overrides(path, records["record_id"]))


def test_the_dedupe_step_reads_the_decisions_and_survives_a_rerun(demo_review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(demo_review)
    assert main(["import", "--root", root]) == 0
    assert main(["dedupe", "--root", root]) == 0
    processed = demo_review / "data" / "processed" / "dedupe"
    first = read_table(processed / "clusters.csv")
    assert first["cluster_id"].nunique() == 5853
    sources = read_table(processed / "sources.csv")
    assert sources["database"].iloc[-1] == "all sources" and sources["works"].iloc[-1] == "5853"
    # two different works a person declares one, and two copies of one work a person splits
    singles = first.groupby("cluster_id").filter(lambda g: len(g) == 1)["record_id"].tolist()
    sizes = first["cluster_id"].value_counts()
    pair = first[first["cluster_id"] == sizes[sizes == 2].index[0]]
    copy_a, copy_b = pair["record_id"]
    path = demo_review / "data" / "raw" / "decisions" / "duplicates.csv"
    decisions(path.parent, [(singles[0], singles[1], "same", "one report"), (copy_a, copy_b, "different", "")])
    for _ in range(2):  # a rerun gives the same result
        assert main(["dedupe", "--root", root]) == 0
        clusters = read_table(processed / "clusters.csv").set_index("record_id")["cluster_id"]
        assert clusters[singles[1]] == clusters[singles[0]]
        assert clusters[copy_a] != clusters[copy_b]
        assert clusters.nunique() == 5853
    assert "2 decisions read" in capsys.readouterr().out


def test_the_dedupe_step_reports_a_bad_decision_file(demo_review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(demo_review)
    assert main(["import", "--root", root]) == 0
    path = demo_review / "data" / "raw" / "decisions" / "duplicates.csv"
    decisions(path.parent, [("R01-000000000000", "R01-000000000001", "same", "")])
    assert main(["dedupe", "--root", root]) == 1
    error = capsys.readouterr().err
    assert "duplicates.csv, row 2, column 'record_id_a'" in error
    assert not (demo_review / "data" / "processed" / "dedupe" / "clusters.csv").exists()


def test_review_rows_can_be_copied_into_the_decisions(tmp_path: Path) -> None:
    records = make_records(*APART)
    review = find_duplicates(records).review
    assert list(review.columns[:4]) == ["record_id_a", "record_id_b", "verdict", "note"]
    review = review.copy()
    review["verdict"] = "same"
    path = tmp_path / "duplicates.csv"
    review.to_csv(path, index=False)
    result = find_duplicates(records, read_overrides(path, records["record_id"]))
    assert len(set(clusters_of(result))) == 1
    assert isinstance(result.clusters, pd.DataFrame)
