"""JEUGDAKKOORD_SENTENCE_VECTORS: which vectors a document gets, and the manifest's defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.settings import Settings
from assistant.core.types import Chunk
from assistant.store.representation import (
    AUTO_SENTENCE_MAX_CHUNKS,
    key_records,
    vector_plan,
    vector_records,
)
from ingest.manifest import discover


@pytest.mark.parametrize(
    ("mode", "doc_type", "chunks", "plan"),
    [
        ("auto", "letter", 12, "all"),
        ("auto", "agreement", 120, "all"),
        ("auto", "document", 12, "all"),
        ("auto", "law", 12, "chunk"),
        ("auto", "report", AUTO_SENTENCE_MAX_CHUNKS + 1, "chunk"),
        ("all", "law", 10_000, "all"),
        ("none", "letter", 3, "chunk"),
    ],
)
def test_vector_plan(mode: str, doc_type: str, chunks: int, plan: str) -> None:
    assert vector_plan(mode, doc_type, chunks) == plan


def test_prefix_plan_embeds_only_the_start_of_the_chunk_and_no_sentences() -> None:
    chunk = Chunk(
        chunk_id="c1",
        doc_id="d",
        text="Het college draagt zorg voor een wijkteam. Het wijkteam verleent jeugdhulp.",
        title="Wet",
        kind="body",
        keys=("Wijkteam",),
        section="Artikel 1",
    )
    assert vector_plan("auto", "law", 5, prefix_chars=20) == "prefix:20"
    records = vector_records(chunk, "prefix:20")
    assert records[0] == ("c1", "Artikel 1\nHet colleg", "chunk")
    assert [r[0] for r in records[1:]] == ["c1#k0"]
    full = [r[0] for r in vector_records(chunk, "all")]
    assert full[:2] == ["c1", "c1#k0"] and "c1#s0" in full and "c1#s1" in full


def test_sentence_vectors_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings.from_env().sentence_vectors == "auto"
    monkeypatch.setenv("JEUGDAKKOORD_SENTENCE_VECTORS", "None")
    assert Settings.from_env().sentence_vectors == "none"
    monkeypatch.setenv("JEUGDAKKOORD_SENTENCE_VECTORS", "some")
    with pytest.raises(ValueError, match="auto, all, none"):
        Settings.from_env()


def test_manifest_defaults_apply_to_every_file_unless_its_entry_says_otherwise(
    tmp_path: Path,
) -> None:
    (tmp_path / "wet.md").write_text("# Wet\n\nTekst.\n", encoding="utf-8")
    (tmp_path / "brief.txt").write_text("Tekst.\n", encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(
        '[defaults]\ntype = "law"\npublisher = "Overheid"\n\n'
        '[[document]]\nfile = "brief.txt"\ntype = "letter"\n',
        encoding="utf-8",
    )
    files, _, problems = discover((tmp_path,))
    entries = {f.key: f.entry for f in files}
    assert not problems
    assert entries["wet.md"] == {"type": "law", "publisher": "Overheid"}
    assert entries["brief.txt"] == {"type": "letter", "publisher": "Overheid", "file": "brief.txt"}


def test_a_repeated_sentence_gets_one_vector_at_its_first_place() -> None:
    """Hundreds of identical vectors (a PDF repeating one line per page) wreck HNSW recall:
    the one sentence that differs was not found until duplicates were dropped."""
    note = "Korte notitie over het jeugdbeleid."
    text = f"{note} {note} De speeltuin krijgt een nieuwe klimtoren. {note}"
    chunk = Chunk(chunk_id="c", doc_id="d", text=text, title="t", kind="body")
    records = key_records(chunk)
    assert [rid for rid, _ in records] == ["c#s0", "c#s2"]
    assert [t for _, t in records] == [note, "De speeltuin krijgt een nieuwe klimtoren."]
