"""The vector-store interface: named collections of (id, text, metadata, vector) records.

An index generation lives in its own collection, so a new generation is written beside the
one readers use and swapped in atomically (see :mod:`assistant.store.index`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from langchain_core.embeddings import Embeddings


class StoreError(RuntimeError):
    """The vector store is unreachable or refused an operation; the message says which."""

    kind = "unavailable"  # how the faces report it (core.errors.KINDS)
    code = "store_error"  # its message: ``assistant.core.errors.MESSAGES``


@dataclass(frozen=True)
class VectorHit:
    record_id: str
    metadata: dict[str, Any]
    similarity: float  # cosine similarity, higher is better


class VectorStore(ABC):
    @abstractmethod
    def add(
        self,
        collection: str,
        ids: list[str],
        texts: list[str],
        metadatas: list[dict[str, Any]],
        embedding: Embeddings,
        store_texts: bool = True,
    ) -> None:
        """Add records; vectors come from ``embedding`` (a cached embedder in practice).

        ``store_texts=False`` keeps only ids, vectors and metadata: for a collection that is
        only ever queried for record ids, where the texts would just take space.
        """

    @abstractmethod
    def query(
        self,
        collection: str,
        vector: list[float],
        k: int,
        where: dict[str, Any] | None = None,
        metadata: bool = True,
    ) -> list[VectorHit]:
        """Nearest records to ``vector`` by cosine similarity (``metadata=False``: ids and
        similarities only, which is faster)."""

    @abstractmethod
    def drop(self, collection: str) -> None:
        """Delete a collection if it exists."""

    @abstractmethod
    def collections(self) -> list[str]:
        """Names of all collections."""

    @abstractmethod
    def count(self, collection: str) -> int:
        """Number of records in a collection."""

    def close(self) -> None:  # noqa: B027 - optional: stores without resources keep it
        """Release the files and memory the store holds (it is not used afterwards)."""
