"""TF-IDF rows of many texts, the same matrices as scikit-learn's ``TfidfVectorizer`` builds, in numpy.

``TfidfVectorizer`` counts every word and word pair of every text in a Python
loop over a dictionary of all the terms, then sorts that dictionary: at a
million records that loop and the dictionary of tens of millions of word pairs
take minutes and gigabytes. Here the texts are cut into words by the
vectoriser's own preprocessor and tokenizer (so the words are the same), the
words are numbered a chunk of texts at a time with pandas' hash table, a word
pair is a number made of its two words' numbers, and the counts are gathered
by sorting those numbers with numpy.

The result is the matrix ``TfidfVectorizer(ngram_range=(1, 2) or (1, 1),
sublinear_tf=True, ...)`` returns, value for value (tests/test_screening_tfidf.py
compares them):

- columns in its order: terms sorted as Python sorts strings. A pair ``"a b"``
  sorts as the tuple (a, b), with a word alone before every pair it starts,
  because the space is below every character a word can hold; so the column
  order follows from the words' order alone, without building the pairs' strings;
- the entries of a row stored in the order of the terms' first appearance in
  the texts (as scikit-learn leaves them), so that the row norms are summed in
  the same order and come out bit for bit the same;
- the idf, sublinear tf and L2 norm applied by scikit-learn's own ``TfidfTransformer``.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from itertools import chain

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

#: Texts numbered at a time: bounds the Python lists of words held at once.
CHUNK = 20_000
#: Below this many texts the words are always cut in one process (starting workers costs more).
PARALLEL_FROM = 2 * CHUNK

#: What forked workers cut into words: (texts, tokenizer), set just before the workers start.
_WORK: tuple[Sequence[str], Callable[[str], list[str]]] | None = None


def _cut(start: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(words per text, the distinct words, each word's index among them) of the chunk of texts from ``start``."""
    assert _WORK is not None
    texts, tokenize = _WORK
    tokens = [tokenize(text) for text in texts[start : start + CHUNK]]
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    flat = list(chain.from_iterable(tokens))
    del tokens
    if not flat:
        return lengths, np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64)
    codes, uniques = pd.factorize(np.array(flat, dtype=object))
    return lengths, np.asarray(uniques, dtype=object), codes


