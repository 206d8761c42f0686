"""JEUGDAKKOORD_SENTENCE_VECTORS through a real ingest: which records reach the store, and that
search and answers still work (and cite) when chunks have no sentence vectors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings
from assistant.retrieval.retriever import Retriever
from assistant.store.index import open_store, read_current
from ingest.pipeline import ingest
from tests.conftest import CORPUS

VNG = "vng-aanjager-brede-aanpak-jeugd-2026-03-24"
LAW = """# Wet op de jeugdhulp in de wijk

## Artikel 1

Het college draagt zorg voor een toegankelijk wijkteam in iedere wijk van de gemeente.

## Artikel 2

Het wijkteam verleent jeugdhulp zonder verwijzing en werkt samen met de scholen in de wijk.
De gemeenteraad stelt bij verordening regels over de samenstelling van het wijkteam.
"""


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(CORPUS / f"{VNG}.txt", folder)
    (folder / "wet-wijkteam.md").write_text(LAW, encoding="utf-8")
    (folder / "manifest.toml").write_text(
        f'[defaults]\ntype = "law"\n\n[[document]]\nfile = "{VNG}.txt"\ntype = "letter"\n',
        encoding="utf-8",
    )
    return folder


def _records(settings: Settings) -> dict[str, list[str]]:
    """Record ids in the current collection, by document id."""
    gen = read_current(settings.index_dir)
    assert gen is not None
    got = open_store(settings).client.get_collection(gen.collection).get(include=["metadatas"])
    out: dict[str, list[str]] = {}
    for rid, meta in zip(got["ids"], got["metadatas"], strict=True):
        out.setdefault(str(meta["doc_id"]), []).append(rid)
    return out


def _sentence_records(ids: list[str]) -> list[str]:
    return [r for r in ids if "#s" in r]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _corpus(tmp_path_factory.mktemp("sv") / "corpus")


def test_auto_gives_letters_sentence_vectors_and_laws_none(corpus: Path, tmp_path: Path) -> None:
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    assert ingest(settings).ok
    records = _records(settings)
    assert _sentence_records(records[VNG])
    assert records["wet-wijkteam"] and not _sentence_records(records["wet-wijkteam"])
    gen = read_current(settings.index_dir)
    assert gen is not None
    assert gen.files[f"{VNG}.txt"].vectors == "all"
    assert gen.files["wet-wijkteam.md"].vectors == "chunk"
    # the law is still found: its chunk vectors and BM25
    hits = Retriever(settings).search("Wie verleent jeugdhulp zonder verwijzing?")
    assert hits[0].chunk.doc_id == "wet-wijkteam"
    assert hits[0].best_sentence is None


def test_none_has_no_sentence_records_and_still_answers_with_citations(
    corpus: Path, tmp_path: Path
) -> None:
    settings = Settings(
        corpus_dirs=(corpus,), index_dir=tmp_path / "index", sentence_vectors="none"
    )
    assert ingest(settings).ok
    records = _records(settings)
    assert records[VNG] and not any(_sentence_records(ids) for ids in records.values())
    retriever = Retriever(settings)
    question = "Moet jeugdbeleid een verantwoordelijkheid van het hele college worden?"
    hits = retriever.search(question)
    assert hits and hits[0].chunk.doc_id == VNG
    assert all(h.best_sentence is None for h in hits)
    answer = Assistant(settings, retriever).ask(question)
    assert not answer.refused
    assert answer.citations and answer.citations[0].doc_id == VNG
    assert "[1]" in answer.answer
    chunk = retriever.snapshot().by_id[answer.citations[0].chunk_id]
    assert " ".join(answer.citations[0].quote.split()) in " ".join(chunk.text.split())


def test_changing_the_setting_rewrites_the_vectors_from_the_cache(
    corpus: Path, tmp_path: Path
) -> None:
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index", sentence_vectors="all")
    assert ingest(settings).ok
    assert _sentence_records(_records(settings)["wet-wijkteam"])
    again = ingest(settings)
    assert again.up_to_date
    fewer = ingest(settings.with_(sentence_vectors="auto"))
    assert not fewer.up_to_date and fewer.changed == 1 and fewer.unchanged == 1
    assert fewer.embedded == 0  # every vector it needs was embedded before
    records = _records(settings)
    assert not _sentence_records(records["wet-wijkteam"]) and _sentence_records(records[VNG])
    assert ingest(settings.with_(sentence_vectors="auto")).up_to_date
