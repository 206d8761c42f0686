"""Issue #29 end to end: a malformed file is that file's failure (the others are ingested, a
fresh index is made, the command exits 1, the Documents tab lists and deletes it); an ingest
can be cancelled and leaves the previous index in use; an upload while another ingest holds
the lock is queued and indexed when that ingest ends. Real loaders, embedder, Chroma, BM25."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from assistant.core.i18n import t
from assistant.core.settings import Settings
from assistant.retrieval.retriever import Retriever
from assistant.store.index import ingest_lock, read_current
from assistant.ui import render
from ingest.errors import IngestCancelled
from ingest.library import Library, Upload
from ingest.pipeline import Progress, ingest
from tests.conftest import DEV_CACHE, copy_embedding_cache, run_cli, small_corpus
from tests.hostile_files import odt_spaces, word_bomb, word_numbered, word_table

MERGED = '<w:vMerge w:val="continue"/>'


def _settings(base: Path) -> Settings:
    settings = Settings(
        corpus_dirs=(small_corpus(base / "corpus"),), index_dir=base / "index", ensemble="none"
    )
    if DEV_CACHE.exists():
        copy_embedding_cache(DEV_CACHE, settings.index_dir)
    return settings


def test_malformed_files_fail_alone_and_a_fresh_index_holds_the_rest(tmp_path: Path) -> None:
    """Before: the first ValueError stopped `jeugdakkoord ingest` with a traceback, no index."""
    corpus = small_corpus(tmp_path / "corpus")
    odt_spaces(corpus / "spaties-abc.odt", "abc")
    odt_spaces(corpus / "spaties-enorm.odt", "99999999999999999999")
    word_table(corpus / "span.docx", cell_props='<w:gridSpan w:val="abc"/>')
    word_numbered(corpus / "lijst.docx", "xyz")
    word_table(corpus / "samengevoegd.docx", cell_props=MERGED)
    word_bomb(corpus / "bom.docx", 2_000_000)
    index = tmp_path / "index"
    out = run_cli(
        "ingest", "--corpus", str(corpus), "--index", str(index), "--json",
        JEUGDAKKOORD_ENSEMBLE="none",
    )  # fmt: skip
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    failed = dict(summary["failed"])
    assert set(failed) == {"spaties-abc.odt", "span.docx", "lijst.docx", "bom.docx"}
    assert "malformed ODT: text:c is not a number ('abc')" in failed["spaties-abc.odt"]
    assert "w:gridSpan is not a number" in failed["span.docx"]
    assert "w:numId is not a number" in failed["lijst.docx"]
    assert "the limit is 50 MB per part" in failed["bom.docx"]
    gen = read_current(index)
    assert gen is not None and gen.number == 1
    ok = {k for k, r in gen.files.items() if r.status == "ok"}
    assert ok == {"a.txt", "b.md", "spaties-enorm.odt", "samengevoegd.docx"}
    settings = Settings(corpus_dirs=(corpus,), index_dir=index, ensemble="none")
    hits = Retriever(settings).search("jongerenwerker in elke wijk", k=3)
    assert any(h.chunk.doc_id == "spaties-enorm" for h in hits)


def test_a_failed_file_is_listed_with_its_reason_and_can_be_deleted(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    corpus = settings.corpus_dirs[0]
    odt_spaces(corpus / "kapot.odt", "abc")
    library = Library(settings)
    lines = library.reindex("nl", lambda f, d: None)
    assert any("kapot.odt" in line for line in lines)
    gen = read_current(settings.index_dir)
    assert gen is not None
    files = library.with_unindexed(gen.files)
    table = render.documents_table(files, [], "nl")
    (row,) = [r for r in table["data"] if r[0] == "kapot.odt"]
    assert "text:c is not a number" in row[-1] and row[-1].startswith("mislukt")
    assert ("kapot.odt", "kapot.odt") in render.file_choices(files)
    assert library.delete("kapot.odt", "nl", lambda f, d: None)[0].startswith("kapot.odt")
    assert not (corpus / "kapot.odt").exists()
    gen = read_current(settings.index_dir)
    assert gen is not None and set(gen.files) == {"a.txt", "b.md"}


class _StopAfterFirstFile(Progress):
    def __init__(self, cancel: threading.Event) -> None:
        self.cancel = cancel
        self.done: list[str] = []

    def file_done(self, key: str, status: str) -> None:
        self.done.append(key)
        self.cancel.set()


def test_a_cancelled_ingest_leaves_the_previous_index_in_use(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    first = ingest(settings)
    corpus = settings.corpus_dirs[0]
    (corpus / "c.txt").write_text(
        "Sport\n\nIeder kind krijgt gratis zwemles in groep vijf.\n", encoding="utf-8"
    )
    (corpus / "d.txt").write_text("Cultuur\n\nMuziekles op elke basisschool.\n", "utf-8")
    cancel = threading.Event()
    seen = _StopAfterFirstFile(cancel)
    with pytest.raises(IngestCancelled):
        ingest(settings, progress=seen, cancel=cancel)
    assert len(seen.done) == 1  # it stopped between files
    gen = read_current(settings.index_dir)
    assert gen is not None and gen.number == first.generation
    assert set(gen.files) == {"a.txt", "b.md"}
    assert Retriever(settings).search("preventie in de wijk", k=1)
    after = ingest(settings)  # the next ingest picks the files up
    assert after.added == 2 and after.generation == first.generation + 1


def test_the_library_cancels_its_running_ingest(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    library = Library(settings)
    assert library.cancel("en") == t("en", "not_running")
    messages: list[str] = []

    def report(fraction: float, desc: str) -> None:
        messages.append(desc)
        if desc.startswith("file 1 of"):
            messages.append(library.cancel("en"))

    assert library.reindex("en", report) == [t("en", "cancelled")]
    assert "file 1 of 2: a.txt" in messages
    assert t("en", "cancelling") in messages
    assert read_current(settings.index_dir) is None
    assert library.reindex("en", lambda f, d: None)[0].startswith("Index updated")


def test_an_upload_during_another_ingest_is_queued_and_indexed_when_it_ends(
    tmp_path: Path,
) -> None:
    """Before: "try again in a minute", and the retry said "unchanged" though not indexed."""
    settings = _settings(tmp_path)
    library = Library(settings)
    library.poll_seconds = 0.1
    upload = tmp_path / "zwemles.txt"
    upload.write_text("Sport\n\nIeder kind krijgt gratis zwemles in groep vijf.\n", "utf-8")
    with ingest_lock(settings.index_dir):  # another ingest (the command line) runs
        lines = library.add([Upload(upload, "zwemles.txt")], "nl", lambda f, d: None)
        assert lines == [t("nl", "up_queued", name="zwemles.txt")]
        again = library.add([Upload(upload, "zwemles.txt")], "nl", lambda f, d: None)
        assert again == [t("nl", "up_queued", name="zwemles.txt")]
        assert read_current(settings.index_dir) is None
        pending = library.with_unindexed({})
        assert pending["zwemles.txt"].status == "pending"
        assert render.status_text(pending["zwemles.txt"], "nl") == "nog niet geïndexeerd"
    assert library.wait_queue(timeout=300)
    gen = read_current(settings.index_dir)
    assert gen is not None and gen.files["zwemles.txt"].status == "ok"
    retry = library.add([Upload(upload, "zwemles.txt")], "nl", lambda f, d: None)
    assert retry == [t("nl", "up_unchanged", name="zwemles.txt")]


def test_an_unexpected_error_after_loading_is_still_only_that_files_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cleaning or chunking that raises (here a RecursionError, injected for one file) fails
    that file; the pipeline used to catch only IngestError."""
    import ingest.pipeline

    settings = _settings(tmp_path)
    real = ingest.pipeline.chunk_document

    def chunk(doc, info):  # type: ignore[no-untyped-def]
        if info.source == "b.md":
            raise RecursionError("maximum recursion depth exceeded")
        return real(doc, info)

    monkeypatch.setattr(ingest.pipeline, "chunk_document", chunk)
    summary = ingest.pipeline.ingest(settings)
    assert summary.failed == [
        ("b.md", "unreadable: RecursionError: maximum recursion depth exceeded")
    ]
    assert summary.files == 1 and summary.generation == 1
