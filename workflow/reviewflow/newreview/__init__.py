"""A new, empty review folder: ``reviewflow init REVIEW_DIR``.

Writes a commented ``config/config.yaml`` (a minimal valid review: two stages,
one reviewer, one criterion), an empty search log with its header, the
``data/raw/`` folders, a ``.gitignore`` and a ``README.md`` saying what to do
next. A folder that already holds a review (a config, a search log or any
``data/raw/`` content) is refused, and a folder's own README.md or
.gitignore is kept: nothing a person wrote is ever overwritten.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..config import load_config
from ..errors import ReviewError
from ..paths import ReviewPaths
from ..searchlog import COLUMNS, OPTIONAL_COLUMNS

GITIGNORE = ".snakemake/\ndata/processed/\n"


def snakefile() -> str:
    """This checkout's Snakefile, for the README's commands (a placeholder when installed without one)."""
    path = Path(__file__).resolve().parents[3] / "Snakefile"
    return str(path) if path.is_file() else "PATH/TO/reviewflow/Snakefile"


def template(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _quoted(text: str) -> str:
    """``text`` as the inside of a double-quoted YAML string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def existing_review(paths: ReviewPaths) -> list[Path]:
    """What in ``paths.root`` shows it already holds a review."""
    found = [p for p in (paths.config, paths.search_log) if p.exists()]
    if paths.raw.is_dir() and any(paths.raw.iterdir()):
        found.append(paths.raw)
    return found


def init_review(root: str | Path, title: str = "A new review") -> list[Path]:
    """Lay out a new review in ``root`` and return the files and folders written."""
    paths = ReviewPaths(Path(root))
    if paths.root.exists() and not paths.root.is_dir():
        raise ReviewError("this is a file, not a folder", file=paths.root, fix="give the path of a new or empty folder")
    found = existing_review(paths)
    if found:
        raise ReviewError(
            "the folder already holds a review (" + ", ".join(str(p) for p in found) + "); nothing was written",
            file=paths.root,
            fix="choose a new folder, or edit this review's config/config.yaml",
        )
    title = " ".join(title.split()) or "A new review"
    paths.config.parent.mkdir(parents=True, exist_ok=True)
    paths.config.write_text(template("config.yaml").replace("__TITLE__", _quoted(title)), encoding="utf-8", newline="\n")
    written = [paths.config]
    stages = [stage["name"] for stage in load_config(paths.config)["stages"]]  # the template is a valid review
    for folder in [paths.searches, *(paths.decisions / stage for stage in stages)]:
        folder.mkdir(parents=True, exist_ok=True)
        written.append(folder)
    files = {
        paths.search_log: ",".join((*COLUMNS, *OPTIONAL_COLUMNS)) + "\n",
        paths.root / "README.md": template("README.md").replace("__TITLE__", title).replace("__SNAKEFILE__", snakefile()),
        paths.root / ".gitignore": GITIGNORE,
    }
    for path, text in files.items():
        if path.exists():  # a README or .gitignore of the folder's own (e.g. a git repository's) is kept
            continue
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written

