"""Screening: reviewers' decision files, stage by stage, into one outcome per work.

The unit of screening is the *work*: a cluster of duplicate records. A
decision may name any member's record id and applies to the whole cluster.

- ``vocabulary``: decisions and their spellings, reason codes, record ids;
- ``units``: the works to screen;
- ``assignment``: who screens what (single, dual, a sample for a second reviewer);
- ``files``: reading and checking the decision files people save;
- ``outcomes``: decisions -> one outcome per work and stage, conflicts;
- ``sheets`` and ``priority``: the reviewers' worksheets, likely includes first;
- ``disagreements``: conflicts.csv, for the adjudicator;
- ``interrater``: Cohen's and Fleiss' kappa;
- ``summary``: what status prints.
"""

from __future__ import annotations

from .assignment import assigned_reviewers, stable_fraction
from .disagreements import CONFLICT_COLUMNS, conflicts
from .files import (
    DECISION_TABLE_COLUMNS,
    Decisions,
    read_decisions,
    stage_files,
    unexpected_files,
)
from .interrater import (
    AGREEMENT_COLUMNS,
    agreement,
    cohens_kappa,
    fleiss_kappa,
    group_agreement,
)
from .outcomes import OUTCOME_COLUMNS, Resolution, resolve, resolve_all, resolve_stage
from .priority import priority_scores
from .sheets import search_terms, worksheet_fields, worksheets
from .summary import screening_summary
from .units import Units, completeness
from .vocabulary import (
    ADJUDICATION,
    DECISION_SYNONYMS,
    DECISIONS,
    RECORD_ID,
    Criteria,
    canonical_record_id,
    normalise_decision,
)

__all__ = [
    "ADJUDICATION",
    "AGREEMENT_COLUMNS",
    "CONFLICT_COLUMNS",
    "DECISIONS",
    "DECISION_SYNONYMS",
    "DECISION_TABLE_COLUMNS",
    "OUTCOME_COLUMNS",
    "RECORD_ID",
    "Criteria",
    "Decisions",
    "Resolution",
    "Units",
    "agreement",
    "assigned_reviewers",
    "canonical_record_id",
    "cohens_kappa",
    "completeness",
    "conflicts",
    "fleiss_kappa",
    "group_agreement",
    "normalise_decision",
    "priority_scores",
    "read_decisions",
    "resolve",
    "resolve_all",
    "resolve_stage",
    "screening_summary",
    "search_terms",
    "stable_fraction",
    "stage_files",
    "unexpected_files",
    "worksheet_fields",
    "worksheets",
]
