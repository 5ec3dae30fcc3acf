"""A stage's stopping rule, applied to its outcomes: which works are left unscreened, and why.

A stage may declare ``stopping: {target_recall, confidence, min_screened, apply}``
in the config. The hypergeometric test (``stopping.py``) is then run on the
stage's screening history at every run, and the status shows its estimate.
Nothing changes until a reviewer sets ``apply: true``; then, once the test
allows stopping, every work at the stage that *nobody* has screened gets the
outcome ``not_screened`` (reason ``stopping rule reached``). A work with any
decision (a maybe, a conflict, one of two reviewers) is never touched: it is
finished as usual.

The history: each work the stage's reviewers decided, in the order of the
decision files (a reviewer's rows in the order they were saved, which is the
worksheet's priority order), a work counting from its first decision; it is
counted as included when its outcome is ``include`` or, while pending, when a
reviewer included it or said maybe. The total is every work at the stage.

New works (a later search round) are never dropped: while the stage's works
from the latest round have no decision yet, the rule waits, so the new works
are ranked with the unscreened old ones on the worksheets; it applies again
only once the test passes over them all.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd

from .stopping import StoppingResult, stopping_test
from .vocabulary import ADJUDICATION

NOT_SCREENED = "not_screened"
REASON = "stopping rule reached"


def stopping_history(at_stage: pd.DataFrame, decisions: pd.DataFrame) -> tuple[list[str], set[str]]:
    """(works screened at the stage, in the order screened; those of them counted as included)."""
    made = decisions[decisions["reviewer"] != ADJUDICATION]
    order = list(dict.fromkeys(made["cluster_id"]))
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
    screened, included = stopping_history(at_stage, decisions)
    result: StoppingResult = stopping_test(screened, included, len(at_stage), float(rule["target_recall"]),
                                           float(rule["confidence"]), int(rule.get("min_screened", 0)))
    untouched = (at_stage["outcome"] == "pending") & (at_stage["reviewers"] == "") & at_stage["decided_by"].str.startswith("waiting:")
    rounds = at_stage["cluster_id"].map(first_round)
    latest = int(rounds.max()) if len(rounds) else 0
    waiting_new = bool(len(at_stage)) and not at_stage.loc[rounds == latest, "cluster_id"].isin(set(screened)).any() \
        and bool((rounds < latest).any())
    applied = bool(rule.get("apply")) and result.may_stop and not waiting_new
    summary = {**asdict(result), "message": result.message, "apply": bool(rule.get("apply")), "applied": applied,
               "waiting_for_new_round": latest if waiting_new else None, "not_screened": int(untouched.sum()) if applied else 0}
    if waiting_new:
        summary["message"] = (f"new works from round {latest} are not screened yet: the stopping rule waits until some are "
                              f"(they are ranked with the unscreened works); {result.message}")
    if not applied:
        return at_stage, summary
    marked = at_stage.copy()
    marked.loc[untouched, "outcome"] = NOT_SCREENED
    marked.loc[untouched, "reason"] = REASON
    marked.loc[untouched, "decided_by"] = "stopping_rule"
    return marked, summary
