"""Ingest tokenizes each chunk once for both lexical tables; they must come out exactly as
when the idf table tokenized ``chunk.text`` and BM25 ``lexical_text(chunk)`` separately."""

from __future__ import annotations

import filecmp
from pathlib import Path

from assistant.core.passages import REDACTION_MARK
from assistant.core.types import Chunk
from assistant.core.words import tokenize
from assistant.store.lexical import LexicalIndex, idf_of_tokens, inverse_document_frequency
from assistant.store.representation import lexical_text, lexical_tokens
from ingest.manifest import CorpusFile
from ingest.pipeline import process_file
from tests.conftest import CORPUS

MARK = REDACTION_MARK.format("5.1.2e")


def _chunks() -> list[Chunk]:
    """The corpus' text documents, chunked for real, and chunks with the awkward cases:
    redaction marks (alone, against words, at the ends), no section or keys, diacritics."""
    chunks: list[Chunk] = []
    for path in sorted(CORPUS.glob("*.txt")):
        chunks.extend(process_file(CorpusFile(path.name, path, {}), path.stem)[0])
    odd = [
        ("Contact", (), f"Contactpersoon: {MARK}, telefoon {MARK}.\nDe wethouder reageert."),
        ("", ("**Geïndexeerd**",), f"{MARK}Jeugd-zorgaanbieders{MARK} zijn geïndexeerd"),
        ("", (), MARK),
        ("Wijkteam", ("Preventie", "Wijkteam"), f"Het wijkteam 5.1.2e [gelakt: 5.1 {MARK}"),
        ("", (), "de we en het"),
    ]
    for i, (section, keys, text) in enumerate(odd):
        chunks.append(Chunk(f"odd-{i}", "odd", text, "Odd", "body", section=section, keys=keys))
    return chunks


def test_one_tokenization_gives_the_same_idf_table_and_bm25_index(tmp_path: Path) -> None:
    chunks = _chunks()
    assert len(chunks) > 30 and any(c.keys and c.section for c in chunks)
    tokens = [lexical_tokens(c) for c in chunks]
    for chunk, (bm25, text) in zip(chunks, tokens, strict=True):
        assert bm25 == tokenize(lexical_text(chunk)), chunk.chunk_id
        assert text == set(tokenize(chunk.text)), chunk.chunk_id
    # The marks count for the idf table (it weighs words in chunk text), not for BM25.
    (marked,) = tokenize("gelakt")
    assert marked in tokens[-5][1] and marked not in tokens[-5][0]

    idf = idf_of_tokens(text for _, text in tokens)
    assert idf == inverse_document_frequency(c.text for c in chunks)

    ids = [c.chunk_id for c in chunks]
    LexicalIndex.build(ids, [lexical_text(c) for c in chunks]).save(tmp_path / "texts")
    LexicalIndex.from_tokens(ids, [bm25 for bm25, _ in tokens]).save(tmp_path / "tokens")
    same = filecmp.cmpfiles(
        tmp_path / "texts", tmp_path / "tokens", [p.name for p in (tmp_path / "texts").iterdir()]
    )
    assert len(same[0]) == 6 and not same[1] and not same[2]
    index = LexicalIndex.load(tmp_path / "tokens")
    assert index.search(tokenize("wethouder contactpersoon"), k=1)[0][0] == "odd-0"
