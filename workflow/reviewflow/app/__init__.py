"""The screening page: a reviewer's local web page that writes the reviewer's own decision file.

``reviewflow app --stage title --reviewer tm`` derives the review in-process,
serves one page on 127.0.0.1 (guarded by a random token) and writes, on the
reviewer's key press only, ``data/raw/decisions/<stage>/<reviewer>.csv``
(``adjudication.csv`` with ``--conflicts``).

- ``decisionfile``: the file edited row by row, every other byte kept; atomic writes;
- ``session``: the works waiting for the reviewer, re-ranked after each decision;
  each write checked with the pipeline's own reader first;
- ``server``: the Flask application (token, Host check, assets served locally);
- ``static/``: the page, its script and style sheet.
"""

from __future__ import annotations

from .decisionfile import DecisionFile, spreadsheet_lock, write_atomically
from .server import create_app, serve
from .session import ScreeningSession, SpreadsheetOpen, Stale

__all__ = ["DecisionFile", "ScreeningSession", "SpreadsheetOpen", "Stale", "create_app", "serve", "spreadsheet_lock",
           "write_atomically"]
