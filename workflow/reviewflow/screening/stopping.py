"""When prioritised screening may stop: the hypergeometric test of Callaghan & Müller-Hansen (2020).

Callaghan MW, Müller-Hansen F (2020) Statistical stopping criteria for automated
screening in systematic reviews. *Systematic Reviews* 9:273.
https://doi.org/10.1186/s13643-020-01521-4

The null hypothesis is that recall is still below the target: that more than
``found / target_recall`` of the works are relevant. The works screened last
are treated as a random sample, drawn without replacement, from the works
that were unscreened when that sample began. (Screening in priority order
puts likely includes first, so the sample holds *more* includes than a random
one would, and the test is conservative.) For each possible start of that
sample (the last 1, 2, ... n works screened), the probability of having met
at most the includes actually met in it, were the null hypothesis true, is a
hypergeometric tail; the p-value is the smallest of these. A reviewer may
stop when ``p < 1 - confidence`` and at least ``min_screened`` works have been
screened.

Interface (pure, no I/O)::

    stopping_test(screened, included, total, target_recall=0.95,
                  confidence=0.95, min_screened=0) -> StoppingResult

- ``screened``: the works screened so far, in the order they were screened
  (rank order; a batch's works in the order of its worksheet);
- ``included``: which of them were included (any other work is counted as
  excluded); works not in ``screened`` are ignored;
- ``total``: the number of works at the stage, screened or not.

``StoppingResult`` holds the p-value, ``may_stop``, ``more_needed`` (the
fewest further works, all excluded, that would let one stop) and
``recall_bound`` (the highest recall the test supports at the confidence),
and ``message`` says it in a sentence, e.g. "estimated recall >= 95% with
p = 0.031 (confidence 95%): you may stop" or "keep screening: at least 120
more works (recall >= 95% not yet shown, p = 0.41)".
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.stats import hypergeom

from ..errors import ReviewError


@dataclass(frozen=True)
class StoppingResult:
    """The hypergeometric stopping test at one point of the screening."""

    p_value: float
    may_stop: bool
    screened: int
    found: int
    total: int
    target_recall: float
    confidence: float
    min_screened: int
    more_needed: int
    recall_bound: float

    @property
    def message(self) -> str:
        """The result in a sentence for the status and the screening page."""
        target = f"{self.target_recall:.0%}"
        if self.may_stop:
            return (f"estimated recall >= {target} with p = {self.p_value:.3g} (confidence {self.confidence:.0%}): "
                    f"you may stop ({self.screened} of {self.total} screened, {self.found} included)")
        if self.p_value < 1 - self.confidence:
            why = f"p = {self.p_value:.3g} passes, but at least {self.min_screened} must be screened first"
        else:
            why = f"recall >= {target} not yet shown, p = {self.p_value:.3g}"
        return f"keep screening: at least {self.more_needed} more works ({why}; {self.screened} of {self.total} screened, {self.found} included)"


def _fraction(value: float) -> Fraction:
    return Fraction(str(value)).limit_denominator(10**9)


def _p_values(hits: np.ndarray, total: int, target: Fraction, extra: int = 0) -> float:
    """The smallest p over every start of the sample of the last screened works (``extra`` more excluded works appended)."""
    n = len(hits) + extra
    found = int(hits.sum())
    if n == 0:
        return 1.0
    # before[i]: includes screened before the sample that starts at position i (i = 0 .. len(hits) - 1, then the appended)
    before = np.concatenate(([0], np.cumsum(hits)))[:-1]
    starts = np.arange(len(hits))
    if extra:
        # samples starting inside the appended works hold no include; they start later so test less
        before = np.concatenate((before, np.full(extra, found)))
        starts = np.arange(n)
    drawn = n - starts  # works in the sample
    remaining = total - starts  # works unscreened when the sample began: the urn
    met = found - before  # includes met in the sample
    # the fewest includes left in the urn for recall to fall short of the target
    missing_at_least = (found * target.denominator) // target.numerator + 1 - before
    impossible = missing_at_least > remaining
    k = np.minimum(missing_at_least, remaining)
    p = hypergeom.cdf(met, remaining, k, drawn)
    p = np.where(impossible, 0.0, p)
    return float(np.clip(np.nanmin(p), 0.0, 1.0))


def _check(total: int, screened: int, target_recall: float, confidence: float, min_screened: int) -> None:
    if not 0 < target_recall <= 1:
        raise ReviewError(f"stopping rule: target recall {target_recall} must be above 0 and at most 1 (e.g. 0.95)")
    if not 0 < confidence < 1:
        raise ReviewError(f"stopping rule: confidence {confidence} must be between 0 and 1 (e.g. 0.95)")
    if min_screened < 0:
        raise ReviewError(f"stopping rule: minimum screened {min_screened} must not be negative")
    if screened > total:
        raise ReviewError(f"stopping rule: {screened} works screened but only {total} in all: the total must count every work")


def stopping_test(
    screened: Sequence[str],
    included: Collection[str],
    total: int,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    min_screened: int = 0,
) -> StoppingResult:
    """The hypergeometric stopping test over a screening history (see the module's docstring)."""
    hits = np.array([work in included for work in screened], dtype=np.int64)
    return stopping_test_labels(hits, total, target_recall, confidence, min_screened)


def stopping_test_labels(
    hits: Sequence[int] | np.ndarray,
    total: int,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    min_screened: int = 0,
) -> StoppingResult:
    """``stopping_test`` over the decisions alone: 1 (included) or 0 for each work screened, in order."""
    hits = np.asarray(hits, dtype=np.int64)
    if len(set(np.unique(hits)) - {0, 1}):
        raise ReviewError("stopping rule: each screened work must be 1 (included) or 0 (excluded)")
    _check(total, len(hits), target_recall, confidence, min_screened)
    target = _fraction(target_recall)
    alpha = 1 - confidence
    p = _p_values(hits, total, target)
    enough = len(hits) >= min_screened
    may_stop = bool(p < alpha and enough)
    more = 0
    if p >= alpha:
        # the fewest further works, all excluded, after which the test would pass (p falls as they are added)
        low, high = 1, total - len(hits)
        while low < high:
            middle = (low + high) // 2
            if _p_values(hits, total, target, middle) < alpha:
                high = middle
            else:
                low = middle + 1
        more = low
    more = max(more, min_screened - len(hits), 0) if not may_stop else 0
    return StoppingResult(
        p_value=round(p, 6), may_stop=may_stop, screened=len(hits), found=int(hits.sum()), total=total,
        target_recall=target_recall, confidence=confidence, min_screened=min_screened, more_needed=more,
        recall_bound=recall_bound(hits, total, confidence),
    )


def recall_bound(hits: Sequence[int] | np.ndarray, total: int, confidence: float = 0.95) -> float:
    """The highest recall (to 0.1%) that the test shows reached at ``confidence``; 0 when none is shown."""
    hits = np.asarray(hits, dtype=np.int64)
    alpha = 1 - confidence
    if int(hits.sum()) == 0:
        return 0.0
    low, high = 0, 1000  # in tenths of a percent; p grows with the target
    while low < high:
        middle = (low + high + 1) // 2
        if _p_values(hits, total, Fraction(middle, 1000)) < alpha:
            low = middle
        else:
            high = middle - 1
    return low / 1000 if low else 0.0


def stop_point(
    hits: Sequence[int] | np.ndarray,
    total: int,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    min_screened: int = 0,
    every: int = 1,
) -> int:
    """How many works of a full screening order one would have screened when the test first allows stopping.

    ``hits`` is the whole order's decisions (as a simulation knows them); the
    test is run after every ``every`` works (a batch); ``total`` when it never
    passes before the end.
    """
    hits = np.asarray(hits, dtype=np.int64)
    _check(total, len(hits), target_recall, confidence, min_screened)
    target = _fraction(target_recall)
    alpha = 1 - confidence
    start = max(min_screened, every)
    for n in range(start - start % every if start % every == 0 else start + every - start % every, len(hits) + 1, every):
        if _p_values(hits[:n], total, target) < alpha:
            return n
    return total
