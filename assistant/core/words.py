"""Dutch words as every layer reads them: folded, stop words out, Snowball-stemmed; adjacent
content-word pairs (phrases); the share of a question's words a text holds. Below the index and
the answer path alike, so the question and the passages are read by one function."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from assistant.core.vocabulary import fold
from assistant.core.wordlists import QUESTION_FRAME

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("dutch")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN

    return frozenset(STOPWORDS_DUTCH) | frozenset(STOPWORDS_EN) | QUESTION_FRAME


def tokenize(text: str) -> list[str]:
    """Folded, stop-word-free, Dutch-stemmed tokens; hyphenated compounds also split."""
    return list(_stemmer().stemWords(_content(text)))


def _content(text: str) -> list[str]:
    stop = _stopwords()
    return [t for t in _TOKEN.findall(fold(text)) if t not in stop and (len(t) > 1 or t.isdigit())]


def tokenize_words(words: Sequence[str]) -> list[tuple[str, ...]]:
    """:func:`tokenize` of each word, in one stemming pass: a question read once."""
    raw = [_content(w) for w in words]
    stems = iter(_stemmer().stemWords([t for r in raw for t in r]))
    return [tuple(next(stems) for _ in r) for r in raw]


def stem(word: str) -> str:
    """One word's folded Dutch stem, stop word or not."""
    return str(_stemmer().stemWord(fold(word)))


#: Punctuation that ends a run of adjacent words: "jeugdzorg, onderwijs" is no phrase.
_CLAUSE_BREAK = re.compile(r"[^\w\s-]+")


def word_pairs(text: str) -> list[str]:
    """Adjacent content words of ``text`` as "stem stem" ("passend onderwijs"): the phrases it
    uses. A stop word or punctuation between two words breaks the pair."""
    return [stems for _, stems in phrases(text)]


def phrases(text: str) -> list[tuple[str, str]]:
    """:func:`word_pairs` with the (folded) words of each pair: ("passend onderwijs", stems)."""
    stop = _stopwords()
    out: list[tuple[str, str]] = []
    for clause in _CLAUSE_BREAK.split(fold(text)):
        words = _TOKEN.findall(clause)
        content = [w for w in words if w not in stop and not w.isdigit() and len(w) > 1]
        stems = iter(_stemmer().stemWords(content))
        prev: tuple[str, str] | None = None
        for w in words:
            if w in stop or w.isdigit() or len(w) <= 1:
                prev = None
                continue
            current = (w, next(stems))
            if prev is not None:
                out.append((f"{prev[0]} {w}", f"{prev[1]} {current[1]}"))
            prev = current
    return out


def token_overlap(
    query_tokens: set[str], text: str, idf: Mapping[str, float] | None = None
) -> float:
    """Share of the question's words found in ``text``, rare words weighing more."""
    if not query_tokens:
        return 0.0
    toks = set(tokenize(text))

    def weight(token: str) -> float:
        return idf.get(token, 0.0) if idf is not None else 1.0

    total = sum(weight(t) for t in query_tokens)
    return sum(weight(t) for t in query_tokens & toks) / total if total else 0.0
