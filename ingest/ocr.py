"""OCR for PDF pages without a text layer: offline Tesseract with the Dutch language data.

Pages are rendered with pypdfium2 (one at a time: pdfium is not thread-safe) and read by the
``tesseract`` command, two pages at once, each process capped at one OpenMP thread. That is the
fast setting on two shared cores: Tesseract's own threads spin against each other and the rest
of the machine (a page took 3.2 s with them, 1.2 s without under load). pytesseract is not used
because it always hands Tesseract this process's environment, so the cap could only be set for
the whole process, embedder included.

Results are cached in a small SQLite file by the file's content hash, page, language,
resolution and Tesseract version, so a re-ingest (a new chunker version, a rebuild, the same
scan under another name) does not OCR again.
"""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ingest.manifest import file_sha256

#: What to install where OCR is missing (Debian/Ubuntu package names).
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-nld"

PageDone = Callable[[int, int, int], None]  # (page number, done, total)


def _tesseract(*args: str, stdin: bytes | None = None) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run(
        ["tesseract", *args], input=stdin, capture_output=True, env=env, check=True, timeout=600
    )
    return done.stdout.decode("utf-8", errors="replace")


@functools.cache
def tesseract_version() -> str:
    return _tesseract("--version").splitlines()[0].strip()


@functools.cache
def missing_reason(lang: str = "nld") -> str:
    """Why OCR cannot run here ('' when it can): the program, its language data, pypdfium2."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return "Python package pypdfium2 is not installed (pip install pypdfium2)"
    if shutil.which("tesseract") is None:
        return f"Tesseract is not installed ({INSTALL_HINT})"
    try:
        langs = set(_tesseract("--list-langs").split())
        tesseract_version()
    except (OSError, subprocess.SubprocessError) as exc:  # a broken installation
        return f"Tesseract does not run ({type(exc).__name__}; {INSTALL_HINT})"
    absent = [code for code in lang.split("+") if code not in langs]
    if absent:
        return f"Tesseract has no '{'+'.join(absent)}' language data ({INSTALL_HINT})"
    return ""


class Ocr:
    """Reads scanned PDF pages; ``on_page`` reports each page (OCR takes seconds per page)."""

    def __init__(
        self,
        cache_path: Path | None,
        lang: str = "nld",
        dpi: int = 300,
        jobs: int = 2,
        on_page: PageDone | None = None,
    ) -> None:
        self.cache_path = cache_path
        self.lang = lang
        self.dpi = dpi
        self.jobs = max(1, jobs)
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

    def _read_image(self, image: Any) -> str:
        with tempfile.NamedTemporaryFile(suffix=".png") as png:
            image.save(png.name)
            return _tesseract(png.name, "stdout", "-l", self.lang, "--dpi", str(self.dpi))

    def read_pages(self, pdf: Path, numbers: list[int]) -> dict[int, str]:
        """The OCR text of the given 1-based pages of ``pdf``."""
        import pypdfium2

        sha = file_sha256(pdf)
        keys = {n: f"{sha}:{n}:{self.lang}:{self.dpi}:{tesseract_version()}" for n in numbers}
        db = self._connect()
        out: dict[int, str] = {}
        done = 0

        def finish(number: int, text: str) -> None:
            nonlocal done
            out[number] = text
            done += 1
            if self.on_page is not None:
                self.on_page(number, done, len(numbers))

        try:
            todo: list[int] = []
            for number in numbers:
                row = (
                    db.execute("SELECT text FROM ocr WHERE key=?", (keys[number],)).fetchone()
                    if db
                    else None
                )
                if row is None:
                    todo.append(number)
                else:
                    finish(number, row[0])
            if not todo:
                return out
            document = pypdfium2.PdfDocument(str(pdf))
            pending: deque[tuple[int, Future[str]]] = deque()

            def collect() -> None:
                number, future = pending.popleft()
                text = future.result()
                self.pages_read += 1
                if db is not None:
                    db.execute("INSERT OR REPLACE INTO ocr VALUES (?, ?)", (keys[number], text))
                    db.commit()
                finish(number, text)

            try:
                with ThreadPoolExecutor(self.jobs) as pool:
                    for number in todo:
                        page = document[number - 1]
                        image = page.render(scale=self.dpi / 72, grayscale=True).to_pil()
                        page.close()
                        pending.append((number, pool.submit(self._read_image, image)))
                        if len(pending) >= 2 * self.jobs:  # bounded: page images are ~9 MB
                            collect()
                    while pending:
                        collect()
            finally:
                document.close()
        finally:
            if db is not None:
                db.close()
        return out
