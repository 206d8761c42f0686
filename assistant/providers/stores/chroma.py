"""Chroma through its own public client API: embedded ``PersistentClient`` or a ``chroma run``
server.

Chroma's default embedding function downloads a model, so every collection is opened without
one (``embedding_function=None``) and vectors always come from our own embedder; telemetry is
off.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from assistant.providers.stores.base import StoreError, VectorHit, VectorStore

if TYPE_CHECKING:  # chromadb itself is imported when a store opens (start-up time)
    from chromadb.api.collection_configuration import (
        CreateCollectionConfiguration,
        CreateHNSWConfiguration,
    )

#: Cosine space, and a search breadth well above the 200 records a question asks for. With
#: Chroma's default (100), two readers of the same index got different tails of the top 200
#: (its graph differs per load), so the same question could rank passages differently after a
#: restart. At 400, repeated loads of the corpus index return the same records.
_HNSW: CreateHNSWConfiguration = {"space": "cosine", "ef_search": 400}
#: Chroma keeps one shared system per path in a class-level cache that two clients created at
#: the same moment corrupt ("'RustBindingsAPI' object has no attribute 'bindings'"): the chat
#: server's first question and an upload's ingest open the store concurrently.
_OPEN_LOCK = threading.Lock()


class ChromaStore(VectorStore):
    def __init__(self, path: Path | None = None, url: str = "") -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        self.url = url
        try:
            if url:
                parsed = urlparse(url if "://" in url else f"http://{url}")
                self.client = chromadb.HttpClient(
                    host=parsed.hostname or "127.0.0.1",
                    port=parsed.port or 8000,
                    ssl=parsed.scheme == "https",
                    settings=settings,
                )
                self.client.heartbeat()
            else:
                if path is None:
                    raise StoreError("an embedded Chroma store needs a path")
                path.mkdir(parents=True, exist_ok=True)
                with _OPEN_LOCK:
                    self.client = chromadb.PersistentClient(path=str(path), settings=settings)
        except StoreError:
            raise
        except Exception as exc:
            where = url or str(path)
            raise StoreError(f"cannot reach the Chroma store at {where}: {exc}") from exc
        self._handles: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _collection(self, collection: str, create: bool = False) -> Any:
        """The Chroma collection (created, in cosine space, when ``create``); read handles are
        kept, so a query does not look the collection up again."""
        if create:
            config: CreateCollectionConfiguration = {"hnsw": _HNSW}
            return self.client.get_or_create_collection(
                name=collection, embedding_function=None, configuration=config
            )
        with self._lock:
            if collection not in self._handles:
                self._handles[collection] = self.client.get_collection(
                    name=collection, embedding_function=None
                )
            return self._handles[collection]

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except StoreError:
            raise
        except Exception as exc:
            where = self.url or "the embedded store"
            raise StoreError(
                f"Chroma {what} failed ({where}): {type(exc).__name__}: {exc}"
            ) from exc

    def add(
        self,
        collection: str,
        ids: list[str],
        texts: list[str],
        metadatas: list[dict[str, Any]],
        embedding: Embeddings,
        store_texts: bool = True,
    ) -> None:
        col = self._call("open", self._collection, collection, True)

        def upsert(batch: slice) -> None:
            part = texts[batch]
            col.upsert(
                ids=ids[batch],
                embeddings=embedding.embed_documents(part),
                metadatas=metadatas[batch],
                documents=part if store_texts else None,
            )

        step = 1000
        for i in range(0, len(ids), step):
            self._call("add", upsert, slice(i, i + step))

    def query(
        self,
        collection: str,
        vector: list[float],
        k: int,
        where: dict[str, Any] | None = None,
        metadata: bool = True,
    ) -> list[VectorHit]:
        col = self._call("open", self._collection, collection)
        # Only what is needed: fetching every hit's document text too would be ~3/4 of the
        # time of a k=200 query (24 vs 6 ms).
        include = ["distances", "metadatas"] if metadata else ["distances"]
        res = self._call(
            "query",
            col.query,
            query_embeddings=[vector],
            n_results=k,
            where=where,
            include=include,
        )
        metas = res["metadatas"][0] if metadata and res.get("metadatas") else None
        # Cosine *distance* in a cosine space: similarity = 1 - distance.
        return [
            VectorHit(
                record_id=str(rid),
                metadata=dict(metas[i] or {}) if metas is not None else {},
                similarity=1.0 - float(dist),
            )
            for i, (rid, dist) in enumerate(zip(res["ids"][0], res["distances"][0], strict=True))
        ]

    def drop(self, collection: str) -> None:
        with self._lock:
            self._handles.pop(collection, None)
        if collection in self.collections():
            self._call("delete", self.client.delete_collection, collection)

    def collections(self) -> list[str]:
        cols = self._call("list", self.client.list_collections)
        return [c if isinstance(c, str) else c.name for c in cols]

    def count(self, collection: str) -> int:
        return int(self._call("count", lambda: self.client.get_collection(collection).count()))

    def close(self) -> None:
        """Close the client: the last one of a folder stops Chroma's system there, which is
        what releases its open index files and memory (a collection delete does not)."""
        with self._lock:
            self._handles.clear()
        close = getattr(self.client, "close", None)  # Client has it; the ClientAPI type not
        if close is not None:
            with _OPEN_LOCK:
                close()
