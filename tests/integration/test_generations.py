"""Index generations do not leak: a long-lived reader (the chat server) that lives through
many re-indexes keeps the same number of Chroma index folders and open files.

Real Chroma, the real default embedder, a small corpus changed before every ingest.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from assistant.core.settings import Settings
from assistant.retrieval.retriever import Retriever
from assistant.store.index import read_current
from ingest.pipeline import ingest
from tests.conftest import small_corpus

CYCLES = 20


def open_files(under: Path) -> list[str]:
    """Files below ``under`` that this process has open (``/proc/self/fd``)."""
    out = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # closed while listing
            continue
        if target.startswith(str(under.resolve())):
            out.append(target)
    return sorted(out)


def index_folders(index: Path) -> set[Path]:
    """Chroma's HNSW index folders (one per collection that was ever written)."""
    return {p.parent for p in index.rglob("data_level0.bin")}


def disk_bytes(index: Path) -> int:
    """The index's size without the embedding cache (which grows with every new text)."""
    files = [p for p in index.rglob("*") if p.is_file() and "embeddings" not in p.name]
    return sum(p.stat().st_size for p in files)


def _change(corpus: Path, cycle: int) -> None:
    """A new version of one file, of the same size (so the index should stay the same size)."""
    base = (corpus / "a.txt").read_text(encoding="utf-8").split("\nIn ronde")[0]
    sentence = f"\nIn ronde {cycle:02d} investeren wij in {cycle:02d} extra jongerenwerkers.\n"
    (corpus / "a.txt").write_text(base + sentence, encoding="utf-8")


def test_twenty_reindexes_keep_folders_and_open_files_flat(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    assert ingest(settings).generation == 1
    reader = Retriever(settings)  # long-lived, like the chat server
    figures: list[tuple[int, int, int]] = []
    for cycle in range(1, CYCLES + 1):
        _change(corpus, cycle)
        summary = ingest(settings)
        assert summary.ok and summary.generation == cycle + 1
        hits = reader.search(f"ronde {cycle:02d} extra jongerenwerkers", k=3)
        assert any(f"ronde {cycle:02d} " in h.chunk.text for h in hits)  # the new one answers
        gc.collect()
        index = settings.index_dir
        # Distinct files: Chroma opens its sqlite file once per pool thread (3 to 5 times).
        figures.append((len(index_folders(index)), len(set(open_files(index))), disk_bytes(index)))
    steady = figures[1]  # the live generation and the one before it (kept for crash safety)
    folders, handles, size = figures[-1]
    # Two views (e5 and USE) per generation, two generations on disk; only the live one open.
    assert folders == steady[0] == 4, figures
    assert handles <= steady[1], (figures, open_files(settings.index_dir))
    assert size <= steady[2] * 1.1, figures
    live = read_current(settings.index_dir)
    assert live is not None
    assert sorted(p.name for p in (settings.index_dir / "vectors").iterdir()) == [
        f"g{live.number - 1:06d}",
        f"g{live.number:06d}",
    ]


def test_a_generation_still_read_is_removed_when_its_last_reader_lets_go(tmp_path: Path) -> None:
    from assistant.store.vectors import POOL

    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    ingest(settings)
    reader = Retriever(settings)
    held = reader.snapshot()  # a request still answering from generation 1
    first = settings.index_dir / held.generation.vectors
    for cycle in (1, 2):  # generation 3 retires generation 1
        _change(corpus, cycle)
        ingest(settings)
        reader.search("jongerenwerkers", k=1)  # the reader moves on to the newest
    assert first.is_dir() and POOL.readers(first) == 1  # still read: kept, and open
    assert held.store.query(held.generation.collection, [0.0] * 383 + [1.0], k=1)
    del held
    gc.collect()
    assert not first.exists() and POOL.readers(first) == 0
    assert not [f for f in open_files(settings.index_dir) if f.startswith(str(first))]
