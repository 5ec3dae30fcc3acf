"""From decisions to one outcome per work and stage.

Stages run in the configured order; a work reaches a stage only when it was
included at the previous stage that applies to its PRISMA lane (grey
literature in the 'other' lane goes straight to the full-text stage when the
earlier stages are for databases only).

Per stage and work the outcome is ``include``, ``exclude`` (with a reason
code), ``not_retrieved`` (excluded with a reason marked ``not_retrieved``) or
``pending``: no decision yet, an assigned reviewer still to screen, a 'maybe'
that must become a firm decision, or an open conflict. A work with no
decision is pending, never excluded.

Each reviewer's *opinion* on a work is the set of its decisions on any of the
work's records. Reviewers disagree when their opinions differ (at a full-text
stage an exclusion's first reason counts too, as different exclusion reasons
are a conflict). One reviewer with two different opinions on a work happens
when a later de-duplication joins two works that carried different decisions:
a conflict too, never a silent overwrite. The consensus rule settles
include/exclude disagreements (``either_include``: include; ``both_include``:
exclude), otherwise the adjudication file does; an adjudication always wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import ReviewError, ReviewErrors
from .assignment import assigned_reviewers, needs_every_assigned
from .stoprule import apply_stopping
from .tablerows import iter_rows
from .units import Units
from .vocabulary import ADJUDICATION, Criteria, maybe_passes, primary_reason

OUTCOME_COLUMNS = ("stage", "cluster_id", "outcome", "reason", "decided_by", "reviewers", "conflict", "conflict_kind")
HELD_COLUMNS = ("stage", "reviewer", "record_id", "cluster_id", "waiting_for")

#: What a conflict is about (``conflict_kind``).
CONFLICT_KINDS = {
    "decision": "the reviewers' decisions differ",
    "reason": "the reviewers exclude for different reasons",
    "joined": "one reviewer decided differently on records that de-duplication now counts as one work",
}


PAST = {"exclude": "excluded", "not_retrieved": "not retrieved (excluded)", "include": "included",
        "not_screened": "not screened (stopping rule reached)"}


@dataclass
class Resolution:
    outcomes: pd.DataFrame  # OUTCOME_COLUMNS, stage by stage, works in canonical order
    held: pd.DataFrame  # HELD_COLUMNS: decisions made ahead of time, waiting for the work to reach the stage
    stopping: dict[str, dict[str, Any]] = field(default_factory=dict)  # stage -> its stopping rule's test (stoprule.py)


def _opinion(row: dict[str, Any], stage: dict[str, Any], full_text: bool) -> tuple[str, str]:
    """(decision as it counts at this stage, the exclusion reason when reasons make a difference)."""
    decision = row["decision"]
    if decision == "maybe" and maybe_passes(stage):
        decision = "include"
    return decision, primary_reason(row["reason"]) if decision == "exclude" and full_text else ""


def _in_order(reviewers: Iterable[str], stage: dict[str, Any]) -> list[str]:
    order = {name: i for i, name in enumerate(stage["reviewers"])}
    return sorted(reviewers, key=lambda r: (order.get(r, len(order)), r))


def _first_reason(made: list[dict[str, Any]], stage: dict[str, Any], decision: str = "exclude") -> str:
    """The reason of the first reviewer (in the stage's order) who gave one for this decision."""
    order = {name: i for i, name in enumerate(stage["reviewers"])}
    for row in sorted(made, key=lambda d: (order.get(d["reviewer"], len(order)), d["record_id"])):
        if row["decision"] == decision and row["reason"]:
            return primary_reason(row["reason"])
    return ""


def resolve_stage(
    stage: dict[str, Any],
    eligible: list[str],
    decisions: pd.DataFrame,
    criteria: Criteria,
    errors: list[ReviewError] | None = None,
) -> pd.DataFrame:
    """One outcome per eligible work at one stage (OUTCOME_COLUMNS)."""
    by_cluster: dict[str, list[dict[str, Any]]] = {}
    for row in iter_rows(decisions):
        by_cluster.setdefault(row["cluster_id"], []).append(row)
    full_text = bool(stage.get("full_text"))
    rule = stage.get("consensus", "adjudicator")
    rows = []
    for cluster_id in eligible:
        made = by_cluster.get(cluster_id, [])
        adjudication = [d for d in made if d["reviewer"] == ADJUDICATION]
        screened = [d for d in made if d["reviewer"] != ADJUDICATION]
        views: dict[str, set[tuple[str, str]]] = {}
        for d in screened:
            views.setdefault(d["reviewer"], set()).add(_opinion(d, stage, full_text))
        reviewers = _in_order(views, stage)
        distinct = {view for opinions in views.values() for view in opinions}
        decided = {decision for decision, _ in distinct}
        twice = [r for r in reviewers if len(views[r]) > 1]
        kind = "joined" if twice else "decision" if len(decided) > 1 else "reason" if len(distinct) > 1 else ""
        outcome, reason, decided_by, conflict = "pending", "", "", ""

        settled = {(d["decision"], primary_reason(d["reason"]) if d["decision"] == "exclude" else "") for d in adjudication}
        if len(settled) > 1:
            if errors is not None:
                first, *others = sorted(adjudication, key=lambda d: d["row"])
                errors.extend(
                    ReviewError(
                        f"the adjudication of {other['record_id']} ({other['decision']}) contradicts row {first['row']} "
                        f"({first['decision']} of {first['record_id']}), and both records are one work ({cluster_id})",
                        file=other["file"], row=int(other["row"]), column="decision",
                        fix="keep one adjudication per work",
                    )
                    for other in others
                )
            decided_by, conflict = "adjudication:contradictory", "open"
        elif settled:
            ((outcome, reason),) = settled
            decided_by = ADJUDICATION
            conflict = "resolved" if kind else ""
        elif not views:
            decided_by = "waiting:" + ";".join(assigned_reviewers(stage, cluster_id))
        elif twice:
            conflict = "open"
        elif "maybe" in decided:  # only when a maybe does not pass: it must first become a firm decision
            decided_by = "maybe:" + ";".join(r for r in reviewers if ("maybe", "") in views[r])
        elif len(decided) > 1:
            if rule == "either_include":
                outcome, decided_by, conflict = "include", "rule:either_include", "resolved"
            elif rule == "both_include":
                outcome, decided_by, conflict = "exclude", "rule:both_include", "resolved"
                reason = _first_reason(screened, stage)
            else:
                conflict = "open"
        elif len(distinct) > 1:  # same decision, different exclusion reasons at full text
            conflict = "open"
        elif needs_every_assigned(stage) and (missing := [r for r in assigned_reviewers(stage, cluster_id) if r not in views]):
            decided_by = "waiting:" + ";".join(missing)
        else:
            (outcome,) = decided
            reason = _first_reason(screened, stage) if outcome == "exclude" else ""
            decided_by = ";".join(reviewers)
        if outcome == "exclude" and reason in criteria.not_retrieved:
            outcome = "not_retrieved"
        rows.append(
            {
                "stage": stage["name"],
                "cluster_id": cluster_id,
                "outcome": outcome,
                "reason": reason,
                "decided_by": decided_by,
                "reviewers": ";".join(reviewers),
                "conflict": conflict,
                "conflict_kind": kind if conflict else "",
            }
        )
    return pd.DataFrame(rows, columns=list(OUTCOME_COLUMNS))


def resolve(config: dict[str, Any], units: Units, decisions: pd.DataFrame) -> Resolution:
    """Outcomes of every stage, in stage order; decisions for works not at their stage are checked.

    A decision for a work that has not reached the stage is an error when the
    work never will (excluded before, or the stage is not for its lane); when
    the work is still pending at an earlier stage the decision is *held* and
    applies once the work arrives.
    """
    criteria = Criteria.from_config(config)
    lane_of = dict(zip(units.clusters["cluster_id"], units.clusters["lane"], strict=True))
    order = units.clusters["cluster_id"].tolist()
    last_outcome: dict[str, tuple[str, str]] = {}  # cluster -> (stage, outcome) at the last stage it reached
    errors: list[ReviewError] = []
    results: list[pd.DataFrame] = []
    held: list[dict[str, Any]] = []
    stopping: dict[str, dict[str, Any]] = {}
    first_round = dict(zip(units.clusters["cluster_id"], units.clusters["first_round"].astype(int), strict=True))
    for stage in config["stages"]:
        name = stage["name"]
        lanes = set(stage["lanes"])
        passed = {c for c in order if last_outcome.get(c, ("", "include"))[1] == "include"}
        eligible = [c for c in order if lane_of[c] in lanes and c in passed]
        at_stage = decisions[decisions["stage"] == name]
        allowed = set(eligible)
        for row in iter_rows(at_stage[~at_stage["cluster_id"].isin(allowed)]):
            cluster_id = row["cluster_id"]
            earlier_stage, earlier = last_outcome.get(cluster_id, ("", ""))
            if lane_of[cluster_id] not in lanes:
                message = (f"the {name} stage is only for records from {' and '.join(sorted(lanes))}, "
                           f"and {row['record_id']} is from {lane_of[cluster_id]}")
            elif earlier == "pending":
                held.append({"stage": name, "reviewer": row["reviewer"], "record_id": row["record_id"],
                             "cluster_id": cluster_id, "waiting_for": earlier_stage})
                continue
            else:
                message = (f"the record {row['record_id']} has not reached the {name} stage: "
                           f"it was {PAST.get(earlier, earlier)} at the {earlier_stage} stage")
            errors.append(ReviewError(message, file=row["file"], row=int(row["row"]), column="record_id",
                                      fix="remove the row, or change the decision at the stage before"))
        made = at_stage[at_stage["cluster_id"].isin(allowed)]
        outcome = resolve_stage(stage, eligible, made, criteria, errors)
        outcome, stop = apply_stopping(stage, outcome, made, first_round)
        if stop is not None:
            stopping[name] = stop
        for cluster_id, result in zip(outcome["cluster_id"], outcome["outcome"], strict=True):
            last_outcome[cluster_id] = (name, result)
        results.append(outcome)
    if errors:
        raise ReviewErrors(errors, "decisions that cannot apply")
    outcomes = pd.concat(results, ignore_index=True) if results else pd.DataFrame(columns=list(OUTCOME_COLUMNS))
    return Resolution(outcomes=outcomes, held=pd.DataFrame(held, columns=list(HELD_COLUMNS)), stopping=stopping)


def resolve_all(config: dict[str, Any], units: Units, decisions: pd.DataFrame) -> pd.DataFrame:
    """Outcomes of every stage, in stage order (OUTCOME_COLUMNS)."""
    return resolve(config, units, decisions).outcomes
