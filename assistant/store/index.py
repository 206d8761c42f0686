"""The on-disk index and its generations.

Every ingest that changes something writes a *new generation* beside the current one: a
Chroma collection, a BM25 index and the chunk list. Only when all of it is written does
``CURRENT.json`` switch to it, with an atomic rename. A crash at any point leaves the
previous generation answering as before; leftovers are removed by the next ingest.

    <index>/CURRENT.json        which generation readers use, and the model that built it
    <index>/gens/g000007/       chunks.jsonl, bm25/, state.json (files, hashes, results)
    <index>/vectors/g000007/    the generation's own embedded Chroma store (unless
                                JEUGDAKKOORD_CHROMA_URL; see assistant.store.vectors)
    <index>/embeddings.sqlite   content-addressed embedding cache
    <index>/ingest.lock         held while an ingest runs
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.lexicon import Vocabulary
from assistant.core.settings import Settings
from assistant.core.types import Chunk
from assistant.core.vocabulary import fold
from assistant.providers.stores.base import VectorStore
from assistant.store.lexical import LexicalIndex, inverse_document_frequency
from assistant.store.vectors import LEGACY_CHROMA, POOL, VECTORS

CURRENT = "CURRENT.json"
IDF_FILE = "idf.json"


class IndexError_(RuntimeError):
    """Base for index problems with a message a user can act on."""

    kind = "unavailable"  # how the faces report it (core.errors.KINDS)
    code = "index_error"  # its message: ``assistant.core.errors.MESSAGES``


class IndexMissing(IndexError_):
    code = "index_missing"


class IndexEmpty(IndexMissing):
    """The index exists but holds no passages: its corpus folder is empty, or no file in it
    could be read."""

    code = "index_empty"


class ModelMismatch(IndexError_):
    kind = "invalid"  # how the faces report it (core.errors.KINDS)
    code = "model_mismatch"


class IngestLocked(IndexError_):
    kind = "busy"  # how the faces report it (core.errors.KINDS)
    code = "ingest_locked"


@dataclass
class FileRecord:
    """What the last ingest did with one file (persisted in ``state.json``)."""

    key: str
    sha256: str
    size: int
    doc_id: str
    title: str = ""
    status: str = "ok"  # ok | failed | kept_previous
    reason: str = ""
    pages: int = 0
    chunks: int = 0
    ocr_pages: int = 0  # pages whose text came from OCR
    tables: int = 0
    warnings: list[str] = field(default_factory=list)
    fingerprint: str = ""  # hash of content + manifest fields that shape chunks + versions
    vectors: str = "all"  # representation.vector_plan: all | chunk | prefix:N
    #: Who the document is by and what it is, for naming it in a question (assistant.scope).
    publisher: str = ""
    author: str = ""
    doc_type: str = ""
    date: str = ""
    aliases: list[str] = field(default_factory=list)
    #: The municipality the document is by ("Zeist"): the manifest's ``place``, else inferred.
    place: str = ""
    #: The fields of title, publisher, place, date that came from the document itself
    #: (``ingest.metadata``), not from the manifest.
    inferred: list[str] = field(default_factory=list)
    #: What the document says about itself (title, publisher, place, date), kept so that a
    #: manifest edit can be applied to the stored chunks without reading the file again.
    auto: dict[str, str] = field(default_factory=dict)
    #: The manifest's metadata fields for this file when it was indexed.
    manifest: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileRecord:
        """Tolerates fields a newer version added, so an older version can read its index."""
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Generation:
    number: int
    collection: str
    model_id: str
    created: str
    folder: Path
    files: dict[str, FileRecord]
    chunk_count: int
    #: The ensemble's second dense view ("" when the index has none), and its model.
    ensemble_collection: str = ""
    ensemble_model_id: str = ""
    #: Its embedded Chroma folder, relative to the index ("chroma": the one folder of an
    #: index written before each generation had its own; unused with a Chroma server).
    vectors: str = LEGACY_CHROMA

    @property
    def ok_files(self) -> dict[str, FileRecord]:
        return {k: f for k, f in self.files.items() if f.status != "failed"}


def gen_folder(index_dir: Path, number: int) -> Path:
    return index_dir / "gens" / f"g{number:06d}"


def collection_name(settings: Settings, index_dir: Path, number: int, view: str = "") -> str:
    """Unique per index folder, so several indexes can share one Chroma server; ``view``
    names a generation's extra collection (``use``: the ensemble's second dense view)."""
    import hashlib

    tag = hashlib.sha1(str(index_dir.resolve()).encode()).hexdigest()[:8]
    name = f"{settings.collection_prefix}-{tag}-g{number:06d}"
    return f"{name}-{view}" if view else name


def read_pointer(index_dir: Path) -> dict[str, Any] | None:
    """``CURRENT.json`` alone (generation number, collection, model): cheap enough to read on
    every query, unlike the generation's ``state.json`` (one record per file)."""
    path = index_dir / CURRENT
    if not path.exists():
        return None
    try:
        cur = dict(json.loads(path.read_text(encoding="utf-8")))
        int(cur["generation"]), str(cur["model_id"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexError_(
            f"the index at {index_dir} is damaged ({exc}); re-ingest with --rebuild"
        ) from exc
    return cur


def read_current(index_dir: Path) -> Generation | None:
    cur = read_pointer(index_dir)
    if cur is None:
        return None
    try:
        folder = gen_folder(index_dir, int(cur["generation"]))
        state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as exc:
        raise IndexError_(
            f"the index at {index_dir} is damaged ({exc}); re-ingest with --rebuild"
        ) from exc
    return Generation(
        number=int(cur["generation"]),
        collection=cur["collection"],
        model_id=cur["model_id"],
        created=cur.get("created", ""),
        folder=folder,
        files={k: FileRecord.from_dict(v) for k, v in state.get("files", {}).items()},
        chunk_count=int(cur.get("chunk_count", 0)),
        ensemble_collection=str(cur.get("ensemble_collection", "")),
        ensemble_model_id=str(cur.get("ensemble_model_id", "")),
        vectors=str(cur.get("vectors") or LEGACY_CHROMA),
    )


def write_current(index_dir: Path, gen: Generation) -> None:
    """Atomically point readers at ``gen`` (write a temp file, fsync, rename)."""
    data = {
        "generation": gen.number,
        "collection": gen.collection,
        "model_id": gen.model_id,
        "created": gen.created,
        "chunk_count": gen.chunk_count,
        "ensemble_collection": gen.ensemble_collection,
        "ensemble_model_id": gen.ensemble_model_id,
        "vectors": gen.vectors,
    }
    tmp = index_dir / f".{CURRENT}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / CURRENT)
    dir_fd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def save_chunks(folder: Path, chunks: list[Chunk]) -> None:
    with open(folder / "chunks.jsonl", "w", encoding="utf-8") as fh:
        for c in chunks:
            fh.write(json.dumps({"text": c.text, **c.to_metadata()}, ensure_ascii=False) + "\n")


def load_chunks(folder: Path) -> list[Chunk]:
    out = []
    with open(folder / "chunks.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            out.append(Chunk.from_metadata(row.pop("text"), row))
    return out


@contextlib.contextmanager
def ingest_lock(index_dir: Path) -> Iterator[None]:
    """One ingest per index at a time; a second one fails at once with a clear message."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / "ingest.lock"
    fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole block
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            raise IngestLocked(
                f"another ingest is already running on {index_dir} (pid {holder}); "
                "wait for it to finish"
            ) from None
        # A pid left by a killed ingest is overwritten: the kernel released its flock.
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                fh.truncate(0)  # only the holder clears the pid, never a locked-out ingest
    finally:
        fh.close()  # closing releases the lock


def open_store(settings: Settings, gen: Generation | None = None) -> VectorStore:
    """The vector store holding ``gen``'s collections (default: the current generation's),
    opened outside :data:`~assistant.store.vectors.POOL`: the caller closes it."""
    from assistant.providers.stores import get_store

    gen = gen or read_current(settings.index_dir)
    folder = gen.vectors if gen is not None else LEGACY_CHROMA
    return get_store(settings, path=None if settings.chroma_url else settings.index_dir / folder)


def prune(settings: Settings, keep: Generation | None) -> None:
    """Remove every generation but ``keep``: folders, vector stores (closed and removed once
    no reader in this process holds them) or, on a Chroma server, collections."""
    index_dir = settings.index_dir
    kept = {keep.number} if keep is not None else set()
    if settings.chroma_url:
        _drop_collections(settings, kept)
    else:
        live = keep.vectors if keep is not None else None
        stores = index_dir / VECTORS
        for folder in sorted(stores.iterdir()) if stores.is_dir() else []:
            if f"{VECTORS}/{folder.name}" != live:
                POOL.retire(folder)
        if (index_dir / LEGACY_CHROMA).is_dir() and live != LEGACY_CHROMA:
            POOL.retire(index_dir / LEGACY_CHROMA)
    for tmp in index_dir.glob(f".{CURRENT}.*.tmp"):  # a switch interrupted before its rename
        tmp.unlink(missing_ok=True)
    gens = index_dir / "gens"
    if gens.exists():
        for folder in gens.iterdir():
            if folder.name.startswith("g") and folder.name[1:].isdigit():
                if int(folder.name[1:]) not in kept:
                    shutil.rmtree(folder, ignore_errors=True)
            elif folder.name.startswith(".tmp"):
                shutil.rmtree(folder, ignore_errors=True)


def _drop_collections(settings: Settings, keep: set[int]) -> None:
    """On a Chroma server every generation is a collection (or two) of one store."""
    prefix = collection_name(settings, settings.index_dir, 0).rsplit("-g", 1)[0] + "-g"
    store = POOL.acquire(settings, "")
    for name in store.collections():
        if name.startswith(prefix):
            try:  # "...-g000007", or "...-g000007-<view>" (see collection_name)
                number = int(name[len(prefix) :].split("-", 1)[0])
            except ValueError:
                continue
            if number not in keep:
                store.drop(name)


class IndexSnapshot:
    """One generation, loaded for reading: chunks by id, BM25, and the vector collection."""

    def __init__(self, gen: Generation, store: VectorStore) -> None:
        self.generation = gen
        self.store = store
        self.chunks = load_chunks(gen.folder)
        self.by_id = {c.chunk_id: c for c in self.chunks}
        self.lexical = LexicalIndex.load(gen.folder / "bm25")
        self.position = {cid: i for i, cid in enumerate(self.lexical.ids)}
        #: Document id of each BM25 row, for filter masks without a Python loop per query.
        self.lexical_doc_ids = np.array(
            [self.by_id[c].doc_id if c in self.by_id else "" for c in self.lexical.ids],
            dtype=object,
        )

    def documents(self) -> dict[str, FileRecord]:
        return self.generation.files

    @cached_property
    def folded_text(self) -> str:
        """Every chunk's text folded (lower case, no accents, single spaces), one per line:
        whether the corpus uses a phrase ("sociale media"), not only its words."""
        return "\n".join(" ".join(fold(c.text).split()) for c in self.chunks)

    @cached_property
    def idf(self) -> dict[str, float]:
        """Token rarity over this generation's chunks: written at ingest (``idf.json``), so
        that the first question after a start or a re-ingest does not tokenize the corpus;
        computed here for generations written before that file existed."""
        path = self.generation.folder / IDF_FILE
        try:
            return {str(k): float(v) for k, v in json.loads(path.read_text("utf-8")).items()}
        except (OSError, ValueError, AttributeError):
            return inverse_document_frequency(c.text for c in self.chunks)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """:attr:`idf` with the compound and phrase look-ups of the question's concepts."""
        return Vocabulary(self.idf, (c.text for c in self.chunks))


class IndexHandle:
    """Thread-safe access to the current generation; picks up new generations as they land.

    Each snapshot leases its generation's vector store from
    :data:`~assistant.store.vectors.POOL` and gives it back when the last reference to the
    snapshot goes (the handle's own, replaced at a switch, and those of requests still
    answering from it), so a superseded generation's files are closed then.
    """

    def __init__(self, settings: Settings, model_id: str) -> None:
        self.settings = settings
        self.model_id = model_id
        self._snapshot: IndexSnapshot | None = None
        self._lock = threading.Lock()

    def snapshot(self) -> IndexSnapshot:
        """The current generation (reloaded when an ingest switched ``CURRENT.json``)."""
        with self._lock:
            cur = read_pointer(self.settings.index_dir)
            if cur is None:
                raise IndexMissing(
                    f"no index at {self.settings.index_dir}; run `jeugdakkoord ingest` first"
                )
            if cur["model_id"] != self.model_id:
                raise ModelMismatch(
                    f"the index at {self.settings.index_dir} was built with {cur['model_id']}, "
                    f"but the configured embedder is {self.model_id}. Re-ingest with "
                    "`jeugdakkoord ingest --rebuild` (or set JEUGDAKKOORD_EMBEDDER back)."
                )
            if self._snapshot is None or self._snapshot.generation.number != cur["generation"]:
                gen = read_current(self.settings.index_dir)
                if gen is None:  # removed a moment ago
                    raise IndexMissing(f"no index at {self.settings.index_dir}")
                self._snapshot = None  # this handle no longer reads the old generation
                self._snapshot = leased_snapshot(self.settings, gen)
            return self._snapshot

    def close(self) -> None:
        """Let go of the current generation (its store closes when no request holds it)."""
        with self._lock:
            self._snapshot = None


def leased_snapshot(settings: Settings, gen: Generation) -> IndexSnapshot:
    """``gen`` loaded with its store leased from the pool until the snapshot is unreachable."""
    store = POOL.acquire(settings, gen.vectors)
    try:
        snap = IndexSnapshot(gen, store)
    except BaseException:
        POOL.release(store)
        raise
    weakref.finalize(snap, POOL.release, store)
    return snap
