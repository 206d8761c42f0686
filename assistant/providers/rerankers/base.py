"""The reranker interface: scores (question, passage) pairs jointly, after retrieval.

A cross-encoder reads the question and the passage together, so it can see that "market
forces" and "marktwerking" answer each other where two independent vectors only resemble.
It costs one model pass per candidate, so it only reorders the fused top few.
"""

from __future__ import annotations

from abc import ABC, abstractmethod


class RerankError(RuntimeError):
    """The reranker could not be loaded or used; the message says what to do."""

    kind = "unavailable"  # how the faces report it (core.errors.KINDS)
    code = "rerank_error"  # its message: ``assistant.core.errors.MESSAGES``


class Reranker(ABC):
    """Scores passages for one question; higher is more relevant. Scores are only compared
    within one call."""

    #: Stable identity of the model, shown in timings and evaluation reports.
    model_id: str

    @abstractmethod
    def score(self, query: str, passages: list[str]) -> list[float]:
        """One relevance score per passage, in the passages' order."""

    def query_overflow(self, query: str) -> int:
        """How many tokens of ``query`` the model cuts off (0: it reads all of it)."""
        return 0
