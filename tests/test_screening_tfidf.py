"""screening/tfidf.py builds the matrices scikit-learn's TfidfVectorizer builds, value for value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from reviewflow.screening import tfidf
from reviewflow.screening.priority import features, similarity_features, words
from reviewflow.screening.tfidf import TermMatrix

TEXTS = [
    "Partnership working and outcomes in health and social care",
    "",
    "Collaboration between agencies: a systematic review of outcomes",
    "Café au lait, naïve Straße; the ﬁnal word-pair and a_b 12ab 3rd",
    "outcomes outcomes outcomes of partnership partnership working",
    "Ab ab ab cd. Zebra apple; apple zebra",
    "整合 医疗 care integrated",
    "x y z",  # no word of two characters
    "Interagency collaboration and the outcomes of joint commissioning",
]
QUERY = "(partnership OR collaboration) AND outcome* AND unheard-of words apple zebra"


def sklearn_vectoriser(pairs: bool) -> TfidfVectorizer:
    if pairs:
        return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode")
    return TfidfVectorizer(analyzer=words, sublinear_tf=True)


def ours(pairs: bool) -> TermMatrix:
    if pairs:
        vectoriser = TfidfVectorizer(strip_accents="unicode")
        preprocess, tokenize = vectoriser.build_preprocessor(), vectoriser.build_tokenizer()
        return TermMatrix(lambda text: tokenize(preprocess(text)), pairs=True)
    return TermMatrix(words, pairs=False)


def assert_same(a: sparse.spmatrix, b: sparse.spmatrix) -> None:
    a, b = sparse.csr_matrix(a), sparse.csr_matrix(b)
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)  # the same columns, stored in the same order
    assert np.array_equal(a.data, b.data)  # bit for bit


@pytest.mark.parametrize("pairs", [True, False])
@pytest.mark.parametrize("chunk", [2, 1000])
def test_same_matrix_and_query_row_as_scikit_learn(monkeypatch: pytest.MonkeyPatch, pairs: bool, chunk: int) -> None:
    monkeypatch.setattr(tfidf, "CHUNK", chunk)  # words numbered over several chunks, or in one
    reference, model = sklearn_vectoriser(pairs), ours(pairs)
    assert_same(reference.fit_transform(TEXTS), model.fit_transform(TEXTS))
    assert_same(reference.transform([QUERY]), model.transform(QUERY))
    assert_same(reference.transform(["nothing known here"]), model.transform("nothing known here"))
    assert model.transform("nothing known here").nnz == 0


def test_no_word_in_any_text_raises_as_scikit_learn_does() -> None:
    with pytest.raises(ValueError):
        sklearn_vectoriser(True).fit_transform(["x y", ""])
    with pytest.raises(ValueError, match="empty vocabulary"):
        ours(True).fit_transform(["x y", ""])
    matrix, row = features(["x y", ""], "partnership")
    assert matrix.shape == (2, 1) and row is None


@pytest.mark.conformance
def test_priority_features_match_scikit_learn_on_a_real_screening_set(shared_fixtures) -> None:
    frame = pd.read_csv(shared_fixtures / "screening" / "cohen2006_Triptans.csv", dtype=str, keep_default_na=False)
    columns = [c for c in ("title", "abstract", "keywords") if c in frame.columns]
    texts = [" ".join(parts) for parts in zip(*(frame[c].tolist() for c in columns), strict=True)]
    query = "triptan* AND (migraine OR headache)"
    matrix, row = features(texts, query)
    reference = sklearn_vectoriser(True)
    assert_same(reference.fit_transform(texts), matrix)
    assert row is not None
    assert_same(reference.transform([query]), row)
    similar, to_query = similarity_features(texts, query)
    reference = sklearn_vectoriser(False)
    expected = reference.fit_transform(texts)
    assert_same(expected, similar)
    assert np.array_equal(to_query, np.asarray((expected @ reference.transform([query]).T).todense()).ravel())


@pytest.mark.parametrize("pairs", [True, False])
def test_words_cut_in_two_forked_processes_give_the_same_matrix(monkeypatch: pytest.MonkeyPatch, pairs: bool) -> None:
    monkeypatch.setattr(tfidf, "CHUNK", 2)
    monkeypatch.setattr(tfidf, "PARALLEL_FROM", 0)
    one, two = ours(pairs), ours(pairs)
    two.workers = 2
    assert_same(one.fit_transform(TEXTS), two.fit_transform(TEXTS))
    assert_same(one.transform(QUERY), two.transform(QUERY))
    assert tfidf._WORK is None  # the texts are not kept after the workers finish
