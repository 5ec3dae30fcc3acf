"""Names with separators (criteria, databases) in PRISMA.csv, and config files that cannot be read."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from reviewflow.cli import main as cli
from reviewflow.config import load_config, load_yaml
from reviewflow.csvio import read_table, write_csv
from reviewflow.errors import ReviewError
from reviewflow.evidence import read_evidence_log
from reviewflow.paths import ReviewPaths
from reviewflow.pipeline import duplicate_overrides
from reviewflow.prisma import parse_named_counts, prisma_table
from reviewflow.searchlog import read_search_log

from . import minireview
from .conftest import REPO


def demo_config() -> dict:
    return yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))


def app_reasons(text: str) -> list[tuple[str, int]]:
    """How the PRISMA2020 app (R/utils.R, PRISMA_parse_reasons_) reads a "Reason, n; Reason, n" field:
    split at ';' and an optional space, the reason is what comes before the first ',', the number the
    digits after it."""
    pieces = re.split(r";( )?", text)
    pieces = [p for p in pieces if p not in (None, " ")]
    out = []
    for piece in pieces:
        reason = re.sub(r",.*$", "", piece, flags=re.DOTALL)
        number = re.sub(r"[^0-9.]", "", re.sub(r",", "", re.sub(r"^.*?,([ 0-9,]*)", r"\1", piece, count=1, flags=re.DOTALL)))
        out.append((reason, int(number)))
    return out


def test_quotes_and_other_punctuation_in_names_come_back_exactly(tmp_path: Path) -> None:
    names = [('Not "empirical" (commentary)', 3), ("Children's services: out of scope", 2), ("Wrong setting - 'UK' only", 1)]
    text = "; ".join(f"{name}, {n}" for name, n in names)
    counts = {"dbr_excluded_reasons": text, "database_specific_results": 'EBSCO "Discovery" Service, 6'}
    path = tmp_path / "PRISMA.csv"
    write_csv(prisma_table(counts), path)
    written = read_table(path).set_index("data")["n"]
    assert parse_named_counts(written["dbr_excluded"]) == names
    assert app_reasons(written["dbr_excluded"]) == names
    assert app_reasons(written["database_specific_results"]) == [('EBSCO "Discovery" Service', 6)]
    assert pd.read_csv(path, dtype=str, keep_default_na=False).set_index("data")["n"]["dbr_excluded"] == text


@pytest.mark.parametrize(("label", "char"), [("Not UK; not empirical", "';'"), ("Not UK, or not empirical", "','")])
def test_a_criterion_label_prisma_csv_cannot_carry_is_rejected_by_the_config_check(
    tmp_path: Path, label: str, char: str
) -> None:
    config = demo_config()
    config["criteria"]["exclusion"][1]["label"] = label
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    with pytest.raises(ReviewError) as caught:
        load_config(path)
    problem = next(e for e in caught.value.errors if "criteria.exclusion[1].label" in e.message)  # type: ignore[attr-defined]
    assert char in problem.message and problem.file == str(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "label" in lines[problem.line - 1] and label.split()[0] in lines[problem.line - 1]


def test_a_criterion_text_with_a_comma_needs_a_label(tmp_path: Path) -> None:
    config = demo_config()
    del config["criteria"]["exclusion"][1]["label"]  # the text, with commas, would be the reason
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    with pytest.raises(ReviewError) as caught:
        load_config(path)
    problem = next(e for e in caught.value.errors if "criteria.exclusion[1].text" in e.message)  # type: ignore[attr-defined]
    assert "add a short 'label:'" in problem.fix


def test_a_database_name_with_a_separator_is_rejected_by_the_search_log_check(tmp_path: Path) -> None:
    searches = tmp_path / "searches"
    searches.mkdir()
    (searches / "a.ris").write_text("TY  - JOUR\nTI  - x\nER  - \n", encoding="utf-8")
    log = tmp_path / "searches.csv"
    log.write_text('round,date,source_type,database,query,file\n1,2015-03-02,database,"Ovid MEDLINE(R); Epub",q,a.ris\n',
                   encoding="utf-8")
    with pytest.raises(ReviewError, match=r"row 2, column 'database': .*PRISMA.csv"):
        read_search_log(log, searches)
    log.write_text('round,date,source_type,database,query,file\n1,2015-03-02,organisation,"Smith, Jones & Co",q,a.ris\n',
                   encoding="utf-8")
    assert read_search_log(log, searches)["database"].tolist() == ["Smith, Jones & Co"]  # not a PRISMA.csv name


def test_an_empty_config_is_an_error_saying_what_a_config_needs(tmp_path: Path) -> None:
    for text in ("", "\n  \n", "# nothing yet\n"):
        path = tmp_path / "config.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ReviewError) as caught:
            load_yaml(path)
        assert "configuration file is empty" in caught.value.message and "review, questions" in caught.value.fix


def test_a_config_that_is_a_folder_or_a_list_is_a_named_error(tmp_path: Path) -> None:
    folder = tmp_path / "config.yaml"
    folder.mkdir()
    with pytest.raises(ReviewError, match="a folder"):
        load_yaml(folder)
    listing = tmp_path / "list.yaml"
    listing.write_text("- review\n- stages\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="must be a YAML mapping"):
        load_config(listing)


def test_an_unreadable_config_is_a_named_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("review: {}\n", encoding="utf-8")

    def denied(self: Path, *args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", denied)  # as chmod 0 does for anyone but root
    with pytest.raises(ReviewError, match="permission denied"):
        load_yaml(path)


def test_the_snakefile_names_an_empty_config(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text("", encoding="utf-8")
    result = subprocess.run(
        [str(Path(sys.executable).with_name("snakemake")), "-s", str(REPO / "Snakefile"), "-n", "--cores", "1"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "the configuration file is empty" in output and "TypeError" not in output


def test_a_folder_where_the_evidence_log_or_duplicate_decisions_should_be_is_a_named_error(tmp_path: Path) -> None:
    minireview.build(tmp_path)
    paths = ReviewPaths(tmp_path)
    paths.duplicate_decisions.parent.mkdir(parents=True, exist_ok=True)
    paths.duplicate_decisions.mkdir()
    assert cli(["import", "--root", str(tmp_path)]) == 0
    with pytest.raises(ReviewError, match="this is a folder, not the duplicate decisions"):
        duplicate_overrides(paths, read_table(paths.records))
    paths.evidence_log.unlink()
    paths.evidence_log.mkdir()
    with pytest.raises(ReviewError, match="this is a folder, not the evidence log"):
        read_evidence_log(paths, load_config(paths.config))
