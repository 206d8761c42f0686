"""HTML for the Standpunten and Concepthoofdstuk tabs: pure functions, every document or user
text escaped before it becomes HTML (as in :mod:`assistant.ui.render`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.core.i18n import t
from assistant.positions.compare import MESSAGES, Comparison, Matrix, Position
from assistant.ui.render import escape
from assistant.workspace.chapter import Chapter, ClauseSource
from assistant.workspace.export import citation_text

CSS = """
.ja-positions { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
  gap: 12px; }
.ja-position { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 10px; }
.ja-position h4 { margin: 0 0 6px 0; }
.ja-position .ja-na { font-style: italic; color: var(--body-text-color-subdued); }
.ja-position blockquote { margin: 6px 0; font-size: 0.9em; }
.ja-matrix td, .ja-matrix th { vertical-align: top; padding: 6px; font-size: 0.9em; }
.ja-clause { border-left: 3px solid var(--color-accent); padding: 4px 10px; margin: 8px 0; }
.ja-clause .ja-tag { font-size: 0.8em; padding: 0 4px; border-radius: 4px;
  background: var(--background-fill-secondary); }
.ja-clause .ja-gone { color: #b00020; }
.ja-clause ol { font-size: 0.85em; margin: 4px 0; }
.ja-warning { color: #b00020; font-weight: 600; }
"""


def _position_body(p: Position, lang: str) -> str:
    if not p.addressed:
        return f'<p class="ja-na">{escape(MESSAGES[lang]["not_addressed"])}</p>'
    out = []
    for q in p.quotes:
        key = f"<strong>{escape(q.key_phrase)}</strong> — " if q.key_phrase else ""
        where = f" <small>({escape(q.where)})</small>" if q.where else ""
        out.append(
            f"<p>{key}{escape(q.gist)}{where}</p><blockquote>“{escape(q.quote)}”</blockquote>"
        )
    return "".join(out)


def comparison_html(c: Comparison | None, lang: str) -> str:
    """One column per document, side by side."""
    if c is None:
        return f'<p class="ja-empty">{escape(t(lang, "positions_empty"))}</p>'
    cols = "".join(
        f'<div class="ja-position" data-doc="{escape(p.doc_id)}">'
        f"<h4>{escape(p.publisher)}</h4><small>{escape(p.title)}"
        f"{', ' + escape(p.date) if p.date else ''}</small>{_position_body(p, c.language)}</div>"
        for p in c.positions
    )
    return f'<h3>{escape(c.topic)}</h3><div class="ja-positions">{cols}</div>'


def matrix_html(m: Matrix, lang: str) -> str:
    if not m.comparisons:
        return f'<p class="ja-empty">{escape(t(lang, "positions_empty"))}</p>'
    docs = m.comparisons[0].positions
    head = "".join(f"<th>{escape(p.publisher)}</th>" for p in docs)
    rows = "".join(
        f"<tr><th>{escape(c.topic)}</th>"
        + "".join(f"<td>{_position_body(p, c.language)}</td>" for p in c.positions)
        + "</tr>"
        for c in m.comparisons
    )
    return (
        f'<table class="ja-matrix"><thead><tr><th>{escape(t(lang, "topic"))}</th>{head}</tr>'
        f"</thead><tbody>{rows}</tbody></table>"
    )


def chapter_html(chapter: Chapter, missing: Mapping[str, Sequence[ClauseSource]], lang: str) -> str:
    """The clauses in order, numbered; edited ones and ones whose source vanished marked."""
    if not chapter.clauses:
        return f'<p class="ja-empty">{escape(t(lang, "chapter_empty"))}</p>'
    out = []
    for i, clause in enumerate(chapter.clauses, 1):
        tags = f' <span class="ja-tag">{escape(t(lang, "edited"))}</span>' if clause.edited else ""
        gone = missing.get(clause.id) or []
        if gone:
            gone_text = t(lang, "source_gone", titles=", ".join(s.title for s in gone))
            tags += f' <span class="ja-tag ja-gone">⚠ {escape(gone_text)}</span>'
        sources = "".join(f"<li>{escape(citation_text(s))}</li>" for s in clause.sources)
        out.append(
            f'<div class="ja-clause" data-clause="{i}"><strong>{i}.</strong> '
            f"{escape(clause.text)}{tags}<ol>{sources}</ol></div>"
        )
    return "".join(out)