def _chunks(texts: Sequence[str], tokenize: Callable[[str], list[str]], workers: int) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``_cut`` of every chunk, in order: in ``workers`` forked processes when there are enough texts."""
    global _WORK
    starts = range(0, len(texts), CHUNK)
    _WORK = (texts, tokenize)
    try:
        if workers > 1 and len(texts) >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(min(workers, len(starts))) as pool:
                yield from pool.imap(_cut, starts)
        else:
            yield from map(_cut, starts)
    finally:
        _WORK = None


class TermMatrix:
    """A fitted TF-IDF model over texts: its ``matrix`` (one row per text) and ``transform`` for another text."""

    def __init__(self, tokenize: Callable[[str], list[str]], pairs: bool, workers: int = 1) -> None:
        self.tokenize = tokenize
        self.pairs = pairs
        self.workers = workers  # processes cutting the texts into words (forked; 1: this one)
        self.words: dict[str, int] = {}  # word -> its number (order of first appearance)
        self.rank = np.zeros(0, dtype=np.int64)  # word number -> its place in sorted order
        self.keys = np.zeros(0, dtype=np.int64)  # column -> its term's key, ascending
        self.transformer = TfidfTransformer(sublinear_tf=True)

    def _key_base(self) -> int:
        return len(self.words) + 1

    def _stream(self, numbers: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(text of each term, term key) in the order scikit-learn meets them: a text's words, then its pairs."""
        base = self._key_base()
        ranked = self.rank[numbers]
        text = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        word_keys = ranked * base
        if not self.pairs or len(numbers) < 2:
            return text, word_keys
        same = text[:-1] == text[1:]
        pair_keys = ranked[:-1][same] * base + ranked[1:][same] + 1
        pair_text = text[:-1][same]
        # each text's words, then its pairs: position of a word i of text d = start(d) + pairs before d + i
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        pairs_per_text = np.maximum(lengths - 1, 0)
        pairs_before = np.concatenate([[0], np.cumsum(pairs_per_text)[:-1]])
        word_pos = np.arange(len(numbers)) + pairs_before[text]
        pair_index = np.arange(len(pair_keys)) - pairs_before[pair_text]  # index of the pair within its text
        pair_pos = starts[pair_text] + pairs_before[pair_text] + lengths[pair_text] + pair_index
        size = len(numbers) + len(pair_keys)
        keys = np.empty(size, dtype=np.int64)
        texts = np.empty(size, dtype=np.int64)
        keys[word_pos], texts[word_pos] = word_keys, text
        keys[pair_pos], texts[pair_pos] = pair_keys, pair_text
        return texts, keys

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The TF-IDF rows of ``texts`` (raises ValueError when no text holds a term, as scikit-learn does)."""
        numbers, lengths = [], []
        for length, uniques, codes in _chunks(texts, self.tokenize, self.workers):
            lengths.append(length)
            if not len(uniques):
                continue
            words = self.words
            known = np.fromiter((words.setdefault(u, len(words)) for u in uniques), dtype=np.int64, count=len(uniques))
            numbers.append(known[codes])
        if not self.words:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        vocabulary = np.empty(len(self.words), dtype=object)
        vocabulary[:] = list(self.words)
        self.rank = np.empty(len(self.words), dtype=np.int64)
        self.rank[np.argsort(vocabulary, kind="stable")] = np.arange(len(self.words))
        del vocabulary
        length = np.concatenate(lengths)
        text, keys = self._stream(np.concatenate(numbers) if numbers else np.zeros(0, dtype=np.int64), length)
        del numbers
        # columns numbered by first appearance (pandas' hash table meets them in stream order), as scikit-learn
        # numbers them before it sorts its vocabulary; then each one's place in sorted order
        appearance, met = pd.factorize(keys)
        del keys
        by_appearance = np.argsort(met, kind="stable")  # sorted place -> appearance number
        self.keys = met[by_appearance]
        del met
        sorted_place = np.empty(len(self.keys), dtype=np.int64)
        sorted_place[by_appearance] = np.arange(len(self.keys))
        entry = text * len(self.keys) + appearance
        del appearance, text
        entry, counts = np.unique(entry, return_counts=True)
        rows, seen = np.divmod(entry, len(self.keys))
        del entry
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(texts)))])
        index_type = np.int32 if len(self.keys) < 2**31 and len(counts) < 2**31 else np.int64
        matrix = sparse.csr_matrix(
            (counts.astype(np.float64), sorted_place[seen].astype(index_type), indptr.astype(index_type)),
            shape=(len(texts), len(self.keys)),
        )
        self.transformer.fit(matrix)
        return sparse.csr_matrix(self.transformer.transform(matrix, copy=False))

    def transform(self, text: str) -> sparse.csr_matrix:
        """One row for a further text: its terms found among the fitted texts' (a text with none: an empty row)."""
        tokens = self.tokenize(text)
        numbers = np.array([self.words.get(t, -1) for t in tokens], dtype=np.int64)
        base = self._key_base()
        known = numbers >= 0
        ranked = np.where(known, self.rank[np.where(known, numbers, 0)], -1)
        keys = [ranked[known] * base]
        if self.pairs and len(numbers) > 1:
            both = known[:-1] & known[1:]
            keys.append(ranked[:-1][both] * base + ranked[1:][both] + 1)
        found = np.concatenate(keys)
        place = np.searchsorted(self.keys, found)
        place = place[(place < len(self.keys)) & (self.keys[np.minimum(place, len(self.keys) - 1)] == found)]
        columns, counts = np.unique(place, return_counts=True)
        row = sparse.csr_matrix(
            (counts.astype(np.float64), columns.astype(np.int32), np.array([0, len(columns)], dtype=np.int32)),
            shape=(1, len(self.keys)),
        )
        return sparse.csr_matrix(self.transformer.transform(row, copy=False))
