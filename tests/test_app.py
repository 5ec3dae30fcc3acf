"""The screening page's server: token, Host, errors as the pipeline names them, files written as people keep them.

On the mini review (tests/minireview.py) through Flask's test client; the
real-browser acceptance tests are in test_app_browser.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from reviewflow.app import ScreeningSession, create_app
from reviewflow.cli import main
from reviewflow.errors import ReviewError
from reviewflow.pipeline import derive

from . import minireview

TOKEN = "test-token-0123456789"
HOST = "127.0.0.1:5000"


def review(root: Path, title_rows: dict[str, list[tuple[str, str]]] | None = None) -> dict[str, str]:
    """The mini review with the title stage partly decided: (reviewer -> [(short title, decision)])."""
    minireview.write_inputs(root)
    ids = minireview.record_ids(root)
    rows = title_rows if title_rows is not None else {"a": [("partnership", "include")], "b": []}
    minireview.write_decisions(root, {("title", r): [(ids[t], d, "") for t, d in made] for r, made in rows.items()})
    return ids


def client(session: ScreeningSession) -> Any:
    return create_app(session, TOKEN).test_client()


def post(http: Any, url: str, body: dict[str, Any] | None = None) -> Any:
    return http.post(url, json=body or {}, headers={"Host": HOST, "X-Reviewflow-Token": TOKEN})


def get(http: Any, url: str) -> Any:
    return http.get(url, headers={"Host": HOST, "X-Reviewflow-Token": TOKEN})


@pytest.fixture
def mini(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    return tmp_path, review(tmp_path)


def test_requests_without_the_token_or_for_a_foreign_host_are_refused(mini: tuple[Path, dict[str, str]]) -> None:
    root, _ = mini
    http = client(ScreeningSession(root, "title", "a"))
    assert http.get("/", headers={"Host": HOST}).status_code == 403
    assert http.get("/?token=wrong", headers={"Host": HOST}).status_code == 403
    assert http.get("/api/state", headers={"Host": HOST}).status_code == 403
    assert http.get("/static/screen.js", headers={"Host": HOST}).status_code == 403
    assert http.get(f"/?token={TOKEN}", headers={"Host": "evil.example:5000"}).status_code == 403
    assert http.get("/api/state", headers={"Host": "evil.example", "X-Reviewflow-Token": TOKEN}).status_code == 403
    page = http.get(f"/?token={TOKEN}", headers={"Host": HOST})
    assert page.status_code == 200 and "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "HttpOnly" in page.headers["Set-Cookie"] and "SameSite=Strict" in page.headers["Set-Cookie"]
    # the cookie opens the page's assets and reads; a write needs the token in its header
    assert http.get("/static/screen.js", headers={"Host": HOST}).status_code == 200
    assert http.get("/api/state", headers={"Host": "localhost:8080", "X-Reviewflow-Token": TOKEN}).status_code == 200
    assert http.get("/api/state", headers={"Host": HOST}).status_code == 200
    assert http.post("/api/undo", json={}, headers={"Host": HOST}).status_code == 403
    assert b"http" not in page.data.replace(b"http-equiv", b"")  # nothing from a network


def test_the_page_decides_writes_one_row_changes_it_and_undoes(mini: tuple[Path, dict[str, str]]) -> None:
    root, ids = mini
    path = root / "data/raw/decisions/title/a.csv"
    before = path.read_bytes()
    session = ScreeningSession(root, "title", "a")
    http = client(session)
    session.settle()
    state = get(http, "/api/state").get_json()
    estimate = state["progress"].pop("estimate")  # the stopping test on a's own history (1 of 5 screened)
    assert "1 of 5 screened, 1 included" in estimate["message"] and estimate["at_most"] in (None, 0, 1, 2, 3, 4)
    assert state["progress"] == {"decided": 1, "left": 4, "included": 1, "maybe": 0}
    first = state["current"]["record_id"]
    assert first in ids.values() and state["current"]["fields"][0]["name"] == "title"
    reply = post(http, "/api/decide", {"record_id": first, "decision": "exclude", "reasons": ["X1"], "note": "off topic",
                                       "expected": None})
    assert reply.status_code == 200, reply.get_json()
    state = reply.get_json()
    assert state["progress"]["decided"] == 2 and state["progress"]["left"] == 3
    assert path.read_bytes() == before + f"{first},exclude,X1,off topic\n".encode()
    # going back to it and changing it changes that row only
    work = get(http, f"/api/work/{first}").get_json()
    assert work["decision"] == {"decision": "exclude", "reason": "X1", "note": "off topic"}
    reply = post(http, "/api/decide", {"record_id": first, "decision": "include", "reasons": [], "note": "",
                                       "expected": work["decision"]})
    assert reply.status_code == 200
    assert path.read_bytes() == before + f"{first},include,,\n".encode()
    assert post(http, "/api/undo").status_code == 200
    assert path.read_bytes() == before + f"{first},exclude,X1,off topic\n".encode()
    assert post(http, "/api/undo").status_code == 200
    assert path.read_bytes() == before
    assert post(http, "/api/undo").status_code == 400  # nothing left to undo
    # the pipeline reads what the page wrote
    post(http, "/api/decide", {"record_id": first, "decision": "maybe", "reasons": [], "note": "", "expected": None})
    made = derive(root).decisions.table
    assert made[(made["reviewer"] == "a") & (made["cluster_id"] == first)]["decision"].tolist() == ["maybe"]


def test_refusals_are_the_pipelines_named_errors(tmp_path: Path) -> None:
    ids = review(tmp_path, {"a": [(t, "include") for t in ("partnership", "collaboration", "integration")]
                            + [("joint", "exclude"), ("multi-agency", "exclude")],
                            "b": [(t, "include") for t in ("partnership", "collaboration", "integration")]
                            + [("joint", "exclude"), ("multi-agency", "exclude")]})
    http = client(ScreeningSession(tmp_path, "fulltext", "a"))
    state = get(http, "/api/state").get_json()
    assert state["reasons_required"] and [r["code"] for r in state["reasons"]] == ["X1", "NR"]
    work = state["current"]["record_id"]
    # a reason is required at full text: the pipeline's own message
    reply = post(http, "/api/decide", {"record_id": work, "decision": "exclude", "reasons": [], "note": "", "expected": None})
    assert reply.status_code == 400
    assert "an exclusion at the fulltext stage needs a reason code" in reply.get_json()["error"]
    assert "data/raw/decisions/fulltext/a.csv" in reply.get_json()["error"] and ".tmp" not in reply.get_json()["error"]
    assert not (tmp_path / "data/raw/decisions/fulltext/a.csv").exists()
    reply = post(http, "/api/decide", {"record_id": work, "decision": "exclude", "reasons": ["BOGUS"], "note": "", "expected": None})
    assert "unknown reason code 'BOGUS'" in reply.get_json()["error"]
    # a work excluded at the title stage has not reached full text
    reply = post(http, "/api/decide", {"record_id": ids["joint"], "decision": "include", "reasons": [], "note": "", "expected": None})
    assert reply.status_code == 400 and "has not reached the fulltext stage" in reply.get_json()["error"]
    reply = post(http, "/api/decide", {"record_id": "R09-123456789abc", "decision": "include", "note": "", "expected": None})
    assert "no record has the id R09-123456789abc" in reply.get_json()["error"]
    reply = post(http, "/api/decide", {"record_id": "banana", "decision": "include", "note": "", "expected": None})
    assert "'banana' is not a record id of this review" in reply.get_json()["error"]
    reply = post(http, "/api/decide", {"record_id": work, "decision": "perhaps", "note": "", "expected": None})
    assert "'perhaps' is not a decision" in reply.get_json()["error"]
    assert not (tmp_path / "data/raw/decisions/fulltext/a.csv").exists()
    reply = post(http, "/api/decide", {"record_id": work, "decision": "exclude", "reasons": ["X1"], "note": "", "expected": None})
    assert reply.status_code == 200
    assert reply.get_json()["file"] == "data/raw/decisions/fulltext/a.csv"
    written = (tmp_path / "data/raw/decisions/fulltext/a.csv").read_text(encoding="utf-8").splitlines()
    assert written[0] == "record_id,decision,reason,note,date" and written[1].startswith(f"{work},exclude,X1,,20")
    # unknown stage or reviewer: refused before anything starts
    with pytest.raises(ReviewError, match="no stage 'abstract'"):
        ScreeningSession(tmp_path, "abstract", "a")
    with pytest.raises(ReviewError, match="b is not a reviewer of the fulltext stage"):
        ScreeningSession(tmp_path, "fulltext", "b")
    with pytest.raises(ReviewError, match="no reviewer 'zz'"):
        ScreeningSession(tmp_path, "title", "zz")
    assert main(["app", "--review-dir", str(tmp_path), "--stage", "nope", "--reviewer", "a", "--no-browser"]) == 1


def test_edits_made_behind_the_pages_back_are_kept(mini: tuple[Path, dict[str, str]]) -> None:
    root, ids = mini
    path = root / "data/raw/decisions/title/a.csv"
    http = client(ScreeningSession(root, "title", "a"))
    state = get(http, "/api/state").get_json()
    current = state["current"]["record_id"]
    other = next(c for c in ids.values() if c not in (current, ids["partnership"], ids["local"]))
    # the reviewer adds a row in a spreadsheet, saved with CRLF and a column of their own
    edited = path.read_bytes().replace(b"\n", b"\r\n").replace(b"note\r\n", b"note,mine\r\n") + f"{other},exclude,,,kept\r\n".encode()
    path.write_bytes(edited)
    reply = post(http, "/api/decide", {"record_id": current, "decision": "include", "reasons": [], "note": "", "expected": None})
    assert reply.status_code == 200, reply.get_json()
    assert "changed on disk" in reply.get_json()["notice"]
    assert path.read_bytes() == edited + f"{current},include,,,\r\n".encode()
    assert reply.get_json()["progress"]["decided"] == 3
    # the reviewer changes the page's row in the spreadsheet: the page, still showing the old decision, writes nothing
    changed = path.read_bytes().replace(f"{current},include,,,".encode(), f"{current},exclude,X1,,".encode())
    path.write_bytes(changed)
    reply = post(http, "/api/decide", {"record_id": current, "decision": "maybe", "reasons": [], "note": "",
                                       "expected": {"decision": "include", "reason": "", "note": ""}})
    assert reply.status_code == 409 and "now says exclude (X1)" in reply.get_json()["error"]
    assert path.read_bytes() == changed
    reply = post(http, "/api/undo")  # the row the page wrote is no longer as it wrote it: left alone
    assert reply.status_code == 409 and path.read_bytes() == changed


def test_an_open_spreadsheet_makes_the_page_wait(mini: tuple[Path, dict[str, str]]) -> None:
    root, _ = mini
    path = root / "data/raw/decisions/title/a.csv"
    http = client(ScreeningSession(root, "title", "a"))
    work = get(http, "/api/state").get_json()["current"]["record_id"]
    lock = path.parent / ".~lock.a.csv#"
    lock.write_text(",someone,host,01.01.2026 10:00,file:///x;", encoding="utf-8")
    before = path.read_bytes()
    body = {"record_id": work, "decision": "include", "reasons": [], "note": "", "expected": None}
    reply = post(http, "/api/decide", body)
    assert reply.status_code == 423 and "open in a spreadsheet" in reply.get_json()["error"]
    assert path.read_bytes() == before
    lock.unlink()
    assert post(http, "/api/decide", body).status_code == 200 and path.read_bytes() != before


def test_two_reviewers_write_their_own_files_and_stay_blind(tmp_path: Path) -> None:
    ids = review(tmp_path, {"a": [], "b": []})
    a = client(ScreeningSession(tmp_path, "title", "a"))
    b = client(ScreeningSession(tmp_path, "title", "b"))
    work = ids["collaboration"]
    reply = post(a, "/api/decide", {"record_id": work, "decision": "exclude", "reasons": [], "note": "SECRET-NOTE-A",
                                    "expected": None})
    assert reply.status_code == 200
    seen_by_b = get(b, "/api/state").get_data(as_text=True) + get(b, f"/api/work/{work}").get_data(as_text=True)
    assert "SECRET-NOTE-A" not in seen_by_b and '"decision":null' in get(b, f"/api/work/{work}").get_data(as_text=True).replace(" ", "")
    reply = post(b, "/api/decide", {"record_id": work, "decision": "include", "reasons": [], "note": "", "expected": None})
    assert reply.status_code == 200
    assert (tmp_path / "data/raw/decisions/title/a.csv").read_text().splitlines()[1:] == [f"{work},exclude,,SECRET-NOTE-A"]
    assert (tmp_path / "data/raw/decisions/title/b.csv").read_text().splitlines()[1:] == [f"{work},include,,"]
    # the adjudicator sees the conflict side by side and settles it in adjudication.csv
    judge = client(ScreeningSession(tmp_path, "title", "a", adjudicating=True))
    state = get(judge, "/api/state").get_json()
    assert state["decisions"] == ["include", "exclude"] and state["progress"]["left"] == 1
    sides = {d["reviewer"]: d["decision"] for d in state["current"]["conflict"]}
    assert state["current"]["record_id"] == work and sides == {"a": "exclude", "b": "include"}
    assert post(judge, "/api/decide", {"record_id": work, "decision": "maybe", "note": "", "expected": None}).status_code == 400
    reply = post(judge, "/api/decide", {"record_id": work, "decision": "include", "note": "agreed", "expected": None})
    assert reply.status_code == 200 and reply.get_json()["progress"]["left"] == 0
    assert (tmp_path / "data/raw/decisions/title/adjudication.csv").read_text().splitlines()[1][:len(work) + 16] == f"{work},include,,agreed"
    outcomes = derive(tmp_path).outcomes
    assert outcomes[(outcomes["stage"] == "title") & (outcomes["cluster_id"] == work)]["decided_by"].tolist() == ["adjudication"]


def test_full_texts_are_served_from_their_folder_only(tmp_path: Path) -> None:
    ids = review(tmp_path, {r: [(t, "include") for t in ("partnership", "collaboration", "integration")]
                            + [("joint", "exclude"), ("multi-agency", "exclude")] for r in ("a", "b")})
    folder = tmp_path / "data/raw/fulltexts"
    folder.mkdir()
    (folder / f"{ids['collaboration']}.pdf").write_bytes(b"%PDF-1.4 test")
    http = client(ScreeningSession(tmp_path, "fulltext", "a"))
    work = get(http, f"/api/work/{ids['collaboration']}").get_json()
    assert work["fulltext"] == f"{ids['collaboration']}.pdf"
    assert [f["name"] for f in work["fields"]][:2] == ["title", "authors"]
    assert http.get(f"/fulltext/{ids['collaboration']}", headers={"Host": HOST}).status_code == 403
    reply = get(http, f"/fulltext/{ids['collaboration']}")
    assert reply.status_code == 200 and reply.data == b"%PDF-1.4 test" and reply.mimetype == "application/pdf"
    assert reply.headers["Content-Security-Policy"].startswith("sandbox")
    assert get(http, f"/fulltext/{ids['integration']}").status_code == 404
    for escape in ("..%2F..%2Fconfig%2Fconfig.yaml", "..", "R01-c3095adebaf2.pdf%00"):
        refused = get(http, f"/fulltext/{escape}")
        assert refused.status_code in (400, 404) and b"review:" not in refused.data


def test_the_command_prints_a_local_address_with_a_token_and_serves_the_page(mini: tuple[Path, dict[str, str]]) -> None:
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    root, _ = mini
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "workflow")}
    command = [sys.executable, "-m", "reviewflow", "app", "--review-dir", str(root), "--stage", "title", "--reviewer", "a",
               "--no-browser"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # noqa: S603
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        address = process.stdout.readline().strip()
        assert "screening page for a at the title stage (4 works waiting)" in first, first + (process.stderr.read() if process.poll() else "")
        assert address.startswith("http://127.0.0.1:") and "?token=" in address and len(address.split("token=")[1]) >= 24
        with urllib.request.urlopen(address, timeout=30) as page:  # noqa: S310 - the local server just started
            assert b"/static/screen.js" in page.read()
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(address.split("?")[0], timeout=30)  # noqa: S310
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_order_is_learned_again_after_each_decision_and_blind_to_the_other_reviewer(tmp_path: Path) -> None:
    from reviewflow.screening.priority import rank_works

    review(tmp_path, {"a": [], "b": []})
    a = ScreeningSession(tmp_path, "title", "a")
    b = client(ScreeningSession(tmp_path, "title", "b"))
    learned = a.rankings
    first = list(a.waiting)
    # b's open decisions are not a's to learn from: a's order stays as it was
    for work in first[:2]:
        assert post(b, "/api/decide", {"record_id": work, "decision": "exclude", "note": "", "expected": None}).status_code == 200
    a.refresh()
    a.settle()
    assert a.rankings == learned and a.waiting == first
    # a's own decision: learned again, on a's labels only, and the waiting works follow the new order
    a.decide(first[0], "include", [], "", None)
    a.settle()
    assert a.rankings == learned + 1
    order, _ = rank_works(a._texts or {}, a.ranking_terms, [first[0]], [])
    assert a.waiting == [w for w in order if w in set(first[1:])]
