"""Read PDF, text and Markdown files into pages of raw text, with specific errors for bad files."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedPDF,
    IngestError,
    NoTextLayer,
    NotText,
    UnsupportedType,
)

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md", ".markdown")

log = logging.getLogger(__name__)


@dataclass
class RawDocument:
    """A file's text before cleaning. Text files have one page numbered 0 (no page numbers)."""

    path: Path
    pages: list[tuple[int, str]]
    meta: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: PDF pages without extractable text (scanned?) in a document that has text elsewhere.
    textless_pages: list[int] = field(default_factory=list)
    #: What of the text was left out of the index, and why (``ingest.limits``).
    truncated: list[str] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return sum(1 for n, _ in self.pages if n > 0)


def load(path: Path) -> RawDocument:
    """Load one file; raise an :class:`IngestError` subclass that says what is wrong with it."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedType(
            f"{suffix or 'no extension'}; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(str(exc)) from exc
    if size == 0:
        raise EmptyFile("0 bytes")
    if suffix == ".pdf":
        return _load_pdf(path)
    return _load_text(path)


def _load_text(path: Path) -> RawDocument:
    data = path.read_bytes()
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
    return RawDocument(path=path, pages=pages, warnings=warnings)


def _pdf_meta(reader: object) -> dict[str, str]:
    meta: dict[str, str] = {}
    try:
        info = reader.metadata  # type: ignore[attr-defined]
    except Exception:  # broken info dictionaries are common and harmless
        return meta
    if not info:
        return meta
    for key, name in (("/Title", "title"), ("/Author", "author"), ("/Subject", "subject")):
        value = info.get(key)
        if value and str(value).strip():
            meta[name] = str(value).strip()
    raw_date = str(info.get("/CreationDate", "") or "")
    m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", raw_date)
    if m:
        meta["date"] = "-".join(g for g in m.groups() if g)
    return meta


@contextlib.contextmanager
def _pypdf_log() -> Iterator[list[str]]:
    """Collect pypdf's warnings ("EOF marker not found") instead of printing them to stderr:
    they become the file's warnings, or explain why it failed."""
    records: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger = logging.getLogger("pypdf")
    handler, propagate = _Collect(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _damage(path: Path) -> str:
    """What is visibly wrong with a PDF file's bytes: not a PDF at all, or cut off."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, path.stat().st_size - 1024))
        tail = fh.read()
    if b"%PDF-" not in head:
        shown = head[:16].decode("latin-1").encode("unicode_escape").decode("ascii")
        return f"not a PDF file (it starts with '{shown}')"
    if b"%%EOF" not in tail:
        return "the file is truncated (no end-of-file marker)"
    return ""


def _load_pdf(path: Path) -> RawDocument:
    with _pypdf_log() as log_lines:
        doc = _read_pdf(path)
    doc.warnings.extend(dict.fromkeys(f"pypdf: {line}" for line in log_lines[:5]))
    return doc


def _read_pdf(path: Path) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    damage = _damage(path)
    if damage.startswith("not a PDF"):
        raise CorruptFile(damage)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise EncryptedPDF(f"unsupported encryption ({exc})") from exc
            if not ok:
                raise EncryptedPDF("a password is required to open it")
        n_pages = len(reader.pages)
    except IngestError:
        raise
    except FileNotDecryptedError as exc:
        raise EncryptedPDF(str(exc)) from exc
    except Exception as exc:  # pypdf raises many types on damaged files
        raise CorruptFile(damage or f"{type(exc).__name__}: {exc}"[:300]) from exc
    if n_pages == 0:
        raise CorruptFile(damage or "the PDF has no pages")

    pages: list[tuple[int, str]] = []
    warnings: list[str] = [damage + "; what could be read was kept"] if damage else []
    for i in range(n_pages):
        try:
            text = reader.pages[i].extract_text() or ""
        except Exception as exc:  # one bad page must not lose the document
            warnings.append(f"page {i + 1}: text not extractable ({type(exc).__name__})")
            text = ""
        pages.append((i + 1, text))
    textless = [n for n, t in pages if not t.strip()]
    if len(textless) == n_pages:
        raise NoTextLayer(f"none of the {n_pages} pages has extractable text")
    return RawDocument(
        path=path,
        pages=pages,
        meta=_pdf_meta(reader),
        warnings=warnings,
        textless_pages=textless,
    )
