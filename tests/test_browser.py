"""The HTML report in a real browser: headless Chromium renders the diagram and tables and logs no error.

Chromium is driven through the DevTools protocol over ``--remote-debugging-pipe``
(commands on fd 3, messages on fd 4, NUL-separated JSON): no driver, no
WebSocket, no extra dependency. The browser runs headless with a fresh
profile and its background networking off (the machine's network is closed).
The test skips where Debian's ``chromium`` is not installed; ``.ci/run``
installs it.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from .conftest import REPO, copy_review

from reviewflow.cli import main

CHROMIUM = next((path for path in (shutil.which("chromium"), "/usr/bin/chromium") if path and Path(path).is_file()), None)
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian package: chromium)"),
]

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-pipe",
)
TIMEOUT = 60.0


class DevTools:
    """A minimal Chrome DevTools Protocol client over a pipe."""

    def __init__(self, profile: Path, log: Path) -> None:
        commands_read, self.commands = os.pipe()
        self.messages, messages_write = os.pipe()
        # moved above 10 so that placing them on 3 and 4 in the child cannot overwrite one another
        child_in = fcntl.fcntl(commands_read, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(messages_write, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(commands_read)
        os.close(messages_write)

        def place_pipes() -> None:  # in the child: dup2 leaves 3 and 4 open across exec
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.log = log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            preexec_fn=place_pipes, close_fds=False,  # noqa: PLW1509 - nothing else runs in the child
        )
        os.close(child_in)
        os.close(child_out)
        self.buffer = b""
        self.last_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self.last_id += 1
        message: dict[str, Any] = {"id": self.last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.commands, json.dumps(message).encode() + b"\0")
        reply = self._wait(lambda m: m.get("id") == self.last_id)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_event(self, method: str, session: str | None = None) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method and event.get("sessionId") == session:
                return event
        return self._wait(lambda m: m.get("method") == method and m.get("sessionId") == session)

    def _wait(self, wanted: Any) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "method" in message:
                    self.events.append(message)
                if wanted(message):
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.process.poll() is not None:
                raise TimeoutError("no answer from Chromium (see its log)")
            ready, _, _ = select.select([self.messages], [], [], remaining)
            if ready:
                chunk = os.read(self.messages, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self.buffer += chunk

    def open_page(self, url: str) -> str:
        """A new tab showing ``url``, loaded; returns its session."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_event("Page.loadEventFired", session)
        self.evaluate(session, "document.fonts.ready.then(() => true)")
        return session

    def evaluate(self, session: str, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True},
                           session=session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"the page's script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def problems(self, session: str) -> list[str]:
        """Console errors, uncaught exceptions and error log entries (failed loads, bad SVG) of a page."""
        found = []
        for event in (e for e in self.events if e.get("sessionId") == session):
            params = event.get("params", {})
            if event["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif event["method"] == "Runtime.exceptionThrown":
                found.append(f"exception: {params.get('exceptionDetails', {}).get('text')}")
            elif event["method"] == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append(f"log ({params['entry'].get('source')}): {params['entry'].get('text')}")
        return found

    def requests(self, session: str) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("sessionId") == session and e["method"] == "Network.requestWillBeSent"]

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self.commands, self.messages):
            os.close(fd)
        self.log.close()


