"""Progress of long steps: plain lines in a log (no time in them), a bar on a terminal, silence on request."""

from __future__ import annotations

import io

import pytest

from reviewflow.progress import Progress, track


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_a_plain_line_at_every_tenth(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REVIEWFLOW_PROGRESS", raising=False)
    log = io.StringIO()
    assert sum(track(range(20_000), 20_000, "dedupe: candidate pairs compared", "pairs", stream=log)) == sum(range(20_000))
    lines = log.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[0] == "dedupe: candidate pairs compared: 2,000 of 20,000 pairs (10 %)"
    assert lines[-1] == "dedupe: candidate pairs compared: 20,000 of 20,000 pairs (100 %)"


def test_large_steps_are_counted_once_per_tenth_and_small_loops_stay_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REVIEWFLOW_PROGRESS", raising=False)
    log = io.StringIO()
    shown = Progress(3, "import: export files read", "files", quiet_below=1, stream=log)
    shown.update(3)  # one update past several tenths prints one line
    assert log.getvalue() == "import: export files read: 3 of 3 files (100 %)\n"
    quiet = io.StringIO()
    list(track(range(500), 500, "small", stream=quiet))
    assert quiet.getvalue() == ""


def test_a_terminal_gets_a_bar_and_the_setting_silences_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REVIEWFLOW_PROGRESS", raising=False)
    terminal = Terminal()
    list(track(range(50), 50, "screen: worksheets ranked", "sheets", stream=terminal))
    assert "screen: worksheets ranked" in terminal.getvalue() and "50/50" in terminal.getvalue()
    monkeypatch.setenv("REVIEWFLOW_PROGRESS", "0")
    silenced = Terminal()
    list(track(range(50_000), 50_000, "x", stream=silenced))
    assert silenced.getvalue() == ""
