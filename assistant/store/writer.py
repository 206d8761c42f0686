"""Writing a new index generation: the one way ingest puts passages into the index.

The format (chunk list, IDF, BM25, file state, vector collections, ``CURRENT.json``) is read
in :mod:`assistant.store.index`; this module writes it, so ingest knows only the passages and
file records it hands over. A generation is written beside the current one and becomes the
current one only at :meth:`GenerationWriter.commit`; anything that stops before leaves the
current generation answering, and the leftovers are removed by the next :meth:`begin`.

    writer = GenerationWriter(settings, embedder, second, hook)
    with writer:                        # abort() on any exception
        writer.begin(previous)          # prune leftovers, choose the number
        writer.add(chunks, records, skipped)
        written = writer.commit(progress)
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from assistant.core.settings import Settings
from assistant.core.types import Chunk
from assistant.providers.embeddings import Embedder
from assistant.providers.stores.base import VectorStore
from assistant.store.embedding_cache import CachedEmbedder, EmbeddingCache
from assistant.store.index import (
    IDF_FILE,
    FileRecord,
    Generation,
    collection_name,
    gen_folder,
    now_iso,
    prune,
    save_chunks,
    write_current,
)
from assistant.store.lexical import LexicalIndex, idf_of_tokens
from assistant.store.representation import lexical_tokens, vector_records
from assistant.store.vectors import POOL, vectors_folder

#: A file left out of the index: (its key, why); kept in the generation's state.
Skipped = tuple[str, str]

#: The embedding cache's file in the index folder.
EMBEDDINGS = "embeddings.sqlite"


class EmbedProgress(Protocol):
    """Told how many texts are to be embedded, then of each batch done (it may raise to stop:
    what was embedded so far stays in the cache)."""

    def embedding(self, total: int) -> None: ...
    def embedded(self, n: int) -> None: ...


@dataclass(frozen=True)
class WindowCut:
    """Passages of one document longer than a model's window: only their beginning is in
    that model's vector."""

    doc_id: str
    model: str
    window_tokens: int
    passages: int


@dataclass
class Written:
    """A committed generation, with what it cost."""

    generation: Generation
    #: Texts sent to a model in this run (the rest came from the embedding cache).
    embedded: int
    cuts: list[WindowCut] = field(default_factory=list)


@dataclass
class _Vectors:
    """Record ids, texts and metadata of every vector of the generation."""

    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    metas: list[dict[str, Any]] = field(default_factory=list)