def png_ink(png: bytes) -> float:
    """The share of a screenshot's pixel bytes that are neither 0 nor 255 once decompressed.

    A blank page decompresses to (filtered) runs of 0 and 255; drawn text and lines do not.
    """
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, data = 8, b""
    while position < len(png):
        length = int.from_bytes(png[position : position + 4], "big")
        kind = png[position + 4 : position + 8]
        if kind == b"IDAT":
            data += png[position + 8 : position + 8 + length]
        position += 12 + length
    pixels = zlib.decompress(data)
    return sum(1 for byte in pixels if byte not in (0, 255)) / len(pixels)


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo review's HTML report, built with the package's steps."""
    review = copy_review(REPO, tmp_path_factory.mktemp("browser") / "demo")
    for step in ("import", "dedupe", "screen", "ledger", "evidence-todo", "tables", "report"):
        assert main([step, "--root", str(review)]) == 0, step
    return review / "data/processed/report/report.html"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    folder = tmp_path_factory.mktemp("chromium")
    devtools = DevTools(folder / "profile", folder / "chromium.log")
    try:
        yield devtools
    finally:
        devtools.close()


CHECKS = """(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {w: r.width, h: r.height}; };
  const diagram = document.querySelector('svg#prisma-flow-diagram');
  const shown = (el) => { const s = getComputedStyle(el); return s.display !== 'none' && s.visibility !== 'hidden'; };
  return {
    title: document.title,
    text: document.body.innerText.length,
    diagram: diagram ? {...box(diagram), visible: shown(diagram),
      boxes: [...diagram.querySelectorAll('g.rf-box rect')].filter(r => r.getBBox().width > 0 && r.getBBox().height > 0).length,
      numbers: [...diagram.querySelectorAll('[data-field]')].map(t => ({field: t.dataset.field, n: t.dataset.n,
        text: t.textContent.replace(/\\u00a0/g, ' '), width: t.getBBox().width}))} : null,
    figures: [...document.querySelectorAll('svg.rf-figure')].map(box),
    tables: [...document.querySelectorAll('table')].map(t => ({...box(t), rows: t.rows.length, visible: shown(t),
      caption: (t.previousElementSibling || {}).textContent || ''})),
    cells: [...document.querySelectorAll('td')].filter(td => td.textContent.trim() === '54 of 71').length,
    scripts: document.scripts.length,
    resources: performance.getEntriesByType('resource').map(r => r.name),
  };
})()"""


def test_the_report_renders_in_headless_chromium_without_errors(browser: DevTools, report_html: Path) -> None:
    counts = json.loads((report_html.parents[1] / "counts.json").read_text(encoding="utf-8"))
    session = browser.open_page(report_html.as_uri())
    page = browser.evaluate(session, CHECKS)

    assert browser.problems(session) == []
    assert page["title"] == "Partnership working across UK public services"
    assert page["text"] > 20_000, "the page is (nearly) blank"
    assert page["scripts"] == 0 and page["resources"] == []
    assert browser.requests(session) == [report_html.as_uri()], "the report fetched something"

    diagram = page["diagram"]
    assert diagram and diagram["visible"] and diagram["w"] > 600 and diagram["h"] > 400
    assert diagram["boxes"] >= 15
    for number in diagram["numbers"]:
        assert number["width"] > 0, f"{number['field']} is not drawn"
        assert f"(n = {number['n']})" in number["text"]
        if not number["field"].endswith(("_reasons", "_specific_results")):
            assert counts[number["field"]] == int(number["n"])

    assert len(page["figures"]) == 2 and all(f["w"] > 300 and f["h"] > 150 for f in page["figures"])
    assert len(page["tables"]) >= 10
    for table in page["tables"]:
        assert table["visible"] and table["w"] > 0 and table["h"] > 0 and table["rows"] >= 2
    assert page["cells"] == 1  # "54 of 71" for question 3

    # the rendered pixels: the first screen and the diagram are not blank
    screen = base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png"}, session=session)["data"])
    assert png_ink(screen) > 0.01
    top = browser.evaluate(session, "(() => { const r = document.querySelector('svg#prisma-flow-diagram')"
                                    ".getBoundingClientRect(); return [r.x + scrollX, r.y + scrollY, r.width, r.height]; })()")
    clip = {"x": top[0], "y": top[1], "width": top[2], "height": top[3], "scale": 1}
    drawn = base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True},
                                          session=session)["data"])
    assert png_ink(drawn) > 0.01


def test_the_check_sees_console_errors_failed_loads_and_blank_pages(browser: DevTools, tmp_path: Path) -> None:
    """The browser check is not vacuous: it reports what a broken page does."""
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html><head><title>x</title></head><body>'
                      '<img src="missing.png" alt=""><svg><path d="M 0,0 L x"/></svg>'
                      '<script>console.error("deliberate")</script></body></html>', encoding="utf-8")
    session = browser.open_page(broken.as_uri())
    time.sleep(0.2)
    browser.evaluate(session, "true")
    problems = " | ".join(browser.problems(session))
    assert "deliberate" in problems
    assert "<path> attribute d" in problems  # malformed SVG is reported too
    assert "missing.png" in problems or "ERR_FILE_NOT_FOUND" in problems
    assert any(url.endswith("missing.png") for url in browser.requests(session))

    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>", encoding="utf-8")
    session = browser.open_page(blank.as_uri())
    assert png_ink(base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png"}, session=session)["data"])) < 0.001
