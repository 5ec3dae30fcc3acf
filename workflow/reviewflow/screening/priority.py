"""Priority order: likely includes first on the worksheets.

The model is scikit-learn's, chosen by simulation (``reviewflow simulate``, see
docs/screening.md for the figures):

- Features: TF-IDF of word unigrams and bigrams with sublinear term frequency
  (``1 + log tf``), accents stripped, over the title, abstract and keywords.
- Once the stage has both an included and an excluded work, the score is the
  decision value of a linear support vector machine (``LinearSVC``, squared
  hinge loss, C = 0.11) trained with balanced sample weights (the included
  works weighted up so that both classes weigh nearly the same, ratio 9.8):
  the recipe of ASReview's default model since 2.0 ("ELAS u4"). The search
  terms count as one more included text. The worksheet shows it squashed
  into [0, 1] by the logistic function (above 0.5: more like the included).
- Before that, a work's score is its similarity (TF-IDF cosine) to the
  review's search terms and, once there are included works, to their centroid
  (the mean of the two). Here words are cut to their first six letters, so
  that the search terms' truncations (``Partner*``, ``Collaborat*``) meet
  ``partnership`` and ``collaboration``.

Ties are broken by the similarity to the search terms, then by the canonical
order. The order only helps reviewers meet the relevant works early; it
decides nothing. Scores depend only on the records and decisions (the
learner is seeded) and are rounded, so the order is the same on every run and
every machine.

The candidates compared (``CANDIDATES``) stay available to the simulation.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import MultinomialNB
from sklearn.svm import LinearSVC

from .tfidf import TermMatrix

#: Words too common to tell works apart, and the search syntax of the databases (for the similarity to the search terms).
STOPWORDS = frozenset(
    """a about after all also an and any are as at be been between but by can do does for from had has have how in
    into is it its may more most near not of on or other over same such than that the their them then there these
    they this those through to under using was we were what when where which while who why will with within without
    yet""".split()
)
STEM = 6
#: The learner's seed (liblinear shuffles): fixed, so that scores are the same on every run.
SEED = 535
#: Decimals the scores are rounded to before ordering.
DECIMALS = 6


def words(text: str) -> list[str]:
    """The text's words as compared with the search terms: lower case, no accents, no stop words, cut to six letters."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [w[:STEM] for w in re.findall(r"[a-z][a-z0-9]+", plain) if w not in STOPWORDS and len(w) > 2]


def features(texts: Sequence[str], query: str = "", workers: int = 1) -> tuple[sparse.csr_matrix, sparse.csr_matrix | None]:
    """(the TF-IDF matrix the classifier learns from, the query's row or None when it has no known word).

    Word 1- and 2-grams, sublinear tf, one L2-normalised row per text;
    the texts are cut into words in ``workers`` processes.
    """
    vectoriser = TfidfVectorizer(strip_accents="unicode")  # its words: lower case, accents stripped, 2+ word characters
    preprocess, tokenize = vectoriser.build_preprocessor(), vectoriser.build_tokenizer()
    model = TermMatrix(lambda text: tokenize(preprocess(text)), pairs=True, workers=workers)
    try:
        matrix = model.fit_transform(texts)
    except ValueError:  # no text holds a word
        return sparse.csr_matrix((len(texts), 1)), None
    row = model.transform(query) if query.strip() else None
    return matrix, row if row is not None and row.nnz else None


def balanced_weights(labels: np.ndarray, ratio: float) -> np.ndarray:
    """Sample weights giving the excluded works ``ratio`` times the weight of the included ones, in all (mean weight 1)."""
    positives, negatives = int(labels.sum()), int(len(labels) - labels.sum())
    weights = np.where(labels == 1, 1.0, positives / (ratio * negatives) if negatives else 1.0)
    return weights * (len(labels) / weights.sum())


def _svm(x: sparse.csr_matrix, y: np.ndarray, c: float, ratio: float | None) -> Callable[[sparse.csr_matrix], np.ndarray]:
    if ratio is None:
        model = LinearSVC(C=c, class_weight="balanced", random_state=SEED)
        model.fit(x, y)
    else:
        model = LinearSVC(C=c, loss="squared_hinge", random_state=SEED)
        model.fit(x, y, sample_weight=balanced_weights(y, ratio))
    return model.decision_function


def _logistic(x: sparse.csr_matrix, y: np.ndarray) -> Callable[[sparse.csr_matrix], np.ndarray]:
    model = LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear", dual=True, random_state=SEED)
    model.fit(x, y)
    return model.decision_function


def _naive_bayes(x: sparse.csr_matrix, y: np.ndarray) -> Callable[[sparse.csr_matrix], np.ndarray]:
    model = MultinomialNB(alpha=1.0)
    model.fit(x, y, sample_weight=balanced_weights(y, 1.0))
    return lambda rows: model.predict_log_proba(rows) @ np.array([-1.0, 1.0])


