"""The corpus vocabulary a question's concepts are judged against, built once per index
generation: token rarity, the words that hold a stem as a compound part (found by bisection
in sorted word lists, not by scanning the vocabulary per question word, which grows with the
corpus), and the phrases (adjacent word pairs) the passages use, with their rarity."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

from assistant.core.words import word_pairs


class Vocabulary(Mapping[str, float]):
    """idf per stem (a read-only mapping, as :func:`inverse_document_frequency` gives), plus
    compound and phrase look-ups. ``texts`` (the passages) give the phrases; without them the
    vocabulary knows no phrases."""

    def __init__(self, idf: Mapping[str, float], texts: Iterable[str] = ()) -> None:
        self._idf = dict(idf)
        self._forward = sorted(self._idf)
        self._backward = sorted(w[::-1] for w in self._idf)
        pairs: Counter[str] = Counter()
        n = 0
        for text in texts:
            pairs.update(set(word_pairs(text)))
            n += 1
        self._pairs = pairs
        self._passages = n

    @classmethod
    def of(cls, idf: Mapping[str, float]) -> Vocabulary:
        """``idf`` itself when it is a vocabulary, else one built from it (no phrases)."""
        return idf if isinstance(idf, Vocabulary) else cls(idf)

    def __getitem__(self, stem: str) -> float:
        return self._idf[stem]

    def __iter__(self) -> Iterator[str]:
        return iter(self._idf)

    def __len__(self) -> int:
        return len(self._idf)

    def __contains__(self, stem: object) -> bool:
        return stem in self._idf

    def holding(self, stem: str, rest: int) -> list[str]:
        """Words that begin or end with ``stem`` and have at least ``rest`` more letters: the
        compounds it is a part of ("jeugdbescherm" in "jeugdbeschermingsketen")."""
        out = _with_prefix(self._forward, stem)
        out += [w[::-1] for w in _with_prefix(self._backward, stem[::-1])]
        return [w for w in out if len(w) >= len(stem) + rest]

    def phrase_weight(self, pair: str) -> float | None:
        """The rarity of a phrase ("passend onderwijs", stems) over the passages, as idf; None
        when no passage uses it."""
        df = self._pairs.get(pair, 0)
        if not df:
            return None
        return math.log((self._passages + 1) / (df + 0.5))


def _with_prefix(words: list[str], prefix: str) -> list[str]:
    out: list[str] = []
    i = bisect_left(words, prefix)
    while i < len(words) and words[i].startswith(prefix):
        out.append(words[i])
        i += 1
    return out
