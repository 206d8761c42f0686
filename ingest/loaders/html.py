"""Web pages (.html) saved from officielebekendmakingen.nl or a municipality's site: the main text
without navigation, footers and scripts (trafilatura), with headings, lists and tables kept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ingest.document import Part, RawDocument
from ingest.errors import NoMainText, NotText, TooLarge
from ingest.formats import Loader, PageOcr
from ingest.limits import MAX_PART_BYTES, mb
from ingest.office import ListNumbers
from ingest.tables import pipe_table

#: <meta> names that carry a publication date or author, most official first.
_DATE_META = ("dcterms.issued", "dcterms.available", "dc.date", "article:published_time", "date")
_AUTHOR_META = ("dcterms.creator", "dc.creator", "author")


def _text(el: Any) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def _parts(main: Any) -> list[Part]:
    numbers = ListNumbers()
    parts: list[Part] = []
    lists = 0

    def walk(el: Any, list_id: str = "", ordered: bool = False, level: int = 0) -> None:
        nonlocal lists
        for child in el:
            tag = child.tag
            if tag == "head":
                if text := _text(child):
                    parts.append(Part("heading", text))
            elif tag in ("p", "quote", "code"):
                if text := _text(child):
                    parts.append(Part("paragraph", text))
            elif tag == "list":
                lists += 1
                walk(child, f"l{lists}", child.get("rend", "") == "ol", level + 1 if list_id else 0)
            elif tag == "item":
                nested = [c for c in child if c.tag == "list"]
                for c in nested:
                    child.remove(c)
                if text := _text(child):
                    number = numbers.next(list_id, level) if ordered else ""
                    parts.append(Part("item" if ordered else "bullet", text, number=number))
                for c in nested:
                    walk(c, list_id, c.get("rend", "") == "ol", level + 1)
            elif tag == "table":
                rows = [[_text(cell) for cell in row.iter("cell")] for row in child.iter("row")]
                if table := pipe_table(rows):
                    parts.append(Part("table", table))
            else:
                walk(child, list_id, ordered, level)

    walk(main)
    return parts


def _meta_tags(html: str) -> dict[str, str]:
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # the extractor copes with what lxml's strict entry point refuses
        return {}
    found = {
        (m.get("name") or m.get("property") or "").lower(): (m.get("content") or "").strip()
        for m in root.iter("meta")
    }
    meta: dict[str, str] = {}
    for key, names in (("date", _DATE_META), ("author", _AUTHOR_META)):
        value = next((found[n] for n in names if found.get(n)), "")
        if value:
            meta[key] = value[:10] if key == "date" else value
    title = root.findtext(".//title")
    if title and title.strip():
        meta["title"] = re.sub(r"\s+", " ", title).strip()
    return meta


def load_html(path: Path, ocr: PageOcr | None = None) -> RawDocument:
    """Read a saved web page; NoMainText when nothing but scripts, styles or navigation."""
    import lxml.etree
    import trafilatura

    size = path.stat().st_size
    if size > MAX_PART_BYTES:
        raise TooLarge(f"{mb(size)}; the limit for a web page is {mb(MAX_PART_BYTES)}")
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise NotText("contains NUL bytes")
    html = data.decode("utf-8", errors="replace")
    extracted = trafilatura.extract(
        html,
        output_format="xml",
        include_tables=True,
        include_comments=False,
        include_formatting=False,
        favor_recall=True,
        with_metadata=False,
    )
    if not extracted:
        raise NoMainText("the page holds no paragraphs of text")
    main = lxml.etree.fromstring(extracted.encode()).find("main")
    parts = _parts(main) if main is not None else []
    if not parts:
        raise NoMainText("the page holds no paragraphs of text")
    text = "\n\n".join(p.text for p in parts)
    return RawDocument(path=path, pages=[(0, text)], meta=_meta_tags(html), parts=parts)


LOADER = Loader(
    suffixes=(".html", ".htm"),
    names={"nl": "HTML", "en": "HTML"},
    read=load_html,
    uploads=(".html",),
    failure_name="HTML",
    order=30,
)
