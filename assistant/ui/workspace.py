"""The Standpunten (positions, matrix) and Concepthoofdstuk (chapter) tabs of the chat UI.

The chapter lives in the same :class:`~assistant.workspace.chapter.ChapterStore` as the CLI's
``jeugdakkoord chapter``. Each browser session remembers the version it last showed; moving,
editing or removing a clause on an older version is refused and the newest version is shown
with a warning, so two tabs never silently overwrite each other's edits.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answering.answer import Assistant
from assistant.core.errors import error_text
from assistant.core.i18n import lang_or_default, t
from assistant.positions import export as positions_export
from assistant.positions.compare import (
    Comparison,
    Positions,
    TopicError,
    build_matrix,
    read_topics,
)
from assistant.store.index import IndexError_
from assistant.ui import render_workspace as view
from assistant.ui.render import Turn, escape
from assistant.workspace import chapter as ch
from assistant.workspace.export import EmptyChapter, chapter_docx, chapter_markdown

API = "private"


def _status(text: str, warn: bool = False) -> str:
    cls = "ja-warning" if warn else "ja-empty"
    return f'<p class="{cls}">{escape(text)}</p>' if text else ""


class Workspace:
    """Handlers shared by all sessions: positions over the assistant's retriever, one store."""

    def __init__(self, assistant: Assistant, index_dir: Path, downloads: Path) -> None:
        self.assistant = assistant
        self.positions = Positions(assistant.retriever)
        self.store = ch.ChapterStore(index_dir)
        self.index_dir = index_dir
        self.downloads = downloads

    def _folder(self) -> Path:
        return Path(tempfile.mkdtemp(dir=self.downloads))

    # -- positions ----------------------------------------------------------------------

    def compare(self, topic: str, doc_ids: Sequence[str] | None, lang: str) -> tuple[Any, Any, Any]:
        """Outputs: result HTML, comparison state, the document picker."""
        lang = lang_or_default(lang)
        try:
            c = self.positions.compare(topic, list(doc_ids or []) or None, lang)
        except TopicError as exc:
            return (
                _status(error_text(exc, lang), warn=True),
                None,
                gr.Dropdown(choices=[], value=None),
            )
        except IndexError_:
            return _status(t(lang, "no_index"), warn=True), None, gr.Dropdown(choices=[])
        picks = [(p.publisher, p.doc_id) for p in c.positions if p.addressed]
        return (
            view.comparison_html(c, lang),
            c,
            gr.Dropdown(choices=picks, value=picks[0][1] if picks else None),
        )

    def matrix(
        self, extra: str, doc_ids: Sequence[str] | None, lang: str
    ) -> tuple[Any, Any, Any, Any]:
        """Outputs: matrix HTML and the .docx, .md and .csv downloads."""
        lang = lang_or_default(lang)
        hidden = gr.DownloadButton(value=None, visible=False)
        try:
            m = build_matrix(self.positions, read_topics(extra or ""), True, doc_ids or None, lang)
        except TopicError as exc:
            return _status(error_text(exc, lang), warn=True), hidden, hidden, hidden
        folder = self._folder()
        files = {
            "docx": positions_export.matrix_docx(m, t(lang, "tab_positions")),
            "md": positions_export.matrix_markdown(m).encode("utf-8"),
            "csv": positions_export.matrix_csv(m).encode("utf-8"),
        }
        paths = []
        for suffix, data in files.items():
            path = folder / f"standpunten.{suffix}"
            path.write_bytes(data)
            paths.append(gr.DownloadButton(value=str(path), visible=True))
        return view.matrix_html(m, lang), paths[0], paths[1], paths[2]

    def add_position(
        self, comparison: Comparison | None, doc_id: str | None, name: str, lang: str
    ) -> tuple[Any, ...]:
        lang = lang_or_default(lang)
        chosen = [p for p in (comparison.positions if comparison else []) if p.doc_id == doc_id]
        if comparison is None or not chosen or not chosen[0].addressed:
            return (_status(t(lang, "no_clause"), warn=True), *self._view(name, lang))
        clause = ch.clause_from_position(chosen[0], comparison.topic)
        return self._add(name, clause, lang)

    def add_answer(self, turns: list[Turn] | None, name: str, lang: str) -> tuple[Any, ...]:
        lang = lang_or_default(lang)
        answer = turns[-1][1] if turns else None
        if answer is None or not answer.clause:
            return (_status(t(lang, "no_clause"), warn=True), *self._view(name, lang))
        chunks = self.assistant.retriever.snapshot().by_id
        clause = ch.clause_from_answer(answer.clause, answer.citations, chunks, answer.question)
        return self._add(name, clause, lang)

    def _add(self, name: str, clause: ch.Clause, lang: str) -> tuple[Any, ...]:
        try:
            chapter = self.store.add(name or ch.DEFAULT_CHAPTER, clause)
        except ch.ChapterError as exc:
            return (_status(error_text(exc, lang), warn=True), *self._view(name, lang))
        added = t(lang, "added", name=chapter.name, n=len(chapter.clauses))
        return (_status(added), *self._view(chapter.name, lang))

    # -- chapter ------------------------------------------------------------------------

    def _view(self, name: str, lang: str) -> tuple[Any, Any, Any]:
        """Outputs: chapter HTML, the version this session now shows, the position box."""
        try:
            chapter = self.store.get(name or ch.DEFAULT_CHAPTER)
        except ch.ChapterError as exc:
            return _status(error_text(exc, lang), warn=True), 0, gr.Number(value=1)
        chunks = ch.corpus_chunks(self.index_dir)
        missing = {c.id: ch.missing_sources(c, chunks) for c in chapter.clauses}
        return (
            view.chapter_html(chapter, missing, lang),
            chapter.version,
            gr.Number(maximum=max(len(chapter.clauses), 1)),
        )

    def show(self, name: str, lang: str) -> tuple[Any, ...]:
        """Outputs: status, chapter HTML, version, position."""
        return ("", *self._view(name, lang_or_default(lang)))

    def clause_text(self, name: str, position: float | None) -> str:
        return _text_at(self.store.get(name or ch.DEFAULT_CHAPTER), position)

    def change(
        self, action: str, name: str, position: float | None, text: str, version: int, lang: str
    ) -> tuple[Any, ...]:
        """Move up/down, save text, or remove, made on the version this session showed.

        Outputs: status, chapter HTML, version, position and the clause text at that position,
        all in one response: a position box that fired its own event for the text would race
        an edit typed right after a move."""
        lang = lang_or_default(lang)
        name = name or ch.DEFAULT_CHAPTER
        n = int(position or 0)
        try:
            if action == "up":
                self.store.move(name, n, n - 1, expected=version)
            elif action == "down":
                self.store.move(name, n, n + 1, expected=version)
            elif action == "edit":
                self.store.edit(name, n, text, expected=version)
            else:
                self.store.remove(name, n, expected=version)
            status = ""
        except ch.VersionConflict:
            status = _status(t(lang, "conflict"), warn=True)
        except ch.ChapterError as exc:
            status = _status(error_text(exc, lang), warn=True)
        moved = {"up": n - 1, "down": n + 1}.get(action, n)
        html, version_now, _ = self._view(name, lang)
        chapter = self.store.get(name)
        keep = (moved if 1 <= moved <= len(chapter.clauses) and not status else n) or 1
        # A refused edit keeps what the user typed, so that nothing they wrote is lost.
        shown = text if status and action == "edit" else _text_at(chapter, keep)
        return status, html, version_now, gr.Number(value=keep), shown

    def export(self, name: str, lang: str) -> tuple[Any, Any]:
        """Outputs: status and the .docx download (hidden when there is nothing to export)."""
        lang = lang_or_default(lang)
        chapter = self.store.get(name or ch.DEFAULT_CHAPTER)
        hidden = gr.DownloadButton(value=None, visible=False)
        try:
            data = chapter_docx(chapter, t(lang, "tab_chapter"))
            md = chapter_markdown(chapter, t(lang, "tab_chapter"))
        except EmptyChapter as exc:
            return _status(error_text(exc, lang), warn=True), hidden
        path = self._folder() / f"{chapter.name}.docx"
        path.write_bytes(data)
        notes = md.count("\n[^")
        done = t(lang, "exported", n=len(chapter.clauses), notes=notes)
        return _status(done), gr.DownloadButton(value=str(path), visible=True)


