"""OCR for PDF pages without a text layer: offline Tesseract with the Dutch language data.

Pages are rendered with pypdfium2 and read by Tesseract (pytesseract). Results are cached in a
small SQLite file by the file's content hash, page, language and resolution, so a re-ingest
(a new chunker version, a rebuild, the same scan under another name) does not OCR again.
"""

from __future__ import annotations

import functools
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from ingest.manifest import file_sha256

#: What to install where OCR is missing (Debian/Ubuntu package names).
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-nld"

PageDone = Callable[[int, int, int], None]  # (page number, done, total)


@functools.cache
def missing_reason(lang: str = "nld") -> str:
    """Why OCR cannot run here ('' when it can): the binary, its language data or pytesseract."""
    try:
        import pypdfium2  # noqa: F401
        import pytesseract
    except ImportError as exc:
        return f"Python package {exc.name} is not installed (pip install pytesseract pypdfium2)"
    if shutil.which("tesseract") is None:
        return f"Tesseract is not installed ({INSTALL_HINT})"
    try:
        langs = set(pytesseract.get_languages(config=""))
    except Exception as exc:  # a broken installation
        return f"Tesseract does not run ({type(exc).__name__}: {exc}; {INSTALL_HINT})"
    if lang not in langs:
        return f"Tesseract has no '{lang}' language data ({INSTALL_HINT})"
    return ""


class Ocr:
    """Reads scanned PDF pages; ``on_page`` reports each page (OCR takes seconds per page)."""

    def __init__(
        self,
        cache_path: Path | None,
        lang: str = "nld",
        dpi: int = 300,
        on_page: PageDone | None = None,
    ) -> None:
        self.cache_path = cache_path
        self.lang = lang
        self.dpi = dpi
        self.on_page = on_page
        self.pages_read = 0  # pages Tesseract really read (not from the cache)

    def missing(self) -> str:
        return missing_reason(self.lang)

    def _connect(self) -> sqlite3.Connection | None:
        if self.cache_path is None:
            return None
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.cache_path)
        db.execute("CREATE TABLE IF NOT EXISTS ocr (key TEXT PRIMARY KEY, text TEXT NOT NULL)")
        return db

    def read_pages(self, pdf: Path, numbers: list[int]) -> dict[int, str]:
        """The OCR text of the given 1-based pages of ``pdf``."""
        import pypdfium2
        import pytesseract

        version = str(pytesseract.get_tesseract_version())
        sha = file_sha256(pdf)
        db = self._connect()
        out: dict[int, str] = {}
        document = None
        try:
            for done, number in enumerate(numbers, 1):
                key = f"{sha}:{number}:{self.lang}:{self.dpi}:{version}"
                row = (
                    db.execute("SELECT text FROM ocr WHERE key=?", (key,)).fetchone()
                    if db
                    else None
                )
                if row is not None:
                    out[number] = row[0]
                else:
                    if document is None:
                        document = pypdfium2.PdfDocument(str(pdf))
                    page = document[number - 1]
                    image = page.render(scale=self.dpi / 72, grayscale=True).to_pil()
                    page.close()
                    text = pytesseract.image_to_string(image, lang=self.lang)
                    out[number] = text
                    self.pages_read += 1
                    if db is not None:
                        db.execute("INSERT OR REPLACE INTO ocr VALUES (?, ?)", (key, text))
                        db.commit()
                if self.on_page is not None:
                    self.on_page(number, done, len(numbers))
        finally:
            if document is not None:
                document.close()
            if db is not None:
                db.close()
        return out
