"""Where a generation's vectors live, and who in this process still reads them.

Embedded Chroma keeps every collection it ever opened in one native cache per folder, with
four files open per index, and a deleted collection's index folder stays on disk (chroma
issues #3296, #5259, #5520: in 1.x, file removal is left to a garbage collector that the
embedded store does not run). Closing the last client of a folder is the only way to release
those handles. So each generation gets its *own* Chroma folder, ``<index>/vectors/g000007``,
opened through this pool: readers lease it, and a superseded generation is closed and its
folder removed once the last reader in this process lets go. A Chroma server
(``JEUGDAKKOORD_CHROMA_URL``) holds every generation as collections instead, dropped by name.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core.settings import Settings
from assistant.providers.stores.base import VectorStore

#: Folder of the per-generation Chroma stores inside the index folder.
VECTORS = "vectors"
#: The one Chroma folder of indexes written before per-generation stores.
LEGACY_CHROMA = "chroma"


def vectors_folder(index_dir: Path, number: int) -> str:
    """The generation's Chroma folder, relative to the index folder (as CURRENT.json keeps it)."""
    return f"{VECTORS}/g{number:06d}"


@dataclass
class _Entry:
    store: VectorStore
    readers: int = 0
    retired: bool = False


class StorePool:
    """Open vector stores by folder with a count of their readers: a store is closed when its
    last reader releases it, and a retired folder is removed then (at once if unread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[Path, _Entry] = {}
        #: The shared server store (``JEUGDAKKOORD_CHROMA_URL``), by URL: never closed.
        self._remote: dict[str, VectorStore] = {}

    def acquire(self, settings: Settings, folder: str) -> VectorStore:
        """The store of ``folder`` (relative to the index; "" with a Chroma server), one more
        reader counted until :meth:`release`."""
        from assistant.providers.stores import get_store

        if settings.chroma_url:
            with self._lock:
                if settings.chroma_url not in self._remote:
                    self._remote[settings.chroma_url] = get_store(settings)
                return self._remote[settings.chroma_url]
        path = (settings.index_dir / folder).resolve()
        with self._lock:
            entry = self._open.get(path)
            if entry is None:
                entry = self._open[path] = _Entry(get_store(settings, path=path))
            entry.readers += 1
            return entry.store

    def release(self, store: VectorStore) -> None:
        """One reader less; the last one closes the store (and removes a retired folder)."""
        with self._lock:
            path = next((p for p, e in self._open.items() if e.store is store), None)
            if path is None:
                return  # a server store, or released twice
            entry = self._open[path]
            entry.readers -= 1
            if entry.readers > 0:
                return
            del self._open[path]
            remove = entry.retired
        store.close()
        if remove:
            shutil.rmtree(path, ignore_errors=True)
        _return_freed_memory()

    def retire(self, path: Path) -> None:
        """Remove the store folder ``path`` now if no reader in this process holds it, else
        when the last one releases it."""
        path = path.resolve()
        with self._lock:
            entry = self._open.get(path)
            if entry is not None:
                entry.retired = True
                return
        shutil.rmtree(path, ignore_errors=True)

    def readers(self, path: Path) -> int:
        """Readers of the store at ``path`` in this process (0: closed)."""
        with self._lock:
            entry = self._open.get(path.resolve())
            return entry.readers if entry is not None else 0


def _return_freed_memory() -> None:
    """Give the memory a closed generation freed back to the system: glibc keeps freed heap
    pages for reuse, so without this the server's RSS crept up by a few MB per re-index."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Any:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to give back this way
        return None


#: The process's pool: the chat server's readers and the ingest it runs share it.
POOL = StorePool()
