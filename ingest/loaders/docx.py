"""Word (.docx) files as structured parts: headings, numbered and bulleted list items, tables and
paragraphs in document order; title, author and date from the core properties.

The zip and ``word/document.xml`` are checked against :mod:`ingest.limits` before python-docx
parses them, and numbers python-docx would trust (``w:gridSpan``, ``w:numId``, ``w:vMerge`` in a
first row) are read from the raw XML here, clamped or refused with the attribute's name."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ingest.document import Part, RawDocument
from ingest.errors import CorruptFile, EmptyFile
from ingest.formats import Loader, PageOcr
from ingest.limits import TextBudget
from ingest.office import (
    OLE_MAGIC,
    ListNumbers,
    check_counts,
    open_zip,
    read_member,
    repeat_count,
    xml_number,
)
from ingest.tables import pipe_table

_HEADING_STYLE = re.compile(r"^(heading|kop)\s*\d*$|^title$|^titel$", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_KIND = "Word file"
_TABS = (f"{_W}tab", f"{_W}ptab")


def _val(el: Any, child: str) -> str | None:
    """The raw ``w:val`` of ``el``'s child ``w:<child>`` (None when either is absent)."""
    found = el.find(f"{_W}{child}") if el is not None else None
    return found.get(f"{_W}val") if found is not None else None


def _paragraph_text(p: Any) -> str:
    """A ``w:p``'s text as python-docx's ``Paragraph.text`` reads it (its runs and those of
    its hyperlinks), without the XPath per paragraph that cost ~0.5 ms each."""
    out: list[str] = []
    for child in p.iterchildren(f"{_W}r", f"{_W}hyperlink"):
        runs = [child] if child.tag == f"{_W}r" else child.iterchildren(f"{_W}r")
        for run in runs:
            for el in run:
                tag = el.tag
                if tag == f"{_W}t":
                    out.append(el.text or "")
                elif tag in _TABS:
                    out.append("\t")
                elif tag == f"{_W}cr" or (
                    tag == f"{_W}br" and el.get(f"{_W}type", "textWrapping") == "textWrapping"
                ):
                    out.append("\n")
                elif tag == f"{_W}noBreakHyphen":
                    out.append("-")
    return "".join(out)


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
            level = xml_number(lvl.get(f"{_W}ilvl", "0"), "w:ilvl", _KIND)
            levels[level] = _val(lvl, "numFmt") or ""
        abstract[an.get(f"{_W}abstractNumId", "")] = levels
    out: dict[tuple[str, int], str] = {}
    for num in root.iter(f"{_W}num"):
        levels = abstract.get(_val(num, "abstractNumId") or "", {})
        for level, fmt in levels.items():
            out[(num.get(f"{_W}numId", ""), level)] = fmt
    return out


def _list_info(
    paragraph: Any, style: str, formats: dict[tuple[str, int], str]
) -> tuple[str, str, int] | None:
    """(kind, list id, level) of a list paragraph, None for other paragraphs."""
    ppr = paragraph._p.pPr
    numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
    raw_id = _val(numpr, "numId")
    if raw_id is not None and xml_number(raw_id, "w:numId", _KIND) != 0:
        num_id = str(xml_number(raw_id, "w:numId", _KIND))
        raw_level = _val(numpr, "ilvl")
        level = min(xml_number(raw_level, "w:ilvl", _KIND), 8) if raw_level is not None else 0
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


def _table_rows(table: Any) -> list[list[str]]:
    """Cell texts per row, read from the XML: a cell spanning n columns (``w:gridSpan``,
    clamped) fills n columns and a vertically merged one repeats the text above it, as in
    python-docx's ``row.cells``, which raised on a span that is not a number and on a merge
    in the first row, and allocated a cell per spanned column."""
    rows: list[list[str]] = []
    for tr in table._tbl.tr_lst:
        above = rows[-1] if rows else []
        row: list[str] = []
        for tc in tr.tc_lst:
            props = tc.find(f"{_W}tcPr")
            span = repeat_count(_val(props, "gridSpan"), "w:gridSpan", _KIND)
            merge = props.find(f"{_W}vMerge") if props is not None else None
            continued = merge is not None and merge.get(f"{_W}val", "continue") == "continue"
            text = "" if continued else "\n".join(map(_paragraph_text, tc.iterchildren(f"{_W}p")))
            for _ in range(span):
                col = len(row)
                row.append(above[col] if continued and col < len(above) else text)
        rows.append(row)
    return rows


class _Styles:
    """Paragraph style names by style id: python-docx looks each one up in the styles part,
    which cost about 2 ms a paragraph."""

    def __init__(self) -> None:
        self.names: dict[str | None, str] = {}

    def name(self, paragraph: Any) -> str:
        style_id = paragraph._p.style
        if style_id not in self.names:
            style = paragraph.style
            self.names[style_id] = (style.name if style is not None else "") or ""
        return self.names[style_id]


def load_docx(path: Path, ocr: PageOcr | None = None) -> RawDocument:
    """Read a .docx (raises CorruptFile or EncryptedDocument for files that are not Word,
    TooLarge for one over a bound of :mod:`ingest.limits`)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    with open_zip(path, "Word (.docx)", "word/document.xml") as archive:
        body = read_member(archive, "word/document.xml")
    check_counts(body, (f"{_W}p",), (f"{_W}tc",), "Word")
    del body
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many types on damaged parts
        raise CorruptFile(f"Word file not readable ({type(exc).__name__}: {exc})"[:300]) from exc
    formats = _num_formats(document)
    numbers = ListNumbers()
    styles = _Styles()
    budget = TextBudget()
    parts: list[Part] = []
    for block in document.iter_inner_content():
        if budget.full:
            break
        if isinstance(block, Table):
            table = pipe_table(_table_rows(block))
            if table and budget.take(table):
                parts.append(Part("table", table))
            continue
        if not isinstance(block, Paragraph):
            continue
        text = re.sub(r"\s+", " ", _paragraph_text(block._p)).strip()
        if not text or not budget.take(text):
            continue
        style = styles.name(block)
        if _HEADING_STYLE.match(style.strip()):
            parts.append(Part("heading", text))
            continue
        info = _list_info(block, style, formats)
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
        truncated=[budget.note()] if budget.full else [],
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


LOADER = Loader(
    suffixes=(".docx",),
    names={"nl": "Word", "en": "Word"},
    read=load_docx,
    uploads=(".docx",),
    # A zip, or an encrypted (password-protected) Office file, which ingest reports as such.
    magic=(b"PK\x03\x04", OLE_MAGIC),
    not_magic=("up_not_office", {"kind": "Word"}),
    failure_name=_KIND,
    order=10,
)
