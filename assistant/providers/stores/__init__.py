"""Vector stores. Only Chroma for now; the interface keeps the rest of the code store-agnostic."""

from assistant.providers.stores.base import StoreError, VectorHit, VectorStore

__all__ = ["StoreError", "VectorHit", "VectorStore"]
