"""Simulated screening (``reviewflow simulate``) and the scikit-learn priority model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reviewflow.cli import main as cli
from reviewflow.errors import ReviewError
from reviewflow.screening.priority import CANDIDATES, rank_works
from reviewflow.screening.simulation import measures, read_labelled, records_to, simulate


def labelled_csv(path: Path, n: int = 120, label: str = "label_included") -> Path:
    """A made-up review: the includes are about partnership working, the excludes about peat and rainfall."""
    rng = np.random.default_rng(3)
    topics_in = ["partnership working", "joint working between agencies", "collaboration in public services"]
    topics_out = ["peat soil chemistry", "upland rainfall", "nitrogen in moss", "river sediment", "bird counts"]
    rows = []
    for i in range(n):
        included = i % 8 == 3
        topic = topics_in[i % 3] if included else topics_out[i % 5]
        noise = " ".join(rng.choice(["study", "survey", "Scotland", "England", "data", "report", "case"], 4))
        rows.append({"title": f"{topic.capitalize()}: {noise}", "abstract": f"We examine {topic} in {noise}.", label: int(included)})
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_measures_of_a_known_order() -> None:
    hits = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 1] + [0] * 10)
    m = measures(hits)
    assert records_to(hits, 1.0) == 10 and m["to95"] == 10 and m["to100"] == 10
    assert m["wss100"] == pytest.approx(0.5) and m["wss95"] == pytest.approx(0.45)
    assert m["recall10"] == pytest.approx(1 / 3) and m["recall25"] == pytest.approx(2 / 3)  # after 2 and 5 works


def test_simulation_finds_the_includes_early_and_is_the_same_every_time(tmp_path: Path) -> None:
    data = read_labelled(labelled_csv(tmp_path / "review.csv"))
    assert data.label_column == "label_included" and int(data.labels.sum()) == 15
    stopping = {"target_recall": 0.95, "confidence": 0.95, "min_screened": 0}
    first, orders = simulate(data, seeds=(1, 2), batches=(1, 10), stopping=stopping)
    again, _ = simulate(data, seeds=(1, 2), batches=(1, 10), stopping=stopping)
    pd.testing.assert_frame_equal(first, again)
    assert len(first) == 4 and (first["wss95"] > 0.5).all() and (first["recall25"] == 1.0).all()
    assert all(sorted(order.tolist()) == sorted(data.labels.tolist()) for order in orders.values())
    assert ((first["stop_at"] <= first["works"]) & (first["recall_at_stop"] > 0)).all()


@pytest.mark.parametrize("model", sorted(CANDIDATES))
def test_every_candidate_model_ranks_the_like_of_the_included_first(model: str, tmp_path: Path) -> None:
    data = read_labelled(labelled_csv(tmp_path / "review.csv", n=64))
    results, _ = simulate(data, seeds=(1,), batches=(10,), model=model)
    assert results.loc[0, "wss95"] > 0.4


def test_simulate_command_prints_the_table_and_draws_the_curve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = labelled_csv(tmp_path / "review.csv", label="included")
    svg = tmp_path / "curve.svg"
    assert cli(["simulate", str(path), "--batch", "10", "--seeds", "2", "--svg", str(svg), "--csv", str(tmp_path / "runs.csv")]) == 0
    out = capsys.readouterr().out
    assert "WSS@95" in out and "recall@10%" in out and "to 95%" in out and "stopping rule" in out
    assert svg.read_text().startswith("<svg") and "B = 10" in svg.read_text()
    assert len(pd.read_csv(tmp_path / "runs.csv")) == 2


def test_labelled_files_with_problems_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("title,abstract,label\nA,x,1\nB,y,yes\nC,z,0\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="label 'yes' is not 0 or 1") as error:
        read_labelled(path)
    assert error.value.row == 3 and error.value.column == "label"
    path.write_text("title,abstract,decision\nA,x,1\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="no label column"):
        read_labelled(path)
    with pytest.raises(ReviewError, match="at least one included and one excluded"):
        read_labelled(path, label="decision")


def test_rank_works_is_deterministic_and_learns() -> None:
    texts = {f"w{i}": ("partnership working in councils" if i % 4 == 0 else "peat chemistry of uplands") + f" {i}" for i in range(40)}
    order, scores = rank_works(texts, [], ["w0", "w4"], ["w1", "w2"])
    again = rank_works(dict(texts), [], ["w0", "w4"], ["w1", "w2"])
    assert (order, scores) == again
    assert {order[i] for i in range(10)} == {f"w{i}" for i in range(0, 40, 4)}
    assert all(0 <= v <= 1 for v in scores.values())
