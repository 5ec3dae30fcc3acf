"""A stage's stopping rule, applied to its outcomes: which works are left unscreened, and why.

A stage may declare ``stopping: {target_recall, confidence, min_screened, apply}``
in the config. The hypergeometric test (``stopping.py``) is then run on the
stage's screening history at every run, and the status shows its estimate.
Nothing changes until a reviewer sets ``applied_at_round: R`` (the last
search round the stop covers); then, once the test allows stopping, every work at the stage that *nobody* has screened gets the
outcome ``not_screened`` (reason ``stopping rule reached``). A work with any
decision (a maybe, a conflict, one of two reviewers) is never touched: it is
finished as usual.

The history: each work the stage's reviewers decided, in the order of the
decision files (a reviewer's rows in the order they were saved, which is the
worksheet's priority order), the stage's reviewers taken in their configured
order (the first screens everything; a second one's sample follows), a work
counting from its first decision; it is
counted as included when its outcome is ``include`` or, while pending, when a
reviewer included it or said maybe. The total is every work at the stage.

New works (a search round after R) are never dropped: they suspend the stop,
so every unscreened work, old and new, is pending and ranked together on the
worksheets; the reviewers screen on until the test passes over them all, and
move ``applied_at_round`` on to stop again.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd

from .stopping import StoppingResult, stopping_test
from .vocabulary import ADJUDICATION

NOT_SCREENED = "not_screened"
REASON = "stopping rule reached"


def stopping_history(stage: dict[str, Any], at_stage: pd.DataFrame, decisions: pd.DataFrame) -> tuple[list[str], set[str]]:
    """(works screened at the stage, in the order screened; those of them counted as included)."""
    made = decisions[decisions["reviewer"] != ADJUDICATION]
    rank = {name: i for i, name in enumerate(stage["reviewers"])}
    by_reviewer = made["reviewer"].map(lambda r: rank.get(r, len(rank)))
    order = list(dict.fromkeys(made["cluster_id"].iloc[by_reviewer.argsort(kind="stable").to_numpy()]))
    outcome = dict(zip(at_stage["cluster_id"], at_stage["outcome"], strict=True))
    leaning = set(made.loc[made["decision"].isin(["include", "maybe"]), "cluster_id"])
    order = [c for c in order if c in outcome]
    included = {c for c in order if outcome[c] == "include" or (outcome[c] == "pending" and c in leaning)}
    return order, included


def apply_stopping(
    stage: dict[str, Any],
    at_stage: pd.DataFrame,
    decisions: pd.DataFrame,
    first_round: dict[str, int],
) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """(the stage's outcomes, with the unscreened works marked when the rule is applied and met; the test's result).

    ``at_stage``: the stage's outcomes (OUTCOME_COLUMNS); ``decisions``: the stage's decisions, in file order;
    ``first_round``: work -> the search round that first found it. The result is None without a rule.
    """
    rule = stage.get("stopping")
    if not rule:
        return at_stage, None
    screened, included = stopping_history(stage, at_stage, decisions)
    result: StoppingResult = stopping_test(screened, included, len(at_stage), float(rule["target_recall"]),
                                           float(rule["confidence"]), int(rule.get("min_screened", 0)))
    untouched = (at_stage["outcome"] == "pending") & (at_stage["reviewers"] == "") & at_stage["decided_by"].str.startswith("waiting:")
    through = rule.get("applied_at_round")
    later = sorted({int(first_round[c]) for c in at_stage["cluster_id"]} - set(range(1, int(through or 0) + 1))) if through else []
    applied = bool(through) and result.may_stop and not later
    summary = {**asdict(result), "message": result.message, "applied_at_round": through, "applied": applied,
               "suspended_by_rounds": later, "not_screened": int(untouched.sum()) if applied else 0}
    if later:
        summary["message"] = (f"the stop applied at round {through} is suspended: works from round {', '.join(map(str, later))} "
                              f"came since, and are ranked with the unscreened works; {result.message}")
    if not applied:
        return at_stage, summary
    marked = at_stage.copy()
    marked.loc[untouched, "outcome"] = NOT_SCREENED
    marked.loc[untouched, "reason"] = REASON
    marked.loc[untouched, "decided_by"] = "stopping_rule"
    return marked, summary
