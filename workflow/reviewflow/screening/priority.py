"""Priority order: likely includes first on the worksheets.

Texts are compared as sets of words: lower-cased, stripped of accents and
stop words, cut to their first six letters, so that the search terms'
truncations (``Partner*``, ``Collaborat*``) meet ``partnership`` and
``collaboration``.

- Before the stage has both an included and an excluded work, a work's
  score is its similarity (TF-IDF cosine) to the review's search terms and,
  once there are included works, to their centroid (the mean of the two).
- Once it has both, the score is the probability of inclusion given by a
  naive Bayes model learned from the stage's decisions so far (the search
  terms count as one more included text), the model screening tools such as
  ASReview start with. Ties are broken by the similarity to the search terms,
  then by the canonical order.

The order only helps reviewers meet the relevant works early; it decides
nothing. Scores depend only on the records and decisions, and are rounded,
so the order is the same on every run and every machine.
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


def _normalised(vector: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {w: v / norm for w, v in vector.items()} if norm else {}


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def similarity_scores(documents: Mapping[str, set[str]], query: set[str], included: Iterable[str]) -> dict[str, float]:
    """Work -> mean TF-IDF cosine similarity to the query and to the centroid of the included works."""
    frequency: Counter[str] = Counter(w for found in documents.values() for w in found)
    size = len(documents)
    idf = {w: math.log((1 + size) / (1 + n)) + 1 for w, n in frequency.items()}
    vectors = {key: _normalised({w: idf[w] for w in found}) for key, found in documents.items()}
    target = _normalised({w: idf[w] for w in query if w in idf})
    centroid: dict[str, float] = {}
    for key in included:
        for w, v in vectors.get(key, {}).items():
            centroid[w] = centroid.get(w, 0.0) + v
    centroid = _normalised(centroid)
    scores = {}
    for key, vector in vectors.items():
        score = _cosine(vector, target)
        if centroid:
            score = (score + _cosine(vector, centroid)) / 2
        scores[key] = score
    return scores


def naive_bayes_log_odds(
    documents: Mapping[str, set[str]], included: list[str], excluded: list[str], extra_included: Iterable[set[str]] = ()
) -> dict[str, float]:
    """Work -> log-odds of inclusion under a naive Bayes model (word presence, Laplace smoothing)."""
    positive: Counter[str] = Counter()
    negative: Counter[str] = Counter()
    positives = [documents[k] for k in included if k in documents] + list(extra_included)
    negatives = [documents[k] for k in excluded if k in documents]
    for found in positives:
        positive.update(found)
    for found in negatives:
        negative.update(found)
    vocabulary = set(positive) | set(negative)
    p_total = sum(positive.values()) + len(vocabulary)
    n_total = sum(negative.values()) + len(vocabulary)
    weight = {w: math.log((positive[w] + 1) / p_total) - math.log((negative[w] + 1) / n_total) for w in vocabulary}
    prior = math.log((len(positives) + 1) / (len(negatives) + 1))
    return {key: prior + sum(weight.get(w, 0.0) for w in found) for key, found in documents.items()}


def rank_works(
    texts: Mapping[str, str],
    search_terms: Iterable[str],
    included: Iterable[str],
    excluded: Iterable[str] = (),
) -> tuple[list[str], dict[str, float]]:
    """(every work of ``texts`` in priority order, work -> the score shown on a worksheet, in [0, 1]).

    ``texts`` is given in canonical order, which breaks the remaining ties.
    """
    documents = {key: set(words(text)) for key, text in texts.items()}
    query = set(words(" ".join(search_terms)))
    included, excluded = list(included), list(excluded)
    like_terms = similarity_scores(documents, query, [])
    if not included or not excluded:
        value = similarity_scores(documents, query, included) if included else like_terms
        shown = value
    else:
        value = naive_bayes_log_odds(documents, included, excluded, [query] if query else [])
        shown = {key: 1 / (1 + math.exp(-max(min(v, 700.0), -700.0))) for key, v in value.items()}
    rank = {key: i for i, key in enumerate(texts)}
    # rounded so that ties, and so the order, are the same on every machine
    order = sorted(texts, key=lambda k: (-round(value[k], 6), -round(like_terms[k], 6), rank[k]))
    return order, {key: round(v, 3) for key, v in shown.items()}


def priority_scores(
    texts: Mapping[str, str],
    search_terms: Iterable[str],
    included: Iterable[str],
    excluded: Iterable[str] = (),
) -> dict[str, float]:
    """Work -> the score shown on a worksheet, in [0, 1]; higher means more likely to be included."""
    return rank_works(texts, search_terms, included, excluded)[1]