class GenerationWriter:
    """Writes one new generation of ``settings.index_dir``; use as a context manager.

    ``hook`` is called at the named points ``before_embed``, ``after_embed``,
    ``after_store``, ``before_switch`` and ``after_switch`` (tests simulate crashes there,
    ingest checks for a cancel there).
    """

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        second: Embedder | None = None,
        hook: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.second = second
        self.hook = hook or (lambda point: None)
        self.number = 0
        self._vectors_folder = ""
        self._cache: EmbeddingCache | None = None
        self._views: list[tuple[CachedEmbedder, str]] = []
        self._chunks: list[Chunk] = []
        self._records: dict[str, FileRecord] = {}
        self._skipped: list[Skipped] = []

    def __enter__(self) -> GenerationWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.abort()

    def begin(self, previous: Generation | None) -> int:
        """Remove every generation but ``previous`` (leftovers of a crash, superseded ones)
        and open the next one; its number."""
        settings, index_dir = self.settings, self.settings.index_dir
        self.number = (previous.number + 1) if previous else 1
        prune(settings, keep=previous)
        self._vectors_folder = "" if settings.chroma_url else vectors_folder(index_dir, self.number)
        self.hook("before_embed")
        self._cache = cache = EmbeddingCache(index_dir / EMBEDDINGS)
        batch = settings.embed_batch_chars
        self._views = [
            (
                CachedEmbedder(self.embedder, cache, batch_chars=batch),
                collection_name(settings, index_dir, self.number),
            )
        ]
        if self.second is not None:
            view = CachedEmbedder(self.second, cache, batch_chars=batch)
            self._views.append((view, collection_name(settings, index_dir, self.number, "use")))
        return self.number

    def add(
        self, chunks: list[Chunk], records: dict[str, FileRecord], skipped: list[Skipped]
    ) -> None:
        """The generation's passages, the record of every file (each with its vector plan),
        and the files left out."""
        self._chunks.extend(chunks)
        self._records.update(records)
        self._skipped.extend(skipped)

    def commit(self, progress: EmbedProgress) -> Written:
        """Embed (cached, resumable), write the vectors, the folder, then switch readers to
        the new generation."""
        if self._cache is None:
            raise RuntimeError("GenerationWriter.commit before begin")
        vectors = self._vector_inputs()
        store = POOL.acquire(self.settings, self._vectors_folder)
        try:  # written, then closed unless a reader in this process has it open already
            self._embed_and_store(store, vectors, progress)
        finally:
            POOL.release(store)
        embedded = sum(view.embedded for view, _ in self._views)
        cuts = self._window_cuts(vectors)
        self.hook("after_store")
        folder = self._write_folder()
        self.hook("before_switch")
        (_, main_name), *extra = self._views
        gen = Generation(
            number=self.number,
            collection=main_name,
            model_id=self.embedder.model_id,
            created=now_iso(),
            folder=folder,
            files=self._records,
            chunk_count=len(self._chunks),
            ensemble_collection=extra[0][1] if extra else "",
            ensemble_model_id=self.second.model_id if self.second is not None else "",
            vectors=self._vectors_folder,
        )
        write_current(self.settings.index_dir, gen)
        self.hook("after_switch")
        self.abort()
        return Written(gen, embedded, cuts)

    def abort(self) -> None:
        """Let go of the embedding cache; a generation not committed is never read, and the
        next :meth:`begin` removes what was written of it."""
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    def _vector_inputs(self) -> _Vectors:
        """Each chunk's vector, plus the key sentences its file's vector plan asks for."""
        plans = {r.doc_id: r.vectors for r in self._records.values() if r.status != "failed"}
        out = _Vectors()
        for c in self._chunks:
            for rid, text, kind in vector_records(c, plans.get(c.doc_id, "all")):
                out.ids.append(rid)
                out.texts.append(text)
                if kind == "chunk":
                    out.metas.append({**c.to_metadata(), "record": "chunk"})
                else:
                    out.metas.append({"chunk_id": c.chunk_id, "doc_id": c.doc_id, "record": "key"})
        return out

    def _embed_and_store(
        self, store: VectorStore, vectors: _Vectors, progress: EmbedProgress
    ) -> None:
        """Embed first (into the cache), then write the collections from the cache."""
        # The second view is only queried for record ids under a document filter (see
        # Retriever.search): it keeps that filter's doc_id, not the chunk metadata or texts,
        # which readers take from chunks.jsonl.
        ids, texts, metas = vectors.ids, vectors.texts, vectors.metas
        filter_metas = [{"doc_id": m["doc_id"]} for m in metas]
        todos = [view.missing(texts) for view, _ in self._views]
        progress.embedding(sum(len(todo) for todo in todos))
        for (view, name), todo in zip(self._views, todos, strict=True):
            view.on_batch = progress.embedded
            store.drop(name)
            view.embed_documents(todo)
        self.hook("after_embed")
        (main_view, main_name), *extra_views = self._views
        store.add(main_name, ids, texts, metas, main_view)
        for view, name in extra_views:
            store.add(name, ids, texts, filter_metas, view, store_texts=False)

    def _window_cuts(self, vectors: _Vectors) -> list[WindowCut]:
        """Per document and model: its passages embedded in this run that were longer than
        the model's window."""
        out: list[WindowCut] = []
        for view, _ in self._views:
            cut = set(view.cut)
            if not cut:
                continue
            per_doc: dict[str, set[str]] = {}
            for text, meta in zip(vectors.texts, vectors.metas, strict=True):
                if text in cut:
                    per_doc.setdefault(str(meta["doc_id"]), set()).add(text)
            out.extend(
                WindowCut(doc_id, view.name, view.window_tokens, len(texts))
                for doc_id, texts in per_doc.items()
            )
        return out

    def _write_folder(self) -> Path:
        """Write chunks, IDF, BM25 and file state to a temporary folder, then rename it into
        place, so a crash never leaves a half-written generation."""
        folder = gen_folder(self.settings.index_dir, self.number)
        tmp = folder.with_name(f".tmp-{folder.name}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        chunks = self._chunks
        save_chunks(tmp, chunks)
        tokens = [lexical_tokens(c) for c in chunks]
        idf = idf_of_tokens(text for _, text in tokens)
        (tmp / IDF_FILE).write_text(json.dumps(idf, ensure_ascii=False), "utf-8")
        bm25 = LexicalIndex.from_tokens([c.chunk_id for c in chunks], [b for b, _ in tokens])
        bm25.save(tmp / "bm25")
        state = {
            "files": {k: r.to_dict() for k, r in self._records.items()},
            "skipped": self._skipped,
        }
        (tmp / "state.json").write_text(json.dumps(state, indent=1, ensure_ascii=False), "utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
        return folder
