"""The Gradio app: a Chat tab, a Documents tab and a Settings tab around one Assistant.

All HTML shown comes from :mod:`assistant.ui.render` (escaped there); this module only wires
components to the assistant, the export functions and the document library.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, cast

import gradio as gr

from assistant.answering.answer import Assistant
from assistant.answering.export import clause_docx, clause_markdown
from assistant.core.audit import AuditLog, Record, note_on
from assistant.core.errors import error_text, message
from assistant.core.i18n import DEFAULT_LANG, EXAMPLES, lang_or_default, t
from assistant.core.settings import Settings
from assistant.core.types import Answer, Chunk
from assistant.providers.embeddings import EmbeddingError
from assistant.providers.stores import StoreError
from assistant.serve.slots import AnswerSlots, Busy
from assistant.serve.uploads import NotUploaded, uploaded_file
from assistant.store.index import FileRecord, IndexError_, IndexMissing
from assistant.ui import render
from assistant.ui.docmeta import MetaEditor, MetaPanel
from assistant.ui.feedback import FeedbackView, RateLimit, event_data, user_of
from assistant.ui.render_feedback import JS as FEEDBACK_JS
from assistant.ui.render_feedback import Marks
from assistant.ui.workspace import Workspace, build_tabs
from ingest.library import Library, Upload, safe_filename, slug, upload_label, upload_suffixes

#: Event endpoints are for this page only: not listed, not callable by Gradio API clients.
API = "private"
LANGUAGE_CHOICES = [("Nederlands", "nl"), ("English", "en")]


def css() -> str:
    from assistant.ui.render_feedback import CSS as FEEDBACK_CSS
    from assistant.ui.render_workspace import CSS

    return render.CSS + CSS + FEEDBACK_CSS


def _hidden() -> Any:
    return gr.DownloadButton(value=None, visible=False)


_KEEP: Any = object()


class ChatView(NamedTuple):
    """One update of what an answer changes, in :meth:`ChatTab.outputs`' order; a field left
    out keeps its component as it is. Named, so an update can never have one value too many
    (Gradio would warn and print every value: the whole conversation)."""

    chatbot: Any = _KEEP
    turns: Any = _KEEP
    question: Any = _KEEP
    sources: Any = _KEEP
    clause: Any = _KEEP
    clause_note: Any = _KEEP
    docx: Any = _KEEP
    md: Any = _KEEP
    scope_chip: Any = _KEEP
    marks: Any = _KEEP  # this session's judgements on the latest answer's passages
    fb_notice: Any = _KEEP
    picker: Any = _KEEP
    pick_results: Any = _KEEP
    pick_chunks: Any = _KEEP

    def updates(self) -> tuple[Any, ...]:
        return tuple(gr.skip() if value is _KEEP else value for value in self)

    @classmethod
    def blank(cls, lang: str, **fields: Any) -> ChatView:
        """No answer shown: empty sources, clause and downloads (a new question, a cleared chat)."""
        return cls(
            **{
                "question": "",
                "sources": render.sources_html(None, 0, lang),
                "clause": "",
                "clause_note": "",
                "docx": _hidden(),
                "md": _hidden(),
                "scope_chip": gr.Button(visible=False),
                "marks": {},
                "picker": gr.Accordion(visible=False, open=False),
                "pick_results": "",
                "pick_chunks": [],
                **fields,
            }
        )


def _scope_chip(answer: Answer | None, lang: str) -> Any:
    """The documents the question named, as a chip; clicking it asks again without them."""
    names = render.scope_names(answer)
    if not names:
        return gr.Button(visible=False)
    return gr.Button(value=t(lang, "scope_chip", names=names), visible=True)


class ChatApp:
    """What all browser sessions share: one Assistant (model and index handle), the library.

    Per-session state (the conversation) lives in ``gr.State``; the index is shared and read
    through the assistant, which switches to a new generation as soon as an ingest lands.
    """

    def __init__(
        self,
        settings: Settings,
        assistant: Assistant | None = None,
        slots: AnswerSlots | None = None,
        audit: AuditLog | None = None,
        feedback_limit: RateLimit | None = None,
    ) -> None:
        self.settings = settings
        self.audit = audit or AuditLog.from_settings(settings)
        self.assistant = assistant or Assistant(settings)
        #: shared with the HTTP API: together they compute at most ``workers`` answers at once
        self.slots = slots or AnswerSlots(settings.workers)
        self.library = Library(settings)
        self.feedback = FeedbackView(self.assistant, feedback_limit)
        self.meta = MetaEditor(self.library, lambda: self._index()[0], self.library_views)
        self.downloads = Path(tempfile.mkdtemp(prefix="jeugdakkoord-ui-"))
        atexit.register(shutil.rmtree, self.downloads, True)

    # -- views of the index -------------------------------------------------------------

    def _index(self) -> tuple[dict[str, FileRecord], list[Chunk], int]:
        try:
            snap = self.assistant.retriever.snapshot()
        except IndexError_:
            return {}, [], 0
        return snap.documents(), snap.chunks, snap.generation.number

    def settings_rows(self, lang: str) -> list[tuple[str, str]]:
        files, chunks, generation = self._index()
        generator = str(getattr(self.settings, "generator", "") or "extractive")
        return [
            (t(lang, "set_model"), self.assistant.retriever.embedder.model_id),
            (
                t(lang, "set_generator"),
                t(lang, "extractive") if generator == "extractive" else generator,
            ),
            # Folder names only: the page does not tell visitors the server's paths.
            (t(lang, "set_index"), self.settings.index_dir.name),
            (t(lang, "set_corpus"), ", ".join(d.name for d in self.settings.corpus_dirs)),
            (t(lang, "set_docs"), str(sum(r.status != "failed" for r in files.values()))),
            (t(lang, "set_chunks"), str(len(chunks))),
            (t(lang, "set_generation"), str(generation) if generation else "—"),
            (t(lang, "set_judge"), self._judge(lang)),
        ]

    def _judge(self, lang: str) -> str:
        """The relevance model in use, or the rules and why (missing weights, no torch)."""
        status = self.assistant.retriever.judge_status()
        if status["by"] != "rules":
            return status["by"]
        return (
            f"{t(lang, 'judge_rules')}: {status['notice']}"
            if status["notice"]
            else t(lang, "judge_rules")
        )

    def _library_files(self) -> tuple[dict[str, FileRecord], list[Chunk]]:
        files, chunks, _ = self._index()
        return self.library.with_unindexed(files), chunks

    def library_views(self, lang: str, selected: Sequence[str] | None) -> tuple[Any, ...]:
        """Documents table, document filter, delete choice, settings and the metadata editor's
        file choice, fresh from the index."""
        lang = lang_or_default(lang)
        files, chunks = self._library_files()
        choices = render.document_choices(files)
        ids = {doc_id for _, doc_id in choices}
        return (
            gr.Dataframe(value=render.documents_table(files, chunks, lang)),
            gr.Dropdown(
                choices=choices, value=[d for d in selected or [] if d in ids], multiselect=True
            ),
            gr.Dropdown(choices=render.file_choices(files), value=None),
            render.settings_html(self.settings_rows(lang)),
            gr.Dropdown(choices=render.file_choices(files)),
        )

    # -- chat ---------------------------------------------------------------------------

    def _export(self, answer: Answer, lang: str) -> tuple[str, str]:
        """The clause as .docx and .md files in a fresh folder (Gradio serves them from there)."""
        folder = Path(tempfile.mkdtemp(dir=self.downloads))
        heading = t(lang, "clause")
        docx = folder / f"{slug(heading)}.docx"
        docx.write_bytes(clause_docx(answer, heading))
        md = folder / f"{slug(heading)}.md"
        md.write_text(clause_markdown(answer, heading), encoding="utf-8")
        return str(docx), str(md)

    def respond(
        self,
        question: str,
        turns: list[render.Turn] | None,
        doc_ids: Sequence[str] | None,
        lang: str,
        learn: bool | None = None,
        request: gr.Request | None = None,
        *,
        use_scope: bool = True,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat, then show its sources, clause and downloads
        (each update a :class:`ChatView`); its audit line is written when it is done.
        ``learn`` is the Settings tab's switch (None: the setting)."""
        started, record, status = time.perf_counter(), Record(), 200
        note_on(record, question or "")
        try:
            call = Asked(question, doc_ids, lang, use_scope, learn)
            for view in self._respond(call, turns, record):
                yield view.updates()
            if record.refused is None:  # no answer: busy, or the index unusable
                status = 503
        except GeneratorExit:  # the browser went away before the answer was done
            status = 499
            raise
        except BaseException:
            status = 500
            raise
        finally:
            client = request.client.host if request is not None and request.client else ""
            self.audit.ask("ui:ask", status, started, client or "unknown", record)

    def _respond(
        self, call: Asked, turns: list[render.Turn] | None, record: Record
    ) -> Iterator[ChatView]:
        """The updates of :meth:`respond`; the answer's counts go to ``record``."""
        lang = lang_or_default(call.lang)
        question, doc_ids, use_scope = call.question or "", call.doc_ids, call.use_scope
        turns = list(turns or [])
        history = [q for q, _ in turns if q.strip()]
        shown = render.chat_messages(turns, lang, links=False)
        asked = {"role": "user", "content": render.markdown_safe(question)}

        def bubble(content: str) -> list[dict[str, str]]:
            return [*shown, asked, {"role": "assistant", "content": content}]

        yield ChatView.blank(lang, chatbot=bubble(render.pending_html("")))
        text, answer, error = "", None, ""
        filters = list(doc_ids or []) or None
        try:
            with self.slots.slot():  # released when Gradio closes an abandoned stream, too
                events = self.assistant.ask_stream(
                    question, history, filters, lang, use_scope, learn=call.learn
                )
                for event in events:
                    if event.answer is not None:
                        answer = event.answer
                        continue
                    if event.kind == "token":
                        text += event.text
                    elif event.kind == "reset":  # a rejected LLM draft makes way for another
                        text = ""
                    yield ChatView(chatbot=bubble(render.pending_html(text, event.text)))
        except Busy as exc:
            error = error_text(exc, lang)
        except IndexMissing:
            error = t(lang, "no_index")
        except (IndexError_, EmbeddingError, StoreError) as exc:
            error = t(lang, "answer_error", error=error_text(exc, lang))
        if answer is None:
            yield ChatView(chatbot=bubble(render.markdown_safe(error)))
            return
        note_on(record, answer=answer)
        turns.append((question, answer))
        docx, md = self._export(answer, lang) if answer.clause else ("", "")
        yield ChatView(
            chatbot=render.chat_messages(turns, lang),
            turns=turns,
            sources=self.feedback.sources(turns, lang, {}),
            clause=answer.clause,
            clause_note=render.clause_note_html(answer, lang),
            docx=gr.DownloadButton(value=docx, visible=True) if docx else _hidden(),
            md=gr.DownloadButton(value=md, visible=True) if md else _hidden(),
            scope_chip=_scope_chip(answer, lang),
            fb_notice=self.feedback.notice(lang),
            # The picker is there for a refusal (opened) or a cited passage marked wrong.
            picker=gr.Accordion(visible=self.feedback.available, open=answer.refused),
        )

    def respond_unscoped(
        self,
        turns: list[render.Turn] | None,
        doc_ids: Sequence[str] | None,
        lang: str,
        learn: bool | None = None,
        request: gr.Request | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """The scope chip was removed: the last question again, from all documents."""
        turns = list(turns or [])
        if not turns:
            yield self.clear(lang)
            return
        question, _ = turns.pop()
        yield from self.respond(question, turns, doc_ids, lang, learn, request, use_scope=False)

    def clear(self, lang: str) -> tuple[Any, ...]:
        lang = lang_or_default(lang)
        return ChatView.blank(lang, chatbot=[], turns=[]).updates()

    # -- feedback -----------------------------------------------------------------------

    def on_feedback(
        self,
        turns: list[render.Turn] | None,
        marks: Marks | None,
        chunks: list[Chunk] | None,
        lang: str,
        evt: gr.EventData,
        request: gr.Request,
    ) -> tuple[Any, ...]:
        """A feedback button on a source card or a picker result: record or undo, then show
        it on both panels (sources, picker results, marks, notice, picker)."""
        lang = lang_or_default(lang)
        data = event_data(evt)
        client = request.client.host if request.client else ""
        marks, error = self.feedback.judge(data, turns, marks, lang, user_of(request), client)
        opened = data.get("action") == "wrong" and not error  # now find the right one
        return (
            self.feedback.sources(turns, lang, marks),
            self.feedback.picker(chunks or [], lang, marks) if chunks else gr.skip(),
            marks,
            error or self.feedback.notice(lang),
            gr.Accordion(open=True) if opened else gr.skip(),
        )

    def pick_search(self, query: str, marks: Marks | None, lang: str) -> tuple[str, list[Chunk]]:
        """The picker's search box: passages from all documents to choose the right one from."""
        return self.feedback.search(query, marks, lang_or_default(lang))

    def feedback_status(self, lang: str) -> tuple[Any, ...]:
        """Whether feedback can be given, on page load and a language switch: the learning
        switch (disabled when unavailable), its notice in Settings and above the sources."""
        lang = lang_or_default(lang)
        notice = self.feedback.notice(lang)
        available = self.feedback.available
        return (
            gr.Checkbox(
                label=t(lang, "fb_learn"), info=t(lang, "fb_learn_info"), interactive=available
            ),
            notice,
            notice,
        )

    # -- documents ----------------------------------------------------------------------

    def _library_result(
        self, lines: list[str], lang: str, selected: Sequence[str] | None
    ) -> tuple[Any, ...]:
        return ("\n".join(lines), *self.library_views(lang, selected))

    def upload(
        self,
        files: Sequence[str] | str | None,
        lang: str,
        selected: Sequence[str] | None,
        progress: Any = gr.Progress(),  # noqa: B008 - Gradio's documented way to get a bar
    ) -> tuple[Any, ...]:
        """Add uploaded files to the library and index them (result, table, filters)."""
        lang = lang_or_default(lang)
        paths = [files] if isinstance(files, str) else list(files or [])
        uploads, refused = [], []

        def report(fraction: float, desc: str) -> None:
            progress(fraction, desc=desc)

        for p in paths:  # the server's guard already refused these; never trust one check
            try:
                uploads.append(Upload(uploaded_file(p), Path(p).name))
            except NotUploaded as exc:
                name = safe_filename(Path(p).name)
                refused.append(message(exc.code, lang=lang, name=name))
        lines = [] if refused and not uploads else self.library.add(uploads, lang, report)
        return self._library_result([*refused, *lines], lang, selected)

    def delete(
        self,
        key: str | None,
        lang: str,
        selected: Sequence[str] | None,
        progress: Any = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        lang = lang_or_default(lang)
        lines = self.library.delete(key, lang, lambda f, d: progress(f, desc=d))
        return self._library_result(lines, lang, selected)

    def reindex(
        self,
        lang: str,
        selected: Sequence[str] | None,
        progress: Any = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        lang = lang_or_default(lang)
        lines = self.library.reindex(lang, lambda f, d: progress(f, desc=d))
        return self._library_result(lines, lang, selected)

    def cancel_ingest(self, lang: str) -> str:
        """The stop button: the running ingest stops between files or batches."""
        return self.library.cancel(lang_or_default(lang))

    def upload_info(self, lang: str) -> str:
        """The upload limits; the folder by its name only (the server's path is its own)."""
        folder = self.library.folder.name or str(self.library.folder)
        info = t(lang, "upload_info", mb=self.settings.max_upload_mb, folder=folder)
        return f'<p class="ja-empty">{render.escape(info)}</p>'


def _echo(value: str) -> str:
    return value


class ChatStates(NamedTuple):
    """The chat's per-session state: the conversation, this session's judgements on the
    latest answer's passages, the picker's results."""

    turns: Any
    marks: Any
    pick_chunks: Any


class Asked(NamedTuple):
    """What one question is asked with: the chat's filters, language and settings."""

    question: str
    doc_ids: Sequence[str] | None
    lang: str
    use_scope: bool
    learn: bool | None


@dataclass
class Header:
    heading: Any
    lang: Any

    @classmethod
    def build(cls, lang0: str) -> Header:
        with gr.Row():
            heading = gr.HTML(render.heading_html(lang0), js_on_load=None, scale=4)
            lang = gr.Radio(
                LANGUAGE_CHOICES,
                value=lang0,
                label=t(lang0, "language"),
                scale=1,
                min_width=220,
                elem_id="ja-lang",
            )
        return cls(heading, lang)

    def relabelled(self) -> list[Any]:
        return [self.heading, self.lang]

    def labels(self, lang: str) -> list[Any]:
        return [render.heading_html(lang), gr.Radio(label=t(lang, "language"))]


def _picker(lang0: str) -> tuple[Any, Any, Any, Any]:
    """The "find the right passage" picker under the sources: a search box and its results,
    hidden until a passage is marked wrong or the answer is a refusal."""
    with gr.Accordion(t(lang0, "fb_pick"), open=False, visible=False, elem_id="ja-pick") as picker:
        with gr.Row():
            query = gr.Textbox(
                show_label=False,
                placeholder=t(lang0, "fb_pick_placeholder"),
                scale=4,
                elem_id="ja-pick-query",
            )
            search = gr.Button(
                t(lang0, "fb_pick_search"), size="sm", scale=1, elem_id="ja-pick-search"
            )
        results = gr.HTML("", js_on_load=FEEDBACK_JS, elem_id="ja-pick-results")
    return picker, query, search, results


@dataclass
class ChatTab:
    """The Chat tab's components: the conversation on the left, clause and sources right."""

    tab: Any
    chatbot: Any
    question: Any
    ask: Any
    clear: Any
    scope_chip: Any
    examples_label: Any
    examples: list[Any]
    doc_filter: Any
    clause: Any
    clause_note: Any
    docx: Any
    md: Any
    add_clause: Any
    add_status: Any
    fb_notice: Any
    sources: Any
    picker: Any
    pick_query: Any
    pick_search: Any
    pick_results: Any

    @classmethod
    def build(cls, lang0: str) -> ChatTab:
        def label(key: str) -> str:
            return t(lang0, key)

        with gr.Tab(label("tab_chat"), id="chat", elem_id="ja-tab-chat") as tab, gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label=label("chat"),
                    placeholder=render.escape(label("chat_placeholder")),
                    height=460,
                    buttons=[],
                    feedback_options=None,
                    latex_delimiters=[],
                    elem_id="ja-chat",
                )
                question = gr.Textbox(
                    label=label("question"),
                    placeholder=label("question_placeholder"),
                    elem_id="ja-question",
                )
                with gr.Row():
                    ask = gr.Button(label("ask"), variant="primary", elem_id="ja-ask")
                    clear = gr.Button(label("clear"), elem_id="ja-clear")
                scope_chip = gr.Button(
                    "", visible=False, size="sm", elem_id="ja-scope", elem_classes="ja-chip"
                )
                examples_label = gr.HTML(
                    f"<strong>{render.escape(label('examples'))}</strong>", js_on_load=None
                )
                with gr.Row():
                    examples = [
                        gr.Button(q, size="sm", elem_classes="ja-example") for q in EXAMPLES[lang0]
                    ]
                doc_filter = gr.Dropdown(
                    choices=[],
                    value=[],
                    multiselect=True,
                    label=label("filter"),
                    info=label("filter_info"),
                    elem_id="ja-filter",
                )
            with gr.Column(scale=2):
                clause = gr.Textbox(
                    label=label("clause"),
                    lines=3,
                    max_lines=12,
                    interactive=False,
                    buttons=["copy"],
                    elem_id="ja-clause",
                )
                clause_note = gr.HTML("", js_on_load=None, elem_id="ja-clause-note")
                with gr.Row():
                    docx = gr.DownloadButton(
                        label("download_docx"), visible=False, size="sm", elem_id="ja-docx"
                    )
                    md = gr.DownloadButton(
                        label("download_md"), visible=False, size="sm", elem_id="ja-md"
                    )
                with gr.Row():
                    add_clause = gr.Button(
                        label("add_to_chapter"), size="sm", elem_id="ja-add-clause"
                    )
                add_status = gr.HTML("", js_on_load=None, elem_id="ja-add-status")
                fb_notice = gr.HTML("", js_on_load=None, elem_id="ja-fb-notice")
                # The feedback buttons on the cards trigger ``feedback`` (render_feedback.JS).
                sources = gr.HTML(
                    render.sources_html(None, 0, lang0), js_on_load=FEEDBACK_JS,
                    elem_id="ja-sources",
                )  # fmt: skip
                picker, pick_query, pick_search, pick_results = _picker(lang0)
        return cls(
            tab, chatbot, question, ask, clear, scope_chip, examples_label, examples,
            doc_filter, clause, clause_note, docx, md, add_clause, add_status, fb_notice,
            sources, picker, pick_query, pick_search, pick_results,
        )  # fmt: skip

    def outputs(self, states: ChatStates) -> list[Any]:
        """What an answer updates, as :class:`ChatView` names them."""
        return [
            getattr(states, n) if n in ChatStates._fields else getattr(self, n)
            for n in ChatView._fields
        ]

    def wire(self, app: ChatApp, states: ChatStates, lang: Any, learn: Any, workers: int) -> None:
        turns = states.turns
        chat_out = self.outputs(states)
        chat_in = [self.question, turns, self.doc_filter, lang, learn]
        # The assistant is thread-safe (the embedder locks); the queue shows waiting users
        # their place, the shared slots keep chat page + API within JEUGDAKKOORD_WORKERS.
        chat: dict[str, Any] = {"concurrency_id": "chat", "concurrency_limit": workers}
        self.ask.click(app.respond, chat_in, chat_out, api_visibility=API, **chat)
        self.question.submit(app.respond, chat_in, chat_out, api_visibility=API, **chat)
        for button in self.examples:
            button.click(_echo, button, self.question, api_visibility=API).then(
                app.respond, chat_in, chat_out, api_visibility=API, **chat
            )
        self.scope_chip.click(
            app.respond_unscoped,
            [turns, self.doc_filter, lang, learn],
            chat_out,
            api_visibility=API,
            **chat,
        )
        self.clear.click(app.clear, lang, chat_out, api_visibility=API)
        self.chatbot.clear(app.clear, lang, chat_out, api_visibility=API)  # its trash button
        self.wire_feedback(app, states, lang)

    def wire_feedback(self, app: ChatApp, states: ChatStates, lang: Any) -> None:
        """The cards' and picker results' buttons, and the picker's search."""
        judged = [self.sources, self.pick_results, states.marks, self.fb_notice, self.picker]
        given = [states.turns, states.marks, states.pick_chunks, lang]
        quiet: dict[str, Any] = {"api_visibility": API, "show_progress": "minimal"}
        for panel in (self.sources, self.pick_results):  # no overlay over the cards per click
            panel.feedback(app.on_feedback, given, judged, **quiet)
        search_in = [self.pick_query, states.marks, lang]
        search_out = [self.pick_results, states.pick_chunks]
        self.pick_search.click(app.pick_search, search_in, search_out, api_visibility=API)
        self.pick_query.submit(app.pick_search, search_in, search_out, api_visibility=API)

    def wire_chapter(self, workspace: dict[str, Any], turns: Any, lang: Any) -> None:
        """ "Add to chapter" puts the last answer's clause in the workspace's chapter."""
        self.add_clause.click(
            workspace["workspace"].add_answer,
            [turns, workspace["chapter_name"], lang],
            [self.add_status, *workspace["view_out"][1:]],
            api_visibility=API,
        )
        lang.change(
            lambda new: gr.Button(t(new, "add_to_chapter")),
            lang,
            self.add_clause,
            api_visibility=API,
        )

    def relabelled(self) -> list[Any]:
        return [
            self.tab, self.chatbot, self.question, self.ask, self.clear, self.examples_label,
            *self.examples, self.doc_filter, self.clause, self.clause_note, self.docx, self.md,
            self.sources, self.picker, self.pick_query, self.pick_search, self.pick_results,
        ]  # fmt: skip

    def labels(
        self,
        app: ChatApp,
        lang: str,
        conversation: list[render.Turn],
        marks: Marks | None,
        chunks: list[Chunk] | None,
    ) -> list[Any]:
        """:meth:`relabelled`'s texts in ``lang``; the answers stay as they were."""
        last = conversation[-1][1] if conversation else None
        return [
            gr.Tab(label=t(lang, "tab_chat")),
            gr.Chatbot(
                value=cast(Any, render.chat_messages(conversation, lang)),
                label=t(lang, "chat"),
                placeholder=render.escape(t(lang, "chat_placeholder")),
            ),
            gr.Textbox(label=t(lang, "question"), placeholder=t(lang, "question_placeholder")),
            gr.Button(t(lang, "ask")),
            gr.Button(t(lang, "clear")),
            f"<strong>{render.escape(t(lang, 'examples'))}</strong>",
            *(gr.Button(q) for q in EXAMPLES[lang]),
            gr.Dropdown(label=t(lang, "filter"), info=t(lang, "filter_info")),
            gr.Textbox(label=t(lang, "clause")),
            render.clause_note_html(last, lang),
            gr.DownloadButton(label=t(lang, "download_docx")),
            gr.DownloadButton(label=t(lang, "download_md")),
            app.feedback.sources(conversation, lang, marks),
            gr.Accordion(label=t(lang, "fb_pick")),
            gr.Textbox(placeholder=t(lang, "fb_pick_placeholder")),
            gr.Button(t(lang, "fb_pick_search")),
            app.feedback.picker(chunks, lang, marks) if chunks else gr.skip(),
        ]


@dataclass
class DocsTab:
    """The Documents tab: upload, re-index, the table of indexed files, delete."""

    tab: Any
    upload: Any
    reindex: Any
    cancel: Any
    upload_info: Any
    result: Any
    table: Any
    delete_pick: Any
    delete: Any
    meta: MetaPanel

    @classmethod
    def build(cls, app: ChatApp, lang0: str) -> DocsTab:
        with gr.Tab(t(lang0, "tab_docs"), id="docs", elem_id="ja-tab-docs") as tab:
            with gr.Row():
                upload = gr.UploadButton(
                    upload_label(lang0),
                    file_count="multiple",
                    file_types=list(upload_suffixes()),
                    variant="primary",
                    elem_id="ja-upload",
                )
                reindex = gr.Button(t(lang0, "reindex"), elem_id="ja-reindex")
                cancel = gr.Button(t(lang0, "cancel_ingest"), variant="stop", elem_id="ja-cancel")
            upload_info = gr.HTML(app.upload_info(lang0), js_on_load=None)
            result = gr.Textbox(
                label=t(lang0, "result"), lines=2, interactive=False, elem_id="ja-result"
            )
            table = gr.Dataframe(
                label=t(lang0, "docs_table"),
                interactive=False,
                wrap=True,
                column_widths=["17%", "23%", "13%", "8%", "7%", "9%", "9%", "14%"],
                elem_id="ja-docs",
            )
            with gr.Row():
                delete_pick = gr.Dropdown(
                    choices=[], label=t(lang0, "delete_pick"), scale=3, elem_id="ja-delete-pick"
                )
                delete = gr.Button(t(lang0, "delete"), variant="stop", elem_id="ja-delete")
            meta = MetaPanel.build(lang0)
        return cls(
            tab, upload, reindex, cancel, upload_info, result, table, delete_pick, delete, meta
        )

    def wire(self, app: ChatApp, lang: Any, doc_filter: Any, views: list[Any]) -> None:
        """Each change to the library refreshes ``views`` (:meth:`ChatApp.library_views`)."""
        library: dict[str, Any] = {
            "concurrency_id": "library",
            "concurrency_limit": 1,
            "api_visibility": API,
        }
        out = [self.result, *views]
        self.upload.upload(app.upload, [self.upload, lang, doc_filter], out, **library)
        self.delete.click(app.delete, [self.delete_pick, lang, doc_filter], out, **library)
        self.reindex.click(app.reindex, [lang, doc_filter], out, **library)
        # Not in the library's queue: it must run while an ingest holds that queue.
        self.cancel.click(
            app.cancel_ingest, [lang], [self.result], api_visibility=API, concurrency_limit=None
        )
        self.meta.wire(app.meta, lang, doc_filter, self.result, views, library)

    def relabelled(self) -> list[Any]:
        return [
            self.tab, self.upload, self.reindex, self.cancel, self.upload_info, self.result,
            self.table, self.delete_pick, self.delete, *self.meta.relabelled(),
        ]  # fmt: skip

    def labels(self, app: ChatApp, lang: str) -> list[Any]:
        return [
            gr.Tab(label=t(lang, "tab_docs")),
            gr.UploadButton(label=upload_label(lang)),
            gr.Button(t(lang, "reindex")),
            gr.Button(t(lang, "cancel_ingest")),
            app.upload_info(lang),
            gr.Textbox(label=t(lang, "result")),
            gr.Dataframe(label=t(lang, "docs_table")),
            gr.Dropdown(label=t(lang, "delete_pick")),
            gr.Button(t(lang, "delete")),
            *self.meta.labels(lang),
        ]


@dataclass
class SettingsTab:
    tab: Any
    view: Any
    learn: Any  # "Leren van correcties": this session's learn= for every question
    fb_notice: Any

    @classmethod
    def build(cls, lang0: str, learn0: bool) -> SettingsTab:
        with gr.Tab(t(lang0, "tab_settings"), id="settings", elem_id="ja-tab-settings") as tab:
            view = gr.HTML("", js_on_load=None, elem_id="ja-settings")
            learn = gr.Checkbox(
                value=learn0,
                label=t(lang0, "fb_learn"),
                info=t(lang0, "fb_learn_info"),
                elem_id="ja-learn",
            )
            fb_notice = gr.HTML("", js_on_load=None, elem_id="ja-settings-fb-notice")
        return cls(tab, view, learn, fb_notice)

    def relabelled(self) -> list[Any]:
        return [self.tab]

    def labels(self, lang: str) -> list[Any]:
        return [gr.Tab(label=t(lang, "tab_settings"))]


def _only_tabs(tabs: Any) -> None:
    """Refuse anything but tabs directly inside ``tabs``: the browser numbers a tab by its
    place among all children, and a State between two tabs doubled the buttons after it."""
    strays = [type(child).__name__ for child in tabs.children if not isinstance(child, gr.Tab)]
    if strays:
        raise TypeError(f"only gr.Tab may stand directly inside gr.Tabs, not {strays}")


def build_app(
    settings: Settings,
    assistant: Assistant | None = None,
    slots: AnswerSlots | None = None,
    audit: AuditLog | None = None,
    feedback_limit: RateLimit | None = None,
) -> Any:
    """The gr.Blocks app (not launched); see :func:`assistant.server.build_server`.

    The tabs are built by their own classes; the wiring between them is all here."""
    app = ChatApp(settings, assistant, slots, audit, feedback_limit)
    lang0 = DEFAULT_LANG
    with gr.Blocks(title=t(lang0, "page_title"), delete_cache=(3600, 86400)) as demo:
        states = ChatStates(turns=gr.State([]), marks=gr.State({}), pick_chunks=gr.State([]))
        turns = states.turns
        header = Header.build(lang0)
        lang = header.lang
        with gr.Tabs() as tabs:
            chat = ChatTab.build(lang0)
            shared = Workspace(app.assistant, settings.index_dir, app.downloads)
            workspace = build_tabs(shared, lang0, chat.doc_filter, lang)
            docs = DocsTab.build(app, lang0)
            settings_tab = SettingsTab.build(lang0, settings.feedback)
        _only_tabs(tabs)

        chat.wire_chapter(workspace, turns, lang)
        chat.wire(app, states, lang, settings_tab.learn, settings.workers)
        views = [docs.table, chat.doc_filter, docs.delete_pick, settings_tab.view, docs.meta.pick]
        docs.wire(app, lang, chat.doc_filter, views)
        # The page's first read and a language switch's re-read go through one queue, in
        # order: a slow first read must not land after (and so undo) the switch's.
        reread: dict[str, Any] = {
            "concurrency_id": "views",
            "concurrency_limit": 1,
            "api_visibility": API,
            "show_progress": "hidden",  # no spinner over the filter on first paint
        }
        demo.load(app.library_views, [lang, chat.doc_filter], views, **reread)
        status = [settings_tab.learn, settings_tab.fb_notice, chat.fb_notice]
        demo.load(app.feedback_status, lang, status, **reread)

        def relabel(
            new: str,
            conversation: list[render.Turn] | None,
            marks: Marks | None,
            chunks: list[Chunk] | None,
        ) -> list[Any]:
            """Every interface text in the chosen language; the answers stay as they were."""
            lang_ = lang_or_default(new)
            return [
                *header.labels(lang_),
                *chat.labels(app, lang_, conversation or [], marks, chunks),
                *docs.labels(app, lang_),
                *settings_tab.labels(lang_),
            ]

        relabelled = [
            *header.relabelled(),
            *chat.relabelled(),
            *docs.relabelled(),
            *settings_tab.relabelled(),
        ]
        relabel_in = [lang, turns, states.marks, states.pick_chunks]
        lang.change(relabel, relabel_in, relabelled, api_visibility=API).then(
            app.library_views, [lang, chat.doc_filter], views, **reread
        ).then(app.feedback_status, lang, status, **reread)
    return demo