def build_tabs(ws: Workspace, lang0: str, doc_filter: Any, lang: Any) -> dict[str, Any]:
    """The two tabs, inside the caller's ``gr.Tabs``; returns their components by name."""
    c: dict[str, Any] = {"workspace": ws}
    _positions_tab(c, lang0)
    _chapter_tab(c, lang0)
    _wire(c, ws, doc_filter, lang)
    _wire_language(c, lang)
    return c


def _text_at(chapter: ch.Chapter, position: float | None) -> str:
    """The text of the clause at a 1-based position ("" outside the chapter)."""
    n = int(position or 0)
    return chapter.clauses[n - 1].text if 1 <= n <= len(chapter.clauses) else ""


def _positions_tab(c: dict[str, Any], lang0: str) -> None:
    """The Standpunten tab: a topic compared across documents, and the topic matrix."""
    with gr.Tab(t(lang0, "tab_positions"), id="positions", elem_id="ja-tab-positions") as tab:
        c["tab_positions"] = tab
        with gr.Row():
            c["topic"] = gr.Textbox(
                label=t(lang0, "topic"),
                placeholder=t(lang0, "topic_placeholder"),
                scale=4,
                elem_id="ja-topic",
            )
            c["compare"] = gr.Button(
                t(lang0, "compare"), variant="primary", scale=1, elem_id="ja-compare"
            )
        c["positions"] = gr.HTML(
            view.comparison_html(None, lang0), js_on_load=None, elem_id="ja-positions"
        )
        with gr.Row():
            c["position_pick"] = gr.Dropdown(
                choices=[], label=t(lang0, "position_pick"), scale=3, elem_id="ja-position-pick"
            )
            c["add_position"] = gr.Button(
                t(lang0, "add_to_chapter"), scale=1, elem_id="ja-add-position"
            )
        c["position_status"] = gr.HTML("", js_on_load=None, elem_id="ja-position-status")
        c["matrix_topics"] = gr.Textbox(
            label=t(lang0, "matrix_topics"), lines=2, elem_id="ja-matrix-topics"
        )
        with gr.Row():
            c["matrix"] = gr.Button(t(lang0, "matrix"), elem_id="ja-matrix")
            c["matrix_docx"] = gr.DownloadButton(
                t(lang0, "download_docx"), visible=False, size="sm", elem_id="ja-matrix-docx"
            )
            c["matrix_md"] = gr.DownloadButton(
                t(lang0, "download_md"), visible=False, size="sm", elem_id="ja-matrix-md"
            )
            c["matrix_csv"] = gr.DownloadButton(
                t(lang0, "download_csv"), visible=False, size="sm", elem_id="ja-matrix-csv"
            )
        c["matrix_view"] = gr.HTML("", js_on_load=None, elem_id="ja-matrix-view")


