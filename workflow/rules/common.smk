# Shared set-up: the package on the path, the config loaded safely and
# validated, the standard paths, and the command every rule calls.

import csv
import hashlib
import os
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version, validate

min_version("9.0")

# this file is workflow/rules/common.smk of the checkout, whichever Snakefile includes it (the
# repository's, workflow/Snakefile, or a review's own through `module`)
REVIEWFLOW_HOME = Path(workflow.current_basedir).resolve().parents[1]
PACKAGE_DIR = REVIEWFLOW_HOME / "workflow"
# jobs run this checkout's package, whatever else is installed
sys.path.insert(0, str(PACKAGE_DIR))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_DIR), os.environ.get("PYTHONPATH", "")]))

from reviewflow.config import check_config, load_yaml, schema_path  # noqa: E402
from reviewflow.errors import ReviewError  # noqa: E402
from reviewflow.paths import ReviewPaths  # noqa: E402

P = ReviewPaths()

# Snakemake's own `configfile:` would accept `!!python/name:` tags and duplicate
# keys; load the review's config safely, then validate it against the schema.
try:
    loaded = load_yaml(P.config)
    if not isinstance(loaded, dict):
        check_config(loaded, P.config)  # raises: an empty file, or not a mapping of keys
    config.update({**loaded, **config})
    try:
        validate(config, schema=str(schema_path()))
    except WorkflowError:
        check_config(config, P.config)  # raises, naming each key and what is expected
        raise
    config.update(check_config(config, P.config))
except ReviewError as error:
    raise WorkflowError(error.describe()) from None

# the command every rule calls: this interpreter, this checkout's package
CLI = f'"{sys.executable}" -m reviewflow'
# outputs rebuild when the package's code or templates change
CODE_VERSION = hashlib.sha256(
    b"".join(p.read_bytes() for p in sorted((PACKAGE_DIR / "reviewflow").rglob("*.py")))
).hexdigest()[:16]
TEMPLATES = REVIEWFLOW_HOME / "templates"
STAGES = [stage["name"] for stage in config["stages"]]
LOGS = P.processed / "logs"


def export_files():
    """The export files the search log lists (those that exist; the import step reports the others),
    and every other file in data/raw/searches/: a file no row names makes the import step run and
    name it (hidden files and office lock files are not exports)."""
    from reviewflow.paths import export_paths  # light: the Snakefile does not import pandas

    names = []
    if P.search_log.is_file():
        with P.search_log.open(encoding="utf-8-sig", newline="", errors="replace") as handle:
            sample = handle.readline()
            handle.seek(0)
            delimiter = ";" if sample.count(";") > sample.count(",") else ","
            rows = csv.DictReader(handle, delimiter=delimiter)
            names = [(row.get("file") or "").strip() for row in rows]
    listed = {str(P.searches / n) for n in names if n and (P.searches / n).is_file()}
    return sorted(listed | {str(f) for f in export_paths(P.searches)})


# Threads and memory of each step, for the scheduler of a cluster executor (SLURM,
# Kubernetes...) and for --resources mem_mb=... on one machine. Every step is one
# process, except the import (it reads files in two worker processes) and screening
# (a large stage's texts are cut into words in two). A step's peak memory grows with the size of the search: measured with
# benchmarks/bench_pipeline_1m.py (RIS exports, 100,000 and 1,000,000 records; see
# config/README.md) as a base plus megabytes per megabyte of export files, here
# with half as much again in hand (other export formats, longer records).
STEP_MEMORY = {  # step: (base MB, MB per MB of exports); RIS exports hold about 1,100 records per MB
    "import": (550, 0.25),  # 20k records 328 MB, 100k 573 MB, 1M 739 MB (it streams: files of 50k records)
    "dedupe": (300, 7.3),  # 100k 934 MB, 1M 6.8 GB (after the merge of issue 10's engine)
    "screen": (500, 7.2),  # 100k 1,147 MB, 1M 6.5 GB (7.1 GB one change before; the priority ranking's features)
    "ledger": (150, 2.8),  # 100k 406 MB, 1M 2.7 GB
    "evidence_todo": (150, 2.3),  # 100k 363 MB
    "tables": (150, 0.5),  # 100k 196 MB
    "report": (150, 2.5),  # 100k 378 MB
    "changes": (150, 0.5),  # 100k 194 MB
    "verify": (150, 4.1),  # 100k 530 MB
}


def export_megabytes():
    return sum(Path(f).stat().st_size for f in EXPORT_FILES) / 1e6


def mem_mb(step):
    """The memory to reserve for a step's job, from the measured figures and this review's exports
    (rounded up to 100 MB); a job retried after running out (--retries) gets twice, three times as much."""
    base, per_mb = STEP_MEMORY[step]
    first = int(-(-1.5 * (base + per_mb * EXPORT_MB) // 100) * 100)
    return lambda wildcards, attempt: first * attempt


def decision_files():
    """Every decision file present for the configured stages (new files trigger a rerun)."""
    found = []
    for stage in config["stages"]:
        folder = P.decisions / stage["name"]
        if folder.is_dir():
            found += sorted(str(p) for p in folder.glob("*.csv"))
    return found


EXPORT_FILES = export_files()  # read once per run: the import rule's inputs and the memory estimates
EXPORT_MB = export_megabytes()


def previous_ledger():
    """The frozen ledger of the previous version of the review, when the config names one."""
    marker = config["review"].get("previous_version") or {}
    return [marker["ledger"]] if "ledger" in marker else []


def frozen_ledgers():
    """Every frozen ledger the previous versions name (a previous version that was an update names its own)."""
    found, marker = [], config["review"].get("previous_version") or {}
    while marker:
        found += [marker["ledger"]] if "ledger" in marker else []
        marker = marker.get("previous_version") or {}
    return found


def changes_details():
    """The comparisons with the previous version need its frozen ledger."""
    if not previous_ledger():
        return []
    return [str(P.report / "changes_decisions.csv"), str(P.report / "changes_removed.csv")]


def optional(path):
    return [str(path)] if Path(path).is_file() else []


def worksheet_files():
    return [
        str(P.worksheet(stage["name"], reviewer))
        for stage in config["stages"]
        for reviewer in stage["reviewers"]
    ]


def template_files():
    """reviewflow's templates and the review's own overrides in templates/."""
    return sorted({str(p.resolve()) for folder in (TEMPLATES, Path("templates")) for p in folder.glob("*.j2")})


def all_outputs():
    return [
        *report_files(),  # workflow/rules/report.smk
        *table_files(),  # workflow/rules/evidence.smk
        str(P.prisma_csv),
        str(P.flow_diagram),
        str(P.processed / "evidence_log_todo.csv"),
        str(P.processed / "verify.txt"),
        str(P.report / "changes.md"),
        *worksheet_files(),
    ]


onsuccess:
    from reviewflow.status import status_text

    print(status_text(P, config))
