"""PDF files, page by page with pypdf; pages without a text layer go through OCR
(:mod:`ingest.ocr`) and drawn tables are kept as tables (:mod:`ingest.pdf_tables`)."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.document import RawDocument
from ingest.errors import (
    CorruptFile,
    EncryptedPDF,
    IngestError,
    NoTextLayer,
    OcrFoundNothing,
    TooLarge,
)
from ingest.formats import Loader, PageOcr
from ingest.limits import MAX_PDF_PAGES, TextBudget


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


def load_pdf(path: Path, ocr: PageOcr | None) -> RawDocument:
    """Read a PDF's pages (OCR for scanned ones when ``ocr`` is given)."""
    with _pypdf_log() as log_lines:
        doc = _read_pdf(path, ocr)
    doc.warnings.extend(dict.fromkeys(f"pypdf: {line}" for line in log_lines[:5]))
    return doc


def _read_pdf(path: Path, ocr: PageOcr | None) -> RawDocument:
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


def ocr_missing(ocr: PageOcr | None) -> str:
    if ocr is None:
        return "OCR is switched off (JEUGDAKKOORD_OCR=0)"
    return ocr.missing()


def _ocr_pages(doc: RawDocument, numbers: list[int], ocr: PageOcr | None) -> None:
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


LOADER = Loader(
    suffixes=(".pdf",),
    names={"nl": "PDF", "en": "PDF"},
    read=load_pdf,
    uploads=(".pdf",),
    magic=(b"%PDF",),
    not_magic=("up_not_pdf", {}),
    failure_name="PDF",
    order=0,
)
