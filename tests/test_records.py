"""Record ids depend on round and content, never on position."""

from __future__ import annotations

from reviewflow.records import RECORD_COLUMNS, assign_record_ids, content_hash


def test_id_depends_on_content_and_round_not_position() -> None:
    a = {"TI": ["A study"], "PY": ["2001"]}
    b = {"TI": ["Another study"], "PY": ["2002"]}
    forward = assign_record_ids([1, 1], [a, b])
    backward = assign_record_ids([1, 1], [b, a])
    assert forward == backward[::-1]
    assert assign_record_ids([2], [a])[0] != forward[0]
    assert forward[0].startswith("R01-")


def test_identical_copies_in_a_round_get_distinct_ids() -> None:
    a = {"TI": ["Same"]}
    ids = assign_record_ids([3, 3, 3], [a, a, a])
    assert len(set(ids)) == 3
    assert ids[1] == f"{ids[0]}-2" and ids[2] == f"{ids[0]}-3"


def test_hash_ignores_key_order_but_not_value_order() -> None:
    assert content_hash({"AU": ["x"], "TI": ["t"]}) == content_hash({"TI": ["t"], "AU": ["x"]})
    assert content_hash({"AU": ["x", "y"]}) != content_hash({"AU": ["y", "x"]})


def test_record_columns_hold_provenance_and_fields() -> None:
    for column in ("record_id", "round", "source_type", "database", "source_file", "source_index", "doi", "raw"):
        assert column in RECORD_COLUMNS
