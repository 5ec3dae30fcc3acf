"""One reviewer screening one stage: the works waiting, in priority order, and their decisions.

The works waiting are the pipeline's own: the review is derived in-process
(``pipeline.derive``) and the waiting works are those of the worksheet
``data/processed/screening/<stage>/<reviewer>_todo.csv`` (``sheets.worksheets``).
After every decision the decision files are read again with the pipeline's
reader and the outcomes resolved again, so the page always shows what the
pipeline would compute from the files as they are on disk, and every write is
checked by that same reader first: a file the pipeline would reject is never
written, and the refusal is the pipeline's own error.

Screening stays blind: the page shows the reviewer only their own decisions,
and the priority model learns from the stage's settled outcomes and this
reviewer's own decisions, never from another reviewer's open ones. The
adjudicator's page (``conflicts=True``) lists the stage's open conflicts with
every reviewer's decision side by side and writes ``adjudication.csv``.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..csvio import read_people_csv
from ..errors import ReviewError, ReviewErrors
from ..paths import ReviewPaths
from ..pipeline import derive
from ..screening import Criteria, Units, conflicts, read_decisions, resolve, search_terms, worksheet_fields, worksheets
from ..screening.priority import rank_works
from ..screening.sheets import work_texts
from ..screening.stopping import stopping_test
from ..screening.vocabulary import ADJUDICATION, canonical_record_id, decision_words, normalise_decision
from .decisionfile import DecisionFile, Entry, spreadsheet_lock, write_atomically

FIELD_LABELS = {"title": "Title", "abstract": "Abstract", "authors": "Authors", "year": "Year", "journal": "Journal",
                "volume": "Volume", "issue": "Issue", "pages": "Pages", "doi": "DOI", "url": "URL", "keywords": "Keywords"}
#: Full texts, found by record id (of any record of the work): data/raw/fulltexts/<record_id>.<extension>
FULL_TEXT_TYPES = {".pdf": "application/pdf", ".html": "text/html", ".htm": "text/html", ".txt": "text/plain",
                   ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   ".doc": "application/msword", ".epub": "application/epub+zip"}


#: How many of the reviewer's latest decisions the page lists (the search finds any other).
HISTORY = 50


class _Background:
    """One worker thread that runs ``job`` on the latest value submitted (older ones are skipped)."""

    def __init__(self, job: Any) -> None:
        self.job = job
        self.latest: Any = None
        self.condition = threading.Condition()
        self.busy = False
        self.thread: threading.Thread | None = None

    def submit(self, value: Any) -> None:
        with self.condition:
            self.latest = value
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="reviewflow-ranking", daemon=True)
                self.thread.start()
            self.condition.notify_all()

    def _run(self) -> None:
        while True:
            with self.condition:
                while self.latest is None:
                    self.condition.wait()
                value, self.latest, self.busy = self.latest, None, True
            try:
                self.job(value)
            finally:
                with self.condition:
                    self.busy = False
                    self.condition.notify_all()

    def wait(self, timeout: float) -> None:
        with self.condition:
            self.condition.wait_for(lambda: self.latest is None and not self.busy, timeout)


class SpreadsheetOpen(ReviewError):
    """The decision file is open in a spreadsheet: the page waits until it is closed."""


class Stale(ReviewError):
    """The file says something else about a work than the page showed: it has been reloaded."""


@dataclass(frozen=True)
class _OneFileReplaced(ReviewPaths):
    """The review's paths, with one decision file read from another place (the page's temporary file)."""

    stage: str = ""
    reviewer: str = ""
    replacement: Path = Path()

    def decision_file(self, stage: str, reviewer: str) -> Path:
        if (stage, reviewer) == (self.stage, self.reviewer):
            return self.replacement
        return super().decision_file(stage, reviewer)

    def adjudication_file(self, stage: str) -> Path:
        if (stage, ADJUDICATION) == (self.stage, self.reviewer):
            return self.replacement
        return super().adjudication_file(stage)


def _renamed(error: ReviewError, old: Path, new: Path) -> ReviewError:
    """The error as it would name the real file (it was found in the temporary one)."""
    if isinstance(error, ReviewErrors):
        summary = error.message.split("\n", 1)[0].rsplit(" (", 1)[0]
        return ReviewErrors([_renamed(e, old, new) for e in error.errors], summary)
    return ReviewError(error.message.replace(str(old), str(new)), file=str(new) if error.file == str(old) else error.file,
                       line=error.line, row=error.row, column=error.column, fix=error.fix)


def find_stage(config: dict[str, Any], name: str) -> tuple[int, dict[str, Any]]:
    for index, stage in enumerate(config["stages"]):
        if stage["name"] == name:
            return index, stage
    names = ", ".join(s["name"] for s in config["stages"])
    raise ReviewError(f"the config defines no stage '{name}'", file="config/config.yaml", column="stages",
                      fix=f"choose one of its stages: {names}")


def check_reviewer(config: dict[str, Any], stage: dict[str, Any], reviewer: str, adjudicating: bool) -> None:
    """The same rule as the pipeline's: a stage's decision files are named after its reviewers (and adjudicator)."""
    if reviewer not in config["reviewers"]:
        raise ReviewError(f"the config defines no reviewer '{reviewer}'", file="config/config.yaml", column="reviewers",
                          fix=f"use one of the reviewer codes: {', '.join(config['reviewers'])}")
    if adjudicating:
        adjudicator = stage.get("adjudicator")
        if adjudicator and reviewer != adjudicator:
            raise ReviewError(f"the adjudicator of the {stage['name']} stage is {adjudicator}, not {reviewer}",
                              file="config/config.yaml", column="stages", fix=f"start the page with --reviewer {adjudicator} --conflicts")
    elif reviewer not in stage["reviewers"]:
        raise ReviewError(f"{reviewer} is not a reviewer of the {stage['name']} stage", file="config/config.yaml", column="stages",
                          fix=f"decision files of this stage are named after its reviewers: {', '.join(stage['reviewers'])}"
                              + (" (the adjudicator settles conflicts with --conflicts)" if stage.get("adjudicator") == reviewer else ""))


class ScreeningSession:
    """The state of one reviewer's page; every method reads the files as they are now."""

    def __init__(self, root: str | Path, stage: str, reviewer: str, *, adjudicating: bool = False) -> None:
        self.paths = ReviewPaths(Path(root))
        derived = derive(self.paths.root)  # the pipeline's errors, if any, stop the page before it starts
        self.config = derived.config
        self.index, self.stage = find_stage(self.config, stage)
        check_reviewer(self.config, self.stage, reviewer, adjudicating)
        self.reviewer = reviewer
        self.adjudicating = adjudicating
        self.file_reviewer = ADJUDICATION if adjudicating else reviewer
        self.file = self.paths.adjudication_file(stage) if adjudicating else self.paths.decision_file(stage, reviewer)
        self.records = derived.records
        self.units = Units.build(derived.records, derived.clusters)
        self.shown = derived.records.set_index("record_id")
        self.representative = dict(zip(self.units.clusters["cluster_id"], self.units.clusters["representative"], strict=True))
        self.members = self.units.members()
        self.titles = {c: str(self.shown.at[r, "title"]) for c, r in self.representative.items()}
        self.record_titles = dict(zip(derived.records["record_id"], derived.records["title"], strict=True))
        self.criteria = Criteria.from_config(self.config)
        self.synonyms = decision_words(self.config)
        self.keywords = search_terms(self.config)
        log = read_people_csv(self.paths.search_log, what="search log") if self.paths.search_log.is_file() else None
        self.ranking_terms = search_terms(self.config, log["query"].tolist() if log is not None and "query" in log else [])
        # the worksheets without their own ranking: the page ranks this stage itself, blind
        self._unranked = copy.deepcopy(self.config)
        for each in self._unranked["stages"]:
            each["order"] = "canonical"
        self._texts: dict[str, str] | None = None
        self._position: dict[str, int] = {}
        self._labels: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        self._order_lock = threading.RLock()
        self._ranker = _Background(self._learn)
        self.rankings = 0  # how many times the order was learned
        self._estimator = _Background(self._estimate_job)
        self._estimate: dict[str, Any] | None = None
        self._estimated_for: tuple[tuple[str, ...], frozenset[str], int] | None = None
        self.waiting: list[str] = []
        self.undo_stack: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.last_read: bytes | None = None
        self.notice = ""
        self.refresh()

    # reading

    def refresh(self) -> None:
        """Read the decision files and resolve the outcomes again, as the pipeline would now."""
        data = self.file.read_bytes() if self.file.is_file() else b""
        if self.last_read is not None and data != self.last_read:
            self.notice = f"{self.file.name} changed on disk since the page read it: reloaded, those edits are kept"
        self.last_read = data
        self.document = DecisionFile.parse(self.file, data)
        decisions = read_decisions(self.paths, self.config, self.units).table
        self._adopt(decisions, resolve(self.config, self.units, decisions).outcomes)

    def _sync(self) -> None:
        """Before a write: the reviewer's file as it is on disk now (read again if it changed)."""
        data = self.file.read_bytes() if self.file.is_file() else b""
        if data != self.last_read:
            self.refresh()

    def _adopt(self, decisions: pd.DataFrame, outcomes: pd.DataFrame) -> None:
        """The works at the stage, the reviewer's own decisions and the works waiting, from the pipeline's tables."""
        self.decisions, self.outcomes = decisions, outcomes
        at_stage = outcomes[outcomes["stage"] == self.stage["name"]]
        self.at_stage = dict(zip(at_stage["cluster_id"], at_stage["outcome"], strict=True))
        mine = decisions[(decisions["stage"] == self.stage["name"]) & (decisions["reviewer"] == self.file_reviewer)]
        self.mine = {row["cluster_id"]: row for row in mine.to_dict("records")}
        if self.adjudicating:
            table = conflicts(self.stage, outcomes, decisions, self.record_titles)
            waiting = table.loc[table["status"] == "open", "record_id"].tolist()
        else:
            sheets = worksheets(self._unranked, self.units, self.records, decisions, outcomes)
            sheet = sheets.get((self.stage["name"], self.reviewer))
            waiting = [] if sheet is None else sheet["record_id"].tolist()
            self._relearn(waiting)
        with self._order_lock:
            self.waiting = self._in_order(waiting)
        self._estimate_later()

    def _relearn(self, waiting: list[str]) -> None:
        """Learn the priority order again from the decisions so far: in the background, but the first time.

        The model (``rank_works``) learns blind: from the stage's settled
        outcomes and this reviewer's own decisions. Training takes a second or
        more on a large stage, so it runs on its own thread after each
        decision and the page uses the new order as soon as it is there; until
        then the previous order holds (works it did not know come last).
        """
        if self.stage.get("order", "priority") != "priority" or len(waiting) < 2:
            return
        if self._texts is None:
            self._texts = work_texts(self.shown, self.representative, list(self.at_stage))
        included, excluded = [], []
        for cluster_id, outcome in self.at_stage.items():
            own = self.mine.get(cluster_id)
            label = {"include": "include", "exclude": "exclude", "not_retrieved": "exclude"}.get(outcome)
            if label is None and own is not None:
                label = "include" if own["decision"] in ("include", "maybe") else "exclude"
            if label == "include":
                included.append(cluster_id)
            elif label == "exclude":
                excluded.append(cluster_id)
        labels = (tuple(included), tuple(excluded))
        if not self._position:  # the first order: learned before the page opens
            self._learn(labels)
        elif labels != self._labels:
            self._ranker.submit(labels)

    def _learn(self, labels: tuple[tuple[str, ...], tuple[str, ...]]) -> None:
        order, _ = rank_works(self._texts or {}, self.ranking_terms, labels[0], labels[1])
        with self._order_lock:
            self._position = {c: i for i, c in enumerate(order)}
            self._labels = labels
            self.waiting = self._in_order(self.waiting)
            self.rankings += 1

    def _in_order(self, waiting: list[str]) -> list[str]:
        last = len(self._position)
        return sorted(waiting, key=lambda c: self._position.get(c, last))

    def settle(self, timeout: float = 60.0) -> None:
        """Wait until the priority order and the estimate have learned from every decision so far (for tests and scripts)."""
        self._ranker.wait(timeout)
        self._estimator.wait(timeout)

    def cluster_of(self, record_id: str) -> str:
        """The work a record id names; a refusal worded as the pipeline's when it names none."""
        canonical = canonical_record_id(record_id)
        if canonical is None:
            raise ReviewError(f"'{record_id}' is not a record id of this review", file=self.file, column="record_id",
                              fix="copy the record_id from the worksheet (it looks like R03-1a2b3c4d5e6f)")
        if canonical not in self.units.member_of:
            raise ReviewError(f"no record has the id {record_id}", file=self.file, column="record_id",
                              fix="copy the record_id from the worksheet")
        return self.units.member_of[canonical]

    def _check_at_stage(self, cluster_id: str) -> None:
        if cluster_id in self.at_stage:
            return
        earlier = ""
        for stage in self.config["stages"][: self.index]:
            rows = self.outcomes[(self.outcomes["stage"] == stage["name"]) & (self.outcomes["cluster_id"] == cluster_id)]
            if len(rows):
                earlier = f": it was {rows['outcome'].iloc[0]} at the {stage['name']} stage"
        raise ReviewError(f"the record {cluster_id} has not reached the {self.stage['name']} stage{earlier}",
                          file=self.file, column="record_id", fix="decide only the works the page shows at this stage")

    def work(self, cluster_id: str) -> dict[str, Any]:
        """What the page shows of a work at this stage (never another reviewer's decision, but to the adjudicator)."""
        self._check_at_stage(cluster_id)
        record = self.shown.loc[self.representative[cluster_id]]
        fields = []
        for name in worksheet_fields(self.stage, self.index):
            value = str(record[name]) if name in record.index else ""
            if value and value != "nan":
                fields.append({"name": name, "label": FIELD_LABELS.get(name, name.replace("_", " ").capitalize()), "value": value})
        shown: dict[str, Any] = {
            "record_id": cluster_id,
            "title": self.titles.get(cluster_id, ""),
            "fields": fields,
            "decision": self._current(cluster_id),
            "fulltext": None,
        }
        if self.stage.get("full_text"):
            found = self.full_text(cluster_id)
            shown["fulltext"] = None if found is None else found.name
        if self.adjudicating:
            made = self.decisions[(self.decisions["stage"] == self.stage["name"]) & (self.decisions["cluster_id"] == cluster_id)
                                  & (self.decisions["reviewer"] != ADJUDICATION)]
            shown["conflict"] = [{"reviewer": r["reviewer"], "name": self.config["reviewers"].get(r["reviewer"], {}).get("name", ""),
                                  "record_id": r["record_id"], "decision": r["decision"], "reason": r["reason"], "note": r["note"]}
                                 for r in made.to_dict("records")]
        return shown

    def full_text(self, cluster_id: str) -> Path | None:
        """The work's full text: data/raw/fulltexts/<record_id>.<extension>, for any record of the work."""
        folder = self.paths.raw / "fulltexts"
        if not folder.is_dir():
            return None
        for record_id in [self.representative[cluster_id], *sorted(self.members.get(cluster_id, []))]:
            for extension in FULL_TEXT_TYPES:
                candidate = folder / f"{record_id}{extension}"
                if candidate.is_file():
                    return candidate
        return None

    def state(self) -> dict[str, Any]:
        """Everything the page shows: the next work, the progress, the reviewer's own decisions so far."""
        decided = [c for c in self.mine if c in self.at_stage]
        with self._order_lock:
            waiting = list(self.waiting)
            estimate = self._estimate
        reasons = [{"code": code, "label": label} for code, label in self.criteria.labels.items()
                   if self.stage.get("full_text") or code not in self.criteria.not_retrieved]
        notice, self.notice = self.notice, ""
        return {
            "stage": {"name": self.stage["name"], "label": self.stage.get("label", self.stage["name"])},
            "reviewer": {"code": self.reviewer, "name": self.config["reviewers"][self.reviewer].get("name", self.reviewer)},
            "adjudicating": self.adjudicating,
            "stage_full_text": bool(self.stage.get("full_text")),
            "file": str(self.file.relative_to(self.paths.root)) if self.file.is_relative_to(self.paths.root) else str(self.file),
            "progress": {
                "decided": len(decided),
                "left": len(waiting),
                "included": sum(1 for c in decided if self.mine[c]["decision"] == "include"),
                "maybe": sum(1 for c in decided if self.mine[c]["decision"] == "maybe"),
                "estimate": estimate,
            },
            "current": self.work(waiting[0]) if waiting else None,
            "history": self.history(limit=HISTORY),
            "decisions": ["include", "exclude"] if self.adjudicating else ["include", "exclude", "maybe"],
            "reasons": reasons,
            "reasons_required": self.stage.get("reasons") == "required",
            "keywords": self.keywords,
            "can_undo": bool(self.undo_stack),
            "notice": notice,
        }

    def _estimate_later(self) -> None:
        """Compute the estimate of relevant works left again, in the background (about a second on 5,000 works)."""
        if self.adjudicating:
            return
        decided = tuple(sorted((c for c in self.mine if c in self.at_stage), key=lambda c: int(self.mine[c]["row"])))
        relevant = frozenset(c for c in decided if self.mine[c]["decision"] in ("include", "maybe"))
        history = (decided, relevant, len(self.waiting))
        if decided and history != self._estimated_for:
            self._estimated_for = history
            self._estimator.submit(history)

    def _estimate_job(self, history: tuple[tuple[str, ...], frozenset[str], int]) -> None:
        result = self.estimate(*history)
        with self._order_lock:
            self._estimate = result

    def estimate(self, decided: tuple[str, ...], relevant: frozenset[str], waiting: int) -> dict[str, Any]:
        """Relevant works left among this reviewer's, by the stopping test (``screening/stopping.py``) on their own history.

        Blind like the rest of the page: the history is the reviewer's own
        decisions at the stage in the order of their file, an include or maybe
        counting as relevant; the total is those plus the works waiting. The
        stage's ``stopping:`` settings are used when it has them (else recall
        95% at 95% confidence). ``at_most`` is what the highest recall the test
        shows reached leaves unfound (None while it shows none).
        """
        rule = self.stage.get("stopping") or {}
        result = stopping_test(decided, relevant, len(decided) + waiting, float(rule.get("target_recall", 0.95)),
                               float(rule.get("confidence", 0.95)), int(rule.get("min_screened", 0)))
        bound = result.recall_bound
        at_most = min(waiting, math.ceil(result.found / bound - 1e-9) - result.found) if bound > 0 else None
        return {"at_most": at_most, "confidence": result.confidence, "recall_bound": bound, "may_stop": result.may_stop,
                "message": result.message}

    def history(self, query: str = "", limit: int = HISTORY) -> list[dict[str, Any]]:
        """The reviewer's own decisions at the stage, latest first; ``query`` filters on record id, title and note."""
        wanted = query.casefold().strip()
        found = []
        for cluster_id, row in sorted(self.mine.items(), key=lambda item: -int(item[1]["row"])):
            if cluster_id not in self.at_stage:
                continue
            title = self.titles.get(cluster_id, "")
            if wanted and wanted not in f"{cluster_id} {title} {row['note']}".casefold():
                continue
            found.append({"record_id": cluster_id, "title": title, "decision": row["decision"], "reason": row["reason"],
                          "note": row["note"], "row": int(row["row"])})
            if len(found) >= limit:
                break
        return found

    # writing

    def _current(self, cluster_id: str) -> dict[str, str] | None:
        own = self.mine.get(cluster_id)
        return None if own is None else {"decision": own["decision"], "reason": own["reason"], "note": own["note"]}

    def _rows_of(self, cluster_id: str) -> list[Entry]:
        return [e for e in self.document.entries(self.members[cluster_id]) if self.units.member_of.get(e.record_id) == cluster_id]

    def decide(self, record_id: str, decision: str, reasons: list[str], note: str,
               expected: dict[str, str] | None) -> None:
        """Write the reviewer's decision on a work into their file: its row changed, or a new row at the end.

        ``expected`` is the work's decision as the page showed it (None: not
        decided); when the file says otherwise now, nothing is written (``Stale``).
        """
        self._sync()
        self._wait_for_spreadsheet()
        cluster_id = self.cluster_of(record_id)
        self._check_at_stage(cluster_id)
        word = normalise_decision(decision, self.synonyms)
        allowed = ("include", "exclude") if self.adjudicating else ("include", "exclude", "maybe")
        if word not in allowed:
            raise ReviewError(f"'{decision}' is not a decision" + (" an adjudication can make" if self.adjudicating else ""),
                              file=self.file, column="decision", fix=f"decide {', '.join(allowed)}")
        if self.adjudicating and cluster_id not in self.waiting and cluster_id not in self.mine:
            raise ReviewError(f"there is no open conflict on {cluster_id} at the {self.stage['name']} stage", file=self.file,
                              column="record_id", fix="adjudicate the works the conflicts page lists")
        current = self._current(cluster_id)
        if (current or None) != (expected or None):
            said = "no decision" if current is None else current["decision"] + (f" ({current['reason']})" if current["reason"] else "")
            raise Stale(f"{self.file.name} now says {said} for {cluster_id}, not what the page showed: it has been reloaded",
                        file=self.file, fix="look at the work again and decide")
        rows = self._rows_of(cluster_id)
        targets = [e for e in rows if e.decision] or rows[:1] or [None]
        values = {"decision": word, "reason": ";".join(r.strip() for r in reasons if r.strip()), "note": " ".join(note.split())}
        if "date" in self.document.columns:
            values["date"] = dt.date.today().isoformat()
        document, steps = self.document, []
        for entry in targets:  # a row already there keeps the record id as the reviewer wrote it
            data, line = document.set_row(None if entry is None else entry.index, cluster_id if entry is None else None, values)
            steps.append((line, None if entry is None else entry.text))
            document = DecisionFile.parse(self.file, data)
        self._write(document)
        self.undo_stack.append((cluster_id, steps))

    def undo(self) -> str:
        """Take back the page's last decision: its row as it was before (or gone, if the page added it)."""
        if not self.undo_stack:
            raise ReviewError("there is no decision of this page to undo", file=self.file)
        self._sync()
        self._wait_for_spreadsheet()
        cluster_id, steps = self.undo_stack[-1]
        document = self.document
        for written, before in reversed(steps):
            match = next((e for e in document.entries(self.members[cluster_id]) if e.text == written), None)
            if match is None:
                self.undo_stack.pop()
                raise Stale(f"the row the page wrote for {cluster_id} has been changed in {self.file.name} since: "
                            "it is left as it is now", file=self.file, fix="change the decision on the page or in the file")
            document = DecisionFile.parse(self.file, document.replace_line(match.index, before))
        self._write(document)
        self.undo_stack.pop()
        return cluster_id

    def _wait_for_spreadsheet(self) -> None:
        lock = spreadsheet_lock(self.file)
        if lock is not None:
            raise SpreadsheetOpen(f"{self.file.name} is open in a spreadsheet (its lock file {lock.name} is there): "
                                  "the page waits, and writes when it is closed", file=self.file,
                                  fix="save the file as CSV and close it in the spreadsheet")

    def _write(self, document: DecisionFile) -> None:
        """Write the file atomically once the pipeline's reader accepts it; the page then shows what it computes."""
        checked: list[tuple[pd.DataFrame, pd.DataFrame]] = []

        def check(temporary: Path) -> None:
            paths = _OneFileReplaced(self.paths.root, stage=self.stage["name"], reviewer=self.file_reviewer, replacement=temporary)
            try:
                decisions = read_decisions(paths, self.config, self.units).table
                checked.append((decisions, resolve(self.config, self.units, decisions).outcomes))
            except ReviewError as error:
                raise _renamed(error, temporary, self.file) from None
            decisions["file"] = decisions["file"].replace(str(temporary), str(self.file))

        data = document.to_bytes()
        write_atomically(self.file, data, check)
        self.last_read = data
        self.document = document
        self._adopt(*checked[0])
