"""A document as a loader hands it to cleaning: pages of raw text, or the structured parts a
Word, OpenDocument or HTML file states explicitly (kept apart from the loaders so each format's
module can build one without importing the dispatcher)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.tables import is_table_line


@dataclass
class Part:
    """One structural unit a structured format states explicitly (no guessing from lines).

    ``kind`` is heading | paragraph | item | bullet | table; ``number`` is a list item's
    number ("2", "2.1"); a table's ``text`` is pipe rows (:mod:`ingest.tables`).
    """

    kind: str
    text: str
    number: str = ""
    page: int = 0


@dataclass
class RawDocument:
    """A file's text before cleaning. Text files have one page numbered 0 (no page numbers).

    Structured formats fill ``parts`` and leave one page 0 holding their plain text.
    """

    path: Path
    pages: list[tuple[int, str]]
    meta: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: PDF pages without extractable text (scanned?) in a document that has text elsewhere.
    textless_pages: list[int] = field(default_factory=list)
    #: What of the text was left out of the index, and why (``ingest.limits``).
    truncated: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    ocr_pages: set[int] = field(default_factory=set)  # pages whose text came from OCR
    #: What the document says about itself (``ingest.metadata``): title, publisher, place, date.
    auto: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> int:
        if self.parts:
            return sum(1 for p in self.parts if p.kind == "table")
        count = 0
        for _, text in self.pages:
            lines = [ln for ln in text.splitlines() if ln.strip()]
            count += sum(
                1
                for i, ln in enumerate(lines)
                if is_table_line(ln) and (i == 0 or not is_table_line(lines[i - 1]))
            )
        return count

    @property
    def page_count(self) -> int:
        return sum(1 for n, _ in self.pages if n > 0)
