"""The one sentence segmentation: character spans of the sentences of a text.

Ingestion computes a chunk's spans once and stores them with it (``Chunk.sentences``); the
sentence vectors, the drafter's quotes and the validator's evidence are all views of those
stored spans, so "a sentence of a chunk" means the same thing everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.core.wordlists import ABBREVIATIONS

#: A (start, end) character range, ``end`` exclusive.
Span = tuple[int, int]

_SENT_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)")


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether the full stop at ``end - 1`` closes a sentence (not an abbreviation or number)."""
    before = text[start:end].rstrip(".!?…\"'”’)]")
    token = re.split(r"\s", before)[-1] if before else ""
    token_l = token.lower().lstrip("(\"'‘“")
    if text[end - 1] == ".":
        if token_l in ABBREVIATIONS or token_l.rstrip(".") in ABBREVIATIONS:
            return False
        if len(token_l) == 1 and token_l.isalpha():  # an initial: "C. Dortmans"
            return False
        if token_l.isdigit() and before.strip() == token:  # a list number: "3. Investeer"
            return False
    rest = text[end:].lstrip()
    # A sentence continues when the next word starts in lower case ("art. 5 lid 2", "ca. tien").
    return not (rest and rest[0].islower())


def sentence_spans(text: str) -> list[Span]:
    """Character spans of the sentences in ``text`` (Dutch abbreviations respected); each
    span starts and ends at a non-space character."""
    spans: list[Span] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if not _ends_sentence(text, start, end):
            continue
        seg = text[start:end]
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            spans.append((start + lead, end))
        start = end
    tail = text[start:]
    if tail.strip():
        lead = len(tail) - len(tail.lstrip())
        spans.append((start + lead, start + len(tail.rstrip())))
    return spans


def split_sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def line_pieces(text: str, spans: Iterable[Span]) -> list[Span]:
    """The spans cut at line breaks (``str.splitlines``' breaks): a list item or a title line
    inside a sentence span becomes a piece of its own; pieces are trimmed of whitespace and
    blank ones dropped."""
    out: list[Span] = []
    for a, b in spans:
        pos = a
        for line in text[a:b].splitlines(keepends=True):
            if line.strip():
                lead = len(line) - len(line.lstrip())
                out.append((pos + lead, pos + len(line.rstrip())))
            pos += len(line)
    return out


def encode_spans(spans: Iterable[Span]) -> str:
    """Spans as a compact scalar for Chroma metadata and chunks.jsonl: ``"0-57 58-120"``."""
    return " ".join(f"{a}-{b}" for a, b in spans)


def decode_spans(value: object) -> tuple[Span, ...]:
    """The inverse of :func:`encode_spans`; ``""`` (an index made before spans were stored)
    gives ``()``."""
    out = []
    for part in str(value or "").split():
        a, _, b = part.partition("-")
        out.append((int(a), int(b)))
    return tuple(out)
