"""Lexical retrieval: BM25 (``bm25s``) over Dutch-stemmed tokens, persisted per index generation."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.words import tokenize


def inverse_document_frequency(texts: Iterable[str]) -> dict[str, float]:
    """log(N / df) per token, so that 'jeugdzorg' in a youth-care corpus counts for little."""
    return idf_of_tokens(tokenize(text) for text in texts)


def idf_of_tokens(documents: Iterable[Iterable[str]]) -> dict[str, float]:
    """:func:`inverse_document_frequency` of already tokenized texts (ingest tokenizes once)."""
    df: Counter[str] = Counter()
    n = 0
    for tokens in documents:
        df.update(set(tokens))
        n += 1
    n = max(n, 1)
    return {t: math.log((n + 1) / (d + 0.5)) for t, d in df.items()}


class LexicalIndex:
    """BM25 over chunk texts; ``ids[i]`` is the chunk id of document ``i``."""

    def __init__(self, retriever: Any, ids: list[str]) -> None:
        """``retriever`` is None for an index of no documents (bm25s cannot build one)."""
        self._retriever = retriever
        self.ids = ids

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> LexicalIndex:
        return cls.from_tokens(ids, [tokenize(t) for t in texts])

    @classmethod
    def from_tokens(cls, ids: list[str], tokens: list[list[str]]) -> LexicalIndex:
        """:meth:`build` from already tokenized texts (ingest tokenizes once)."""
        import bm25s

        if not ids:
            return cls(None, [])
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.index([t or ["_empty_"] for t in tokens], show_progress=False)
        return cls(retriever, list(ids))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self._retriever is not None:
            self._retriever.save(str(folder))
        (folder / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        if not ids:
            return cls(None, [])
        retriever = bm25s.BM25.load(str(folder), mmap=False)
        return cls(retriever, ids)

    def search(
        self, tokens: list[str], k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        """Top ``k`` (chunk id, score) with score > 0; ``allowed`` is a boolean mask filter."""
        if not tokens or not self.ids:
            return []
        vocab = self._retriever.vocab_dict
        known = [t for t in tokens if t in vocab]
        if not known:
            return []
        scores = np.asarray(self._retriever.get_scores(known), dtype=np.float32)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
