"""Agreement between reviewers: Cohen's kappa per pair, Fleiss' kappa for three or more.

Each reviewer's label for a work is ``include`` or ``exclude``, with
**'maybe' counted as include** (it lets the work through, or at least keeps
it in play). At a full-text stage an exclusion's first reason is part of the
label: two exclusions for different reasons disagree. Adjudications are not
a reviewer's screening and are left out; so is a reviewer who gave two
different decisions on one work (records joined by de-duplication): that is
a conflict, listed in conflicts.csv.

Cohen's kappa is (p_o - p_e) / (1 - p_e), with p_o the share of works on
which the pair agree and p_e the agreement expected from each reviewer's own
label frequencies. It is undefined (left empty) for fewer than two works or
when both reviewers gave one and the same label to everything.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from .tablerows import iter_rows
from .vocabulary import ADJUDICATION, primary_reason

AGREEMENT_COLUMNS = (
    "reviewer_a",
    "reviewer_b",
    "double_screened",
    "agreed",
    "percent_agreement",
    "cohens_kappa",
    "both_include",
    "both_exclude",
    "only_a_includes",
    "only_b_includes",
    "note",
)
MAYBE_NOTE = "maybe counted as include"
REASON_NOTE = "exclusions agree only when their first reasons are the same"


def cohens_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa for two raters' labels; None when undefined (fewer than 2 items or no variation)."""
    n = len(pairs)
    if n < 2:
        return None
    labels = sorted({label for pair in pairs for label in pair})
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum((first[label] / n) * (second[label] / n) for label in labels)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def fleiss_kappa(items: list[list[str]]) -> float | None:
    """Fleiss' kappa for items each labelled by two or more raters (not necessarily the same raters).

    With a varying number of raters per item each item's agreement is taken
    over its own raters' pairs (the usual generalisation); with the same
    number everywhere this is Fleiss' kappa exactly. None when undefined.
    """
    rated = [labels for labels in items if len(labels) >= 2]
    if len(rated) < 2:
        return None
    per_item = []
    totals: Counter[str] = Counter()
    for labels in rated:
        counts = Counter(labels)
        n = len(labels)
        per_item.append((sum(c * c for c in counts.values()) - n) / (n * (n - 1)))
        totals.update(counts)
    observed = sum(per_item) / len(per_item)
    ratings = sum(totals.values())
    expected = sum((count / ratings) ** 2 for count in totals.values())
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def reviewer_labels(stage: dict[str, Any], decisions: pd.DataFrame) -> dict[str, dict[str, str]]:
    """reviewer -> work -> label, for the works on which the reviewer gave one unambiguous label."""
    made = decisions[(decisions["stage"] == stage["name"]) & (decisions["reviewer"] != ADJUDICATION)]
    full_text = bool(stage.get("full_text"))
    found: dict[str, dict[str, set[str]]] = {}
    for d in iter_rows(made):
        label = "include" if d["decision"] in ("include", "maybe") else "exclude"
        if full_text and label == "exclude":
            label = f"exclude:{primary_reason(d['reason'])}"
        found.setdefault(d["reviewer"], {}).setdefault(d["cluster_id"], set()).add(label)
    return {
        reviewer: {work: next(iter(labels)) for work, labels in works.items() if len(labels) == 1}
        for reviewer, works in found.items()
    }


def _note(stage: dict[str, Any]) -> str:
    return MAYBE_NOTE + (f"; {REASON_NOTE}" if stage.get("full_text") else "")


def agreement(stage: dict[str, Any], decisions: pd.DataFrame) -> pd.DataFrame:
    """Agreement of each pair of reviewers on the works both screened (AGREEMENT_COLUMNS), in the stage's reviewer order."""
    view = reviewer_labels(stage, decisions)
    reviewers = [r for r in stage["reviewers"] if r in view]
    rows = []
    for i, a in enumerate(reviewers):
        for b in reviewers[i + 1 :]:
            both = sorted(set(view[a]) & set(view[b]))
            pairs = [(view[a][c], view[b][c]) for c in both]
            if not pairs:
                continue
            kappa = cohens_kappa(pairs)
            agreed = sum(x == y for x, y in pairs)
            including = Counter((x == "include", y == "include") for x, y in pairs)
            note = _note(stage)
            if kappa is None:
                note += "; kappa is undefined: " + ("fewer than two works" if len(pairs) < 2 else "both gave every work the same label")
            rows.append(
                {
                    "reviewer_a": a,
                    "reviewer_b": b,
                    "double_screened": len(pairs),
                    "agreed": agreed,
                    "percent_agreement": f"{100 * agreed / len(pairs):.1f}",
                    "cohens_kappa": f"{kappa:.3f}" if kappa is not None else "",
                    "both_include": including[(True, True)],
                    "both_exclude": including[(False, False)],
                    "only_a_includes": including[(True, False)],
                    "only_b_includes": including[(False, True)],
                    "note": note,
                }
            )
    return pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))


def group_agreement(stage: dict[str, Any], decisions: pd.DataFrame) -> dict[str, Any] | None:
    """Fleiss' kappa over the works that three or more reviewers screened; None when there are none."""
    view = reviewer_labels(stage, decisions)
    by_work: dict[str, list[str]] = {}
    raters: dict[str, list[str]] = {}
    for reviewer in [r for r in stage["reviewers"] if r in view]:
        for work, label in view[reviewer].items():
            by_work.setdefault(work, []).append(label)
            raters.setdefault(work, []).append(reviewer)
    works = sorted(w for w, labels in by_work.items() if len(labels) >= 3)
    if not works:
        return None
    kappa = fleiss_kappa([by_work[w] for w in works])
    agreed = sum(len(set(by_work[w])) == 1 for w in works)
    return {
        "reviewers": [r for r in stage["reviewers"] if any(r in raters[w] for w in works)],
        "works": len(works),
        "raters_per_work": sorted({len(by_work[w]) for w in works}),
        "all_agreed": agreed,
        "percent_agreement": round(100 * agreed / len(works), 1),
        "fleiss_kappa": round(kappa, 3) if kappa is not None else None,
        "note": _note(stage),
    }
