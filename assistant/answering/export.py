"""Export a drafted clause with its sources: Markdown for pasting, .docx for Word users."""

from __future__ import annotations

import io
import re

from assistant.core.types import Answer, Citation

_MARK = re.compile(r"\s*\[(\d+)\]")


def _source_line(c: Citation) -> str:
    where = c.location()
    return (
        f"[{c.n}] {c.title}"
        + (f" ({where})" if where else "")
        + f" — “{' '.join(c.quote.split())}”"
    )


def clause_markdown(answer: Answer, heading: str = "Conceptclausule") -> str:
    """The clause as Markdown, with the cited sources listed below it."""
    if not answer.clause:
        return ""
    lines = [f"## {heading}", "", answer.clause, ""]
    if answer.clause_note:
        lines += [f"*{answer.clause_note[:1].upper()}{answer.clause_note[1:]}.*", ""]
    used = {int(n) for n in _MARK.findall(answer.clause)}
    lines += ["### Bronnen", ""]
    lines += [f"- {_source_line(c)}" for c in answer.citations if c.n in used]
    return "\n".join(lines) + "\n"


def clause_docx(answer: Answer, heading: str = "Conceptclausule") -> bytes:
    """The clause as a Word document; [n] markers become footnote-style superscripts."""
    from docx import Document

    doc = Document()
    doc.add_heading(heading, level=1)
    para = doc.add_paragraph()
    pos = 0
    for m in _MARK.finditer(answer.clause):
        para.add_run(answer.clause[pos : m.start()])
        sup = para.add_run(m.group(1))
        sup.font.superscript = True
        pos = m.end()
    para.add_run(answer.clause[pos:])
    if answer.clause_note:
        note = doc.add_paragraph()
        note.add_run(answer.clause_note[:1].upper() + answer.clause_note[1:] + ".").italic = True
    used = {int(n) for n in _MARK.findall(answer.clause)}
    doc.add_heading("Bronnen", level=2)
    for c in answer.citations:
        if c.n in used:
            doc.add_paragraph(_source_line(c), style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