def _chapter_tab(c: dict[str, Any], lang0: str) -> None:
    """The Concepthoofdstuk tab: the chapter's clauses, moved, edited, removed, exported."""
    with gr.Tab(t(lang0, "tab_chapter"), id="chapter", elem_id="ja-tab-chapter") as tab:
        c["tab_chapter"] = tab
        c["chapter_name"] = gr.Textbox(
            value=ch.DEFAULT_CHAPTER, label=t(lang0, "chapter_name"), elem_id="ja-chapter-name"
        )
        c["chapter_status"] = gr.HTML("", js_on_load=None, elem_id="ja-chapter-status")
        c["chapter"] = gr.HTML("", js_on_load=None, elem_id="ja-chapter")
        with gr.Row():
            c["clause_pos"] = gr.Number(
                value=1,
                label=t(lang0, "clause_pos"),
                precision=0,
                minimum=1,
                elem_id="ja-clause-pos",
            )
            c["up"] = gr.Button(t(lang0, "up"), size="sm", elem_id="ja-up")
            c["down"] = gr.Button(t(lang0, "down"), size="sm", elem_id="ja-down")
            c["remove_clause"] = gr.Button(
                t(lang0, "remove_clause"), size="sm", variant="stop", elem_id="ja-remove-clause"
            )
        c["clause_text"] = gr.Textbox(
            label=t(lang0, "clause_text"), lines=3, elem_id="ja-clause-text"
        )
        with gr.Row():
            c["save_clause"] = gr.Button(t(lang0, "save_clause"), elem_id="ja-save-clause")
            c["export_chapter"] = gr.Button(
                t(lang0, "export_chapter"), variant="primary", elem_id="ja-export-chapter"
            )
            c["chapter_docx"] = gr.DownloadButton(
                t(lang0, "download_docx"), visible=False, elem_id="ja-chapter-docx"
            )
        # Inside a tab, not beside the tabs: the browser numbers a tab by its place among
        # all of gr.Tabs' children, so a State there doubled the buttons of the later tabs.
        c["comparison"] = gr.State(None)
        c["version"] = gr.State(0)


