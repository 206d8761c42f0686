"""Content-addressed embedding cache: a text is embedded once per model, ever.

Keyed by sha256(model_id + text), like ``llm``'s embeddings collections. Unchanged files
therefore cost nothing on re-ingest, and rebuilding an index generation only re-reads vectors.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from assistant.providers.embeddings.base import Embedder

ProgressFn = Callable[[int], None]


def content_hash(model_id: str, text: str) -> str:
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()


def window_hash(embedder: Embedder, text: str) -> str:
    """The cache key of a passage: of the text itself when it surely fits the model's window;
    else of the text *as cut to the window* (a key of its own, so that vectors cached before
    passages were cut are never taken for a cut passage's vector)."""
    if embedder.surely_fits(text):
        return content_hash(embedder.model_id, text)
    return content_hash(f"{embedder.model_id}|window:{embedder.window_tokens}", text)


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embeddings (hash TEXT PRIMARY KEY, vector BLOB NOT NULL)"
        )
        self._lock = threading.Lock()

    def get_many(self, hashes: list[str]) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        with self._lock:
            for i in range(0, len(hashes), 500):
                part = hashes[i : i + 500]
                marks = ",".join("?" * len(part))
                q = f"SELECT hash, vector FROM embeddings WHERE hash IN ({marks})"
                for h, blob in self._db.execute(q, part):
                    out[h] = np.frombuffer(blob, dtype=np.float32).tolist()
        return out

    def put_many(self, items: dict[str, list[float]]) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO embeddings VALUES (?, ?)",
                [(h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items.items()],
            )

    def close(self) -> None:
        self._db.close()


def batches_of_chars(texts: list[str], budget: int) -> Iterator[list[str]]:
    """Consecutive runs of ``texts`` holding about ``budget`` characters each (at least one
    text). Measured in text rather than in passages: batches of 64 passages gave a batching
    engine passes of 64 short sentences, and e5-small:bf16 ingested the corpus 1.5x slower
    than with batches of ~16,000 tokens (``python -m evals.bench``)."""
    batch: list[str] = []
    size = 0
    for text in texts:
        batch.append(text)
        size += len(text)
        if size >= budget:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


class CachedEmbedder(Embedder):
    """Wraps an embedder: document vectors come from the cache when the text was seen before."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache, batch_chars: int = 64_000) -> None:
        self.inner = inner
        self.cache = cache
        self.batch_chars = batch_chars
        self.model_id = inner.model_id
        self.name = inner.name
        self.dim = inner.dim
        self.window_tokens = inner.window_tokens
        self.on_batch: ProgressFn | None = None  # called with the number of texts embedded
        self.embedded = 0  # texts actually sent to the model (cache misses)
        #: Texts embedded in this run that were longer than the window (cut to fit).
        self.cut: list[str] = []

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def missing(self, texts: list[str]) -> list[str]:
        """Distinct texts that are not in the cache yet."""
        hashes = {window_hash(self.inner, t): t for t in texts}
        found = self.cache.get_many(list(hashes))
        return [t for h, t in hashes.items() if h not in found]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        hashes = [window_hash(self.inner, t) for t in texts]
        found = self.cache.get_many(list(dict.fromkeys(hashes)))
        todo = list(dict.fromkeys(t for h, t in zip(hashes, texts, strict=True) if h not in found))
        # Batches of similar length: a batching engine pads every text to its batch's longest,
        # so one long chunk among short sentences made ingest ~4x slower (``make bench``).
        todo.sort(key=len)
        for batch in batches_of_chars(todo, self.batch_chars):
            fitted = [self.inner.fit(t) for t in batch]
            self.cut.extend(t for t, f in zip(batch, fitted, strict=True) if f != t)
            vectors = self.inner.embed_documents(fitted)
            new = {window_hash(self.inner, t): v for t, v in zip(batch, vectors, strict=True)}
            self.cache.put_many(new)  # committed per batch: an interrupted ingest keeps its work
            found.update(new)
            self.embedded += len(batch)
            if self.on_batch:
                self.on_batch(len(batch))
        return [found[h] for h in hashes]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)
