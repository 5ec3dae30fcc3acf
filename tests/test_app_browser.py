"""The screening page in real headless Chromium (the harness of test_browser.py), on a copy of the demo review.

The acceptance test screens 30 works by key, changes one decision, undoes one
and adds a note, then derives the review in-process and checks that the
counts and the worksheets reflect exactly those decisions and that every row
the file had before is unchanged, byte for byte. It also takes the README's
screenshot: into a temporary folder, copied to docs/img/ only when
``REVIEWFLOW_SCREENSHOTS`` names a folder (see docs/screening.md).
"""

from __future__ import annotations

import base64
import os
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reviewflow.app import ScreeningSession, serve
from reviewflow.csvio import read_people_csv
from reviewflow.pipeline import derive
from reviewflow.screening import assigned_reviewers, search_terms, worksheets, Units

from . import minireview
from .conftest import REPO, copy_review
from .test_browser import CHROMIUM, DevTools, browser, png_ink  # noqa: F401 - browser: the harness's fixture

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian package: chromium)"),
]

TOKEN = "browser-test-token-42"
UNDECIDED = 40  # works whose title decision by tm is taken out of the copy, for the page to decide again
SCREENSHOT = REPO / "docs" / "img" / "screening-page.png"
KEYS = {"Enter": ("Enter", 13), "Escape": ("Escape", 27)}


