"""Two parts of one process opening the same embedded Chroma store at the same moment (the
chat server's first question and an upload's ingest) both get a working store."""

from __future__ import annotations

import threading
from pathlib import Path

from assistant.providers.stores.chroma import ChromaStore

THREADS = 8


def open_at_once(path: Path) -> tuple[list[ChromaStore], list[BaseException]]:
    """Open the store at ``path`` from THREADS threads released at the same moment."""
    start = threading.Barrier(THREADS)
    stores: list[ChromaStore] = []
    errors: list[BaseException] = []

    def open_it() -> None:
        start.wait(timeout=30)
        try:
            stores.append(ChromaStore(path=path))
        except BaseException as exc:  # collected: the assertion names it
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return stores, errors


def test_the_store_opens_from_many_threads_at_once(tmp_path: Path) -> None:
    for attempt in range(5):  # the race needs a fresh path each time
        stores, errors = open_at_once(tmp_path / f"chroma-{attempt}")
        assert errors == [] and len(stores) == THREADS
        assert all(store.client.heartbeat() for store in stores)
