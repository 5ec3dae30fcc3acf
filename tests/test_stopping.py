"""The hypergeometric stopping rule (Callaghan & Müller-Hansen 2020)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy.stats import hypergeom

from reviewflow.errors import ReviewError
from reviewflow.screening.stopping import recall_bound, stop_point, stopping_test, stopping_test_labels


def test_a_long_run_of_excludes_after_the_includes_lets_one_stop() -> None:
    hits = [1] * 50 + [0] * 950
    assert not stopping_test_labels(hits, total=2000).may_stop  # 1,000 works unseen could still hold 3 includes
    result = stopping_test_labels(hits, total=1200)
    assert result.may_stop and result.p_value < 0.05 and result.more_needed == 0
    assert "you may stop" in result.message and result.found == 50
    assert result.recall_bound >= 0.95


def test_includes_still_coming_mean_keep_screening() -> None:
    rng = np.random.default_rng(1)
    hits = list((rng.random(300) < 0.2).astype(int))
    result = stopping_test_labels(hits, total=2000)
    assert not result.may_stop and result.more_needed > 0
    assert result.message.startswith(f"keep screening: at least {result.more_needed} more")
    # screening that many more, all excluded, is enough, and one fewer is not
    assert stopping_test_labels(hits + [0] * result.more_needed, total=2000).may_stop
    assert not stopping_test_labels(hits + [0] * (result.more_needed - 1), total=2000).may_stop


def test_p_value_is_the_smallest_hypergeometric_tail_over_the_sample_starts() -> None:
    hits = [1, 1, 0, 1, 0, 0, 0, 0, 0, 0]
    total, found = 30, 3
    expected = 1.0
    for start in range(len(hits)):
        before = sum(hits[:start])
        k = int(found / 0.95) + 1 - before
        expected = min(expected, hypergeom.cdf(found - before, total - start, k, len(hits) - start))
    assert stopping_test_labels(hits, total).p_value == pytest.approx(expected, abs=1e-6)


def test_minimum_screened_holds_back_the_stop() -> None:
    hits = [1] * 20 + [0] * 480
    assert stopping_test_labels(hits, total=600).may_stop
    held = stopping_test_labels(hits, total=600, min_screened=550)
    assert not held.may_stop and held.more_needed == 50 and "at least 550 must be screened" in held.message


def test_history_by_work_ids_and_everything_screened() -> None:
    screened = [f"w{i}" for i in range(10)]
    result = stopping_test(screened, {"w0", "w3"}, total=10)
    assert result.may_stop and result.p_value == 0.0 and result.recall_bound == 1.0


def test_the_rule_keeps_its_promise_on_prioritised_orders() -> None:
    # a weak ranker (includes only somewhat more likely early): recall at the stop reaches the target in >= 95% of runs
    reached, saved = [], []
    for seed in range(40):
        rng = np.random.default_rng(seed)
        labels = (rng.random(800) < 0.05).astype(int)
        hits = labels[np.argsort(-(labels * 1.0 + rng.normal(size=800)), kind="stable")]
        stop = stop_point(hits, total=800, every=10)
        reached.append(hits[:stop].sum() >= 0.95 * hits.sum())
        saved.append(1 - stop / 800)
    assert np.mean(reached) >= 0.95 and np.median(saved) > 0


def test_bad_parameters_are_named() -> None:
    with pytest.raises(ReviewError, match="target recall"):
        stopping_test_labels([1, 0], total=10, target_recall=1.5)
    with pytest.raises(ReviewError, match="confidence"):
        stopping_test_labels([1, 0], total=10, confidence=1)
    with pytest.raises(ReviewError, match="only 1 in all"):
        stopping_test_labels([1, 0], total=1)
    assert recall_bound([0, 0], total=10) == 0.0


def _stage(n: int, decided: int, included: int, rounds: list[int]) -> tuple[Any, Any, dict[str, int]]:
    import pandas as pd

    ids = [f"c{i}" for i in range(n)]
    outcome = ["include" if i < included else "exclude" if i < decided else "pending" for i in range(n)]
    at_stage = pd.DataFrame({"stage": "title", "cluster_id": ids, "outcome": outcome, "reason": "",
                             "decided_by": ["tm" if i < decided else "waiting:tm" for i in range(n)],
                             "reviewers": ["tm" if i < decided else "" for i in range(n)], "conflict": "", "conflict_kind": ""})
    decisions = pd.DataFrame({"reviewer": "tm", "cluster_id": ids[:decided],
                              "decision": ["include" if i < included else "exclude" for i in range(decided)]})
    return at_stage, decisions, dict(zip(ids, rounds, strict=True))


def test_an_applied_rule_marks_only_the_works_nobody_screened() -> None:
    from reviewflow.screening.stoprule import apply_stopping

    at_stage, decisions, rounds = _stage(1000, 900, 30, [1] * 1000)
    rule = {"target_recall": 0.95, "confidence": 0.95, "min_screened": 0}
    same, result = apply_stopping({"reviewers": ["tm"], "stopping": rule}, at_stage, decisions, rounds)
    assert result["may_stop"] and not result["applied"] and same.equals(at_stage)  # declared, not applied: nothing changes
    marked, result = apply_stopping({"reviewers": ["tm"], "stopping": {**rule, "applied_at_round": 1}}, at_stage, decisions, rounds)
    assert result["applied"] and result["not_screened"] == 100
    assert (marked["outcome"] == "not_screened").sum() == 100 and set(marked.loc[:899, "outcome"]) == {"include", "exclude"}


def test_works_from_a_later_round_suspend_the_stop() -> None:
    from reviewflow.screening.stoprule import apply_stopping

    at_stage, decisions, rounds = _stage(1000, 900, 30, [1] * 950 + [2] * 50)
    rule = {"target_recall": 0.95, "confidence": 0.95, "min_screened": 0, "applied_at_round": 1}
    kept, result = apply_stopping({"reviewers": ["tm"], "stopping": rule}, at_stage, decisions, rounds)
    assert not result["applied"] and result["suspended_by_rounds"] == [2] and "suspended" in result["message"]
    assert (kept["outcome"] == "pending").sum() == 100  # old and new unscreened works wait together, none dropped
