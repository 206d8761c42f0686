"""Positions and the topic matrix as Markdown, CSV and Word: for pasting and for sharing."""

from __future__ import annotations

import csv
import io

from assistant.positions.compare import MESSAGES, Comparison, Matrix, Position


def _cell(p: Position, lang: str) -> str:
    """One Markdown table cell: key phrase, gist and where, or "not addressed"."""
    if not p.addressed:
        return f"*{MESSAGES[lang]['not_addressed']}*"
    parts = []
    for q in p.quotes:
        key = f"**{_md(q.key_phrase)}** — " if q.key_phrase else ""
        where = f" ({_md(q.where)})" if q.where else ""
        parts.append(f"{key}“{_md(q.gist)}”{where}")
    return "<br>".join(parts)


def _md(text: str) -> str:
    """Document text made inert in a Markdown table (no pipes, emphasis or HTML)."""
    out = " ".join(text.split())
    for ch in "\\|*_`<>[]":
        out = out.replace(ch, "\\" + ch)
    return out


def comparison_markdown(c: Comparison) -> str:
    """One topic: per document its quoted position, or that it does not address the topic."""
    lines = [f"# {_md(c.topic)}", ""]
    for p in c.positions:
        lines += [f"## {_md(p.publisher)} — {_md(p.title)}" + (f" ({p.date})" if p.date else "")]
        if not p.addressed:
            lines += ["", f"*{MESSAGES[c.language]['not_addressed']}*", ""]
            continue
        for n, q in enumerate(p.quotes, 1):
            key = f"**{_md(q.key_phrase)}** — " if q.key_phrase else ""
            where = f" ({_md(q.where)})" if q.where else ""
            lines += ["", f"[{n}] {key}{_md(q.gist)}{where}", "", f"> {_md(q.quote)}"]
        lines.append("")
    return "\n".join(lines)


def matrix_markdown(m: Matrix) -> str:
    if not m.comparisons:
        return ""
    lang = m.comparisons[0].language
    first = m.comparisons[0].positions
    names = ["Onderwerp" if lang == "nl" else "Topic", *(_md(p.publisher) for p in first)]
    head = "| " + " | ".join(names) + " |"
    rule = "|" + "---|" * (len(first) + 1)
    rows = [
        "| " + " | ".join([_md(c.topic)] + [_cell(p, c.language) for p in c.positions]) + " |"
        for c in m.comparisons
    ]
    return "\n".join([head, rule, *rows]) + "\n"


CSV_FIELDS = (
    "topic",
    "doc_id",
    "publisher",
    "title",
    "addressed",
    "label",
    "key_phrase",
    "gist",
    "quote",
    "page",
    "item",
    "chunk_id",
)


def matrix_csv(m: Matrix) -> str:
    """One row per topic, document and quote (a silent document gets one empty row)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_FIELDS)
    for c in m.comparisons:
        for p in c.positions:
            base = [c.topic, p.doc_id, p.publisher, p.title, "yes" if p.addressed else "no"]
            if not p.quotes:
                w.writerow([*base, MESSAGES[c.language]["not_addressed"], "", "", "", "", "", ""])
            for q in p.quotes:
                where = [q.page or "", q.item, q.chunk_id]
                w.writerow([*base, q.label, q.key_phrase, q.gist, q.quote, *where])
    return buf.getvalue()


def matrix_docx(m: Matrix, heading: str = "Standpunten") -> bytes:
    """The matrix as a Word table: topics down, documents across; key phrases bold."""
    from docx import Document
    from docx.enum.section import WD_ORIENT

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.add_heading(heading, level=1)
    if m.comparisons:
        first = m.comparisons[0].positions
        lang = m.comparisons[0].language
        table = doc.add_table(rows=1, cols=len(first) + 1)
        table.style = "Table Grid"
        header = table.rows[0].cells
        header[0].text = "Onderwerp" if lang == "nl" else "Topic"
        for cell, p in zip(header[1:], first, strict=True):
            cell.text = p.publisher
        for c in m.comparisons:
            cells = table.add_row().cells
            cells[0].text = c.topic
            for cell, p in zip(cells[1:], c.positions, strict=True):
                para = cell.paragraphs[0]
                if not p.addressed:
                    para.add_run(MESSAGES[c.language]["not_addressed"]).italic = True
                for i, q in enumerate(p.quotes):
                    if i:
                        para = cell.add_paragraph()
                    if q.key_phrase:
                        para.add_run(q.key_phrase).bold = True
                        para.add_run(" — ")
                    para.add_run(f"“{q.gist}”" + (f" ({q.where})" if q.where else ""))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
