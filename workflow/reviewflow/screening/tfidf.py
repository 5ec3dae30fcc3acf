"""TF-IDF rows of many texts, the same matrices as scikit-learn's ``TfidfVectorizer`` builds, in numpy.

``TfidfVectorizer`` counts every word and word pair of every text in a Python
loop over a dictionary of all the terms, then sorts that dictionary: at a
million records that loop and the dictionary of tens of millions of word pairs
take minutes and gigabytes. Here the texts are cut into words by the
vectoriser's own preprocessor and tokenizer (so the words are the same), the
words are numbered a chunk of texts at a time with pandas' hash table (the
cutting done in forked worker processes if asked), a word pair is a number
made of its two words' numbers, each chunk's terms are counted per text with
numpy and numbered across chunks in order of first appearance, and only the
matrix's entries are kept.

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
- the idf, sublinear tf and L2 norm computed as scikit-learn's ``TfidfTransformer`` does, with the same
  operations in the same order, in place and a slice at a time (its own makes temporaries as large as the matrix).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from itertools import chain

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.preprocessing import normalize

#: Texts numbered at a time: bounds the Python lists of words held at once.
CHUNK = 20_000
#: Entries of a matrix rewritten at a time (bounds the temporaries).
SLICE = 1 << 22
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
        self.idf = np.zeros(0)  # each column's idf, as TfidfTransformer(smooth_idf=True) computes it

    def _key_base(self) -> int:
        return len(self.words) + 1

    def _chunk_entries(self, numbers: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """A chunk's terms, each once per text, in the order scikit-learn meets them (a text's words, then its pairs).

        Returns (terms per text, term keys in order of first appearance in the chunk, the entries' index among
        those keys, the entries' counts). A term's key is made of its words' numbers: word n is ``n << 32``, the
        pair (m, n) is ``m << 32 | n + 1``.
        """
        text = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        keys = numbers << 32
        if self.pairs and len(numbers) > 1:
            same = text[:-1] == text[1:]
            pair_keys = keys[:-1][same] + numbers[1:][same] + 1
            pair_text = text[:-1][same]
            # each text's words, then its pairs: word i of text d goes to i + (pairs of the texts before d)
            pairs_before = np.concatenate([[0], np.cumsum(np.maximum(lengths - 1, 0))[:-1]])
            word_pos = np.arange(len(numbers)) + pairs_before[text]
            # pair j of text d goes to (words and pairs before d) + (words of d) + (j - pairs before d)
            pair_pos = np.arange(len(pair_keys)) + np.cumsum(lengths)[pair_text]
            stream = np.empty(len(numbers) + len(pair_keys), dtype=np.int64)
            stream_text = np.empty(len(stream), dtype=np.int64)
            stream[word_pos], stream_text[word_pos] = keys, text
            stream[pair_pos], stream_text[pair_pos] = pair_keys, pair_text
            keys, text = stream, stream_text
            del stream, stream_text, pair_keys, pair_text, word_pos, pair_pos
        code, met = pd.factorize(keys)
        entry, first = pd.factorize(text * len(met) + code)  # (text, term) in order of first appearance
        counts = np.bincount(entry, minlength=len(first))
        per_text = np.bincount(first // len(met), minlength=len(lengths))
        return per_text, met, first % len(met), counts

    def _number_terms(self, met: np.ndarray) -> np.ndarray:
        """The column numbers (order of first appearance over all texts so far) of a chunk's terms, new ones added."""
        place = np.searchsorted(self._known, met)
        found = place < len(self._known)
        found[found] = self._known[place[found]] == met[found]
        numbers = np.empty(len(met), dtype=np.int64)
        numbers[found] = self._known_numbers[place[found]]
        new = ~found
        numbers[new] = self._terms + np.arange(int(new.sum()))
        self._terms += int(new.sum())
        order = np.argsort(met[new], kind="stable")
        where = np.searchsorted(self._known, met[new][order])
        self._known = np.insert(self._known, where, met[new][order])
        self._known_numbers = np.insert(self._known_numbers, where, numbers[new][order])
        return numbers

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The TF-IDF rows of ``texts`` (raises ValueError when no text holds a term, as scikit-learn does).

        A chunk of texts at a time: the words are numbered, the chunk's terms
        counted per text and numbered in order of first appearance, so that
        only the entries of the matrix are kept, never one per word of the texts.
        """
        self._known = np.zeros(0, dtype=np.int64)  # term keys seen so far, ascending
        self._known_numbers = np.zeros(0, dtype=np.int64)  # their column numbers (first appearance)
        self._terms = 0
        per_text, columns, counts = [], [], []
        for length, uniques, codes in _chunks(texts, self.tokenize, self.workers):
            if not len(uniques):
                per_text.append(np.zeros(len(length), dtype=np.int64))
                continue
            words = self.words
            known = np.fromiter((words.setdefault(u, len(words)) for u in uniques), dtype=np.int64, count=len(uniques))
            chunk_per_text, met, term, count = self._chunk_entries(known[codes], length)
            del codes, known
            per_text.append(chunk_per_text)
            columns.append(self._number_terms(met)[term].astype(np.int32 if self._terms < 2**31 else np.int64))
            counts.append(count.astype(np.int32))
        if not self.words:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        vocabulary = np.empty(len(self.words), dtype=object)
        vocabulary[:] = list(self.words)
        self.rank = np.empty(len(self.words), dtype=np.int64)
        self.rank[np.argsort(vocabulary, kind="stable")] = np.arange(len(self.words))
        del vocabulary
        # the terms' keys in sorted order: a pair (a, b) sorts as the tuple of its words' places
        key = np.empty(self._terms, dtype=np.int64)
        key[self._known_numbers] = self._known
        del self._known, self._known_numbers
        first, second = key >> 32, key & 0xFFFFFFFF
        ranked = self.rank[first] * self._key_base() + np.where(second > 0, self.rank[np.maximum(second - 1, 0)] + 1, 0)
        del key, first, second
        by_key = np.argsort(ranked, kind="stable")
        self.keys = ranked[by_key]
        sorted_place = np.empty(self._terms, dtype=np.int64)
        sorted_place[by_key] = np.arange(self._terms)
        del ranked, by_key
        indptr = np.concatenate([[0], np.cumsum(np.concatenate(per_text))])
        size = int(indptr[-1])
        index_type = np.int32 if self._terms < 2**31 and size < 2**31 else np.int64
        indices, data = np.empty(size, dtype=index_type), np.empty(size, dtype=np.float64)
        done = 0
        while columns:  # each chunk's entries moved into the matrix's arrays, and let go
            part, count = columns.pop(0), counts.pop(0)
            indices[done : done + len(part)], data[done : done + len(part)] = part, count
            done += len(part)
        matrix = sparse.csr_matrix((data, indices, indptr.astype(index_type)), shape=(len(texts), self._terms))
        matrix.sort_indices()  # within a text: in order of first appearance, as scikit-learn stores them
        indices, place = matrix.indices, sorted_place.astype(index_type)
        for start in range(0, len(indices), SLICE):  # in place, a slice at a time
            indices[start : start + SLICE] = place[indices[start : start + SLICE]]
        matrix = sparse.csr_matrix((matrix.data, indices, matrix.indptr), shape=matrix.shape)
        self.idf = self._idf(matrix)
        return self._weigh(matrix)

    @staticmethod
    def _idf(matrix: sparse.csr_matrix) -> np.ndarray:
        """The smoothed idf, computed as ``TfidfTransformer.fit`` does, the document frequencies a slice at a time."""
        df = np.zeros(matrix.shape[1], dtype=np.int64)
        for start in range(0, len(matrix.indices), SLICE):
            df += np.bincount(matrix.indices[start : start + SLICE], minlength=matrix.shape[1])
        df = df.astype(np.float64)
        df += 1.0
        idf = np.full_like(df, fill_value=matrix.shape[0] + 1, dtype=np.float64)
        idf /= df
        np.log(idf, out=idf)
        idf += 1.0
        return idf

    def _weigh(self, matrix: sparse.csr_matrix) -> sparse.csr_matrix:
        """``TfidfTransformer(sublinear_tf=True).transform(matrix, copy=False)``: the same operations in place, a slice at a time.

        (scikit-learn multiplies by the idf through a temporary array as large as the matrix's values.)
        """
        data, idf = matrix.data, self.idf
        np.log(data, out=data)
        data += 1.0
        for start in range(0, len(data), SLICE):
            part = slice(start, start + SLICE)
            data[part] *= idf[matrix.indices[part]]
        return sparse.csr_matrix(normalize(matrix, norm="l2", copy=False))

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
        return self._weigh(row)
