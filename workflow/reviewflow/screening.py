"""Screening: reviewers' decision files, stage by stage, into one outcome per work.

The unit of screening is the *cluster* (a work and its duplicates): a
decision may name any member's record id and applies to the whole cluster.
Stages run in the configured order; a cluster reaches a stage only when it
passed the previous stage that applies to its PRISMA lane (grey literature in
the 'other' lane goes straight to the full-text stage).

Per stage and cluster the outcome is ``include``, ``exclude`` (with a reason
code), ``not_retrieved`` (full text could not be obtained) or ``pending``
(no decision yet, a reviewer still to screen, or an open conflict). A record
with no decision is pending, never excluded.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .csvio import ROW, read_people_csv
from .errors import ReviewError, ReviewErrors
from .paths import ReviewPaths
from .searchlog import LANES

DECISIONS = ("include", "exclude", "maybe")
DECISION_COLUMNS = ("record_id", "decision", "reason", "note")

#: Spellings people use, mapped to the three decisions (matched case-insensitively).
DECISION_SYNONYMS: dict[str, str] = {
    **{w: "include" for w in ("include", "included", "incl", "in", "i", "yes", "y", "keep", "relevant", "1")},
    **{w: "exclude" for w in ("exclude", "excluded", "excl", "out", "x", "e", "no", "n", "irrelevant", "0")},
    **{w: "maybe" for w in ("maybe", "unsure", "uncertain", "?", "m", "possibly", "undecided")},
}

RECORD_ID = re.compile(r"^R\d+-[0-9a-f]{12}(?:-\d+)?$")

OUTCOME_COLUMNS = ("stage", "cluster_id", "outcome", "reason", "decided_by", "reviewers", "conflict")
DECISION_TABLE_COLUMNS = ("stage", "reviewer", "record_id", "cluster_id", "decision", "reason", "note", "file", "row")
CONFLICT_COLUMNS = ("cluster_id", "title", "decisions", "status", "resolution")
AGREEMENT_COLUMNS = ("reviewer_a", "reviewer_b", "double_screened", "agreed", "percent_agreement", "cohens_kappa", "note")

FIX_DECISIONS = "columns record_id, decision, reason, note; decision is include, exclude or maybe"


@dataclass
class Criteria:
    """Reason codes from the configuration."""

    labels: dict[str, str]  # code -> short label
    not_retrieved: set[str]

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Criteria:
        labels: dict[str, str] = {}
        not_retrieved: set[str] = set()
        for criterion in config["criteria"]["exclusion"]:
            labels[criterion["code"]] = criterion.get("label") or criterion["text"]
            if criterion.get("not_retrieved"):
                not_retrieved.add(criterion["code"])
        return cls(labels, not_retrieved)

    def canonical(self, code: str) -> str | None:
        for known in self.labels:
            if known.lower() == code.lower():
                return known
        return None


@dataclass
class Units:
    """The works to screen: one row per cluster, in canonical order."""

    clusters: pd.DataFrame  # cluster_id, lane, position, first_round, representative
    member_of: dict[str, str]  # record_id -> cluster_id

    @classmethod
    def build(cls, records: pd.DataFrame, clusters: pd.DataFrame) -> Units:
        frame = records[["record_id", "round", "source_type"]].merge(
            clusters[["record_id", "cluster_id"]], on="record_id", how="left", validate="one_to_one"
        )
        frame["position"] = range(len(frame))
        frame["lane"] = frame["source_type"].map(LANES)
        frame["completeness"] = completeness(records)
        grouped = frame.groupby("cluster_id", sort=False)
        units = pd.DataFrame(
            {
                "position": grouped["position"].min(),
                "lane": (frame["lane"] == "databases")
                .groupby(frame["cluster_id"], sort=False)
                .any()
                .map({True: "databases", False: "other"}),
                "first_round": grouped["round"].min(),
                # the most complete member is shown to screeners (ties: the earliest)
                "representative": frame.sort_values(["completeness", "position"], ascending=[False, True])
                .groupby("cluster_id", sort=False)["record_id"]
                .first(),
            }
        ).sort_values("position")
        units.index.name = "cluster_id"
        return cls(units.reset_index(), dict(zip(frame["record_id"], frame["cluster_id"], strict=True)))


def completeness(records: pd.DataFrame) -> pd.Series:
    """How many of the bibliographic fields a record fills (abstract counts double)."""
    fields = ["title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "abstract", "abstract"]
    return sum((records[f].astype(str).str.len() > 0).astype(int) for f in fields)


def normalise_decision(value: str, synonyms: dict[str, str]) -> str | None:
    word = value.strip().lower()
    if not word:
        return ""
    return synonyms.get(word) or DECISION_SYNONYMS.get(word)


def stage_files(paths: ReviewPaths, stage: dict[str, Any]) -> list[tuple[str, Path]]:
    """(reviewer, file) for every decision file of a stage that exists, adjudication last."""
    found = [(r, paths.decision_file(stage["name"], r)) for r in stage["reviewers"]]
    found.append(("adjudication", paths.adjudication_file(stage["name"])))
    return [(reviewer, path) for reviewer, path in found if path.is_file()]


def unexpected_files(paths: ReviewPaths, config: dict[str, Any]) -> list[Path]:
    """Decision files that belong to no configured stage or reviewer (never ignored in silence)."""
    expected = {p for stage in config["stages"] for _, p in stage_files(paths, stage)}
    expected |= {paths.duplicate_decisions}
    present = set(paths.decisions.rglob("*.csv")) if paths.decisions.is_dir() else set()
    return sorted(present - expected)


@dataclass
class Decisions:
    table: pd.DataFrame  # DECISION_TABLE_COLUMNS
    orphans: pd.DataFrame  # decisions naming records that no longer exist
    warnings: list[str] = field(default_factory=list)


def read_decisions(
    paths: ReviewPaths,
    config: dict[str, Any],
    units: Units,
) -> Decisions:
    """Every decision file of every stage, checked row by row.

    Errors name file, row and column. A well-formed record id that is not in
    the records (its export was removed) is not an error: it is kept aside as
    an orphan and reported.
    """
    criteria = Criteria.from_config(config)
    synonyms = {k.lower(): v for k, v in config.get("decisions", {}).get("synonyms", {}).items()}
    errors: list[ReviewError] = []
    rows: list[dict[str, Any]] = []
    orphans: list[dict[str, Any]] = []
    for stage in config["stages"]:
        for reviewer, path in stage_files(paths, stage):
            frame = read_people_csv(path, DECISION_COLUMNS[:2], what="decision file", fix=FIX_DECISIONS)
            for column in DECISION_COLUMNS:
                if column not in frame:
                    frame[column] = ""
            seen: dict[str, tuple[str, int]] = {}
            for row in frame.itertuples(index=False):
                number = getattr(row, ROW)

                def problem(column: str, message: str, fix: str) -> None:
                    errors.append(ReviewError(message, file=path, row=number, column=column, fix=fix))  # noqa: B023

                record_id = row.record_id.strip()
                decision = normalise_decision(row.decision, synonyms)
                if not record_id:
                    if decision:
                        problem("record_id", "a decision without a record id", "copy the record_id from the worksheet")
                    continue
                if decision is None:
                    problem("decision", f"'{row.decision}' is not a decision", "write include, exclude or maybe")
                    continue
                if decision == "":
                    continue  # a worksheet row not decided yet
                if record_id not in units.member_of:
                    if RECORD_ID.match(record_id):
                        orphans.append(
                            {"stage": stage["name"], "reviewer": reviewer, "record_id": record_id, "decision": decision,
                             "file": str(path), "row": number}
                        )
                    else:
                        problem("record_id", f"'{record_id}' is not a record id of this review",
                                "copy the record_id from the worksheet (it looks like R03-1a2b3c4d5e6f)")
                    continue
                reason = row.reason.strip()
                codes = [c.strip() for c in re.split(r"[;,]", reason) if c.strip()]
                canonical = [criteria.canonical(c) for c in codes]
                if decision == "exclude":
                    if not codes and stage["reasons"] == "required":
                        problem("reason", f"an exclusion at the {stage['name']} stage needs a reason code",
                                f"use one of {', '.join(criteria.labels)}")
                        continue
                    unknown = [c for c, k in zip(codes, canonical, strict=True) if k is None]
                    if unknown:
                        problem("reason", f"unknown reason code '{unknown[0]}'", f"use one of {', '.join(criteria.labels)}")
                        continue
                key = record_id
                if key in seen and seen[key][0] != decision:
                    problem("decision", f"a second, different decision for {record_id} (row {seen[key][1]} says {seen[key][0]})",
                            "keep one decision per record in each file")
                    continue
                if key in seen:
                    continue  # the same decision twice: harmless
                seen[key] = (decision, number)
                rows.append(
                    {
                        "stage": stage["name"],
                        "reviewer": reviewer,
                        "record_id": record_id,
                        "cluster_id": units.member_of[record_id],
                        "decision": decision,
                        "reason": ";".join(k for k in canonical if k) if decision == "exclude" else "",
                        "note": row.note,
                        "file": str(path),
                        "row": number,
                    }
                )
    if errors:
        raise ReviewErrors(errors, "the decision files have problems")
    warnings = [f"{p}: this file belongs to no configured stage and reviewer, so it is not read" for p in unexpected_files(paths, config)]
    if orphans:
        warnings.append(
            f"{len(orphans)} decision(s) name records that are no longer in the searches (an export was removed?): "
            "see data/processed/screening/orphans.csv"
        )
    return Decisions(
        table=pd.DataFrame(rows, columns=list(DECISION_TABLE_COLUMNS)),
        orphans=pd.DataFrame(orphans, columns=["stage", "reviewer", "record_id", "decision", "file", "row"]),
        warnings=warnings,
    )


def stable_fraction(seed: int, key: str) -> float:
    """A pseudo-random number in [0, 1) fixed by (seed, key): samples stay put as records are added."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assigned_reviewers(stage: dict[str, Any], cluster_id: str) -> list[str]:
    """Who is expected to screen a work at a stage."""
    reviewers = list(stage["reviewers"])
    assignment = stage["assignment"]
    mode = assignment.get("mode", "single")
    if mode == "dual":
        return reviewers
    seed = int(assignment.get("seed", 0))
    if mode == "sample":
        first = reviewers[0]
        if stable_fraction(seed, cluster_id) < float(assignment.get("share", 0.2)):
            second = reviewers[1 + int(stable_fraction(seed + 1, cluster_id) * (len(reviewers) - 1))]
            return [first, second]
        return [first]
    return [reviewers[int(stable_fraction(seed, cluster_id) * len(reviewers))]]


