"""Priority order: likely includes first on the worksheets.

A work's priority is its similarity (TF-IDF cosine) to the review's search
terms and, once some works are included at the stage, to the centroid of
those works: the mean of the two. Words are lower-cased, stripped of accents
and cut to their first six letters, so that the search terms' truncations
(``Partner*``, ``Collaborat*``) meet ``partnership`` and ``collaboration``.

The order only helps reviewers find the relevant works early; it decides
nothing. Scores depend only on the records and decisions, so the order is
the same on every run with the same inputs.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

#: Words too common to tell works apart, and the search syntax of the databases.
STOPWORDS = frozenset(
    """a about after all also an and any are as at be been between but by can do does for from had has have how in
    into is it its may more most near not of on or other over same such than that the their them then there these
    they this those through to under using was we were what when where which while who why will with within without
    yet""".split()
)
STEM = 6


def words(text: str) -> list[str]:
    """The text's words as compared: lower case, no accents, no stop words, cut to six letters."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [w[:STEM] for w in re.findall(r"[a-z][a-z0-9]+", plain) if w not in STOPWORDS and len(w) > 2]


def _weights(counts: Counter[str], idf: Mapping[str, float]) -> dict[str, float]:
    vector = {w: (1 + math.log(n)) * idf.get(w, 0.0) for w, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {w: v / norm for w, v in vector.items()} if norm else {}


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def priority_scores(texts: Mapping[str, str], search_terms: Iterable[str], included: Iterable[str]) -> dict[str, float]:
    """Work -> a score in [0, 1]; higher means more like the search terms and the works included so far."""
    documents = {key: Counter(words(text)) for key, text in texts.items()}
    frequency: Counter[str] = Counter()
    for counts in documents.values():
        frequency.update(counts.keys())
    size = len(documents)
    idf = {w: math.log((1 + size) / (1 + n)) + 1 for w, n in frequency.items()}
    vectors = {key: _weights(counts, idf) for key, counts in documents.items()}
    query = _weights(Counter(words(" ".join(search_terms))), idf)
    positives = [vectors[key] for key in included if key in vectors]
    centroid: dict[str, float] = {}
    for vector in positives:
        for w, v in vector.items():
            centroid[w] = centroid.get(w, 0.0) + v
    centroid = _normalised(centroid)
    scores = {}
    for key, vector in vectors.items():
        score = _cosine(vector, query)
        if centroid:
            score = (score + _cosine(vector, centroid)) / 2
        scores[key] = round(score, 6)  # rounded so that ties break the same way on every machine
    return scores


def _normalised(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {w: v / norm for w, v in vector.items()} if norm else {}
