"""The chapter workspace on the real corpus: clauses from answers and positions, the store
(versions, atomic files, re-ingest), the CLI, and the .docx with real Word footnotes read
back from its XML."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings
from assistant.positions.compare import Positions
from assistant.retrieval.retriever import Retriever
from assistant.workspace.chapter import (
    ChapterError,
    ChapterStore,
    VersionConflict,
    clause_from_answer,
    clause_from_position,
    missing_sources,
    new_clause,
)
from assistant.workspace.export import EmptyChapter, chapter_docx, chapter_markdown
from ingest.pipeline import ingest
from tests.conftest import call_cli, run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VNG = "vng-aanjager-brede-aanpak-jeugd-2026-03-24"
JN = "jeugdzorg-nederland-coalitieakkoord-2026-04"
MARKET = "What should we write about market forces?"


@pytest.fixture(scope="module")
def two_clauses(real_index: Settings) -> list:  # type: ignore[type-arg]
    """A clause from a real answer (Jeugdzorg Nederland) and one from a position (VNG)."""
    assistant = Assistant(real_index)
    answer = assistant.ask(MARKET)
    chunks = assistant.retriever.snapshot().by_id
    first = clause_from_answer(answer.clause, answer.citations, chunks, MARKET)
    comparison = Positions(assistant.retriever).compare("onderwijs en jeugd", doc_ids=[VNG])
    second = clause_from_position(comparison.positions[0], comparison.topic)
    return [first, second]


def test_clauses_keep_their_sources(two_clauses: list) -> None:  # type: ignore[type-arg]
    answer_clause, position_clause = two_clauses
    assert answer_clause.text.startswith("Wij stoppen met marktwerking")
    assert answer_clause.sources[0].doc_id == JN and answer_clause.sources[0].item == "2"
    assert "[1]" in answer_clause.text
    assert position_clause.text.startswith("Wij versterken de inhoudelijke verbinding")
    assert "Wij brengen onderwijs, kinderopvang en jeugd samen" in position_clause.text
    assert position_clause.sources[0].kind == "recommendation"
    assert position_clause.sources[0].item == "4"


def test_store_add_move_edit_remove_with_versions(
    tmp_path: Path,
    two_clauses: list,  # type: ignore[type-arg]
) -> None:
    store = ChapterStore(tmp_path)
    a, b = two_clauses
    store.add("Jeugd", a)
    chapter = store.add("Jeugd", b)
    assert store.names() == ["jeugd"] and chapter.version == 2
    on_disk = json.loads((tmp_path / "chapters" / "jeugd.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in on_disk["clauses"]] == [a.id, b.id]

    chapter = store.move("jeugd", 2, 1, expected=2)
    assert [c.id for c in chapter.clauses] == [b.id, a.id]
    # An edit keeps the clause's sources; a mark the new wording drops is put back.
    chapter = store.edit("jeugd", 1, "Wij voegen onderwijs en jeugd samen.", expected=3)
    edited = chapter.clauses[0]
    assert edited.edited and edited.sources == b.sources and edited.text.endswith("[1]")
    assert not chapter.clauses[1].edited
    # A change made on an older version (another tab) is refused, nothing is lost.
    with pytest.raises(VersionConflict, match="changed elsewhere"):
        store.remove("jeugd", 1, expected=3)
    assert len(store.get("jeugd").clauses) == 2
    with pytest.raises(ChapterError, match="no clause 5"):
        store.move("jeugd", 5, 1)
    with pytest.raises(ChapterError, match="empty"):
        store.edit("jeugd", 1, "   ")
    with pytest.raises(ChapterError, match="name"):
        store.get("../..")
    chapter = store.remove("jeugd", 2)
    assert [c.id for c in chapter.clauses] == [b.id]
    assert not list((tmp_path / "chapters").glob(".*.tmp"))  # written atomically


def test_docx_has_one_real_footnote_per_cited_source(
    tmp_path: Path,
    two_clauses: list,  # type: ignore[type-arg]
) -> None:
    store = ChapterStore(tmp_path)
    for clause in two_clauses:
        chapter = store.add("h", clause)
    data = chapter_docx(chapter)
    archive = zipfile.ZipFile(io.BytesIO(data))
    types = archive.read("[Content_Types].xml").decode()
    assert 'PartName="/word/footnotes.xml"' in types and "footnotes+xml" in types
    rels = archive.read("word/_rels/document.xml.rels").decode()
    assert "relationships/footnotes" in rels and 'Target="footnotes.xml"' in rels
    assert "footnotePr" in archive.read("word/settings.xml").decode()

    notes_root = ElementTree.fromstring(archive.read("word/footnotes.xml"))
    notes = {
        int(n.get(f"{W}id", "0")): "".join(t.text or "" for t in n.iter(f"{W}t"))
        for n in notes_root.iter(f"{W}footnote")
    }
    real = {i: text for i, text in notes.items() if i > 0}
    body = ElementTree.fromstring(archive.read("word/document.xml"))
    refs = [int(r.get(f"{W}id", "0")) for r in body.iter(f"{W}footnoteReference")]
    sources = [s for c in chapter.clauses for s in c.sources]
    assert len(real) == len(sources) == len(refs) and sorted(refs) == sorted(real)
    assert {-1, 0} <= set(notes)  # the separators Word expects
    jn = next(t for t in real.values() if "Jeugdzorg Nederland" in t)
    assert "Felicitaties en uitnodiging" in jn and "april 2026" in jn and "tekstsuggestie 2" in jn
    vng = next(t for t in real.values() if t.lstrip().startswith("VNG"))
    assert "24 maart 2026" in vng and "aanbeveling 4" in vng

    from docx import Document

    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[1].startswith("Wij stoppen met marktwerking") and "[" not in paragraphs[1]
    md = chapter_markdown(chapter)
    assert md.count("[^") == 2 * len(sources)


def test_exporting_an_empty_chapter_says_so(tmp_path: Path) -> None:
    with pytest.raises(EmptyChapter, match="nothing to export"):
        chapter_docx(ChapterStore(tmp_path).get("leeg"))
    with pytest.raises(ChapterError, match="needs text"):
        new_clause("  ", [], "cli")


def test_cli_chapter_survives_reingest_and_flags_a_vanished_source(
    live_index: Settings, tmp_path: Path
) -> None:
    index = str(live_index.index_dir)
    # The commands run in this process (call_cli), the first and the last in a real one.
    empty = run_cli("chapter", "export", "--index", index, "--docx", str(tmp_path / "x.docx"))
    assert empty.returncode == 2 and "nothing to export" in empty.stderr
    for doc, topic in ((JN, "marktwerking"), (VNG, "onderwijs en jeugd")):
        out = call_cli("chapter", "add", "--index", index, "--topic", topic, "--doc", doc)
        assert out.returncode == 0, out.stderr
    out = call_cli("chapter", "add", "--index", index, "--text", "Wij doen het zelf.")
    assert out.returncode == 0, out.stderr
    assert (
        call_cli("chapter", "move", "concepthoofdstuk", "3", "1", "--index", index).returncode == 0
    )
    edit = call_cli(
        "chapter", "edit", "concepthoofdstuk", "1", "Wij doen het samen.", "--index", index
    )
    assert edit.returncode == 0 and "[edited]" in edit.stdout
    bad = call_cli("chapter", "remove", "concepthoofdstuk", "9", "--index", index)
    assert bad.returncode == 2 and "no clause 9" in bad.stderr

    # Jeugdzorg Nederland's tekstsuggestie 2 disappears from the corpus; re-ingest.
    letter = live_index.corpus_dirs[0] / "jeugdzorg-nederland-coalitieakkoord-2026-04.txt"
    text = letter.read_text(encoding="utf-8")
    start = text.index("2. We stoppen met")
    letter.write_text(text[:start] + text[text.index("3. We zorgen") :], encoding="utf-8")
    assert ingest(live_index).ok

    listed = call_cli("chapter", "list", "concepthoofdstuk", "--index", index, "--json")
    assert listed.returncode == 0, listed.stderr
    chapter = json.loads(listed.stdout)
    clauses = chapter["clauses"]
    assert clauses[0]["text"] == "Wij doen het samen."
    assert clauses[0]["edited"] and not clauses[0]["missing_sources"]
    assert clauses[1]["sources"][0]["doc_id"] == JN and clauses[1]["missing_sources"]
    assert clauses[2]["sources"][0]["doc_id"] == VNG and not clauses[2]["missing_sources"]
    shown = call_cli("chapter", "list", "concepthoofdstuk", "--index", index)
    assert "SOURCE GONE" in shown.stdout
    names = call_cli("chapter", "list", "--index", index, "--json")
    assert json.loads(names.stdout) == {"chapters": ["concepthoofdstuk"]}

    docx = tmp_path / "h.docx"
    out = run_cli("chapter", "export", "--index", index, "--docx", str(docx))
    assert out.returncode == 0 and docx.stat().st_size > 0


def test_missing_sources_finds_a_rechunked_passage_by_its_quote(
    retriever: Retriever,
    two_clauses: list,  # type: ignore[type-arg]
) -> None:
    from dataclasses import replace

    chunks = retriever.snapshot().chunks
    clause = two_clauses[1]
    moved = replace(clause, sources=(replace(clause.sources[0], chunk_id="gone"),))
    assert missing_sources(moved, chunks) == []  # same document still has the quote
    lost = replace(clause, sources=(replace(clause.sources[0], chunk_id="x", quote="zzz qqq"),))
    assert missing_sources(lost, chunks) == list(lost.sources)
