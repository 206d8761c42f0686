"""Bounds on what one file may cost to index.

Machine data in a text file (a base64 image inline in Markdown, a 5 MB file of one "word")
is not text anyone searches for, yet embedding it cost hours while the ingest lock was held.
Three bounds keep every file's work proportional to its real text, and each says what it left
out (the ingest summary's "truncated"):

* an unbroken run of more than :data:`LONG_WORD_CHARS` characters is no word: it is kept as
  its first :data:`KEPT_CHARS` characters and an ellipsis;
* no passage is longer than :data:`MAX_CHUNK_CHARS` characters (a longer one is split);
* no file gives more than :data:`MAX_CHUNKS_PER_FILE` passages, and a loader stops reading
  after :data:`MAX_TEXT_CHARS` characters (text beyond them can never be in those passages).

A hostile or careless file (a 750 KB Word file that unpacks to 200 MB, ``text:c="300000000"``
spaces) must fail or be cut in seconds, before it is parsed where possible: the bounds below on
zip members, paragraphs, table cells, repeat counts and PDF pages each name themselves in the
file's failure reason (:class:`ingest.errors.TooLarge`).

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

#: The unpacked size of one part of a Word or OpenDocument zip, or of one web page.
MAX_PART_BYTES = 50_000_000
#: The unpacked size of all parts of a Word or OpenDocument zip together.
MAX_ZIP_BYTES = 200_000_000
#: Paragraphs (headings and list items included) in one Word or OpenDocument file: a law
#: book has a few thousand; two million short ones kept an ingest busy for an hour.
MAX_PARAGRAPHS = 100_000
#: Table cells in one Word or OpenDocument file.
MAX_TABLE_CELLS = 200_000
#: Pages of one PDF.
MAX_PDF_PAGES = 10_000
#: A repeat count in a file (``text:c`` spaces, ``w:gridSpan`` columns) is clamped to this:
#: Word tables have at most 63 columns, and runs of spaces are collapsed anyway.
MAX_REPEAT = 64
#: No passage is longer than MAX_CHUNK_CHARS, so text after this many characters is never
#: in a file's first MAX_CHUNKS_PER_FILE passages: loaders stop reading there.
MAX_TEXT_CHARS = MAX_CHUNKS_PER_FILE * MAX_CHUNK_CHARS

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


def mb(n_bytes: int) -> str:
    """``n_bytes`` in whole megabytes, for a bound's message ("50 MB")."""
    return f"{n_bytes / 1e6:,.0f} MB"


class TextBudget:
    """The characters a loader may still read from one file (:data:`MAX_TEXT_CHARS`): it
    stops at the first piece over the budget instead of reading the rest for nothing."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = MAX_TEXT_CHARS if limit is None else limit
        self.used = 0
        self.full = False

    def take(self, text: str) -> bool:
        """Count ``text``; False (and from then on) once the budget is spent."""
        if self.full or self.used + len(text) > self.limit:
            self.full = True
            return False
        self.used += len(text)
        return True

    def note(self) -> str:
        """What was left unread ("" when the whole file was read)."""
        if not self.full:
            return ""
        return (
            f"stopped reading after {self.used:,} characters: more than the "
            f"{MAX_CHUNKS_PER_FILE:,} passages indexed per file"
        )