#: name -> learner(features, labels) -> decision function (higher: more likely included).
CANDIDATES: dict[str, Callable[[sparse.csr_matrix, np.ndarray], Callable[[sparse.csr_matrix], np.ndarray]]] = {
    "svm-elas": lambda x, y: _svm(x, y, 0.11, 9.8),  # ASReview 2.x/3.x default (ELAS u4)
    "svm": lambda x, y: _svm(x, y, 1.0, None),  # scikit-learn defaults, class_weight="balanced"
    "logistic": _logistic,
    "naive-bayes": _naive_bayes,
}
#: The model the worksheets use.
MODEL = "svm-elas"


def learned_scores(
    matrix: sparse.csr_matrix,
    included: Sequence[int],
    excluded: Sequence[int],
    extra_included: sparse.csr_matrix | None = None,
    model: str = MODEL,
) -> np.ndarray:
    """Each row's decision value from a model trained on the rows ``included`` (1) and ``excluded`` (0), rounded."""
    rows = list(included) + list(excluded)
    x = matrix[rows]
    y = np.array([1] * len(included) + [0] * len(excluded))
    if extra_included is not None and extra_included.shape[0]:
        x = sparse.vstack([x, extra_included]).tocsr()
        y = np.concatenate([y, np.ones(extra_included.shape[0], dtype=int)])
    decide = CANDIDATES[model](x, y)
    return np.round(np.asarray(decide(matrix), dtype=np.float64), DECIMALS)


def similarity_features(texts: Sequence[str], query: str, workers: int = 1) -> tuple[sparse.csr_matrix, np.ndarray]:
    """(TF-IDF rows of the texts' six-letter words, each text's cosine similarity to the query)."""
    model = TermMatrix(words, pairs=False, workers=workers)
    try:
        matrix = model.fit_transform(texts)
    except ValueError:  # no text holds a word
        return sparse.csr_matrix((len(texts), 1)), np.zeros(len(texts))
    return matrix, np.asarray((matrix @ model.transform(query).T).todense()).ravel()


def similarity_scores(matrix: sparse.csr_matrix, to_query: np.ndarray, included: Sequence[int]) -> np.ndarray:
    """Each text's similarity to the query, averaged with that to the included texts' centroid if any; rounded."""
    score = to_query
    if len(included):
        centroid = np.asarray(matrix[list(included)].sum(axis=0)).ravel()
        norm = np.linalg.norm(centroid)
        if norm:
            score = (score + matrix @ (centroid / norm)) / 2
    return np.round(score, DECIMALS)


#: The features of the last texts ranked (a screening page re-ranks the same works after every decision).
_FEATURES: dict[str, tuple[sparse.csr_matrix, sparse.csr_matrix | None, sparse.csr_matrix, np.ndarray]] = {}


def _features_of(body: list[str], query: str, workers: int = 1) -> tuple[sparse.csr_matrix, sparse.csr_matrix | None, sparse.csr_matrix, np.ndarray]:
    digest = hashlib.sha256()
    for text in body:
        digest.update(text.encode("utf-8", "surrogatepass") + b"\x1f")
    digest.update(b"\x1e" + query.encode("utf-8", "surrogatepass"))
    key = digest.hexdigest()
    if key not in _FEATURES:
        _FEATURES.clear()  # one set of texts at a time: the memory of one matrix, never more
        _FEATURES[key] = (*features(body, query, workers), *similarity_features(body, query, workers))
    return _FEATURES[key]


def rank_works(
    texts: Mapping[str, str],
    search_terms: Iterable[str],
    included: Iterable[str],
    excluded: Iterable[str] = (),
    *,
    workers: int = 1,
) -> tuple[list[str], dict[str, float]]:
    """(every work of ``texts`` in priority order, work -> the score shown on a worksheet, in [0, 1]).

    ``texts`` is given in canonical order, which breaks the remaining ties;
    ``included``/``excluded`` are the works decided so far (others are ignored).
    The features of the texts are kept between calls with the same texts, so
    that re-ranking after new decisions only re-trains the model; building
    them cuts the texts into words in ``workers`` processes (forked: the
    pipeline's screen step gives its threads, a screening page leaves it at 1).
    """
    keys = list(texts)
    if not keys:
        return [], {}
    body = [texts[k] for k in keys]
    index = {k: i for i, k in enumerate(keys)}
    query = " ".join(search_terms)
    included = list(dict.fromkeys(included))
    inc = [index[k] for k in included if k in index]
    taken = set(included)
    exc = [index[k] for k in dict.fromkeys(excluded) if k in index and k not in taken]
    matrix, terms, similar, to_query = _features_of(body, query, workers)
    like_terms = np.round(to_query, DECIMALS)
    if not inc or not exc:
        value = similarity_scores(similar, to_query, inc) if inc else like_terms
        shown = value
    else:
        value = learned_scores(matrix, inc, exc, terms)
        shown = 1 / (1 + np.exp(-np.clip(value, -700, 700)))
    order = np.lexsort((np.arange(len(keys)), -like_terms, -value))
    return [keys[i] for i in order], {k: round(float(v), 3) for k, v in zip(keys, shown, strict=True)}


def priority_scores(
    texts: Mapping[str, str],
    search_terms: Iterable[str],
    included: Iterable[str],
    excluded: Iterable[str] = (),
) -> dict[str, float]:
    """Work -> the score shown on a worksheet, in [0, 1]; higher means more likely to be included."""
    return rank_works(texts, search_terms, included, excluded)[1]

