"""OpenDocument text (.odt) as structured parts, read from the zip's content.xml and meta.xml with
the standard library: headings, numbered and bulleted lists, tables, paragraphs."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from ingest.document import Part, RawDocument
from ingest.errors import CorruptFile, EmptyFile, EncryptedDocument
from ingest.formats import Loader, PageOcr
from ingest.limits import TextBudget
from ingest.office import (
    OLE_MAGIC,
    ListNumbers,
    check_counts,
    open_zip,
    read_member,
    repeat_count,
)
from ingest.tables import pipe_table

_KIND = "ODT"

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


def _text(el: ET.Element) -> str:
    """The visible text of an element: <text:s/> is spaces, tabs and line breaks are spaces."""
    out: list[str] = [el.text or ""]
    for child in el:
        if child.tag == _q("text:s"):
            out.append(" " * repeat_count(child.get(_q("text:c")), "text:c", _KIND))
        elif child.tag in (_q("text:tab"), _q("text:line-break")):
            out.append(" ")
        elif child.tag != _q("text:note"):  # footnote bodies are not running text
            out.append(_text(child))
        out.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _bullet_styles(*roots: ET.Element) -> set[str]:
    """Names of list styles whose first level is a bullet (the rest are numbered)."""
    out: set[str] = set()
    for root in roots:
        for style in root.iter(_q("text:list-style")):
            first = next(iter(style), None)
            if first is not None and first.tag == _q("text:list-level-style-bullet"):
                out.add(style.get(_q("style:name"), ""))
    return out


class _Reader:
    def __init__(self, bullets: set[str]) -> None:
        self.bullets = bullets
        self.numbers = ListNumbers()
        self.parts: list[Part] = []
        self.lists = 0
        self.budget = TextBudget()

    def add(self, part: Part) -> None:
        if self.budget.take(part.text):
            self.parts.append(part)

    def block(self, el: ET.Element) -> None:
        if self.budget.full:
            return
        if el.tag == _q("text:h"):
            if text := _text(el):
                self.add(Part("heading", text))
        elif el.tag == _q("text:p"):
            if text := _text(el):
                self.add(Part("paragraph", text))
        elif el.tag == _q("text:list"):
            self.lists += 1
            style = el.get(_q("text:style-name"), "")
            self.list(el, style, f"list{self.lists}", 0)
        elif el.tag == _q("table:table"):
            rows = [
                [_text(cell) for cell in row.iter(_q("table:table-cell"))]
                for row in el.iter(_q("table:table-row"))
            ]
            if table := pipe_table(rows):
                self.add(Part("table", table))
        elif el.tag == _q("text:section"):
            for child in el:
                self.block(child)

    def list(self, el: ET.Element, style: str, list_id: str, level: int) -> None:
        style = el.get(_q("text:style-name"), style)
        kind = "bullet" if style in self.bullets else "item"
        for item in el.findall(_q("text:list-item")):
            first = True  # an item's later paragraphs are its body, not new items
            for child in item:
                if child.tag == _q("text:list"):
                    self.list(child, style, list_id, level + 1)
                elif child.tag in (_q("text:p"), _q("text:h")) and (text := _text(child)):
                    if first:
                        number = self.numbers.next(list_id, level) if kind == "item" else ""
                        self.add(Part(kind, text, number=number))
                        first = False
                    else:
                        self.add(Part("paragraph", text))
                else:
                    self.block(child)


def load_odt(path: Path, ocr: PageOcr | None = None) -> RawDocument:
    """Read an .odt (raises CorruptFile or EncryptedDocument for files that are not one)."""
    with open_zip(path, "OpenDocument text (.odt)", "content.xml") as archive:
        names = set(archive.namelist())
        manifest = b""
        if "META-INF/manifest.xml" in names:
            manifest = read_member(archive, "META-INF/manifest.xml")
        if b"encryption-data" in manifest:
            raise EncryptedDocument("the OpenDocument file is password-protected")
        try:
            data = read_member(archive, "content.xml")
            check_counts(
                data, (_q("text:p"), _q("text:h")), (_q("table:table-cell"),), "OpenDocument"
            )
            content = ET.fromstring(data)
            styles = _xml(archive, "styles.xml") if "styles.xml" in names else None
            meta_xml = _xml(archive, "meta.xml") if "meta.xml" in names else None
        except (ET.ParseError, KeyError, OSError) as exc:
            raise CorruptFile(f"OpenDocument XML not readable ({exc})") from exc
    body = content.find(f"{_q('office:body')}/{_q('office:text')}")
    if body is None:
        raise CorruptFile("an OpenDocument file, but not a text document (no office:text)")
    reader = _Reader(_bullet_styles(content, *([styles] if styles is not None else [])))
    for el in body:
        reader.block(el)
    if not reader.parts:
        raise EmptyFile("the OpenDocument file has no text")
    text = "\n\n".join(p.text for p in reader.parts)
    doc = RawDocument(path=path, pages=[(0, text)], meta=_meta(meta_xml), parts=reader.parts)
    doc.truncated.extend([reader.budget.note()] if reader.budget.full else [])
    return doc


def _xml(archive: zipfile.ZipFile, name: str) -> ET.Element:
    return ET.fromstring(read_member(archive, name))


def _meta(root: ET.Element | None) -> dict[str, str]:
    if root is None:
        return {}
    meta: dict[str, str] = {}
    for key, tags in (
        ("title", ("dc:title",)),
        ("author", ("meta:initial-creator", "dc:creator")),
        ("date", ("meta:creation-date", "dc:date")),
    ):
        for tag in tags:
            el = root.find(f".//{_q(tag)}")
            value = (el.text or "").strip() if el is not None else ""
            if value:
                meta[key] = value[:10] if key == "date" else value
                break
    return meta


LOADER = Loader(
    suffixes=(".odt",),
    names={"nl": "OpenDocument", "en": "OpenDocument"},
    read=load_odt,
    uploads=(".odt",),
    magic=(b"PK\x03\x04", OLE_MAGIC),
    not_magic=("up_not_office", {"kind": "OpenDocument"}),
    failure_name=_KIND,
    order=20,
)
