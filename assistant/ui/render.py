"""HTML for answers, source cards, the clause note and the document table: pure functions.

Everything that comes from a document or a user (chunk text, titles, quotes, answers, clauses,
questions, failure reasons) passes ``html.escape`` before it becomes HTML, and markup such as
``<mark>`` and the [n] links is added around text that is already escaped. A document that
contains ``<script>`` therefore shows the word, never runs it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from assistant.core.i18n import doc_type, t
from assistant.core.types import Answer, Chunk, Citation
from assistant.store.index import FileRecord
from ingest.library import parse_pipe_table, reason_text

#: The [n] citation markers the drafter puts after each quoted sentence.
CITE = re.compile(r"\[(\d+)\]")
#: Characters Markdown would act on; the chat bubbles render Markdown, so document text gets
#: them as character references and reads literally (no stray emphasis, links or formulas).
_MARKDOWN_TABLE = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()+-.!|~$:"})
_BARE_HASH = re.compile(r"(?<!&)#")  # '#' not starting one of html.escape's own references

Turn = tuple[str, Answer]
#: What a source card adds, by chunk id: HTML above its passage (a note) and below it (buttons).
CardExtra = Callable[[str], tuple[str, str]]


def escape(text: str) -> str:
    """HTML-escaped text, quotes included (safe in element content and attribute values)."""
    return html.escape(text, quote=True)


def markdown_safe(text: str) -> str:
    """Text for a Markdown-rendered chat bubble: HTML-escaped, then Markdown-inert."""
    return _BARE_HASH.sub("&#35;", escape(text).translate(_MARKDOWN_TABLE))


def anchor(turn: int, n: int) -> str:
    """Element id of the source card for citation ``n`` of answer number ``turn``."""
    return f"bron-{turn}-{n}"


def _marker(n: int) -> str:
    return f"&#91;{n}&#93;"


def _quoted_spans(text: str, quotes: Sequence[str]) -> list[tuple[int, int]]:
    """Where the answer repeats the cited quotes: markers inside them are the document's own."""
    spans = []
    for quote in quotes:
        span = _quote_span(text, quote)
        if span is not None:
            spans.append(span)
    return spans


def with_citation_links(
    text: str, turn: int, known: set[int] | None, quotes: Sequence[str] = ()
) -> str:
    """Markdown-safe ``text`` whose [n] markers link to their source cards.

    ``known`` are the citation numbers that have a card; ``None`` renders every marker as
    plain text (older answers, whose cards are no longer shown). A marker inside one of the
    ``quotes`` is a document's literal "[1]" and stays text: a document cannot forge a link.
    """
    out: list[str] = []
    pos = 0
    literal = _quoted_spans(text, quotes)
    for m in CITE.finditer(text):
        out.append(markdown_safe(text[pos : m.start()]))
        n = int(m.group(1))
        quoted = any(a <= m.start() and m.end() <= b for a, b in literal)
        if known is not None and n in known and not quoted:
            out.append(f'<a href="#{anchor(turn, n)}" class="ja-cite">{_marker(n)}</a>')
        else:
            out.append(_marker(n))
        pos = m.end()
    out.append(markdown_safe(text[pos:]))
    return "".join(out)


def answer_html(answer: Answer, turn: int, lang: str, links: bool = True) -> str:
    """The assistant's chat bubble: notice, a 'not in the sources' badge, the cited answer."""
    parts: list[str] = []
    if answer.notice:
        parts.append(f"<em>{markdown_safe(answer.notice)}</em>")
    if answer.refused:
        parts.append(f'<strong class="ja-badge">{markdown_safe(t(lang, "refused_title"))}</strong>')
    known = {c.n for c in answer.citations} if links else None
    quotes = [c.quote for c in answer.citations]
    parts.append(with_citation_links(answer.answer, turn, known, quotes))
    return "\n".join(parts)


def pending_html(text: str, status: str = "") -> str:
    """A bubble while the answer streams in: the text so far, or the status line before it."""
    if text:
        return markdown_safe(text)
    return f"<em>{markdown_safe(status or '…')}</em>"


def chat_messages(turns: Sequence[Turn], lang: str, links: bool = True) -> list[dict[str, str]]:
    """The conversation for the Chatbot.

    Only the newest answer links to source cards (the panel shows its sources); with
    ``links=False`` none does, for while the next answer is on its way.
    """
    messages: list[dict[str, str]] = []
    for i, (question, answer) in enumerate(turns):
        newest = links and i == len(turns) - 1
        messages.append({"role": "user", "content": markdown_safe(question)})
        messages.append({"role": "assistant", "content": answer_html(answer, i, lang, newest)})
    return messages


