"""The screening page on the demo review: how long it takes to open, and to write a key press.

    python benchmarks/bench_app.py               # 40 works taken out of tm's title decisions, 30 decided again
    python benchmarks/bench_app.py --works 200

A copy of the demo review with ``--works`` of tm's title-stage exclusions
removed; the page's session (``reviewflow.app.ScreeningSession``) behind its
Flask application, driven through Flask's test client (no browser: the time is
the server's). Times the start (the in-process derivation and the first
priority order), each decision (read again, write checked by the pipeline's
reader, atomic rename, the next work), the background re-ranking and the
estimate of relevant works left. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow"))

from reviewflow.app import ScreeningSession, create_app  # noqa: E402
from reviewflow.pipeline import derive  # noqa: E402
from reviewflow.screening import assigned_reviewers  # noqa: E402


def prepare(target: Path, works: int) -> None:
    for part in ("config", "data/raw"):
        shutil.copytree(ROOT / part, target / part)
    derived = derive(target)
    stage = derived.config["stages"][0]
    made = derived.decisions.table
    title = made[made["stage"] == "title"]
    others = set(made.loc[(made["stage"] != "title") | (made["reviewer"] != "tm"), "cluster_id"])
    rows = [r for r in title[title["reviewer"] == "tm"].to_dict("records")
            if r["decision"] == "exclude" and r["cluster_id"] not in others and assigned_reviewers(stage, r["cluster_id"]) == ["tm"]]
    taken = {int(r["row"]) - 1 for r in rows[:: max(1, len(rows) // works)][:works]}
    path = target / "data/raw/decisions/title/tm.csv"
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join(line for i, line in enumerate(lines) if i not in taken))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--works", type=int, default=40)
    parser.add_argument("--decide", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "demo"
        prepare(root, args.works)
        started = time.perf_counter()
        session = ScreeningSession(root, "title", "tm")
        opened = time.perf_counter() - started
        http = create_app(session, "t").test_client()
        headers = {"Host": "127.0.0.1", "X-Reviewflow-Token": "t"}
        state = http.get("/api/state", headers=headers).get_json()
        times, background = [], []
        for i in range(min(args.decide, len(session.waiting))):
            body = {"record_id": state["current"]["record_id"], "decision": "include" if i % 5 == 0 else "exclude",
                    "reasons": [], "note": "", "expected": None}
            started = time.perf_counter()
            reply = http.post("/api/decide", json=body, headers=headers)
            times.append(time.perf_counter() - started)
            assert reply.status_code == 200, reply.get_json()
            state = reply.get_json()
            started = time.perf_counter()
            session.settle()
            background.append(time.perf_counter() - started)
        print(f"demo review, title stage, reviewer tm: {len(session.records)} records, {len(session.at_stage)} works at the stage, "
              f"{args.works} waiting at the start")
        print(f"page opens (derive + first order): {opened:.1f} s")
        print(f"key press to next work ({len(times)} decisions): median {statistics.median(times):.2f} s, "
              f"max {max(times):.2f} s")
        print(f"re-ranking and estimate after it, in the background: median {statistics.median(background):.2f} s more")
        print(f"re-rankings learned: {session.rankings}")


if __name__ == "__main__":
    main()
