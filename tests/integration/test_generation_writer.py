"""The generation format is written and read by ``assistant.store`` alone: passages and file
records handed to the writer come back from an index snapshot, and a writer that stops before
its commit leaves the current generation as it was. Real embedder, Chroma and BM25; no ingest."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.settings import Settings
from assistant.core.types import Chunk
from assistant.providers.embeddings import get_embedder
from assistant.store.index import FileRecord, IndexSnapshot, open_store, read_current
from assistant.store.writer import GenerationWriter


class Counted:
    def __init__(self) -> None:
        self.total = 0
        self.done = 0

    def embedding(self, total: int) -> None:
        self.total = total

    def embedded(self, n: int) -> None:
        self.done += n


def _chunk(n: int, text: str) -> Chunk:
    return Chunk(chunk_id=f"c{n}", doc_id="plan", text=text, title="Plan", kind="body")


CHUNKS = [
    _chunk(1, "Wij investeren in preventie en jongerenwerk in elke wijk."),
    _chunk(2, "Wachttijden voor specialistische jeugdzorg gaan omlaag."),
]
RECORD = FileRecord(key="plan.txt", sha256="ab", size=10, doc_id="plan", chunks=2, vectors="chunk")


def _write(settings: Settings, chunks: list[Chunk], progress: Counted) -> int:
    with GenerationWriter(settings, get_embedder(settings.embedder)) as writer:
        writer.begin(read_current(settings.index_dir))
        writer.add(chunks, {RECORD.key: RECORD}, [("notes.exe", "unsupported file type .exe")])
        return writer.commit(progress).generation.number


def test_what_the_writer_writes_the_store_reads(tmp_path: Path) -> None:
    settings = Settings(corpus_dirs=(tmp_path,), index_dir=tmp_path / "index")
    progress = Counted()
    assert _write(settings, CHUNKS, progress) == 1
    assert progress.total == progress.done == 2  # one vector per chunk (plan "chunk")
    gen = read_current(settings.index_dir)
    assert gen is not None and gen.number == 1 and gen.chunk_count == 2
    assert gen.files == {"plan.txt": RECORD}
    store = open_store(settings, gen)
    try:
        snap = IndexSnapshot(gen, store)
        assert snap.chunks == CHUNKS
        assert set(snap.lexical.ids) == {"c1", "c2"}
        assert snap.idf and "jeugdzorg" in snap.folded_text
        vector = get_embedder(settings.embedder).embed_query("wachttijden jeugdzorg")
        hits = store.query(gen.collection, vector, k=1)
        assert hits and hits[0].record_id == "c2"
        assert store.count(gen.collection) == 2
    finally:
        store.close()


def test_a_writer_stopped_before_its_commit_changes_nothing(tmp_path: Path) -> None:
    settings = Settings(corpus_dirs=(tmp_path,), index_dir=tmp_path / "index")
    _write(settings, CHUNKS, Counted())

    class Stop(Exception):
        pass

    def stop_before_switch(point: str) -> None:
        if point == "before_switch":
            raise Stop

    embedder = get_embedder(settings.embedder)
    with (
        pytest.raises(Stop),
        GenerationWriter(settings, embedder, hook=stop_before_switch) as writer,
    ):
        assert writer.begin(read_current(settings.index_dir)) == 2
        writer.add(CHUNKS[:1], {RECORD.key: RECORD}, [])
        writer.commit(Counted())
    gen = read_current(settings.index_dir)
    assert gen is not None and gen.number == 1 and gen.chunk_count == 2
    # The next writer removes the half-written generation and takes its number.
    assert _write(settings, CHUNKS[:1], Counted()) == 2
    assert read_current(settings.index_dir).chunk_count == 1  # type: ignore[union-attr]


def test_commit_before_begin_is_refused(tmp_path: Path) -> None:
    settings = Settings(corpus_dirs=(tmp_path,), index_dir=tmp_path / "index")
    with pytest.raises(RuntimeError, match="before begin"):
        GenerationWriter(settings, get_embedder(settings.embedder)).commit(Counted())