def _quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` sits in ``text``: exactly, else allowing other whitespace."""
    quote = quote.strip()
    if not quote:
        return None
    start = text.find(quote)
    if start != -1:
        return start, start + len(quote)
    pattern = r"\s+".join(re.escape(w) for w in quote.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def highlight(text: str, quote: str) -> str:
    """``text`` escaped, with the quoted words wrapped in ``<mark>`` (around escaped text)."""
    span = _quote_span(text, quote)
    if span is None:
        return escape(text)
    a, b = span
    return f"{escape(text[:a])}<mark>{escape(text[a:b])}</mark>{escape(text[b:])}"


def _meta(chunk: Chunk) -> str:
    parts = [chunk.publisher, chunk.date, chunk.location(), chunk.section]
    return " · ".join(escape(p) for p in parts if p)


def _citation_meta(citation: Citation | None) -> str:
    """The meta line from what a citation itself records, for a passage not at hand."""
    if citation is None:
        return ""
    parts = [citation.publisher, citation.date, citation.location()]
    return " · ".join(escape(p) for p in parts if p)


def table_html(text: str, quote: str = "") -> str:
    """A table chunk drawn as a table (header and rows, cells escaped); rows the quote covers
    are marked."""
    header, rows = parse_pipe_table(text)
    quoted = " ".join(quote.split())

    def row_html(cells: list[str], tag: str) -> str:
        line = " ".join(" | ".join(cells).split())
        mark = (
            ' class="ja-quoted"' if quoted and line and (line in quoted or quoted in line) else ""
        )
        inner = "".join(f"<{tag}>{escape(c)}</{tag}>" for c in cells)
        return f"<tr{mark}>{inner}</tr>"

    head = f"<thead>{row_html(header, 'th')}</thead>" if header else ""
    body = "".join(row_html(r, "td") for r in rows)
    return f'<table class="ja-table">{head}<tbody>{body}</tbody></table>'


def card_html(
    element_id: str,
    label: str,
    chunk: Chunk | None,
    citation: Citation | None = None,
    extra: tuple[str, str] = ("", ""),
) -> str:
    """One source card: number, title, publisher, date, page/item, section, passage, and
    ``extra`` (HTML built from escaped text: a note above the passage, buttons below it)."""
    if chunk is None and citation is None:
        return ""
    title = chunk.title if chunk else citation.title if citation else ""
    quote = citation.quote if citation else ""
    if chunk is not None:
        meta = _meta(chunk)
        if chunk.kind == "table":
            body = table_html(chunk.text, quote)
        else:
            body = highlight(chunk.text, quote) if quote else escape(chunk.text)
    else:  # a cited passage outside the answer's hits (an overview's other list items)
        meta, body = _citation_meta(citation), f"<mark>{escape(quote)}</mark>"
    return (
        f'<article class="ja-card" id="{escape(element_id)}">'
        f'<div class="ja-card-head"><span class="ja-n">{escape(label)}</span> '
        f'<span class="ja-title">{escape(title)}</span></div>'
        + (f'<div class="ja-meta">{meta}</div>' if meta else "")
        + f'{extra[0]}<div class="ja-text">{body}</div>{extra[1]}</article>'
    )


def _no_extra(chunk_id: str) -> tuple[str, str]:
    return "", ""


def sources_html(
    answer: Answer | None, turn: int, lang: str, extra: CardExtra | None = None
) -> str:
    """The sources panel: one card per citation, or the refusal with possibly related passages;
    ``extra`` gives what each card shows below its passage."""
    extra = extra or _no_extra
    if answer is None:
        return f'<p class="ja-empty">{escape(t(lang, "sources_empty"))}</p>'
    chunks = {h.chunk.chunk_id: h.chunk for h in answer.hits}
    if answer.refused:
        related = [
            card_html(f"verwant-{turn}-{i}", f"{i}.", h.chunk, extra=extra(h.chunk.chunk_id))
            for i, h in enumerate(answer.hits[:3], 1)
        ]
        return (
            '<section class="ja-refused">'
            f'<div class="ja-panel-title">{escape(t(lang, "refused_title"))}</div>'
            f"<p>{escape(answer.answer)}</p></section>"
            f'<div class="ja-panel-title ja-related">{escape(t(lang, "related"))}</div>'
            + ("".join(related) or f"<p>{escape(t(lang, 'no_related'))}</p>")
        )
    cards = [
        card_html(anchor(turn, c.n), f"[{c.n}]", chunks.get(c.chunk_id), c, extra(c.chunk_id))
        for c in answer.citations
    ]
    return f'<div class="ja-panel-title">{escape(t(lang, "sources"))}</div>' + "".join(cards)


def scope_names(answer: Answer | None) -> str:
    """The documents an answer was scoped to, by name ("VNG, Jeugdzorg Nederland")."""
    if answer is None or not answer.scope:
        return ""
    labels = answer.scope.get("labels", {})
    return ", ".join(dict.fromkeys(str(v) for v in labels.values()))


def clause_note_html(answer: Answer | None, lang: str) -> str:
    """Where the clause comes from ('Overgenomen uit Jeugdzorg Nederland, tekstsuggestie 2')."""
    if answer is None:
        return ""
    if not answer.clause:
        return f'<p class="ja-note">{escape(t(lang, "clause_none"))}</p>'
    note = answer.clause_note
    return f'<p class="ja-note">{escape(note[:1].upper() + note[1:])}.</p>' if note else ""


def status_text(record: FileRecord, lang: str) -> str:
    if record.status in ("ok", "pending"):
        return t(lang, f"status_{record.status}")
    key = "status_kept_previous" if record.status == "kept_previous" else "status_failed"
    return t(lang, key, reason=reason_text(record.reason, lang))


DOC_COLUMNS = (
    "col_file",
    "col_title",
    "col_publisher",
    "col_date",
    "col_type",
    "col_pages",
    "col_chunks",
    "col_status",
)


def documents_table(
    files: Mapping[str, FileRecord], chunks: Sequence[Chunk], lang: str
) -> dict[str, Any]:
    """Headers and rows (plain text cells) of the documents in the index."""
    first: dict[str, Chunk] = {}
    for chunk in chunks:
        first.setdefault(chunk.doc_id, chunk)
    rows: list[list[Any]] = []
    for key in sorted(files):
        rec = files[key]
        c = first.get(rec.doc_id)

        def shown(name: str, value: str, rec: FileRecord = rec) -> str:
            """A value the document itself gave (no manifest entry) is marked as inferred."""
            return (
                t(lang, "inferred_value", value=value) if value and name in rec.inferred else value
            )

        rows.append(
            [
                key,
                shown("title", rec.title or (c.title if c else "")),
                shown("publisher", c.publisher if c else rec.publisher),
                shown("date", c.date if c else rec.date),
                doc_type(lang, c.doc_type) if c else "",
                f"{rec.pages} (OCR {rec.ocr_pages})" if rec.ocr_pages else rec.pages or "",
                rec.chunks,
                status_text(rec, lang),
            ]
        )
    return {"headers": [t(lang, k) for k in DOC_COLUMNS], "data": rows}


def document_choices(files: Mapping[str, FileRecord]) -> list[tuple[str, str]]:
    """(title, doc_id) of the searchable documents, for the document filter."""
    return sorted(
        (
            (rec.title or key, rec.doc_id)
            for key, rec in files.items()
            if rec.status in ("ok", "kept_previous")
        ),
        key=lambda p: p[0].lower(),
    )


def file_choices(files: Mapping[str, FileRecord]) -> list[tuple[str, str]]:
    """('title (file)', file key) of every file in the index, for deleting one."""
    return [
        (f"{files[k].title} ({k})" if files[k].title else k, k)
        for k in sorted(files, key=str.lower)
    ]


def settings_html(rows: Sequence[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return f'<table class="ja-settings">{cells}</table>'


def heading_html(lang: str) -> str:
    return (
        f'<div class="ja-heading"><h1>{escape(t(lang, "heading"))}</h1>'
        f"<p>{escape(t(lang, 'subheading'))}</p></div>"
    )


CSS = """
/* Gradio's bundled SemiBold face holds only a few dozen glyphs (each other letter falls back
   to another font); its complete Bold face serves every heavier weight instead. */
@font-face { font-family: "Source Sans Pro"; font-weight: 600 900; font-style: normal;
  src: url("static/fonts/SourceSansPro/SourceSansPro-Bold.woff2") format("woff2"); }
.ja-heading h1 { font-size: 1.5rem; margin: 0 0 .2rem; }
.ja-heading p { margin: 0; color: var(--body-text-color-subdued); }
.ja-card { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: .6rem .8rem; margin: 0 0 .7rem; background: var(--background-fill-secondary);
  scroll-margin-top: .5rem; }
.ja-card:target { outline: 3px solid #f59e0b; }
.ja-card-head { font-weight: 600; }
.ja-n { color: var(--color-accent); margin-right: .25rem; }
.ja-meta { font-size: .85em; color: var(--body-text-color-subdued); margin: .15rem 0 .4rem; }
.ja-text { white-space: pre-line; font-size: .92em; line-height: 1.45; }
.ja-text mark { background: #fde68a; color: inherit; padding: 0 .1em; border-radius: 2px; }
.ja-table { border-collapse: collapse; white-space: normal; font-variant-numeric: tabular-nums; }
.ja-table th, .ja-table td { border: 1px solid var(--border-color-primary); padding: .15rem .4rem;
  text-align: left; vertical-align: top; }
.ja-table th { font-weight: 600; }
.ja-table tr.ja-quoted td { background: #fde68a; color: #111827; }
a.ja-cite { font-weight: 600; text-decoration: none; }
.ja-badge { display: inline-block; color: #991b1b; }
.ja-refused { border-left: 4px solid #dc2626; background: #fef2f2; color: #111827;
  padding: .5rem .8rem; border-radius: 4px; margin-bottom: .6rem; }
.ja-panel-title { font-weight: 600; font-size: 1.05rem; margin: .2rem 0 .5rem; }
.ja-related { font-size: .95rem; }
.ja-note { font-style: italic; color: var(--body-text-color-subdued); margin: .2rem 0; }
.ja-empty { color: var(--body-text-color-subdued); }
/* Gradio sets overflow: visible inline on the block; the panel scrolls, not spills. */
#ja-sources { max-height: 72vh; overflow-y: auto !important; }
.ja-settings th { text-align: left; padding-right: 1.5rem; font-weight: 600; }
/* A column header breaks between words only ("Pagina's" is one word). */
#ja-docs thead .header { overflow-wrap: normal; word-break: normal; }
"""
