"""Bounds on what one file may cost to index.

Machine data in a text file (a base64 image inline in Markdown, a 5 MB file of one "word")
is not text anyone searches for, yet embedding it cost hours while the ingest lock was held.
Three bounds keep every file's work proportional to its real text, and each says what it left
out (the ingest summary's "truncated"):

* an unbroken run of more than :data:`LONG_WORD_CHARS` characters is no word: it is kept as
  its first :data:`KEPT_CHARS` characters and an ellipsis;
* no passage is longer than :data:`MAX_CHUNK_CHARS` characters (a longer one is split);
* no file gives more than :data:`MAX_CHUNKS_PER_FILE` passages.

The embedders then cut any passage still longer than their window
(:meth:`assistant.providers.embeddings.base.Embedder.fit`).
"""

from __future__ import annotations

import re

#: Longer than any word or practical URL (Dutch compounds stay under ~60 characters).
LONG_WORD_CHARS = 300
#: What is kept of an over-long run: enough to recognise it ("data:image/png;base64,iVBO").
KEPT_CHARS = 40
#: Twice the longest passage the chunker makes of prose (~2,200 characters for 300 words).
MAX_CHUNK_CHARS = 4000
#: ~10 million characters of text; a law book is a few thousand passages.
MAX_CHUNKS_PER_FILE = 10_000

_LONG_WORD = re.compile(rf"\S{{{LONG_WORD_CHARS + 1},}}")


def shorten_long_words(pages: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], str]:
    """``pages`` with every over-long run shortened, and a note of what went ("" if none)."""
    runs = 0
    dropped = 0

    def shorten(match: re.Match[str]) -> str:
        nonlocal runs, dropped
        runs += 1
        dropped += len(match.group()) - KEPT_CHARS
        return match.group()[:KEPT_CHARS] + "…"

    out = [(n, _LONG_WORD.sub(shorten, text)) for n, text in pages]
    if not runs:
        return pages, ""
    what = "string" if runs == 1 else "strings"
    return out, (
        f"{runs} unbroken {what} of more than {LONG_WORD_CHARS} characters (inline data, "
        f"e.g. a base64 image?) shortened to {KEPT_CHARS} characters; "
        f"{dropped:,} characters not indexed"
    )


def split_span(
    text: str, start: int, end: int, limit: int = MAX_CHUNK_CHARS
) -> list[tuple[int, int]]:
    """``text[start:end]`` as consecutive spans of at most ``limit`` characters, cut after a
    line break or space where one is in the second half of the piece."""
    spans: list[tuple[int, int]] = []
    while end - start > limit:
        stop = start + limit
        cut = max(
            text.rfind("\n", start + limit // 2, stop), text.rfind(" ", start + limit // 2, stop)
        )
        stop = cut + 1 if cut > 0 else stop
        spans.append((start, stop))
        start = stop
    spans.append((start, end))
    return spans


def cap_chunks(n_chunks: int) -> str:
    """The note for a file of more than :data:`MAX_CHUNKS_PER_FILE` passages ("" if within)."""
    if n_chunks <= MAX_CHUNKS_PER_FILE:
        return ""
    return (
        f"only the first {MAX_CHUNKS_PER_FILE:,} of {n_chunks:,} passages indexed "
        "(the limit per file)"
    )
