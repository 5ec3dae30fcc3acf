"""Run inside ASReview's own virtual environment (made by bench_screening_simulate.py): ASReview's simulation.

Reads a JSON request on stdin:
    {"csv": PATH, "label": COLUMN, "model": "elas_u4", "runs": [{"seed": 1, "batch": 10, "prior": [i, j]}, ...]}
and prints, for each run, the record positions (0-based rows of the CSV) in the order ASReview labelled them:
    [{"seed": 1, "batch": 10, "order": [...], "seconds": 1.2}, ...]

The model is ASReview's default (``get_ai_config()``, ELAS u4 in 2.x/3.x) with the classifier seeded by
the run's seed; the priors are the ones given, so that both tools start from the same two works.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time

import pandas as pd
from asreview.learner import ActiveLearningCycle
from asreview.models.models import get_ai_config
from asreview.simulation.simulate import Simulate


def main() -> None:
    request = json.load(sys.stdin)
    table = pd.read_csv(request["csv"], dtype=str, keep_default_na=False)
    labels = table[request["label"]].astype(float).astype(int).to_numpy()
    texts = table[[c for c in ("title", "abstract") if c in table.columns]]
    config = get_ai_config(request.get("model"))
    out = []
    for run in request["runs"]:
        start = time.perf_counter()
        data = config["value"]
        params = dict(data.classifier_param or {})
        params["random_state"] = run["seed"]
        cycle = ActiveLearningCycle.from_meta(dataclasses.replace(data, classifier_param=params, n_query=run["batch"]))
        simulation = Simulate(texts, labels, cycles=[cycle], stopper=-1, print_progress=False)
        simulation.label(list(run["prior"]))
        simulation.review()
        order = [int(r) for r in simulation._results["record_id"].tolist()]
        out.append({"seed": run["seed"], "batch": run["batch"], "order": order, "model": config["name"],
                    "seconds": round(time.perf_counter() - start, 2)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
