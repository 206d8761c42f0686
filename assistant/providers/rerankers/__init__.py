"""Rerankers by name: ``none`` (default) or ``ce:<cross-encoder name or local path>``.

Retrieval fuses dense and lexical rankings; a reranker then reorders the fused top
``JEUGDAKKOORD_RERANK_DEPTH`` by reading question and passage together.
"""

from __future__ import annotations

from functools import lru_cache

from assistant.providers.rerankers.base import Reranker, RerankError

__all__ = ["RerankError", "Reranker", "get_reranker"]


@lru_cache(maxsize=2)
def get_reranker(spec: str) -> Reranker | None:
    """Load (once per process) the reranker named by ``spec``; None for ``none``."""
    spec = spec.strip()
    if spec.lower() in ("", "none", "off"):
        return None
    if spec.startswith(("ce:", "cross-encoder:")):
        from assistant.providers.rerankers.cross_encoder import CrossEncoderReranker

        return CrossEncoderReranker(spec.split(":", 1)[1])
    raise RerankError(f"unknown reranker {spec!r}; use 'none' or 'ce:<model name or path>'")
