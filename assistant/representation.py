"""What each retriever sees of a chunk: the dense text, extra key vectors, the BM25 text.

Kept in one place because ingestion writes these and retrieval depends on how they were made.
"""

from __future__ import annotations

import re

from assistant.types import Chunk

_MARK_RE = re.compile(r"\[gelakt: [^\]]+\]")


def strip_marks(text: str) -> str:
    """Redaction marks are not content: keep them out of vectors and the lexical index."""
    return re.sub(r"[ \t]{2,}", " ", _MARK_RE.sub(" ", text)).strip()


def embedding_text(chunk: Chunk) -> str:
    """What the dense model sees: the section heading gives a short item its context."""
    body = strip_marks(chunk.text)
    return f"{chunk.section}\n{body}" if chunk.section else body


def key_records(chunk: Chunk) -> list[tuple[str, str]]:
    """Extra vectors per chunk: its key phrases (item titles, bold text) with the heading."""
    out = []
    for i, key in enumerate(chunk.keys):
        if key == chunk.section:
            continue
        out.append((f"{chunk.chunk_id}#k{i}", f"{chunk.section}: {key}" if chunk.section else key))
    return out


def lexical_text(chunk: Chunk) -> str:
    """What BM25 sees: the text plus its section and key phrases."""
    return "\n".join([chunk.section, *chunk.keys, strip_marks(chunk.text)])
