"""Vector stores by name: ``chroma`` (embedded, or a server with ``JEUGDAKKOORD_CHROMA_URL``);
more through the provider registry. The interface keeps the rest of the code store-agnostic."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assistant.providers.registry import REGISTRY, Provider, register
from assistant.providers.stores.base import StoreError, VectorHit, VectorStore

if TYPE_CHECKING:
    from assistant.core.settings import Settings

__all__ = ["StoreError", "VectorHit", "VectorStore", "get_store"]

#: The store every index uses (a plug-in registering this name replaces it).
DEFAULT_STORE = "chroma"


def _chroma(_: str, settings: Settings, path: Path | None = None) -> VectorStore:
    from assistant.providers.stores.chroma import ChromaStore

    if settings.chroma_url:
        return ChromaStore(url=settings.chroma_url)
    return ChromaStore(path=path or settings.index_dir / "chroma")


register(
    Provider(
        "store",
        "chroma",
        _chroma,
        "Chroma: embedded in the index folder, or a server at JEUGDAKKOORD_CHROMA_URL",
        requires=("chromadb",),
    )
)


def get_store(
    settings: Settings, name: str = DEFAULT_STORE, path: Path | None = None
) -> VectorStore:
    """Open the vector store ``name`` for ``settings``; ``path``: an embedded store's own
    folder (one per index generation, see :mod:`assistant.store.vectors`)."""
    found = REGISTRY.find("store", name)
    if found is None:
        raise StoreError(f"unknown vector store {name!r}; use {REGISTRY.choices('store')}")
    store: VectorStore = found[0].make(found[1], settings, path=path)
    return store
