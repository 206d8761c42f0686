"""Ingest batches texts of similar length: a batching engine pads each text to its batch's
longest, so mixing one 512-token chunk with short sentences multiplied the work."""

from __future__ import annotations

from pathlib import Path

from assistant.providers.embeddings.base import Embedder
from assistant.providers.embeddings.e5_small import _passes
from assistant.store.embedding_cache import CachedEmbedder, EmbeddingCache


class _Recording(Embedder):
    model_id = name = "recording"
    dim = 2
    window_tokens = 10_000

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def count_tokens(self, text: str) -> int:
        return len(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.batches.append(list(texts))
        return [[float(len(t)), 1.0] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return [0.0, 1.0]


def test_cache_misses_are_embedded_in_length_order_and_returned_in_input_order(
    tmp_path: Path,
) -> None:
    texts = ["x" * n for n in (300, 5, 120, 7, 299, 6, 121, 8)]
    inner = _Recording()
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    try:
        vectors = CachedEmbedder(inner, cache, batch_chars=240).embed_documents(texts)
    finally:
        cache.close()
    # ~240 characters a batch: the short ones together, each long one alone.
    assert [[len(t) for t in b] for b in inner.batches] == [
        [5, 6, 7, 8, 120, 121],
        [299],
        [300],
    ]
    assert [v[0] for v in vectors] == [float(len(t)) for t in texts]


def _window(n: int) -> tuple[int, list[int]]:
    return (n, list(range(n)))


def test_passes_keep_padded_tokens_within_the_budget_and_every_window_once() -> None:
    windows = [_window(n) for n in sorted([3, 3, 4, 10, 30, 30, 100, 510, 510])]
    passes = _passes(windows, budget=200)
    assert [w for p in passes for w in p] == windows  # order kept, nothing lost or repeated
    for p in passes:
        longest = max(len(ids) for _, ids in p) + 2
        assert longest * len(p) <= 200 or len(p) == 1
    assert len(passes[0]) > 1  # short windows share a pass
    assert [len(p) for p in passes[-2:]] == [1, 1]  # a full window alone exceeds the budget


def test_no_windows_make_no_passes() -> None:
    assert _passes([]) == []
