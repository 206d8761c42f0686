"""Malformed and oversized Word and OpenDocument files, built in the test (issue #29): each
is a small, real zip whose XML says something a careless or hostile writer could say."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from evals.docgen import odt_file, word_file

_ODT_PARAGRAPH = "<text:p>Deze notitie<text:s/>beschrijft de inzet van de gemeente.</text:p>"


def odt_with(path: Path, paragraph: str) -> Path:
    """A valid .odt whose first paragraph is replaced by ``paragraph`` (raw content XML)."""
    odt_file(path, "Inzet jongerenwerk", ["Een jongerenwerker in elke wijk."], ["Sport"])
    return rewrite_member(path, "content.xml", lambda xml: xml.replace(_ODT_PARAGRAPH, paragraph))


def odt_spaces(path: Path, count: str) -> Path:
    """An .odt with ``<text:s text:c="count"/>`` between two words."""
    return odt_with(path, f'<text:p>Jeugd<text:s text:c="{count}"/>zorg in de wijk.</text:p>')


def word_table(path: Path, first_cell: str = "", cell_props: str = "") -> Path:
    """A valid .docx with a 2x2 table whose first cell gets ``cell_props`` (w:tcPr content)."""
    word_file(
        path,
        "Onze punten",
        "Wij kiezen voor kinderen.",
        ["Gratis zwemles."],
        [["Jaar", "Budget"], ["2024", "4.987.000"]],
    )
    if not cell_props:
        return path

    def patch(xml: str) -> str:
        tc = re.search(r"<w:tc>(<w:tcPr>)?", xml)
        assert tc is not None, "the generated table has no cell"
        head = tc.group(0)
        if head.endswith("<w:tcPr>"):
            return xml.replace(head, f"{head}{cell_props}", 1)
        return xml.replace(head, f"<w:tc><w:tcPr>{cell_props}</w:tcPr>", 1)

    return rewrite_member(path, "word/document.xml", patch)


def word_numbered(path: Path, num_id: str) -> Path:
    """A valid .docx whose list item names the numbering ``num_id`` (w:numPr)."""
    word_table(path)
    numbered = (
        '<w:pPr><w:pStyle w:val="ListNumber"/><w:numPr><w:ilvl w:val="0"/>'
        f'<w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
    )
    return rewrite_member(
        path,
        "word/document.xml",
        lambda xml: xml.replace('<w:pPr><w:pStyle w:val="ListNumber"/></w:pPr>', numbered, 1),
    )


def rewrite_member(path: Path, name: str, change: object) -> Path:
    """Rewrite one zip member's text with ``change`` (a str -> str function), keeping the rest."""
    with zipfile.ZipFile(path) as z:
        members = [(info, z.read(info)) for info in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            if info.filename == name:
                data = change(data.decode("utf-8")).encode("utf-8")  # type: ignore[operator]
            out.writestr(info.filename, data)
    path.write_bytes(buf.getvalue())
    return path


def word_bomb(path: Path, paragraphs: int) -> Path:
    """A .docx whose document.xml holds ``paragraphs`` short paragraphs (deflates ~250:1)."""
    word_table(path)
    body = "<w:p><w:r><w:t>ja</w:t></w:r></w:p>" * paragraphs
    return rewrite_member(
        path, "word/document.xml", lambda xml: xml.replace("<w:body>", f"<w:body>{body}", 1)
    )
