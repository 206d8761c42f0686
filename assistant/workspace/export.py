"""A chapter as a Word document whose sources are real footnotes, and as Markdown.

python-docx has no footnote API, so the footnotes part is written here: ``word/footnotes.xml``
(with the separator and continuation-separator notes Word expects), its relationship from the
document part, its content type (python-docx derives the override from the part), the
``w:footnotePr`` in the settings, and a ``w:footnoteReference`` run where each source is cited.
"""

from __future__ import annotations

import io
import re
from typing import Any

from assistant.core.errors import CodedError
from assistant.core.wordlists import DUTCH_MONTHS
from assistant.workspace.chapter import Chapter, Clause, ClauseSource

_MARK = re.compile(r"\s*\[(\d+)\]")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


class EmptyChapter(CodedError, ValueError):
    """There is nothing to export."""

    code = "chapter_empty"


def dutch_date(iso: str) -> str:
    """'2026-03-24' → '24 maart 2026', '2026-04' → 'april 2026'; anything else as given."""
    parts = iso.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {DUTCH_MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
        if len(parts) == 2:
            return f"{DUTCH_MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
    except (ValueError, IndexError):
        pass
    return iso


def where(source: ClauseSource) -> str:
    """The place in the source in the document's own terms: 'tekstsuggestie 2',
    'aanbeveling 4', 'p. 23'."""
    if source.item and source.kind == "clause_suggestion":
        return f"tekstsuggestie {source.item}"
    if source.item and source.kind == "recommendation":
        return f"aanbeveling {source.item}"
    parts = [
        f"p. {source.page}" if source.page else "",
        f"item {source.item}" if source.item else "",
    ]
    return ", ".join(p for p in parts if p) or source.section


def citation_text(source: ClauseSource) -> str:
    """One footnote: organisation, title, date, place, and the quoted passage."""
    publisher = source.publisher.split(" (")[0].strip()
    head = ", ".join(
        x for x in (publisher, source.title, dutch_date(source.date), where(source)) if x
    )
    return f"{head}: “{source.quote}”" if source.quote else f"{head}."


def _segments(clause: Clause) -> list[tuple[str, int | None]]:
    """The clause text cut at its marks: (text, None) pieces and (\"\", source index) marks;
    a source cited twice in one clause gets its footnote at its first mark only."""
    out: list[tuple[str, int | None]] = []
    seen: set[int] = set()
    pos = 0
    for m in _MARK.finditer(clause.text):
        out.append((clause.text[pos : m.start()], None))
        n = int(m.group(1))
        if 1 <= n <= len(clause.sources) and n not in seen:
            seen.add(n)
            out.append(("", n - 1))
        pos = m.end()
    out.append((clause.text[pos:], None))
    return out


def footnotes_xml(notes: list[str]) -> bytes:
    """``word/footnotes.xml``: the two separator notes Word expects, then one note a source
    (ids 1..n, as the ``w:footnoteReference`` runs in the text)."""
    from xml.sax.saxutils import escape

    body = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteRef/></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr>'
        f'<w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
        for i, text in enumerate(notes, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        f"{body}</w:footnotes>"
    ).encode()


def _footnotes_part(package: Any, notes: list[str]) -> Any:
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    return Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, footnotes_xml(notes), package)


def _footnote_settings(document: Any) -> None:
    """``w:footnotePr`` naming the separator notes, as Word writes it."""
    from docx.oxml import parse_xml

    settings = document.settings.element
    if settings.find(f"{{{W_NS}}}footnotePr") is None:
        settings.append(
            parse_xml(
                f'<w:footnotePr xmlns:w="{W_NS}"><w:footnote w:id="-1"/>'
                '<w:footnote w:id="0"/></w:footnotePr>'
            )
        )


def chapter_docx(chapter: Chapter, heading: str = "Concepthoofdstuk") -> bytes:
    """The chapter as .docx: one paragraph per clause, each cited source a footnote."""
    if not chapter.clauses:
        raise EmptyChapter(name=chapter.name)
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = Document()
    doc.add_heading(heading, level=1)
    notes: list[str] = []
    for clause in chapter.clauses:
        para = doc.add_paragraph()
        for text, source in _segments(clause):
            if source is None:
                if text:
                    para.add_run(text)
                continue
            notes.append(citation_text(clause.sources[source]))
            run = para.add_run()
            rpr = run._r.get_or_add_rPr()
            align = OxmlElement("w:vertAlign")
            align.set(qn("w:val"), "superscript")
            rpr.append(align)
            ref = OxmlElement("w:footnoteReference")
            ref.set(qn("w:id"), str(len(notes)))
            run._r.append(ref)
    part = _footnotes_part(doc.part.package, notes)
    doc.part.relate_to(part, FOOTNOTES_RT)
    _footnote_settings(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def chapter_markdown(chapter: Chapter, heading: str = "Concepthoofdstuk") -> str:
    """The chapter as Markdown with footnotes (``[^n]``), edited clauses marked."""
    if not chapter.clauses:
        raise EmptyChapter(name=chapter.name)
    lines = [f"# {heading}", ""]
    notes: list[str] = []
    for clause in chapter.clauses:
        body = ""
        for text, source in _segments(clause):
            if source is None:
                body += text
            else:
                notes.append(citation_text(clause.sources[source]))
                body += f"[^{len(notes)}]"
        lines += [body.strip() + (" *(bewerkt)*" if clause.edited else ""), ""]
    lines += [f"[^{i}]: {n}" for i, n in enumerate(notes, 1)]
    return "\n".join(lines) + "\n"