def _passes(outcome: str) -> bool:
    return outcome == "include"


def _effective(decision: str, stage: dict[str, Any]) -> str:
    """A 'maybe' counts as include where the stage says so (for progress and agreement)."""
    if decision == "maybe" and stage.get("maybe", "include") == "include":
        return "include"
    return decision


def resolve_stage(
    stage: dict[str, Any],
    eligible: list[str],
    decisions: pd.DataFrame,
    criteria: Criteria,
) -> pd.DataFrame:
    """One outcome per eligible cluster at one stage."""
    by_cluster: dict[str, list[dict[str, Any]]] = {}
    for row in decisions.to_dict("records"):
        by_cluster.setdefault(row["cluster_id"], []).append(row)
    full_text = bool(stage.get("full_text"))
    rows = []
    for cluster_id in eligible:
        made = by_cluster.get(cluster_id, [])
        adjudication = [d for d in made if d["reviewer"] == "adjudication"]
        reviewer_rows = [d for d in made if d["reviewer"] != "adjudication"]
        # a reviewer's view of the work: different decisions on members that a later
        # de-duplication joined is a conflict, never a silent overwrite
        views: dict[str, set[tuple[str, str]]] = {}
        for d in reviewer_rows:
            reason = d["reason"].split(";")[0] if d["decision"] == "exclude" else ""
            views.setdefault(d["reviewer"], set()).add((_effective(d["decision"], stage), reason))
        expected = assigned_reviewers(stage, cluster_id)
        outcome, reason, decided_by, conflict = "pending", "", "", ""
        distinct = {view for opinions in views.values() for view in opinions}
        if adjudication:
            last = adjudication[-1]
            outcome = _effective(last["decision"], stage)
            reason = last["reason"].split(";")[0] if outcome == "exclude" else ""
            decided_by = "adjudication"
            if len(distinct) > 1:
                conflict = "resolved"
        elif not views:
            outcome = "pending"
        elif any(len(opinions) > 1 for opinions in views.values()):
            conflict = "open"
        elif len({d for d, _ in distinct}) > 1 or (full_text and len(distinct) > 1):
            rule = stage.get("consensus", "adjudicator")
            decisions_made = {d for d, _ in distinct}
            if rule == "either_include" and "include" in decisions_made:
                outcome, decided_by, conflict = "include", "rule:either_include", "resolved"
            elif rule == "both_include" and "include" in decisions_made and decisions_made <= {"include", "exclude"}:
                excluded = sorted(r for d, r in distinct if d == "exclude")
                outcome, reason, decided_by, conflict = "exclude", excluded[0], "rule:both_include", "resolved"
            else:
                conflict = "open"
        elif stage["assignment"].get("mode", "single") != "single" and (
            missing := [r for r in expected if r not in views]
        ):
            decided_by = "waiting:" + ";".join(missing)
        else:
            (outcome,) = {d for d, _ in distinct}
            reasons = sorted({r for _, r in distinct if r})  # before full text reasons are optional and may differ
            reason = reasons[0] if reasons and outcome == "exclude" else ""
            decided_by = ";".join(sorted(views))
        if outcome == "maybe":
            outcome = "pending"  # a maybe that does not pass waits for a firm decision
        if outcome == "exclude" and reason in criteria.not_retrieved:
            outcome = "not_retrieved"
        rows.append(
            {
                "stage": stage["name"],
                "cluster_id": cluster_id,
                "outcome": outcome,
                "reason": reason,
                "decided_by": decided_by,
                "reviewers": ";".join(sorted(views)),
                "conflict": conflict,
            }
        )
    return pd.DataFrame(rows, columns=list(OUTCOME_COLUMNS))


