"""How a passage reads to every model: without redaction marks, with its section heading for
the dense model, and cut into sentence units. Below the index (which embeds these texts) and
the answer path (whose relevance model must read a passage as it was embedded)."""

from __future__ import annotations

import re

from assistant.core.divisions import retrieval_heading
from assistant.core.sentences import Span, line_pieces
from assistant.core.types import Chunk

#: How ingestion marks a Woo redaction in the cleaned text ("[gelakt: 5.1.2e]").
REDACTION_MARK = "[gelakt: {}]"
_MARK_RE = re.compile(re.escape(REDACTION_MARK).replace(re.escape("{}"), r"[^\]]+"))
#: Shorter fragments ("Zowel nationaal.") carry no meaning of their own: merged into the next.
MIN_SENTENCE_CHARS = 25


def strip_marks(text: str) -> str:
    """Redaction marks are not content: keep them out of vectors and the lexical index."""
    return re.sub(r"[ \t]{2,}", " ", _MARK_RE.sub(" ", text)).strip()


def embedding_text(chunk: Chunk) -> str:
    """What the dense model sees: the section heading gives a short item its context."""
    body = strip_marks(chunk.text)
    heading = retrieval_heading(chunk.section)
    return f"{heading}\n{body}" if heading else body


def sentence_units(chunk: Chunk) -> list[tuple[str, Span]]:
    """What the sentence vectors embed: the chunk's stored sentences cut at line breaks (a list
    item is a unit of its own), bullets and redaction marks left out, tiny fragments merged
    into their neighbour; each with the span of ``chunk.text`` it covers, so that a vector
    found for a question points at a place in the text."""
    text = chunk.text
    parts = [
        (piece, (a, b))
        for a, b in line_pieces(text, chunk.sentence_spans())
        if len(piece := strip_marks(text[a:b]).strip(" •–-\t")) >= 8
    ]
    out: list[tuple[str, Span]] = []
    buf, start = "", 0
    for part, (a, b) in parts:
        buf, start = (f"{buf} {part}", start) if buf else (part, a)
        if len(buf) >= MIN_SENTENCE_CHARS:
            out.append((buf, (start, b)))
            buf = ""
    if buf and out:
        last, (a, _) = out[-1]
        out[-1] = (f"{last} {buf}", (a, parts[-1][1][1]))
    elif buf:
        out.append((buf, (start, parts[-1][1][1])))
    return out


def redaction_marks(text: str) -> list[str]:
    """The redaction marks in ``text``, as written ("[gelakt: 5.1.2e]")."""
    return _MARK_RE.findall(text)
