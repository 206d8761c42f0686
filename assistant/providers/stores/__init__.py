"""Vector stores by name: ``chroma`` (embedded, or a server with ``JEUGDAKKOORD_CHROMA_URL``);
more through the provider registry. The interface keeps the rest of the code store-agnostic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.providers.registry import REGISTRY, Provider, register
from assistant.providers.stores.base import StoreError, VectorHit, VectorStore

if TYPE_CHECKING:
    from assistant.core.settings import Settings

__all__ = ["StoreError", "VectorHit", "VectorStore", "get_store"]

#: The store every index uses (a plug-in registering this name replaces it).
DEFAULT_STORE = "chroma"


def _chroma(settings: Settings) -> VectorStore:
    from assistant.providers.stores.chroma import ChromaStore

    if settings.chroma_url:
        return ChromaStore(url=settings.chroma_url)
    return ChromaStore(path=settings.index_dir / "chroma")


register(
    Provider(
        "store",
        "chroma",
        _chroma,
        "Chroma: embedded in the index folder, or a server at JEUGDAKKOORD_CHROMA_URL",
        requires=("chromadb",),
    )
)


def get_store(settings: Settings, name: str = DEFAULT_STORE) -> VectorStore:
    """Open the vector store ``name`` for ``settings``."""
    found = REGISTRY.find("store", name)
    if found is None:
        raise StoreError(f"unknown vector store {name!r}; use {REGISTRY.choices('store')}")
    store: VectorStore = found[0].load(settings)
    return store