def check_stage_membership(stage: dict[str, Any], eligible: Iterable[str], decisions: pd.DataFrame) -> None:
    """A decision for a work that has not reached this stage is an error."""
    allowed = set(eligible)
    wrong = decisions[~decisions["cluster_id"].isin(allowed)]
    if wrong.empty:
        return
    errors = [
        ReviewError(
            f"the record {row.record_id} has not reached the {stage['name']} stage "
            "(it was not included at the stage before, or the stage does not apply to its source)",
            file=row.file,
            row=int(row.row),
            column="record_id",
            fix="remove the row, or change the decision at the stage before",
        )
        for row in wrong.itertuples(index=False)
    ]
    raise ReviewErrors(errors, f"decisions at the {stage['name']} stage name records that are not at that stage")


def resolve_all(config: dict[str, Any], units: Units, decisions: pd.DataFrame) -> pd.DataFrame:
    """Outcomes of every stage, in stage order (OUTCOME_COLUMNS)."""
    criteria = Criteria.from_config(config)
    lane_of = dict(zip(units.clusters["cluster_id"], units.clusters["lane"], strict=True))
    order = units.clusters["cluster_id"].tolist()
    passed: dict[str, bool] = {}  # cluster -> passed the last stage of its lane so far
    results = []
    for stage in config["stages"]:
        lanes = set(stage["lanes"])
        eligible = [c for c in order if lane_of[c] in lanes and passed.get(c, True)]
        stage_decisions = decisions[decisions["stage"] == stage["name"]]
        check_stage_membership(stage, eligible, stage_decisions)
        outcome = resolve_stage(stage, eligible, stage_decisions, criteria)
        for cluster_id, result in zip(outcome["cluster_id"], outcome["outcome"], strict=True):
            passed[cluster_id] = _passes(result)
        results.append(outcome)
    return pd.concat(results, ignore_index=True) if results else pd.DataFrame(columns=list(OUTCOME_COLUMNS))


