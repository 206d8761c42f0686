"""The small typed core shared by ingestion, retrieval, drafting and every front end."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.core.sentences import Span, decode_spans, encode_spans, sentence_spans

#: Chroma metadata values must be scalars and never None.
MetaValue = str | int | float | bool


@dataclass(frozen=True, slots=True)
class Chunk:
    """One retrievable passage, with everything a citation needs.

    ``text`` is an exact substring of the cleaned document text at ``char_start:char_end``,
    so quotes taken from it can be located in the source again.
    """

    chunk_id: str
    doc_id: str
    text: str
    title: str
    kind: str  # clause_suggestion | recommendation | list_item | body | table
    section: str = ""
    item: str = ""  # the item number as printed ("2"), empty when not a numbered item
    page_start: int = 0  # 1-based physical PDF page; 0 when the source has no pages
    page_end: int = 0
    char_start: int = 0
    char_end: int = 0
    publisher: str = ""
    date: str = ""
    doc_type: str = ""
    #: The municipality the document is by ("Zeist"), set or inferred (``ingest.metadata``).
    place: str = ""
    source: str = ""  # file name relative to its corpus folder
    #: Extra phrases the chunk should be found by (bold key phrases, item headings).
    keys: tuple[str, ...] = ()
    #: (offset in ``text``, page number) where a new physical page starts inside the chunk, so
    #: a quote is cited with the page it stands on, not the chunk's first page.
    page_breaks: tuple[tuple[int, int], ...] = ()
    #: Its text was read by OCR from a scan (may contain recognition errors).
    ocr: bool = False
    #: The sentence spans of ``text``, computed once at ingest (:func:`sentence_spans`); empty
    #: in an index made before they were stored. Read them with :meth:`sentence_spans`.
    sentences: tuple[Span, ...] = ()

    @property
    def page(self) -> int | None:
        return self.page_start or None

    def to_metadata(self) -> dict[str, MetaValue]:
        special = {"text", "keys", "page_breaks", "sentences"}
        meta = {k: v for k, v in asdict(self).items() if k not in special}
        meta["keys"] = "\n".join(self.keys)
        meta["page_breaks"] = ",".join(f"{o}:{p}" for o, p in self.page_breaks)
        meta["sentences"] = encode_spans(self.sentences)
        return meta

    @classmethod
    def from_metadata(cls, text: str, meta: dict[str, Any]) -> Chunk:
        special = {"keys", "page_breaks", "sentences"}
        fields = {k: meta[k] for k in cls.__dataclass_fields__ if k in meta and k not in special}
        keys = tuple(k for k in str(meta.get("keys", "")).split("\n") if k)
        breaks = tuple(
            (int(o), int(p))
            for o, _, p in (b.partition(":") for b in str(meta.get("page_breaks", "")).split(","))
            if o.strip() and p.strip()
        )
        sentences = decode_spans(meta.get("sentences", ""))
        return cls(text=text, keys=keys, page_breaks=breaks, sentences=sentences, **fields)

    def sentence_spans(self) -> tuple[Span, ...]:
        """The stored sentence spans; an older index's chunk (none stored) is segmented now,
        with the same function ingest uses, so both give the same spans."""
        return self.sentences or tuple(sentence_spans(self.text))

    def page_at(self, offset: int) -> int | None:
        """The physical page on which ``offset`` (in ``text``) stands; None without pages."""
        if not self.page_start:
            return None
        page = self.page_start
        for start, number in self.page_breaks:
            if start <= offset:
                page = number
        return page

    def location(self) -> str:
        """Human-readable place in the source: 'p. 37', 'item 2', 'p. 3 (OCR)'."""
        parts = []
        if self.page_start:
            pages = (
                f"p. {self.page_start}"
                if self.page_end in (0, self.page_start)
                else f"p. {self.page_start}-{self.page_end}"
            )
            parts.append(pages)
        if self.item:
            parts.append(f"item {self.item}")
        where = ", ".join(parts)
        return f"{where} (OCR)" if self.ocr and where else where


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A chunk as returned by retrieval, with where each retriever ranked it."""

    chunk: Chunk
    score: float
    rank: int
    dense_rank: int | None = None
    lexical_rank: int | None = None
    dense_score: float | None = None
    #: Index (in ``representation.sentence_units(chunk)``) of the sentence nearest the question.
    best_sentence: int | None = None
    #: The reranker's score, when one reordered this hit (``JEUGDAKKOORD_RERANKER``).
    rerank_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """One result of ``search --json`` and of the HTTP API's ``/api/search``
        (``rerank_score`` only when a reranker scored it)."""
        c = self.chunk
        out: dict[str, Any] = {
            "rank": self.rank,
            "score": round(self.score, 6),
            "chunk_id": c.chunk_id,
            "doc_id": c.doc_id,
            "title": c.title,
            "page": c.page,
            "page_start": c.page_start or None,
            "page_end": (c.page_end or c.page_start) or None,
            "publisher": c.publisher,
            "date": c.date,
            "section": c.section,
            "item": c.item or None,
            "kind": c.kind,
            "text": c.text,
        }
        if self.rerank_score is not None:
            out["rerank_score"] = round(self.rerank_score, 6)
        return out


@dataclass(frozen=True, slots=True)
class Citation:
    """A numbered reference from an answer sentence to a verbatim quote in a chunk."""

    n: int
    chunk_id: str
    doc_id: str
    title: str
    page: int | None  # the page on which the quote stands
    item: str
    quote: str
    publisher: str = ""
    date: str = ""
    ocr: bool = False  # the quoted page was read by OCR: the text may hold recognition errors

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def location(self) -> str:
        """'p. 3, item 2', with '(OCR)' when the page's text came from OCR."""
        where = ", ".join(
            x
            for x in (
                f"p. {self.page}" if self.page else "",
                f"item {self.item}" if self.item else "",
            )
            if x
        )
        return f"{where} (OCR)" if self.ocr and where else where


@dataclass(slots=True)
class Answer:
    """What the assistant returns: cited answer text, an optional clause draft, or a refusal."""

    question: str
    answer: str
    clause: str = ""
    clause_note: str = ""  # where the clause comes from ("overgenomen uit ..., tekstsuggestie 2")
    citations: list[Citation] = field(default_factory=list)
    refused: bool = False
    reason: str = ""
    hits: list[SearchHit] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    standalone_question: str = ""  # the question as retrieved with (follow-ups made whole)
    notice: str = ""  # e.g. why an LLM draft was replaced by the extractive one
    #: The documents the question named (assistant.scope.Scope.to_dict), {} for none.
    scope: dict[str, Any] = field(default_factory=dict)
    question_type: str = ""  # lookup | overview | comparison | yesno | quantity
    #: Earlier verdicts that changed this answer: {"chunk_id", "verdict", "date"} each.
    learned: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "clause": self.clause,
            "clause_note": self.clause_note,
            "refused": self.refused,
            "reason": self.reason,
            "citations": [c.to_dict() for c in self.citations],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "notice": self.notice,
            "scope": self.scope,
            "question_type": self.question_type,
            "learned": [dict(x) for x in self.learned],
        }
