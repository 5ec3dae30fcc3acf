"""Reading reviewers' decision files, row by row, as people save them.

``data/raw/decisions/<stage>/<reviewer>.csv`` and ``<stage>/adjudication.csv``
have the columns ``record_id``, ``decision`` and optionally ``reason``,
``note`` and ``date`` (other columns, such as a worksheet's title, are
ignored). Spreadsheet habits are forgiven (see ``csvio.read_people_csv``);
everything else that is wrong is an error naming the file, row and column.

A well-formed record id that no record has any more (its export was removed
or replaced) is not an error: the decision is kept aside as an *orphan* and
reported, never dropped in silence. An id whose content hash is one or two
characters away from a record of the same round is a typo, and an error.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from rapidfuzz.distance import Levenshtein

from ..csvio import ROW, parse_sheet_date, read_input_bytes, read_people_csv
from ..errors import ReviewError, ReviewErrors
from ..paths import ReviewPaths
from .tablerows import iter_rows
from .units import Units
from .workbooks import compare_workbook, workbook_beside
from .vocabulary import (
    ADJUDICATION,
    Criteria,
    canonical_record_id,
    decision_words,
    normalise_decision,
    split_reasons,
)

DECISION_COLUMNS = ("record_id", "decision", "reason", "note", "date")
DECISION_TABLE_COLUMNS = ("stage", "reviewer", "record_id", "cluster_id", "decision", "reason", "note", "date", "file", "row")
#: ``same_content_as``: records still in the searches with the same content (the same record found in
#: another round): a decision for the orphan may be meant for them.
ORPHAN_COLUMNS = ("stage", "reviewer", "record_id", "decision", "reason", "note", "file", "row", "same_content_as")

#: Other headers people give these columns (after lower-casing and spaces -> _).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "record_id": ("record_id", "recordid", "record", "id", "cluster_id"),
    "decision": ("decision", "verdict", "screening_decision"),
    "reason": ("reason", "reasons", "reason_code", "reason_codes", "exclusion_reason", "code", "codes"),
    "note": ("note", "notes", "comment", "comments"),
    "date": ("date", "decision_date", "date_decided", "decided_on"),
}

FIX_COLUMNS = "the first row names the columns record_id, decision and, if wanted, reason, note, date"
#: Spreadsheet lock files: the spreadsheet has the file open (unsaved changes are not read).
LOCK_PREFIXES = (".~lock.", "~$")


@dataclass
class Decisions:
    table: pd.DataFrame  # DECISION_TABLE_COLUMNS, one row per decision read
    orphans: pd.DataFrame  # ORPHAN_COLUMNS: decisions naming records that no longer exist
    warnings: list[str] = field(default_factory=list)
    undecided: dict[str, int] = field(default_factory=dict)  # file -> rows with a record id and no decision yet


def stage_files(paths: ReviewPaths, stage: dict[str, Any]) -> list[tuple[str, Path]]:
    """(reviewer, file) for every decision file of a stage that exists, adjudication last."""
    found = [(r, paths.decision_file(stage["name"], r)) for r in stage["reviewers"]]
    found.append((ADJUDICATION, paths.adjudication_file(stage["name"])))
    return [(reviewer, path) for reviewer, path in found if path.is_file()]


def unexpected_files(paths: ReviewPaths, config: dict[str, Any]) -> list[str]:
    """Files under data/raw/decisions/ that nothing reads, each with what to do (never ignored in silence)."""
    if not paths.decisions.is_dir():
        return []
    expected = {paths.duplicate_decisions, paths.study_decisions}
    for stage in config["stages"]:
        expected |= {paths.decision_file(stage["name"], r) for r in stage["reviewers"]}
        expected.add(paths.adjudication_file(stage["name"]))
    stages = {stage["name"]: stage for stage in config["stages"]}
    notes = []
    for path in sorted(p for p in paths.decisions.rglob("*") if p.is_file()):
        name = path.name
        if name.startswith(LOCK_PREFIXES):
            opened = name.removeprefix(".~lock.").removeprefix("~$").rstrip("#")
            notes.append(f"{path.parent / opened} is open in a spreadsheet: save it (as CSV) before running, unsaved changes are not read")
            continue
        if path in expected or name.startswith("."):
            continue
        hint = "move it out of data/raw/decisions/ or rename it"
        stage = stages.get(path.parent.name)
        if path.suffix.lower() != ".csv":
            hint = "save it as CSV (comma or semicolon separated) under the reviewer's name"
        elif stage is not None:
            wanted = {r.lower(): r for r in [*stage["reviewers"], ADJUDICATION]}
            if path.stem.lower() in wanted:
                hint = f"rename it {wanted[path.stem.lower()]}.csv"
            else:
                hint = f"decision files of this stage are named after its reviewers: {', '.join(stage['reviewers'])} (or adjudication)"
        elif path.parent != paths.decisions:
            hint = f"stage folders are named after the stages: {', '.join(stages)}"
        notes.append(f"{path}: this file belongs to no configured stage and reviewer, so it is not read; {hint}")
    return notes


def _rename_aliases(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    renames = {}
    for column, aliases in COLUMN_ALIASES.items():
        present = [a for a in aliases if a in frame.columns]
        if present and present[0] != column:
            renames[present[0]] = column
    frame = frame.rename(columns=renames)
    missing = [c for c in ("record_id", "decision") if c not in frame.columns]
    if missing:
        found = ", ".join(c for c in frame.columns if c != ROW) or "none"
        raise ReviewError(
            f"the decision file lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} (found: {found})",
            file=path,
            line=1,
            fix=FIX_COLUMNS,
        )
    for column in DECISION_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    return frame


class _IdIndex:
    """Finds the real record id a mistyped one was meant to be, and records with the same content."""

    def __init__(self, record_ids: list[str]) -> None:
        self.by_round: dict[str, list[tuple[str, str]]] = {}
        self.by_hash: dict[str, list[str]] = {}
        for record_id in record_ids:
            round_part, digest = record_id.split("-")[:2]
            self.by_round.setdefault(round_part, []).append((digest, record_id))
            self.by_hash.setdefault(digest, []).append(record_id)

    def typo_of(self, record_id: str) -> str | None:
        """A record of the same round whose content hash differs by one or two characters."""
        round_part, digest = record_id.split("-")[:2]
        for other, candidate in self.by_round.get(round_part, []):
            if other != digest and Levenshtein.distance(digest, other, score_cutoff=2) <= 2:
                return candidate
        return None

    def same_content(self, record_id: str) -> list[str]:
        """Records with the same content hash (the same record in another round, or another copy)."""
        return self.by_hash.get(record_id.split("-")[1], [])


def read_decisions(paths: ReviewPaths, config: dict[str, Any], units: Units) -> Decisions:
    """Every decision file of every stage, checked row by row.

    Errors (all of them, across files) name file, row and column. A reviewer's
    two rows for one record must agree (an identical repeat is harmless). Rows
    with a record id and no decision yet are counted, not read.
    """
    criteria = Criteria.from_config(config)
    synonyms = decision_words(config)
    day_first = bool(config.get("decisions", {}).get("day_first", True))
    ids = _IdIndex(list(units.member_of))
    errors: list[ReviewError] = []
    rows: list[dict[str, Any]] = []
    orphans: list[dict[str, Any]] = []
    undecided: dict[str, int] = {}
    workbook_notes: list[str] = []
    for stage in config["stages"]:
        for reviewer in [*stage["reviewers"], ADJUDICATION]:
            where = paths.adjudication_file(stage["name"]) if reviewer == ADJUDICATION else paths.decision_file(stage["name"], reviewer)
            if where.is_dir():
                errors.append(ReviewError("this is a folder, not a decision file", file=where,
                                          fix=f"move the folder away; {reviewer}'s decisions go in the CSV file {where.name}"))
    for stage in config["stages"]:
        full_text = bool(stage.get("full_text"))
        for reviewer, path in stage_files(paths, stage):
            if not read_input_bytes(path, "decision file").strip().removeprefix(codecs.BOM_UTF8).strip():
                continue  # an empty file, created to be filled later: no decisions yet
            frame = _rename_aliases(read_people_csv(path, what="decision file", fix=FIX_COLUMNS), path)
            workbook_error, workbook_note = compare_workbook(path, frame, synonyms, _rename_aliases)
            if workbook_error is not None:
                errors.append(workbook_error)
            elif workbook_note:
                workbook_notes.append(workbook_note)
            seen: dict[str, dict[str, Any]] = {}
            for row in iter_rows(frame):
                number = int(row[ROW])

                def problem(column: str, message: str, fix: str) -> None:
                    errors.append(ReviewError(message, file=path, row=number, column=column, fix=fix))  # noqa: B023

                written_id, written_decision, written_reason = row["record_id"], row["decision"], row["reason"]
                decision = normalise_decision(written_decision, synonyms)
                if not written_id:
                    if decision or written_reason:
                        problem("record_id", "a decision without a record id", "copy the record_id from the worksheet")
                    continue
                record_id = canonical_record_id(written_id)
                if record_id is None:
                    problem("record_id", f"'{written_id}' is not a record id of this review",
                            "copy the record_id from the worksheet (it looks like R03-1a2b3c4d5e6f)")
                    continue
                if decision is None:
                    problem("decision", f"'{written_decision}' is not a decision",
                            "write include, exclude or maybe (or a synonym the config declares under decisions.synonyms)")
                    continue
                if decision == "":
                    if written_reason:
                        problem("decision", f"a reason ({written_reason}) but no decision",
                                "write the decision (exclude, most likely) or clear the reason")
                    elif reviewer != ADJUDICATION:  # open conflicts are counted as such
                        undecided[str(path)] = undecided.get(str(path), 0) + 1
                    continue
                if reviewer == ADJUDICATION and decision == "maybe":
                    problem("decision", "an adjudication must settle the work: 'maybe' settles nothing",
                            "write include or exclude")
                    continue
                date = ""
                if row["date"]:
                    parsed = parse_sheet_date(row["date"], day_first=day_first)
                    if parsed is None:
                        problem("date", f"'{row['date']}' is not a date",
                                "write the date as 2015-03-02 (or leave the cell empty)")
                        continue
                    date = parsed.isoformat()
                reason, message = _check_reasons(written_reason, decision, stage, criteria, full_text)
                if message:
                    problem("reason", message[0], message[1])
                    continue
                if record_id not in units.member_of:
                    meant = ids.typo_of(record_id)
                    if meant is not None:
                        problem("record_id", f"no record has the id {written_id} (a typo for {meant}?)",
                                "copy the record_id from the worksheet")
                        continue
                    orphans.append({"stage": stage["name"], "reviewer": reviewer, "record_id": record_id, "decision": decision,
                                    "reason": reason, "note": row["note"], "file": str(path), "row": number,
                                    "same_content_as": ";".join(ids.same_content(record_id))})
                    continue
                earlier = seen.get(record_id)
                if earlier is not None:
                    if (earlier["decision"], earlier["reason"]) != (decision, reason):
                        said = earlier["decision"] + (f" ({earlier['reason']})" if earlier["reason"] else "")
                        problem("decision", f"a second, different decision for {record_id} (row {earlier['row']} says {said})",
                                "keep one decision per record in each file: delete the row that is wrong")
                    elif row["note"] and row["note"] not in earlier["note"].split(" | "):
                        earlier["note"] = " | ".join(filter(None, [earlier["note"], row["note"]]))
                    continue  # the same decision twice: harmless (a worksheet appended twice)
                entry = {
                    "stage": stage["name"],
                    "reviewer": reviewer,
                    "record_id": record_id,
                    "cluster_id": units.member_of[record_id],
                    "decision": decision,
                    "reason": reason,
                    "note": row["note"],
                    "date": date,
                    "file": str(path),
                    "row": number,
                }
                seen[record_id] = entry
                rows.append(entry)
    if errors:
        raise ReviewErrors(errors, "the decision files have problems")
    beside = {str(workbook_beside(path)) for stage in config["stages"] for _, path in stage_files(paths, stage)}
    warnings = [*workbook_notes, *(note for note in unexpected_files(paths, config) if note.split(": ", 1)[0] not in beside)]
    if orphans:
        warnings.append(
            f"{len(orphans)} decision(s) name records that are no longer in the searches (an export was removed or "
            f"replaced?): see {paths.screening / 'orphans.csv'}"
        )
    return Decisions(
        table=pd.DataFrame(rows, columns=list(DECISION_TABLE_COLUMNS)),
        orphans=pd.DataFrame(orphans, columns=list(ORPHAN_COLUMNS)),
        warnings=warnings,
        undecided=undecided,
    )


def _check_reasons(
    written: str,
    decision: str,
    stage: dict[str, Any],
    criteria: Criteria,
    full_text: bool,
) -> tuple[str, tuple[str, str] | None]:
    """The reason codes of one decision, ``;``-joined in the criteria's spelling, or (what is wrong, how to fix it)."""
    if not written:
        if decision == "exclude" and stage.get("reasons") == "required":
            return "", (f"an exclusion at the {stage['name']} stage needs a reason code", f"use one of {criteria.exclusion_codes()}")
        return "", None
    codes = split_reasons(written)
    exclusion = [criteria.canonical(c) for c in codes]
    inclusion = [criteria.inclusion_code(c) for c in codes]
    unknown = [c for c, e, i in zip(codes, exclusion, inclusion, strict=True) if e is None and i is None]
    known = f"use one of {criteria.exclusion_codes()}"
    if unknown:
        return "", (f"unknown reason code '{unknown[0]}'", known)
    if decision == "exclude":
        if not codes and stage.get("reasons") == "required":  # only separators in the cell
            return "", (f"an exclusion at the {stage['name']} stage needs a reason code", known)
        wrong = [c for c, e in zip(codes, exclusion, strict=True) if e is None]
        if wrong:
            return "", (f"'{wrong[0]}' is an inclusion criterion, not a reason to exclude", known)
    if decision == "include":
        against = [e for e in exclusion if e is not None]
        if against:
            return "", (f"an include with the exclusion reason {against[0]}: which is it?",
                        "clear the reason, or change the decision to exclude")
    not_retrieved = [e for e in exclusion if e in criteria.not_retrieved]
    if not_retrieved and not full_text:
        return "", (f"{not_retrieved[0]} means the full text could not be obtained, which only a full-text stage decides",
                    "use another reason code at this stage")
    chosen = [e or i for e, i in zip(exclusion, inclusion, strict=True)]
    return ";".join(dict.fromkeys(c for c in chosen if c)), None