def _wire(c: dict[str, Any], ws: Workspace, doc_filter: Any, lang: Any) -> None:
    """The two tabs' events, each to its :class:`Workspace` handler."""
    view_out = [c["chapter_status"], c["chapter"], c["version"], c["clause_pos"]]
    compare_in = [c["topic"], doc_filter, lang]
    compare_out = [c["positions"], c["comparison"], c["position_pick"]]
    c["compare"].click(ws.compare, compare_in, compare_out, api_visibility=API)
    c["topic"].submit(ws.compare, compare_in, compare_out, api_visibility=API)
    c["matrix"].click(
        ws.matrix,
        [c["matrix_topics"], doc_filter, lang],
        [c["matrix_view"], c["matrix_docx"], c["matrix_md"], c["matrix_csv"]],
        api_visibility=API,
    )
    c["add_position"].click(
        ws.add_position,
        [c["comparison"], c["position_pick"], c["chapter_name"], lang],
        [c["position_status"], *view_out[1:]],
        api_visibility=API,
    )
    pos_in = [c["chapter_name"], c["clause_pos"]]
    for event in (c["tab_chapter"].select, c["chapter_name"].submit):
        event(ws.show, [c["chapter_name"], lang], view_out, api_visibility=API).then(
            ws.clause_text, pos_in, c["clause_text"], api_visibility=API
        )
    # Only the user's own typing asks for a clause's text; a button's response brings it along.
    c["clause_pos"].input(ws.clause_text, pos_in, c["clause_text"], api_visibility=API)
    for action, button in (
        ("up", c["up"]),
        ("down", c["down"]),
        ("edit", c["save_clause"]),
        ("remove", c["remove_clause"]),
    ):
        button.click(
            lambda *a, _action=action: ws.change(_action, *a),
            [c["chapter_name"], c["clause_pos"], c["clause_text"], c["version"], lang],
            [*view_out, c["clause_text"]],
            api_visibility=API,
        )
    c["export_chapter"].click(
        ws.export,
        [c["chapter_name"], lang],
        [c["chapter_status"], c["chapter_docx"]],
        api_visibility=API,
    )
    c["view_out"] = view_out


def _wire_language(c: dict[str, Any], lang: Any) -> None:
    """A language switch relabels both tabs (and redraws the comparison's empty state)."""

    def relabel(new: str, comparison: Comparison | None) -> tuple[Any, ...]:
        lg = lang_or_default(new)
        return (
            view.comparison_html(comparison, lg),  # the empty state's line, too
            gr.Tab(label=t(lg, "tab_positions")),
            gr.Tab(label=t(lg, "tab_chapter")),
            gr.Textbox(label=t(lg, "topic"), placeholder=t(lg, "topic_placeholder")),
            gr.Button(t(lg, "compare")),
            gr.Dropdown(label=t(lg, "position_pick")),
            gr.Button(t(lg, "add_to_chapter")),
            gr.Textbox(label=t(lg, "matrix_topics")),
            gr.Button(t(lg, "matrix")),
            gr.Textbox(label=t(lg, "chapter_name")),
            gr.Number(label=t(lg, "clause_pos")),
            gr.Button(t(lg, "up")),
            gr.Button(t(lg, "down")),
            gr.Button(t(lg, "remove_clause")),
            gr.Textbox(label=t(lg, "clause_text")),
            gr.Button(t(lg, "save_clause")),
            gr.Button(t(lg, "export_chapter")),
        )

    lang.change(
        relabel,
        [lang, c["comparison"]],
        [
            c[k]
            for k in (
                "positions",
                "tab_positions",
                "tab_chapter",
                "topic",
                "compare",
                "position_pick",
                "add_position",
                "matrix_topics",
                "matrix",
                "chapter_name",
                "clause_pos",
                "up",
                "down",
                "remove_clause",
                "clause_text",
                "save_clause",
                "export_chapter",
            )
        ],
        api_visibility=API,
    )
