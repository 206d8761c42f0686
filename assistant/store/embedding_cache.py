"""Content-addressed embedding cache: a text is embedded once per model, ever.

Keyed by sha256(model_id + text), like ``llm``'s embeddings collections. Unchanged files
therefore cost nothing on re-ingest, and rebuilding an index generation only re-reads vectors.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.providers.embeddings.base import Embedder

ProgressFn = Callable[[int], None]


def content_hash(model_id: str, text: str) -> str:
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()


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


class CachedEmbedder(Embedder):
    """Wraps an embedder: document vectors come from the cache when the text was seen before."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache, batch_size: int = 16) -> None:
        self.inner = inner
        self.cache = cache
        self.batch_size = batch_size
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.on_batch: ProgressFn | None = None  # called with the number of texts embedded
        self.embedded = 0  # texts actually sent to the model (cache misses)

    def missing(self, texts: list[str]) -> list[str]:
        """Distinct texts that are not in the cache yet."""
        hashes = {content_hash(self.model_id, t): t for t in texts}
        found = self.cache.get_many(list(hashes))
        return [t for h, t in hashes.items() if h not in found]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        hashes = [content_hash(self.model_id, t) for t in texts]
        found = self.cache.get_many(list(dict.fromkeys(hashes)))
        todo = list(dict.fromkeys(t for h, t in zip(hashes, texts, strict=True) if h not in found))
        for i in range(0, len(todo), self.batch_size):
            batch = todo[i : i + self.batch_size]
            vectors = self.inner.embed_documents(batch)
            new = {content_hash(self.model_id, t): v for t, v in zip(batch, vectors, strict=True)}
            self.cache.put_many(new)  # committed per batch: an interrupted ingest keeps its work
            found.update(new)
            self.embedded += len(batch)
            if self.on_batch:
                self.on_batch(len(batch))
        return [found[h] for h in hashes]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)
