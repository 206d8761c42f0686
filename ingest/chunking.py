"""Structure-aware chunking: numbered items stay whole, sections follow headings, body text
is cut into passages of roughly 120-300 words at sentence boundaries."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from assistant.core.divisions import Rank, closes, split_heading
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


class _Span(NamedTuple):
    """A passage to be: its characters in the document, kind, item number, section, keys."""

    start: int
    end: int
    kind: str
    item: str
    section: str
    keys: tuple[str, ...]


def chunk_document(doc: CleanDocument, info: DocInfo) -> list[Chunk]:
    """Cut a cleaned document into chunks that carry their section, item and pages."""
    spans = _Sections(doc).walk()
    # An over-long passage (a table of codes, text without sentence ends) is split, so that
    # no chunk is far beyond what the embedding models read.
    spans = [
        span._replace(start=a, end=b)
        for span in spans
        for a, b in split_span(doc.text, span.start, span.end)
    ]
    return _chunks(doc, info, spans)


class _Sections:
    """Walks a document's blocks in order, under the chapter and heading each falls in, and
    makes them spans: numbered items whole, tables by rows, body text grouped."""

    def __init__(self, doc: CleanDocument) -> None:
        self.doc = doc
        self.spans: list[_Span] = []
        self.chapter = ""
        self.divisions: list[tuple[Rank, str]] = []  # (rank, heading) of the open divisions
        self.heading = ""
        self.pending: list[Block] = []  # body blocks waiting to be grouped

    def walk(self) -> list[_Span]:
        i = 0
        while i < len(self.doc.blocks):
            i = self._step(i)
        self._flush()
        return self.spans

    def _add(
        self, start: int, end: int, kind: str, item: str = "", keys: tuple[str, ...] = ()
    ) -> None:
        parts = (self.chapter, *(d for _, d in self.divisions), self.heading)
        section = " › ".join(x for x in parts if x)
        self.spans.append(_Span(start, end, kind, item, section, keys))

    def _flush(self) -> None:
        for a, b in _group_body(self.doc, self.pending):
            self._add(a, b, "body")
        self.pending.clear()

    def _step(self, i: int) -> int:
        """Take block ``i`` (and an item's own paragraphs); the index of the next block."""
        doc, b = self.doc, self.doc.blocks[i]
        if b.kind == "item":
            return self._item(i)
        if b.kind == "table":
            self._flush()
            for a, z, keys in _table_pieces(doc.text, b.start, b.end):
                self._add(a, z, "table", "", keys)
        elif b.kind == "bullet" and doc.structured:
            # A party programme's bullet points stay whole, one item each.
            self._flush()
            self._add(b.start, b.end, item_kind(self.heading))
        elif b.kind == "heading":
            self._flush()
            self._heading(doc.text[b.start : b.end].strip())
        else:
            self.pending.append(b)
        return i + 1

    def _heading(self, text: str) -> None:
        """A heading that opens a division closes the divisions it outranks or equals; the
        article heading a division's heading often runs into ("§ 3 Vrijstellingen Artikel 5
        Gronden ...", merged lines) is the heading of what follows."""
        opened, rest = split_heading(text)
        for rank, division in opened:
            self.divisions = [d for d in self.divisions if not closes(rank, d[0])]
            self.divisions.append((rank, division))
            if rank[0] <= 1:
                self.chapter = ""  # a chapter of legislation closes a numbered chapter
        self.heading = rest

    def _item(self, i: int) -> int:
        """A numbered item: a chapter title, body text (an ordinary list), or an item chunk
        (recommendations, clause suggestions, a structured format's list items)."""
        doc, blocks = self.doc, self.doc.blocks
        b = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
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
            self._flush()
            self.chapter = doc.text[b.start : b.end].strip()
            self.divisions = []
            self.heading = ""
            return i + 1
        kind = item_kind(self.heading)
        if kind == "list_item" and not doc.structured:
            # Ordinary numbered lists (law articles' clauses, plans) read as body text.
            self.pending.append(Block(kind="paragraph", start=b.start, end=end, number=b.number))
            return j
        self._flush()
        title = doc.text[b.start : b.end] if j > i + 1 else ""
        keys = tuple(k for k in (self.heading, _strip_number(title)) if k)
        # An over-long item: runs of whole sentences, each a chunk with the item's number.
        pieces = (
            _split_sentences(doc.text, b.start, end)
            if _n_words(item_text) > MAX_ITEM_WORDS
            else [(b.start, end)]
        )
        for a, z in pieces:
            self._add(a, z, kind, b.number, keys)
        return j


def _chunks(doc: CleanDocument, info: DocInfo, spans: list[_Span]) -> list[Chunk]:
    """The chunks of the spans, with ids unique in the document and their pages."""
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
