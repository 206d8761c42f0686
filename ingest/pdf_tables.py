"""Ruled tables in PDF pages, kept as tables: pdfplumber finds them and the page text is rebuilt
as the text above, the table as pipe rows, the text below (instead of a flat run of numbers).

Only pages whose extracted text looks tabular and whose content draws lines are opened with
pdfplumber (it is much slower than pypdf), and only tables drawn with lines are taken:
whitespace-aligned text is too often just two columns of prose.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ingest.tables import pipe_table

if TYPE_CHECKING:
    from ingest.document import RawDocument

_NUMBER = re.compile(r"(?<![\w.,])\d[\d.,]*%?(?![\w])")
#: Path operators a ruled table is drawn with (rectangle, line, curve), as separate tokens.
_PATH_OPERATOR = re.compile(rb"(?<![^\s\]\)>])(?:re|l|c)(?=\s)")
#: Fewest of them a ruled table takes (a 2 x 2 grid: four rectangles, or six lines).
MIN_PATH_OPERATORS = 4


def looks_tabular(text: str) -> bool:
    """Two or more lines holding two or more separate numbers: a candidate table page."""
    rows = sum(1 for line in text.splitlines() if len(_NUMBER.findall(line)) >= 2)
    return rows >= 2


def draws_lines(page: Any) -> bool:
    """Whether a pypdf page could hold a ruled table: its content stream has a few path
    operators, or it paints form XObjects (whose drawings are not read here). A page of
    figures with no drawing is common in policy reports, and pdfplumber took 0.1-0.25 s to
    find no table on each (9 of the coalition agreement's 12 candidate pages)."""
    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        forms = xobjects.get_object().values() if xobjects is not None else ()
        if any(x.get_object().get("/Subtype") == "/Form" for x in forms):
            return True
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
    except Exception:  # unreadable here: let pdfplumber decide, as before
        return True
    return len(_PATH_OPERATOR.findall(data)) >= MIN_PATH_OPERATORS


def _region_text(page: Any, top: float, bottom: float, boxes: list[tuple[float, ...]]) -> str:
    if bottom - top < 1:
        return ""
    region = page.crop((0, top, page.width, bottom), strict=False)

    def outside(obj: dict[str, Any]) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    return str(region.filter(outside).extract_text() or "")


def _page_with_tables(page: Any) -> tuple[str, int] | None:
    """The page text with its ruled tables as pipe rows, and how many; None without tables."""
    found = [t for t in page.find_tables() if t.bbox]
    tables = [(t.bbox, pipe_table(t.extract())) for t in sorted(found, key=lambda t: t.bbox[1])]
    tables = [(bbox, text) for bbox, text in tables if text]
    if not tables:
        return None
    boxes = [bbox for bbox, _ in tables]
    parts: list[str] = []
    top = 0.0
    for bbox, text in tables:
        parts.append(_region_text(page, top, bbox[1], boxes))
        parts.append(text)
        top = bbox[3]
    parts.append(_region_text(page, top, page.height, boxes))
    return "\n\n".join(p for p in parts if p.strip()), len(tables)


def add_tables(doc: RawDocument, drawn: Callable[[int], bool] = lambda number: True) -> None:
    """Rewrite the pages of ``doc`` that hold ruled tables (pages read by OCR are left alone).
    ``drawn(number)``: False when page ``number`` surely draws no table (:func:`draws_lines`)."""
    candidates = [
        n for n, text in doc.pages if n not in doc.ocr_pages and looks_tabular(text) and drawn(n)
    ]
    if not candidates:
        return
    try:
        import pdfplumber
    except ImportError:
        return
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    texts = dict(doc.pages)
    try:
        with pdfplumber.open(doc.path) as pdf:
            for number in candidates:
                try:
                    rebuilt = _page_with_tables(pdf.pages[number - 1])
                except Exception as exc:  # one odd page keeps its plain text
                    doc.warnings.append(f"page {number}: tables not read ({type(exc).__name__})")
                    continue
                if rebuilt is not None:
                    texts[number] = rebuilt[0]
    except Exception as exc:  # pdfplumber cannot open what pypdf could: keep pypdf's text
        doc.warnings.append(f"tables not read ({type(exc).__name__})")
        return
    doc.pages = sorted(texts.items())
