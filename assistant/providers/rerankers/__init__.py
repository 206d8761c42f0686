"""Rerankers by name: ``none`` (default), ``ce:<cross-encoder name or local path>`` or
``relevance[:<weights folder>]`` (our own model, issue #24); more through the provider registry.

Retrieval fuses dense and lexical rankings; a reranker then reorders the fused top
``JEUGDAKKOORD_RERANK_DEPTH`` by reading question and passage together.
"""

from __future__ import annotations

from functools import lru_cache

from assistant.providers.registry import REGISTRY, Provider, register
from assistant.providers.rerankers.base import Reranker, RerankError

__all__ = ["RerankError", "Reranker", "get_reranker"]


def _none(_: str) -> None:
    return None


def _cross_encoder(model: str) -> Reranker:
    from assistant.providers.rerankers.cross_encoder import CrossEncoderReranker

    return CrossEncoderReranker(model)


register(Provider("reranker", "none", _none, "no reranking (the default)", aliases=("", "off")))
register(
    Provider(
        "reranker",
        "ce",
        _cross_encoder,
        "a cross-encoder reads question and passage together",
        aliases=("cross-encoder",),
        takes_argument=True,
        requires=("sentence_transformers",),
        extra="st",
        needs="a cross-encoder model in a local folder or the Hugging Face cache",
    )
)


def _relevance(folder: str) -> Reranker:
    from assistant.providers.rerankers.relevance.reranker import RelevanceReranker

    return RelevanceReranker(folder)


def _relevance_missing() -> str | None:
    from assistant.providers.rerankers.relevance import check

    _, status = check()
    return None if status.ok else status.message


register(
    Provider(
        "reranker",
        "relevance",
        _relevance,
        "our own relevance model: e5-small's first layers trained here, calibrated probabilities",
        takes_argument=True,
        argument_hint="weights folder",
        default_argument="",
        requires=("torch", "transformers", "safetensors"),
        extra="st",
        needs="",
        check=_relevance_missing,
    )
)


@lru_cache(maxsize=2)
def get_reranker(spec: str) -> Reranker | None:
    """Load (once per process) the reranker named by ``spec``; None for ``none``."""
    spec = spec.strip()
    found = REGISTRY.find("reranker", spec)
    if found is None:
        raise RerankError(f"unknown reranker {spec!r}; use {REGISTRY.choices('reranker')}")
    provider, argument = found
    reranker: Reranker | None = provider.load(argument)
    return reranker
