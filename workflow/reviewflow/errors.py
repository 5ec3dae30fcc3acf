"""One error type for bad input: where it is, what is wrong, how to fix it."""

from __future__ import annotations

from pathlib import Path


class ReviewError(Exception):
    """Bad input that a person must fix.

    ``where`` names the file and, when known, the line, row or column;
    ``fix`` says what to do about it. The command line prints these and exits
    with status 1 instead of a traceback.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        row: int | None = None,
        column: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.row = row
        self.column = column
        self.fix = fix
        super().__init__(self.describe())

    @property
    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def describe(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.fix:
            text += f"\n  how to fix: {self.fix}"
        return text


class ReviewErrors(ReviewError):
    """Several problems found in one pass, reported together."""

    def __init__(self, errors: list[ReviewError], summary: str) -> None:
        self.errors = errors
        shown = errors[:50]
        lines = [f"{summary} ({len(errors)} problem{'s' if len(errors) != 1 else ''}):"]
        lines += [f"- {error.describe()}" for error in shown]
        if len(errors) > len(shown):
            lines.append(f"- ... and {len(errors) - len(shown)} more")
        super().__init__("\n".join(lines))

    def describe(self) -> str:  # the message already lists every problem
        return self.message
