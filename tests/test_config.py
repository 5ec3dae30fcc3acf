"""The review's config: safe loading, schema errors that name the key, consistency checks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reviewflow.config import load_config, load_yaml
from reviewflow.errors import ReviewError

from .conftest import REPO


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def demo_config() -> dict:
    return yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))


def test_the_demo_config_is_valid_and_gets_defaults() -> None:
    config = load_config(REPO / "config" / "config.yaml")
    assert [s["name"] for s in config["stages"]] == ["title", "abstract", "fulltext"]
    assert config["stages"][0]["lanes"] == ["databases"]
    assert config["tables"][0]["total_row"] == "Total"  # a schema default


def test_duplicate_keys_are_refused_with_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "review:\n  title: A\nreview:\n  title: B\n")
    with pytest.raises(ReviewError, match="found the key 'review' a second time") as error:
        load_yaml(path)
    assert error.value.line == 3


def test_python_tags_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "review: !!python/name:os.system\n")
    with pytest.raises(ReviewError, match="not valid YAML"):
        load_yaml(path)


def test_a_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "review:\n  title: A\n stages: [\n")
    with pytest.raises(ReviewError) as error:
        load_yaml(path)
    assert error.value.file == str(path) and error.value.line is not None


def test_a_schema_error_names_the_key_and_what_is_expected(tmp_path: Path) -> None:
    config = demo_config()
    config["stages"][1]["consensus"] = "majority"
    config["stages"][0]["reviewers"] = "tm"
    path = write(tmp_path, yaml.safe_dump(config))
    with pytest.raises(ReviewError) as error:
        load_config(path)
    message = str(error.value)
    assert "key 'stages[1].consensus': 'majority' is not one of" in message
    assert "key 'stages[0].reviewers': 'tm' is not of type 'array'" in message


def test_unknown_keys_are_errors(tmp_path: Path) -> None:
    config = demo_config()
    config["stages"][0]["reviewer"] = ["tm"]
    with pytest.raises(ReviewError, match=r"stages\[0\]': Additional properties are not allowed \('reviewer'"):
        load_config(write(tmp_path, yaml.safe_dump(config)))


def test_names_must_refer_to_each_other(tmp_path: Path) -> None:
    config = demo_config()
    config["stages"][0]["reviewers"] = ["tm", "zz"]
    config["tables"][0]["rows"]["field"] = "continent"
    with pytest.raises(ReviewError) as error:
        load_config(write(tmp_path, yaml.safe_dump(config)))
    assert "'zz' is not one of the reviewers" in str(error.value)
    assert "'continent' is not a field of the evidence log" in str(error.value)


def test_a_missing_config_says_what_a_review_folder_needs(tmp_path: Path) -> None:
    with pytest.raises(ReviewError, match="configuration file is missing"):
        load_config(tmp_path / "config.yaml")


def test_published_counts_keyed_by_version(tmp_path: Path) -> None:
    from reviewflow.versions import published_counts

    config = demo_config()
    flat = dict(config["expected_counts"])
    config["review"]["previous_version"] = {"last_round": 33, "previous_version": {"last_round": 32}}
    config["expected_counts"] = {"previous": {"new_studies": 1}, "current": {"new_studies": 2}}
    loaded = load_config(write(tmp_path, yaml.safe_dump(config)))
    assert published_counts(loaded) == {"previous": {"new_studies": 1}, "current": {"new_studies": 2}}
    # flat counts are the previous version's once one is marked, else this version's
    config["expected_counts"] = flat
    assert published_counts(load_config(write(tmp_path, yaml.safe_dump(config))))["previous"] == flat
    del config["review"]["previous_version"]
    assert published_counts(load_config(write(tmp_path, yaml.safe_dump(config))))["current"] == flat
    config["expected_counts"] = {"previous": {"new_studies": 1}}
    with pytest.raises(ReviewError, match="marks no previous version"):
        load_config(write(tmp_path, yaml.safe_dump(config)))
    config["expected_counts"] = {"previous": {"new_studies": "seventy"}}
    with pytest.raises(ReviewError, match="expected_counts"):
        load_config(write(tmp_path, yaml.safe_dump(config)))
    config["review"]["previous_version"] = {}
    with pytest.raises(ReviewError, match="previous_version"):
        load_config(write(tmp_path, yaml.safe_dump(config)))
    config["review"]["previous_version"] = {"last_round": 33, "previous_version": {"last_round": 33}}
    config["expected_counts"] = {"previous": {"new_studies": 1}}
    with pytest.raises(ReviewError, match="previous_version.previous_version.last_round': 33 is not before 33"):
        load_config(write(tmp_path, yaml.safe_dump(config)))
