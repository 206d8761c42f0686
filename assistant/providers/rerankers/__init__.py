"""Rerankers by name: ``none`` (the default: the rules judge), ``relevance[:<weights
folder>]`` (our own model, issue #24), ``ce:<cross-encoder name or local path>``; more through
the provider registry.

Retrieval fuses dense and lexical rankings; a reranker then reorders the fused top
``JEUGDAKKOORD_RERANK_DEPTH`` by reading question and passage together.

The shipped relevance model falls back to no reranker (the rules judge) when its weights or
torch are missing: :func:`notice` gives the one line saying so, for ``/api/health``, the
Settings tab and ``--json``. A weights folder named explicitly must load.
"""

from __future__ import annotations

import logging
from pathlib import Path

from assistant.core.settings import Settings
from assistant.providers.registry import REGISTRY, Loaded, Provider, register
from assistant.providers.rerankers.base import Reranker, RerankError

__all__ = ["RerankError", "Reranker", "get_reranker", "notice"]

log = logging.getLogger(__name__)
#: Why a reranker spec fell back (the spec as given -> one line), set when it is loaded.
_FALLBACKS: dict[str, str] = {}


def _none(_: str, settings: Settings) -> None:
    return None


def _cross_encoder(model: str, settings: Settings) -> Reranker:
    from assistant.providers.rerankers.cross_encoder import CrossEncoderReranker

    return CrossEncoderReranker(model)


register(Provider("reranker", "none", _none, "no reranking: the rules judge", aliases=("", "off")))
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


def _relevance(folder: str, settings: Settings) -> Reranker | None:
    """The relevance model; the shipped one falls back to None (the rules) when unusable."""
    from assistant.providers.rerankers.relevance import load

    model, status = load(Path(folder) if folder else None, settings.model_dir)
    if model is not None:
        from assistant.providers.rerankers.relevance.reranker import RelevanceReranker

        return RelevanceReranker(model, status)
    if folder:
        raise RerankError(status.message)
    _FALLBACKS["relevance"] = status.message
    log.warning("%s", status.message)
    return None


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


def notice(spec: str, settings: Settings | None = None) -> str:
    """Why ``spec`` runs without its reranker ("" when it runs as asked)."""
    found = REGISTRY.find("reranker", spec.strip())
    if found is None:
        return ""
    get_reranker(spec, settings)
    provider, argument = found
    return _FALLBACKS.get(provider.name, "") if not argument else ""


#: Rerankers by (spec, model folder): each model is loaded once per process.
_LOADED = Loaded(size=2)


def get_reranker(spec: str, settings: Settings | None = None) -> Reranker | None:
    """The reranker named by ``spec`` for ``settings`` (default: the defaults), loaded once
    per process and model folder; None for ``none``."""
    settings = settings or Settings()
    spec = spec.strip()
    found = REGISTRY.find("reranker", spec)
    if found is None:
        raise RerankError(f"unknown reranker {spec!r}; use {REGISTRY.choices('reranker')}")
    provider, argument = found
    reranker: Reranker | None = _LOADED.get(
        (spec, settings.model_dir), lambda: provider.make(argument, settings)
    )
    return reranker
