"""An empty corpus, or one where every file fails, gives a valid empty index and a clear
message; removing the last document works (issue #13, item 3: bm25s crashed on no chunks)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from assistant.core.settings import Settings
from assistant.retrieval.retriever import Retriever
from assistant.store.index import IndexEmpty, read_current
from ingest.pipeline import ingest
from tests.conftest import call_cli, run_cli, small_corpus


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The CLI with pipes for output, without the ensemble (one model loads faster)."""
    return run_cli(*args, **{"JEUGDAKKOORD_ENSEMBLE": "none", **env})


def test_empty_folder_gives_an_empty_index_and_a_clear_message(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    out = _cli("ingest", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert (
        "the index is empty" in out.stdout
        and "holds no PDF, Word, OpenDocument, HTML or text files" in out.stdout
    )
    search = call_cli(
        "search", "jeugdzorg", "--index", str(tmp_path / "index"), JEUGDAKKOORD_ENSEMBLE="none"
    )
    assert search.returncode == 2 and "Traceback" not in search.stderr
    assert "has no documents yet" in search.stderr


def test_every_file_failing_leaves_an_empty_index_with_a_message(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kapot.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    (corpus / "leeg.txt").write_text("   \n", encoding="utf-8")
    out = _cli("ingest", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--json")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "the index is empty: none of the 2 files" in out.stdout
    gen = read_current(tmp_path / "index")
    assert gen is not None and gen.chunk_count == 0


def test_removing_the_last_document_leaves_a_valid_empty_index(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index", ensemble="none")
    assert ingest(settings).chunks == 2
    retriever = Retriever(settings)
    assert retriever.search("preventie in de wijk")
    for path in corpus.iterdir():
        path.unlink()
    summary = ingest(settings)
    assert summary.removed == 2 and summary.chunks == 0 and summary.generation == 2
    assert any("the index is empty" in w for w in summary.warnings)
    with pytest.raises(IndexEmpty, match="no documents yet"):
        retriever.search("preventie in de wijk")  # the running reader sees the new generation
    # Adding a document again works from the empty index.
    small_corpus(corpus)
    assert ingest(settings).chunks == 2
    assert retriever.search("preventie in de wijk")[0].chunk.doc_id == "a"
