"""The Gradio app: a Chat tab, a Documents tab and a Settings tab around one Assistant.

All HTML shown comes from :mod:`assistant.ui.render` (escaped there); this module only wires
components to the assistant, the export functions and the document library.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import gradio as gr

from assistant.answering.answer import Assistant
from assistant.answering.export import clause_docx, clause_markdown
from assistant.answering.slots import AnswerSlots, Busy
from assistant.core.errors import error_text, message
from assistant.core.i18n import DEFAULT_LANG, EXAMPLES, lang_or_default, t
from assistant.core.settings import Settings
from assistant.core.types import Answer, Chunk
from assistant.providers.embeddings import EmbeddingError
from assistant.providers.stores import StoreError
from assistant.store.index import FileRecord, IndexError_, IndexMissing
from assistant.ui import render
from assistant.ui.uploads import NotUploaded, uploaded_file
from assistant.ui.workspace import Workspace, build_tabs
from ingest.library import UPLOAD_SUFFIXES, Library, Upload, safe_filename
from ingest.manifest import slug

#: Event endpoints are for this page only: not listed, not callable by Gradio API clients.
API = "private"
LANGUAGE_CHOICES = [("Nederlands", "nl"), ("English", "en")]


def css() -> str:
    from assistant.ui.render_workspace import CSS

    return render.CSS + CSS


def _hidden() -> Any:
    return gr.DownloadButton(value=None, visible=False)


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
    ) -> None:
        self.settings = settings
        self.assistant = assistant or Assistant(settings)
        #: shared with the HTTP API: together they compute at most ``workers`` answers at once
        self.slots = slots or AnswerSlots(settings.workers)
        self.library = Library(settings)
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
            (t(lang, "set_index"), str(self.settings.index_dir)),
            (t(lang, "set_corpus"), ", ".join(str(d) for d in self.settings.corpus_dirs)),
            (t(lang, "set_docs"), str(sum(r.status != "failed" for r in files.values()))),
            (t(lang, "set_chunks"), str(len(chunks))),
            (t(lang, "set_generation"), str(generation) if generation else "—"),
        ]

    def library_views(self, lang: str, selected: Sequence[str] | None) -> tuple[Any, ...]:
        """Documents table, document filter, delete choice and settings, fresh from the index."""
        lang = lang_or_default(lang)
        files, chunks, _ = self._index()
        choices = render.document_choices(files)
        ids = {doc_id for _, doc_id in choices}
        return (
            gr.Dataframe(value=render.documents_table(files, chunks, lang)),
            gr.Dropdown(choices=choices, value=[d for d in selected or [] if d in ids]),
            gr.Dropdown(choices=render.file_choices(files), value=None),
            render.settings_html(self.settings_rows(lang)),
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
        use_scope: bool = True,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat, then show its sources, clause and downloads.

        Outputs: chatbot, turns, question box, sources, clause, clause note, .docx, .md,
        scope chip.
        """
        lang = lang_or_default(lang)
        question = question or ""
        turns = list(turns or [])
        history = [q for q, _ in turns if q.strip()]
        shown = render.chat_messages(turns, lang, links=False)
        asked = {"role": "user", "content": render.markdown_safe(question)}

        def bubble(content: str) -> list[dict[str, str]]:
            return [*shown, asked, {"role": "assistant", "content": content}]

        skip = (gr.skip(),) * 7
        yield (
            bubble(render.pending_html("")),
            gr.skip(),
            "",
            render.sources_html(None, 0, lang),
            "",
            "",
            _hidden(),
            _hidden(),
            gr.Button(visible=False),
        )
        text, answer, error = "", None, ""
        filters = list(doc_ids or []) or None
        try:
            with self.slots.slot():  # released when Gradio closes an abandoned stream, too
                events = self.assistant.ask_stream(question, history, filters, lang, use_scope)
                for event in events:
                    if event.answer is not None:
                        answer = event.answer
                        continue
                    if event.kind == "token":
                        text += event.text
                    elif event.kind == "reset":  # a rejected LLM draft makes way for another
                        text = ""
                    yield (
                        bubble(render.pending_html(text, event.text)),
                        *skip,
                        gr.skip(),
                        gr.skip(),
                    )
        except Busy as exc:
            error = error_text(exc, lang)
        except IndexMissing:
            error = t(lang, "no_index")
        except (IndexError_, EmbeddingError, StoreError) as exc:
            error = t(lang, "answer_error", error=error_text(exc, lang))
        if answer is None:
            yield (bubble(render.markdown_safe(error)), *skip, gr.skip(), gr.skip())
            return
        turns.append((question, answer))
        docx, md = self._export(answer, lang) if answer.clause else ("", "")
        yield (
            render.chat_messages(turns, lang),
            turns,
            gr.skip(),
            render.sources_html(answer, len(turns) - 1, lang),
            answer.clause,
            render.clause_note_html(answer, lang),
            gr.DownloadButton(value=docx, visible=True) if docx else _hidden(),
            gr.DownloadButton(value=md, visible=True) if md else _hidden(),
            _scope_chip(answer, lang),
        )

    def respond_unscoped(
        self, turns: list[render.Turn] | None, doc_ids: Sequence[str] | None, lang: str
    ) -> Iterator[tuple[Any, ...]]:
        """The scope chip was removed: the last question again, from all documents."""
        turns = list(turns or [])
        if not turns:
            yield self.clear(lang)
            return
        question, _ = turns.pop()
        yield from self.respond(question, turns, doc_ids, lang, use_scope=False)

    def clear(self, lang: str) -> tuple[Any, ...]:
        lang = lang_or_default(lang)
        return (
            [],
            [],
            "",
            render.sources_html(None, 0, lang),
            "",
            "",
            _hidden(),
            _hidden(),
            gr.Button(visible=False),
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

    def upload_info(self, lang: str) -> str:
        info = t(lang, "upload_info", mb=self.settings.max_upload_mb, folder=self.library.folder)
        return f'<p class="ja-empty">{render.escape(info)}</p>'


def _echo(value: str) -> str:
    return value


def build_app(
    settings: Settings, assistant: Assistant | None = None, slots: AnswerSlots | None = None
) -> Any:
    """The gr.Blocks app (not launched); see :func:`assistant.serve.server.build_server`."""
    app = ChatApp(settings, assistant, slots)
    lang0 = DEFAULT_LANG

    def label(key: str) -> str:
        return t(lang0, key)

    with gr.Blocks(title=label("page_title"), delete_cache=(3600, 86400)) as demo:
        turns = gr.State([])
        with gr.Row():
            heading = gr.HTML(render.heading_html(lang0), js_on_load=None, scale=4)
            lang = gr.Radio(
                LANGUAGE_CHOICES,
                value=lang0,
                label=label("language"),
                scale=1,
                min_width=220,
                elem_id="ja-lang",
            )
        with gr.Tabs():
            with (
                gr.Tab(label("tab_chat"), id="chat", elem_id="ja-tab-chat") as tab_chat,
                gr.Row(),
            ):
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
                        example_buttons = [
                            gr.Button(q, size="sm", elem_classes="ja-example")
                            for q in EXAMPLES[lang0]
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
                    sources = gr.HTML(
                        render.sources_html(None, 0, lang0),
                        js_on_load=None,
                        elem_id="ja-sources",
                    )
            shared = Workspace(app.assistant, settings.index_dir, app.downloads)
            workspace = build_tabs(shared, lang0, doc_filter, lang)
            with gr.Tab(label("tab_docs"), id="docs", elem_id="ja-tab-docs") as tab_docs:
                with gr.Row():
                    upload = gr.UploadButton(
                        label("upload"),
                        file_count="multiple",
                        file_types=list(UPLOAD_SUFFIXES),
                        variant="primary",
                        elem_id="ja-upload",
                    )
                    reindex = gr.Button(label("reindex"), elem_id="ja-reindex")
                upload_info = gr.HTML(app.upload_info(lang0), js_on_load=None)
                result = gr.Textbox(
                    label=label("result"), lines=2, interactive=False, elem_id="ja-result"
                )
                table = gr.Dataframe(
                    label=label("docs_table"),
                    interactive=False,
                    wrap=True,
                    column_widths=["18%", "25%", "14%", "8%", "7%", "6%", "7%", "15%"],
                    elem_id="ja-docs",
                )
                with gr.Row():
                    delete_pick = gr.Dropdown(
                        choices=[], label=label("delete_pick"), scale=3, elem_id="ja-delete-pick"
                    )
                    delete = gr.Button(label("delete"), variant="stop", elem_id="ja-delete")
            with gr.Tab(label("tab_settings"), id="settings", elem_id="ja-tab-settings") as tab_set:
                settings_view = gr.HTML("", js_on_load=None, elem_id="ja-settings")

        add_clause.click(
            workspace["workspace"].add_answer,
            [turns, workspace["chapter_name"], lang],
            [add_status, *workspace["view_out"][1:]],
            api_visibility=API,
        )
        lang.change(
            lambda new: gr.Button(t(new, "add_to_chapter")), lang, add_clause, api_visibility=API
        )
        chat_out = [chatbot, turns, question, sources, clause, clause_note, docx, md, scope_chip]
        chat_in = [question, turns, doc_filter, lang]
        # The assistant is thread-safe (the embedder locks); the queue shows waiting users
        # their place, the shared slots keep chat page + API within JEUGDAKKOORD_WORKERS.
        chat: dict[str, Any] = {"concurrency_id": "chat", "concurrency_limit": settings.workers}
        ask.click(app.respond, chat_in, chat_out, api_visibility=API, **chat)
        question.submit(app.respond, chat_in, chat_out, api_visibility=API, **chat)
        for button in example_buttons:
            button.click(_echo, button, question, api_visibility=API).then(
                app.respond, chat_in, chat_out, api_visibility=API, **chat
            )
        scope_chip.click(
            app.respond_unscoped, [turns, doc_filter, lang], chat_out, api_visibility=API, **chat
        )
        clear.click(app.clear, lang, chat_out, api_visibility=API)
        chatbot.clear(app.clear, lang, chat_out, api_visibility=API)  # its own trash button

        views = [table, doc_filter, delete_pick, settings_view]
        library: dict[str, Any] = {
            "concurrency_id": "library",
            "concurrency_limit": 1,
            "api_visibility": API,
        }
        upload.upload(app.upload, [upload, lang, doc_filter], [result, *views], **library)
        delete.click(app.delete, [delete_pick, lang, doc_filter], [result, *views], **library)
        reindex.click(app.reindex, [lang, doc_filter], [result, *views], **library)
        demo.load(app.library_views, [lang, doc_filter], views, api_visibility=API)

        def relabel(new: str, conversation: list[render.Turn] | None) -> tuple[Any, ...]:
            """Every interface text in the chosen language; the answers stay as they were."""
            lang_ = lang_or_default(new)
            conversation = conversation or []
            last = conversation[-1][1] if conversation else None
            return (
                render.heading_html(lang_),
                gr.Radio(label=t(lang_, "language")),
                gr.Tab(label=t(lang_, "tab_chat")),
                gr.Tab(label=t(lang_, "tab_docs")),
                gr.Tab(label=t(lang_, "tab_settings")),
                gr.Chatbot(
                    value=cast(Any, render.chat_messages(conversation, lang_)),
                    label=t(lang_, "chat"),
                    placeholder=render.escape(t(lang_, "chat_placeholder")),
                ),
                gr.Textbox(
                    label=t(lang_, "question"), placeholder=t(lang_, "question_placeholder")
                ),
                gr.Button(t(lang_, "ask")),
                gr.Button(t(lang_, "clear")),
                f"<strong>{render.escape(t(lang_, 'examples'))}</strong>",
                *(gr.Button(q) for q in EXAMPLES[lang_]),
                gr.Dropdown(label=t(lang_, "filter"), info=t(lang_, "filter_info")),
                gr.Textbox(label=t(lang_, "clause")),
                render.clause_note_html(last, lang_),
                gr.DownloadButton(label=t(lang_, "download_docx")),
                gr.DownloadButton(label=t(lang_, "download_md")),
                render.sources_html(last, len(conversation) - 1, lang_),
                gr.UploadButton(label=t(lang_, "upload")),
                gr.Button(t(lang_, "reindex")),
                app.upload_info(lang_),
                gr.Textbox(label=t(lang_, "result")),
                gr.Dataframe(label=t(lang_, "docs_table")),
                gr.Dropdown(label=t(lang_, "delete_pick")),
                gr.Button(t(lang_, "delete")),
            )

        lang.change(
            relabel,
            [lang, turns],
            [
                heading,
                lang,
                tab_chat,
                tab_docs,
                tab_set,
                chatbot,
                question,
                ask,
                clear,
                examples_label,
                *example_buttons,
                doc_filter,
                clause,
                clause_note,
                docx,
                md,
                sources,
                upload,
                reindex,
                upload_info,
                result,
                table,
                delete_pick,
                delete,
            ],
            api_visibility=API,
        ).then(app.library_views, [lang, doc_filter], views, api_visibility=API)
    return demo