class Page:
    """One tab on the screening page, driven by key presses."""

    def __init__(self, browser: DevTools, url: str) -> None:
        self.browser = browser
        self.session = browser.open_page(url)
        self.wait_renders(1)

    def js(self, expression: str) -> Any:
        return self.browser.evaluate(self.session, expression)

    def renders(self) -> int:
        return int(self.js("window.reviewflowPage.renders"))

    def wait_renders(self, at_least: int) -> None:
        deadline = time.monotonic() + 60
        while self.renders() < at_least or self.js("window.reviewflowPage.busy"):
            assert time.monotonic() < deadline, "the page did not answer"
            time.sleep(0.05)

    def press(self, key: str, *, renders: bool = True) -> None:
        before = self.renders()
        if key in KEYS:
            name, code = KEYS[key]
            event = {"key": name, "code": name, "windowsVirtualKeyCode": code}
        else:
            code = f"Digit{key}" if key.isdigit() else f"Key{key.upper()}"
            event = {"key": key, "code": code, "text": key, "windowsVirtualKeyCode": ord(key.upper())}
        self.browser.send("Input.dispatchKeyEvent", {"type": "keyDown", **event}, session=self.session)
        self.browser.send("Input.dispatchKeyEvent", {"type": "keyUp", **{k: v for k, v in event.items() if k != "text"}},
                          session=self.session)
        if renders:
            self.wait_renders(before + 1)

    def type(self, text: str) -> None:
        self.browser.send("Input.insertText", {"text": text}, session=self.session)

    def text(self, element_id: str) -> str:
        return str(self.js(f"document.getElementById({element_id!r}).textContent"))

    def screenshot(self) -> bytes:
        return base64.b64decode(self.browser.send("Page.captureScreenshot", {"format": "png"}, session=self.session)["data"])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A copy of the demo review with 40 of tm's title exclusions taken out (works only tm screens)."""
    root = copy_review(REPO, tmp_path_factory.mktemp("app") / "demo")
    derived = derive(root)
    stage = derived.config["stages"][0]
    made = derived.decisions.table
    title = made[made["stage"] == "title"]
    others = set(made.loc[(made["stage"] != "title") | (made["reviewer"] != "tm"), "cluster_id"])
    counts = title.groupby("cluster_id").size()
    candidates = [row for row in title[title["reviewer"] == "tm"].to_dict("records")
                  if row["decision"] == "exclude" and row["cluster_id"] not in others and counts[row["cluster_id"]] == 1
                  and assigned_reviewers(stage, row["cluster_id"]) == ["tm"]]
    chosen = candidates[:: len(candidates) // UNDECIDED][:UNDECIDED]
    path = root / "data/raw/decisions/title/tm.csv"
    lines = path.read_bytes().split(b"\n")
    taken = {int(row["row"]) - 1 for row in chosen}  # the header is row 1, line 0
    path.write_bytes(b"\n".join(line for i, line in enumerate(lines) if i not in taken))
    return {"root": root, "before": path.read_bytes(), "undecided": {row["cluster_id"] for row in chosen},
            "counts": derived.counts, "rows": len(read_people_csv(path))}


def running(session: ScreeningSession) -> tuple[Any, str]:
    server, address = serve(session, 0, TOKEN)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, address


@pytest.fixture(scope="module")
def served(demo: dict[str, Any]) -> Iterator[tuple[ScreeningSession, str]]:
    session = ScreeningSession(demo["root"], "title", "tm")
    server, address = running(session)
    try:
        yield session, address
    finally:
        server.shutdown()
        server.server_close()


def test_screening_30_works_by_key_is_exactly_what_the_pipeline_reads(
    browser: DevTools, demo: dict[str, Any], served: tuple[ScreeningSession, str], tmp_path: Path
) -> None:
    session, address = served
    page = Page(browser, address)
    assert page.text("left") == str(UNDECIDED) and page.text("stage") == "Initial scoping (titles)"
    expected: dict[str, tuple[str, str, str]] = {}
    order: list[str] = []
    marked = 0
    for i in range(31):
        work = page.text("record-id")
        marked += int(page.js("document.querySelectorAll('#title mark').length"))
        assert work in demo["undecided"] and work not in expected
        note = ""
        if i == 5:  # a note: n, type, Enter, then the decision
            page.press("n", renders=False)
            page.type("read the abstract too")
            page.press("Enter", renders=False)
            note = "read the abstract too"
        if i % 6 == 0:
            page.press("i")
            expected[work] = ("include", "", note)
        elif i % 6 == 3:
            page.press("m")
            expected[work] = ("maybe", "", note)
        elif i % 4 == 1:
            page.press("2", renders=False)  # the second exclusion code, GEO
            page.press("e")
            expected[work] = ("exclude", "GEO", note)
        else:
            page.press("e")
            expected[work] = ("exclude", "", note)
        order.append(work)
        if i == 4:
            shot = page.screenshot()
            (tmp_path / "screening-page.png").write_bytes(shot)
    assert marked >= 10, "the search terms are not highlighted"  # Partner*, Collaborat*... are in most titles
    assert page.text("decided") == str(demo["rows"] + 31) and page.text("left") == str(UNDECIDED - 31)
    # undo the last one: it waits again
    page.press("u")
    undone = order.pop()
    del expected[undone]
    assert page.text("left") == str(UNDECIDED - 30)
    # go back to the third decision in the list and change it
    changed = order[2]
    before = page.renders()
    page.js(f"document.querySelector('#history li[data-record=\"{changed}\"]').click()")
    page.wait_renders(before + 1)
    assert page.text("record-id") == changed and "Your decision now" in page.text("current")
    page.press("i")
    expected[changed] = ("include", "", expected[changed][2])
    # the estimate of relevant works left (the stopping test on tm's own history), once learned
    session.settle()
    before = page.renders()
    page.js("window.reviewflowPage.reload()")
    page.wait_renders(before + 1)
    assert page.text("estimate").startswith("at most ") and int(page.text("estimate").split()[-1]) <= UNDECIDED - 30
    assert browser.problems(page.session) == []
    assert all(url.startswith(address.split("?")[0]) for url in browser.requests(page.session)), "the page fetched from elsewhere"

    # every pre-existing row unchanged, byte for byte; the page's rows after them
    path = demo["root"] / "data/raw/decisions/title/tm.csv"
    written = path.read_bytes()
    assert written.startswith(demo["before"])
    rows = read_people_csv(path).iloc[demo["rows"] :]
    assert len(rows) == 30 and rows["record_id"].tolist() == order

    # the pipeline, in-process: decisions, counts and worksheets reflect exactly these decisions
    derived = derive(demo["root"])
    made = derived.decisions.table
    mine = made[(made["stage"] == "title") & (made["reviewer"] == "tm") & made["cluster_id"].isin(demo["undecided"])]
    assert {r["cluster_id"]: (r["decision"], r["reason"], r["note"]) for r in mine.to_dict("records")} == expected
    published = demo["counts"]
    passed = sum(1 for d, _, _ in expected.values() if d in ("include", "maybe"))
    assert derived.counts["title_screened"] == published["title_screened"] == 5813
    assert derived.counts["title_pending"] == UNDECIDED - 30
    assert derived.counts["title_included"] == published["title_included"] + passed
    assert derived.counts["title_excluded"] == published["title_excluded"] - UNDECIDED + 30 - passed
    assert derived.counts["abstract_pending"] == published["abstract_pending"] + passed
    units = Units.build(derived.records, derived.clusters)
    sheets = worksheets(derived.config, units, derived.records, made, derived.outcomes, search_terms(derived.config))
    assert set(sheets[("title", "tm")]["record_id"]) == demo["undecided"] - set(expected)
    assert undone in set(sheets[("title", "tm")]["record_id"])
    waiting_abstract = set(sheets[("abstract", "ac")]["record_id"])
    assert {w for w, (d, _, _) in expected.items() if d != "exclude"} <= waiting_abstract

    # the screenshot the README shows: made here, copied only when asked (see docs/screening.md)
    assert png_ink(shot) > 0.01
    target = os.environ.get("REVIEWFLOW_SCREENSHOTS")
    if target:
        shutil.copyfile(tmp_path / "screening-page.png", Path(target) / "screening-page.png")
    assert SCREENSHOT.is_file() and SCREENSHOT.read_bytes()[16:24] == shot[16:24], "docs/img/screening-page.png is stale"


def test_an_edit_behind_the_pages_back_and_a_decision_on_the_page_both_survive(
    browser: DevTools, demo: dict[str, Any], served: tuple[ScreeningSession, str]
) -> None:
    session, address = served
    page = Page(browser, address)
    left = int(page.text("left"))
    current = page.text("record-id")
    other = next(w for w in session.waiting if w != current)
    path = demo["root"] / "data/raw/decisions/title/tm.csv"
    edited = path.read_bytes() + f"{other},exclude,TOPIC,added in a spreadsheet\n".encode()
    path.write_bytes(edited)
    page.press("e")
    assert path.read_bytes() == edited + f"{current},exclude,,\n".encode()
    assert "changed on disk" in page.text("notice") and page.text("left") == str(left - 2)
    made = derive(demo["root"]).decisions.table
    mine = made[(made["stage"] == "title") & (made["reviewer"] == "tm")].set_index("cluster_id")
    assert mine.loc[other, "note"] == "added in a spreadsheet" and mine.loc[current, "decision"] == "exclude"


def test_a_title_holding_markup_shows_as_text_and_strangers_are_refused(browser: DevTools, tmp_path: Path) -> None:
    minireview.write_inputs(tmp_path)
    hostile = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> Partnership working'
    with (tmp_path / "data/raw/searches/r1.ris").open("a", encoding="utf-8") as out:
        out.write(f"\nTY  - JOUR\nTI  - {hostile}\nPY  - 2015\nER  - \n")
    session = ScreeningSession(tmp_path, "title", "a")
    server, address = running(session)
    try:
        base = address.split("?")[0]
        for url, host in ((base, None), (address, "evil.example"), (base + "api/state", None)):
            request = urllib.request.Request(url, headers={"Host": host} if host else {})
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=10)  # noqa: S310 - the local test server
            assert refused.value.code == 403
        page = Page(browser, address)
        shown = page.js("""(() => {
          const titles = [...document.querySelectorAll('#history li, #title')].map(e => e.textContent);
          return {pwned: window.pwned === undefined ? null : window.pwned, scripts: document.scripts.length,
                  images: document.querySelectorAll('main img').length, title: document.getElementById('title').textContent};
        })()""")
        # the hostile work is the next one (most like the search terms) or a later one: find it
        for _ in range(8):
            if "<script>" in page.text("title"):
                break
            page.press("i")
        assert "<script>window.pwned = 1</script>" in page.text("title")
        shown = page.js("({pwned: window.pwned === undefined ? null : window.pwned, scripts: document.scripts.length, "
                        "images: document.querySelectorAll('main img').length})")
        assert shown == {"pwned": None, "scripts": 1, "images": 0}
        assert browser.problems(page.session) == []
    finally:
        server.shutdown()
        server.server_close()
