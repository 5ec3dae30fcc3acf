"""The hypergeometric stopping rule (Callaghan & Müller-Hansen 2020)."""

from __future__ import annotations

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
