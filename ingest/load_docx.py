"""Word (.docx) files as structured parts: headings, numbered and bulleted list items, tables and
paragraphs in document order; title, author and date from the core properties."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ingest.document import Part, RawDocument
from ingest.errors import CorruptFile, EmptyFile
from ingest.office import ListNumbers, open_zip
from ingest.tables import pipe_table

_HEADING_STYLE = re.compile(r"^(heading|kop)\s*\d*$|^title$|^titel$", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _num_formats(document: Any) -> dict[tuple[str, int], str]:
    """numFmt ("bullet", "decimal", ...) per (numId, level) from the numbering part."""
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract: dict[str, dict[int, str]] = {}
    for an in root.iter(f"{_W}abstractNum"):
        levels = {}
        for lvl in an.iter(f"{_W}lvl"):
            fmt = lvl.find(f"{_W}numFmt")
            levels[int(lvl.get(f"{_W}ilvl", "0"))] = fmt.get(f"{_W}val") if fmt is not None else ""
        abstract[an.get(f"{_W}abstractNumId", "")] = levels
    out: dict[tuple[str, int], str] = {}
    for num in root.iter(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        levels = abstract.get(ref.get(f"{_W}val", "") if ref is not None else "", {})
        for level, fmt in levels.items():
            out[(num.get(f"{_W}numId", ""), level)] = fmt or ""
    return out


def _list_info(paragraph: Any, formats: dict[tuple[str, int], str]) -> tuple[str, str, int] | None:
    """(kind, list id, level) of a list paragraph, None for other paragraphs."""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    ppr = paragraph._p.pPr
    numpr = ppr.numPr if ppr is not None else None
    if numpr is not None and numpr.numId is not None and numpr.numId.val != 0:
        num_id = str(numpr.numId.val)
        level = int(numpr.ilvl.val) if numpr.ilvl is not None else 0
        fmt = formats.get((num_id, level), "")
        if fmt == "bullet" or (not fmt and "bullet" in style.lower()):
            return "bullet", num_id, level
        return "item", num_id, level
    level_m = re.search(r"(\d)$", style)
    level = int(level_m.group(1)) - 1 if level_m else 0
    if style.startswith("List Bullet"):
        return "bullet", style, level
    if style.startswith("List Number"):
        return "item", "List Number", level
    return None


def load_docx(path: Path) -> RawDocument:
    """Read a .docx (raises CorruptFile or EncryptedDocument for files that are not Word)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    open_zip(path, "Word (.docx)", "word/document.xml").close()
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many types on damaged parts
        raise CorruptFile(f"Word file not readable ({type(exc).__name__}: {exc})"[:300]) from exc
    formats = _num_formats(document)
    numbers = ListNumbers()
    parts: list[Part] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = [[cell.text for cell in row.cells] for row in block.rows]
            table = pipe_table(rows)
            if table:
                parts.append(Part("table", table))
            continue
        if not isinstance(block, Paragraph):
            continue
        text = re.sub(r"\s+", " ", block.text).strip()
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if _HEADING_STYLE.match(style.strip()):
            parts.append(Part("heading", text))
            continue
        info = _list_info(block, formats)
        if info is None:
            parts.append(Part("paragraph", text))
        elif info[0] == "bullet":
            parts.append(Part("bullet", text))
        else:
            parts.append(Part("item", text, number=numbers.next(info[1], info[2])))
    if not parts:
        raise EmptyFile("the Word file has no text")
    return RawDocument(
        path=path,
        pages=[(0, "\n\n".join(p.text for p in parts))],
        meta=_meta(document),
        parts=parts,
    )


def _meta(document: Any) -> dict[str, str]:
    props = document.core_properties
    meta: dict[str, str] = {}
    if (props.title or "").strip():
        meta["title"] = props.title.strip()
    if (props.author or "").strip():
        meta["author"] = props.author.strip()
    when = props.created or props.modified
    if when is not None:
        meta["date"] = when.date().isoformat()
    return meta
