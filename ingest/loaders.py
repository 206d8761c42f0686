"""Read documents into pages of raw text (PDF, text, Markdown) or structured parts (Word,
OpenDocument, web pages), with specific errors for bad files. One module per format:
``load_docx``, ``load_odt``, ``load_html``; PDF pages without a text layer go through ``ocr``."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.document import SUPPORTED_SUFFIXES, Part, RawDocument
from ingest.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedPDF,
    IngestError,
    NoTextLayer,
    NotText,
    OcrFoundNothing,
    TooLarge,
    UnsupportedType,
)
from ingest.limits import MAX_PART_BYTES, MAX_PDF_PAGES, TextBudget, mb

if TYPE_CHECKING:
    from ingest.ocr import Ocr

__all__ = ["SUPPORTED_SUFFIXES", "Part", "RawDocument", "load"]


log = logging.getLogger(__name__)

#: How a failure reason names each format ("malformed ODT: text:c is not a number").
_KIND = {".pdf": "PDF", ".docx": "Word file", ".odt": "ODT", ".html": "HTML", ".htm": "HTML"}


def load(path: Path, ocr: Ocr | None = None) -> RawDocument:
    """Load one file; raise an :class:`IngestError` subclass that says what is wrong with it.

    ``ocr`` reads PDF pages that have no text layer; without it they stay empty (reported).
    Whatever else a parser raises on a malformed file (ValueError, KeyError, XML errors,
    RecursionError, MemoryError, ...) becomes that file's failure too, never the ingest's.
    """
    kind = _KIND.get(path.suffix.lower(), "text file")
    try:
        return _load(path, ocr)
    except IngestError:
        raise
    except MemoryError:
        raise TooLarge(f"ran out of memory reading the {kind}") from None
    except RecursionError:
        raise CorruptFile(f"malformed {kind}: nested too deeply") from None
    except Exception as exc:  # a parser's error on a malformed file
        log.debug("loading %s failed", path, exc_info=True)
        raise CorruptFile(f"malformed {kind}: {type(exc).__name__}: {exc}"[:300]) from exc


def _load(path: Path, ocr: Ocr | None) -> RawDocument:
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
        return _load_pdf(path, ocr)
    if suffix == ".docx":
        from ingest.load_docx import load_docx

        return load_docx(path)
    if suffix == ".odt":
        from ingest.load_odt import load_odt

        return load_odt(path)
    if suffix in (".html", ".htm"):
        from ingest.load_html import load_html

        if size > MAX_PART_BYTES:
            raise TooLarge(f"{mb(size)}; the limit for a web page is {mb(MAX_PART_BYTES)}")
        return load_html(path)
    return _load_text(path)


def _load_text(path: Path) -> RawDocument:
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


def _load_pdf(path: Path, ocr: Ocr | None) -> RawDocument:
    with _pypdf_log() as log_lines:
        doc = _read_pdf(path, ocr)
    doc.warnings.extend(dict.fromkeys(f"pypdf: {line}" for line in log_lines[:5]))
    return doc


def _read_pdf(path: Path, ocr: Ocr | None) -> RawDocument:
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
    if n_pages > MAX_PDF_PAGES:
        raise TooLarge(f"{n_pages:,} pages; the limit is {MAX_PDF_PAGES:,} pages per PDF")

    pages: list[tuple[int, str]] = []
    warnings: list[str] = [damage + "; what could be read was kept"] if damage else []
    budget = TextBudget()
    for i in range(n_pages):
        try:
            text = reader.pages[i].extract_text() or ""
        except Exception as exc:  # one bad page must not lose the document
            warnings.append(f"page {i + 1}: text not extractable ({type(exc).__name__})")
            text = ""
        if not budget.take(text):
            break
        pages.append((i + 1, text))
    doc = RawDocument(path=path, pages=pages, meta=_pdf_meta(reader), warnings=warnings)
    doc.truncated.extend([budget.note()] if budget.full else [])
    scanned = [n for n, t in pages if needs_ocr(t) and _has_image(reader, n - 1)]
    if scanned:
        _ocr_pages(doc, scanned, ocr)
    # Pages still without text are named in the summary (a partly scanned PDF keeps the rest).
    doc.textless_pages = [n for n, t in doc.pages if not t.strip()]
    if len(doc.textless_pages) == n_pages:
        if scanned and not ocr_missing(ocr):
            raise OcrFoundNothing(f"none of the {n_pages} pages has text, not even after OCR")
        hint = f"; OCR is not available ({ocr_missing(ocr)})" if scanned else ""
        raise NoTextLayer(f"none of the {n_pages} pages has extractable text{hint}")
    from ingest.pdf_tables import add_tables, draws_lines

    add_tables(doc, drawn=lambda number: draws_lines(reader.pages[number - 1]))
    return doc


def needs_ocr(text: str) -> bool:
    """A page with (almost) no extractable text: a scan, perhaps with a stamped page number."""
    return len(re.findall(r"\w", text)) < 20


def _has_image(reader: object, index: int) -> bool:
    """Whether a page draws an image (a scan does; a blank page or a bare title does not)."""
    try:
        page: Any = reader.pages[index]  # type: ignore[attr-defined]
        resources: Any = page.get("/Resources")
        xobjects: Any = resources.get_object().get("/XObject") if resources else None
        if not xobjects:
            return False
        xobjects = xobjects.get_object()
        return any(xobjects[name].get_object().get("/Subtype") == "/Image" for name in xobjects)
    except Exception:  # unreadable resources: try OCR rather than lose a page
        return True


def ocr_missing(ocr: Ocr | None) -> str:
    if ocr is None:
        return "OCR is switched off (JEUGDAKKOORD_OCR=0)"
    return ocr.missing()


def _ocr_pages(doc: RawDocument, numbers: list[int], ocr: Ocr | None) -> None:
    """Replace the text of pages without a text layer by their OCR text (cached)."""
    reason = ocr_missing(ocr)
    if ocr is None or reason:
        if len(numbers) < len(doc.pages):
            doc.warnings.append(f"scanned pages not read: {reason}")
        return
    texts = ocr.read_pages(doc.path, numbers)
    found = dict(doc.pages)
    for number, text in texts.items():
        if text.strip():
            found[number] = text
            doc.ocr_pages.add(number)
    doc.pages = sorted(found.items())
    empty = len(numbers) - len(doc.ocr_pages)
    if doc.ocr_pages and empty:
        doc.warnings.append(f"OCR found no text on {empty} of {len(numbers)} scanned pages")