WORKSHEET_FIELDS = {
    False: ("title",),
    True: ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "url"),
}


def worksheet_fields(stage: dict[str, Any], index: int, config: dict[str, Any]) -> tuple[str, ...]:
    """What a reviewer needs to see: the title; the abstract after the first stage; references at full text."""
    fields = WORKSHEET_FIELDS[bool(stage.get("full_text"))]
    if index > 0 and not stage.get("full_text"):
        fields = (*fields, "abstract")
    return fields


def worksheets(
    config: dict[str, Any],
    units: Units,
    records: pd.DataFrame,
    decisions: pd.DataFrame,
    outcomes: pd.DataFrame,
) -> dict[tuple[str, str], pd.DataFrame]:
    """(stage, reviewer) -> the works waiting for that reviewer, in a stable order."""
    shown = records.set_index("record_id")
    representative = dict(zip(units.clusters["cluster_id"], units.clusters["representative"], strict=True))
    sheets: dict[tuple[str, str], pd.DataFrame] = {}
    for index, stage in enumerate(config["stages"]):
        at_stage = outcomes[outcomes["stage"] == stage["name"]]
        pending = at_stage.loc[at_stage["outcome"] == "pending", "cluster_id"].tolist()
        decided = decisions[decisions["stage"] == stage["name"]].groupby("reviewer")["cluster_id"].agg(set).to_dict()
        fields = worksheet_fields(stage, index, config)
        for reviewer in stage["reviewers"]:
            todo = [
                c
                for c in pending
                if reviewer in assigned_reviewers(stage, c) and c not in decided.get(reviewer, set())
            ]
            rows = shown.loc[[representative[c] for c in todo], list(fields)].reset_index(drop=True)
            rows.insert(0, "record_id", todo)
            for column in ("decision", "reason", "note"):
                rows[column] = ""
            sheets[(stage["name"], reviewer)] = rows
    return sheets


