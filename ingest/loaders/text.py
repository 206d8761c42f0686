"""Plain text and Markdown files: UTF-8 (Windows-1252 as a fallback, with a warning); form
feeds, as in text extracted from PDFs, mark pages."""

from __future__ import annotations

from pathlib import Path

from ingest.document import RawDocument
from ingest.errors import EmptyFile, NotText
from ingest.formats import Loader, PageOcr
from ingest.limits import TextBudget


def load_text(path: Path, ocr: PageOcr | None = None) -> RawDocument:
    """Read a text file, no more of it than the index could hold (the cut is noted)."""
    limit = TextBudget().limit
    with open(path, "rb") as fh:  # no more bytes than the characters the index could hold
        data = fh.read(limit + 1)
    cut = len(data) > limit
    if cut:
        data = data[:limit]
        while data and data[-1] & 0xC0 == 0x80:  # never half a UTF-8 character
            data = data[:-1]
        data = data[:-1] if data and data[-1] >= 0xC0 else data
    if b"\x00" in data[:4096]:
        raise NotText("contains NUL bytes")
    warnings: list[str] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise NotText(f"not UTF-8 (byte {exc.start}) nor Windows-1252") from exc
        warnings.append(f"not UTF-8 (byte {exc.start}); read as Windows-1252")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise NotText(f"{controls} control characters")
    if not text.strip():
        raise EmptyFile("only whitespace")
    # Form feeds mark page breaks in text extracted from PDFs; keep them as pages.
    parts = text.split("\f")
    pages = [(i + 1, t) for i, t in enumerate(parts)] if len(parts) > 1 else [(0, text)]
    doc = RawDocument(path=path, pages=pages, warnings=warnings)
    if cut:
        budget = TextBudget()
        budget.take(text)
        budget.full = True
        doc.truncated.append(budget.note())
    return doc


LOADER = Loader(
    suffixes=(".txt", ".md", ".markdown"),
    names={"nl": "tekst", "en": "text"},
    read=load_text,
    uploads=(".txt", ".md"),
    order=90,
)
