"""Structure-aware chunking: numbered items stay whole, sections follow headings, body text
is cut into passages of roughly 120-300 words at sentence boundaries."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from assistant.core.sentences import sentence_spans
from assistant.core.text import words
from assistant.core.types import Chunk
from ingest.clean import Block, CleanDocument
from ingest.limits import split_span

MIN_WORDS = 120
MAX_WORDS = 300
#: A numbered "item" longer than this is a chapter, not a clause or recommendation.
MAX_ITEM_WORDS = 400


@dataclass(frozen=True)
class DocInfo:
    """Document-level metadata copied onto every chunk."""

    doc_id: str
    title: str
    publisher: str = ""
    date: str = ""
    doc_type: str = ""
    source: str = ""
    place: str = ""
    ocr_pages: frozenset[int] = field(default_factory=frozenset)  # pages read by OCR


def item_kind(heading: str) -> str:
    """What a numbered item is, judged by the heading of its list."""
    h = heading.lower()
    if "tekstsuggest" in h or "clausule" in h or "tekstvoorstel" in h:
        return "clause_suggestion"
    if "aanbeveling" in h or "advies" in h or "recommendation" in h:
        return "recommendation"
    return "list_item"


def _n_words(text: str) -> int:
    return len(words(text))


def _is_title_line(doc: CleanDocument, block: Block) -> bool:
    text = doc.text[block.start : block.end]
    return len(text) <= 100 and text.rstrip()[-1:] not in ".!?;:,"


def chunk_document(doc: CleanDocument, info: DocInfo) -> list[Chunk]:
    """Cut a cleaned document into chunks that carry their section, item and pages."""
    spans: list[
        tuple[int, int, str, str, str, tuple[str, ...]]
    ] = []  # start, end, kind, item, section, keys
    chapter = ""
    heading = ""
    pending: list[Block] = []  # body blocks waiting to be grouped

    def section() -> str:
        return " › ".join(x for x in (chapter, heading) if x)

    def flush() -> None:
        if pending:
            for a, b in _group_body(doc, pending):
                spans.append((a, b, "body", "", section(), ()))
            pending.clear()

    blocks = doc.blocks
    i = 0
    while i < len(blocks):
        b = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if b.kind == "item":
            # Collect the item's own body: following paragraphs up to the next item or heading.
            j = i + 1
            if _is_title_line(doc, b):
                while j < len(blocks) and blocks[j].kind in ("paragraph", "bullet"):
                    j += 1
            end = blocks[j - 1].end
            item_text = doc.text[b.start : end]
            # Only a title line can head a chapter: a long item whose number starts its text
            # ("7. Wij zorgen ...", 450 words) stays an item, split below.
            chapter_like = _is_title_line(doc, b) and (
                (
                    nxt is not None
                    and nxt.kind == "heading"
                    and not doc.structured  # a Word list item is an item, whatever follows it
                )
                or _n_words(item_text) > MAX_ITEM_WORDS
            )
            if chapter_like:
                flush()
                chapter = doc.text[b.start : b.end].strip()
                heading = ""
                i += 1
                continue
            kind = item_kind(heading)
            if kind == "list_item" and not doc.structured:
                # Ordinary numbered lists (law articles' clauses, plans) read as body text.
                pending.append(Block(kind="paragraph", start=b.start, end=end, number=b.number))
                i = j
                continue
            flush()
            title = doc.text[b.start : b.end] if j > i + 1 else ""
            keys = tuple(k for k in (heading, _strip_number(title)) if k)
            # An over-long item: runs of whole sentences, each a chunk with the item's number.
            pieces = (
                _split_sentences(doc.text, b.start, end)
                if _n_words(item_text) > MAX_ITEM_WORDS
                else [(b.start, end)]
            )
            spans.extend((a, z, kind, b.number, section(), keys) for a, z in pieces)
            i = j
            continue
        if b.kind == "table":
            flush()
            for a, z, keys in _table_pieces(doc.text, b.start, b.end):
                spans.append((a, z, "table", "", section(), keys))
            i += 1
            continue
        if b.kind == "bullet" and doc.structured:
            # A party programme's bullet points stay whole, one item each.
            flush()
            spans.append((b.start, b.end, item_kind(heading), "", section(), ()))
            i += 1
            continue
        if b.kind == "heading":
            flush()
            heading = doc.text[b.start : b.end].strip()
            i += 1
            continue
        pending.append(b)
        i += 1
    flush()
    # An over-long passage (a table of codes, text without sentence ends) is split, so that
    # no chunk is far beyond what the embedding models read.
    spans = [
        (a, b, kind, item, sec, keys)
        for start, end, kind, item, sec, keys in spans
        for a, b in split_span(doc.text, start, end)
    ]

    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for start, end, kind, item, sec, keys in spans:
        text = doc.text[start:end]
        if not text.strip():
            continue
        bold = tuple(p for p in doc.bold_phrases if p and p in text)
        digest = hashlib.sha256(f"{info.doc_id}\x00{text}".encode()).hexdigest()[:16]
        n = seen.get(digest, 0)
        seen[digest] = n + 1
        chunk_id = digest if n == 0 else f"{digest}-{n}"
        page_start, page_end = doc.page_at(start), doc.page_at(max(start, end - 1))
        chunks.append(
            Chunk(
                chunk_id=chunk_id,
                doc_id=info.doc_id,
                text=text,
                title=info.title,
                kind=kind,
                section=sec,
                item=item,
                page_start=page_start,
                page_end=page_end,
                char_start=start,
                char_end=end,
                publisher=info.publisher,
                date=info.date,
                doc_type=info.doc_type,
                place=info.place,
                source=info.source,
                keys=tuple(dict.fromkeys(keys + bold)),
                page_breaks=tuple((o - start, p) for o, p in doc.page_offsets if start < o < end),
                ocr=any(p in info.ocr_pages for p in range(page_start, page_end + 1)),
                sentences=tuple(sentence_spans(text)),
            )
        )
    return chunks


def _table_pieces(text: str, start: int, end: int) -> list[tuple[int, int, tuple[str, ...]]]:
    """A table as chunks of whole rows (at most MAX_WORDS words each); the pieces after the
    first carry the header row as a key, so they are still found by the column names."""
    rows: list[tuple[int, int]] = []
    pos = start
    for line in text[start:end].split("\n"):
        rows.append((pos, pos + len(line)))
        pos += len(line) + 1
    header = text[rows[0][0] : rows[0][1]] if rows else ""
    keys = (header.strip("| ").replace(" | ", ", "),) if header else ()
    pieces: list[tuple[int, int, tuple[str, ...]]] = []
    a, n = rows[0][0], 0
    for r_start, r_end in rows:
        w = _n_words(text[r_start:r_end])
        if n and n + w > MAX_WORDS:
            pieces.append((a, r_start - 1, keys if pieces else ()))
            a, n = r_start, 0
        n += w
    pieces.append((a, end, keys if pieces else ()))
    return pieces


def _strip_number(text: str) -> str:
    return re.sub(r"^\s*\(?\d{1,2}[.)]\s*", "", text).strip()


def _group_body(doc: CleanDocument, blocks: list[Block]) -> list[tuple[int, int]]:
    """Group consecutive body blocks into passages of MIN..MAX words; split long ones."""
    pieces: list[tuple[int, int]] = []
    for blk in blocks:
        if _n_words(doc.text[blk.start : blk.end]) <= MAX_WORDS:
            pieces.append((blk.start, blk.end))
        else:
            pieces.extend(_split_sentences(doc.text, blk.start, blk.end))
    out: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    cur_words = 0
    for a, b in pieces:
        n = _n_words(doc.text[a:b])
        if cur is not None and (cur_words + n > MAX_WORDS and cur_words >= MIN_WORDS // 2):
            out.append(cur)
            cur, cur_words = None, 0
        cur = (cur[0], b) if cur is not None else (a, b)
        cur_words += n
        if cur_words >= MIN_WORDS and n > 0 and cur_words + 40 > MAX_WORDS:
            out.append(cur)
            cur, cur_words = None, 0
    if cur is not None:
        # A short tail joins the previous passage when that stays within bounds.
        if (
            out
            and cur_words < MIN_WORDS // 2
            and _n_words(doc.text[out[-1][0] : cur[1]]) <= MAX_WORDS
        ):
            out[-1] = (out[-1][0], cur[1])
        else:
            out.append(cur)
    return out


def _split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut one long block into ~200-word runs of whole sentences."""
    target = (MIN_WORDS + MAX_WORDS) // 2
    out: list[tuple[int, int]] = []
    cur_start: int | None = None
    cur_end = start
    n = 0
    for a, b in sentence_spans(text[start:end]):
        a, b = a + start, b + start
        w = _n_words(text[a:b])
        if cur_start is not None and n + w > MAX_WORDS:
            out.append((cur_start, cur_end))
            cur_start, n = None, 0
        if cur_start is None:
            cur_start = a
        cur_end = b
        n += w
        if n >= target:
            out.append((cur_start, cur_end))
            cur_start, n = None, 0
    if cur_start is not None:
        out.append((cur_start, cur_end))
    return out