def conflicts(stage: dict[str, Any], outcomes: pd.DataFrame, decisions: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    """Works on which reviewers disagree at a stage (open or settled)."""
    at_stage = outcomes[(outcomes["stage"] == stage["name"]) & (outcomes["conflict"] != "")]
    made = decisions[(decisions["stage"] == stage["name"]) & (decisions["reviewer"] != "adjudication")]
    rows = []
    for row in at_stage.itertuples(index=False):
        mine = made[made["cluster_id"] == row.cluster_id].sort_values(["reviewer", "record_id"])
        said = "; ".join(
            f"{d.reviewer}: {d.decision}{' (' + d.reason + ')' if d.reason else ''}" for d in mine.itertuples(index=False)
        )
        resolution = "" if row.conflict == "open" else f"{row.outcome} by {row.decided_by}"
        rows.append(
            {
                "cluster_id": row.cluster_id,
                "title": titles.get(row.cluster_id, ""),
                "decisions": said,
                "status": row.conflict,
                "resolution": resolution,
            }
        )
    return pd.DataFrame(rows, columns=list(CONFLICT_COLUMNS))


def cohens_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa for two raters' labels; None when undefined (fewer than 2 items or no variation)."""
    n = len(pairs)
    if n < 2:
        return None
    labels = sorted({label for pair in pairs for label in pair})
    observed = sum(a == b for a, b in pairs) / n
    expected = sum(
        (sum(a == label for a, _ in pairs) / n) * (sum(b == label for _, b in pairs) / n) for label in labels
    )
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def agreement(stage: dict[str, Any], decisions: pd.DataFrame) -> pd.DataFrame:
    """Agreement of each pair of reviewers on the works both screened ('maybe' counted as include)."""
    made = decisions[(decisions["stage"] == stage["name"]) & (decisions["reviewer"] != "adjudication")]
    full_text = bool(stage.get("full_text"))
    view: dict[str, dict[str, str]] = {}
    for d in made.itertuples(index=False):
        label = "include" if d.decision in ("include", "maybe") else "exclude"
        if full_text and label == "exclude":
            label = f"exclude:{d.reason.split(';')[0]}"
        view.setdefault(d.reviewer, {})[d.cluster_id] = label
    reviewers = [r for r in stage["reviewers"] if r in view]
    rows = []
    for i, a in enumerate(reviewers):
        for b in reviewers[i + 1 :]:
            both = sorted(set(view[a]) & set(view[b]))
            pairs = [(view[a][c], view[b][c]) for c in both]
            kappa = cohens_kappa(pairs)
            agreed = sum(x == y for x, y in pairs)
            rows.append(
                {
                    "reviewer_a": a,
                    "reviewer_b": b,
                    "double_screened": len(pairs),
                    "agreed": agreed,
                    "percent_agreement": f"{100 * agreed / len(pairs):.1f}" if pairs else "",
                    "cohens_kappa": f"{kappa:.3f}" if kappa is not None else "",
                    "note": "maybe counted as include" + ("; exclusions agree only with the same reason" if full_text else ""),
                }
            )
    return pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))
