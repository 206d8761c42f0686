"""Scanned documents in ``make bench``: a 50-page scan (Dutch text from the corpus rendered as
300-dpi page images, no text layer) ingested with real Tesseract OCR into a fresh index.

Reports the OCR seconds per page (on this machine's cores; Tesseract uses them all), the ingest
time of the whole scanned PDF and of a rebuild that reads the OCR cache instead.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from evals.docgen import scanned_pdf
from ingest.pipeline import Progress

ROOT = Path(__file__).resolve().parent.parent
LINES_PER_PAGE = 38


class _OcrClock(Progress):
    """When file reading started and when each scanned page was done."""

    def __init__(self) -> None:
        self.started = 0.0
        self.pages: list[float] = []

    def files(self, total: int) -> None:
        self.started = time.perf_counter()

    def ocr_page(self, key: str, page: int, done: int, total: int) -> None:
        self.pages.append(time.perf_counter())


def scanned_text(pages: int) -> list[list[str]]:
    """``pages`` pages of running Dutch text from the corpus, LINES_PER_PAGE lines each."""
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt")))
    lines = textwrap.wrap(" ".join(text.split()), 70)
    return [
        [lines[(n * LINES_PER_PAGE + i) % len(lines)] for i in range(LINES_PER_PAGE)]
        for n in range(pages)
    ]


def scanned_slice(pages: int = 50) -> dict[str, Any]:
    from assistant.core.settings import Settings
    from ingest.ocr import missing_reason
    from ingest.pipeline import ingest

    reason = missing_reason("nld")
    if reason:
        return {"scanned_ocr": f"not measured: {reason}"}
    work = Path(tempfile.mkdtemp(prefix="jeugdakkoord-bench-ocr-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        scanned_pdf(corpus / "scan.pdf", scanned_text(pages), size=40)
        settings = Settings(corpus_dirs=(corpus,), index_dir=work / "index")
        clock = _OcrClock()
        t0 = time.perf_counter()
        first = ingest(settings, progress=clock)
        ingest_s = time.perf_counter() - t0
        assert first.ok and first.ocr_pages == pages, (first.failed, first.ocr_pages)
        ocr_s = clock.pages[-1] - clock.started
        t0 = time.perf_counter()
        again = ingest(settings, rebuild=True)
        rebuild_s = time.perf_counter() - t0
        return {
            "scanned_pages": pages,
            "scanned_cores": len(os.sched_getaffinity(0)),
            "scanned_ocr_s_per_page": round(ocr_s / pages, 2),
            "scanned_ingest_s": round(ingest_s, 1),
            "scanned_chunks": first.chunks,
            "scanned_rebuild_cached_ocr_s": round(rebuild_s, 1),
            "scanned_rebuild_ocr_pages_read": again.ocr_read,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
