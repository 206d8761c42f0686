"""The embedding-provider interface: a LangChain ``Embeddings`` that knows its identity."""

from __future__ import annotations

from abc import ABC, abstractmethod

from langchain_core.embeddings import Embeddings


class EmbeddingError(RuntimeError):
    """The model could not be loaded or used; the message says what to do."""


class Embedder(Embeddings, ABC):
    """A text embedding model. ``model_id`` is recorded in the index to refuse mixed models."""

    #: Stable identity of the model (name, variant, version); part of every cache key.
    model_id: str
    dim: int

    @abstractmethod
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (document side)."""

    @abstractmethod
    def embed_query(self, text: str) -> list[float]:
        """Embed a search query (query side; some models prefix it differently)."""

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several queries at once (models that batch them override this)."""
        return [self.embed_query(t) for t in texts]
