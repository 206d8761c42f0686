"""The Documents tab's metadata editor: a file's title, publisher, date, type and other names,
saved to the corpus manifest and applied to the index without embedding anything again.

:class:`MetaEditor` holds the handlers (tested without a browser); :class:`MetaPanel` the
Gradio components they fill.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.core.i18n import doc_type, lang_or_default, t
from assistant.store.index import FileRecord
from ingest.library import DOC_TYPES, Library, Value

#: (title, publisher, date, type, other names one a line) as the editor's fields show them.
Fields = tuple[str, str, str, str, str]
_EMPTY: Fields = ("", "", "", "document", "")


class MetaEditor:
    """Reads a file's current details into the form and saves what the user changed."""

    def __init__(
        self,
        library: Library,
        files: Callable[[], Mapping[str, FileRecord]],
        views: Callable[[str, Sequence[str] | None], tuple[Any, ...]],
    ) -> None:
        self.library = library
        self.files = files
        self.views = views

    def fields(self, key: str | None) -> Fields:
        """The details the index holds for ``key`` (set or inferred), for editing."""
        rec = self.files().get(key or "")
        if rec is None:
            return _EMPTY
        kind = rec.doc_type if rec.doc_type in DOC_TYPES else "document"
        return rec.title, rec.publisher, rec.date, kind, "\n".join(rec.aliases)

    def changes(self, key: str, form: Fields) -> dict[str, Value]:
        """The fields the user changed: only those go to the manifest, so a value that was
        inferred and left alone stays inferred (and follows the document)."""
        before = self.fields(key)
        names = ("title", "publisher", "date", "type")
        out: dict[str, Value] = {
            name: " ".join((new or "").split())
            for name, old, new in zip(names, before[:4], form[:4], strict=True)
            if " ".join((new or "").split()) != old
        }
        aliases = [a.strip() for a in (form[4] or "").splitlines() if a.strip()]
        if aliases != [a for a in before[4].splitlines() if a]:
            out["aliases"] = aliases
        return out

    def save(
        self,
        key: str | None,
        title: str,
        publisher: str,
        date: str,
        kind: str,
        aliases: str,
        lang: str,
        selected: Sequence[str] | None,
        progress: Any = gr.Progress(),  # noqa: B008 - Gradio's documented way to get a bar
    ) -> tuple[Any, ...]:
        """Save the changed details (the result line and the refreshed views)."""
        lang = lang_or_default(lang)
        if not key:
            return (t(lang, "meta_none"), *self.views(lang, selected))
        changes = self.changes(key, (title, publisher, date, kind, aliases))
        if not changes:
            return (t(lang, "meta_nothing"), *self.views(lang, selected))
        _, lines = self.library.edit_metadata(key, changes, lang, lambda f, d: progress(f, desc=d))
        return ("\n".join(lines), *self.views(lang, selected))


@dataclass
class MetaPanel:
    """The editor's components, in a closed accordion under the documents table."""

    box: Any
    help: Any
    pick: Any
    title: Any
    publisher: Any
    date: Any
    kind: Any
    aliases: Any
    save: Any

    @classmethod
    def build(cls, lang0: str) -> MetaPanel:
        with gr.Accordion(t(lang0, "meta_edit"), open=False, elem_id="ja-meta") as box:
            help_ = gr.Markdown(t(lang0, "meta_help"))
            pick = gr.Dropdown(choices=[], label=t(lang0, "meta_pick"), elem_id="ja-meta-pick")
            with gr.Row():
                title = gr.Textbox(label=t(lang0, "meta_title"), elem_id="ja-meta-title")
                publisher = gr.Textbox(
                    label=t(lang0, "meta_publisher"), elem_id="ja-meta-publisher"
                )
            with gr.Row():
                date = gr.Textbox(label=t(lang0, "meta_date"), elem_id="ja-meta-date")
                kind = gr.Dropdown(
                    choices=_type_choices(lang0),
                    value="document",
                    label=t(lang0, "meta_type"),
                    elem_id="ja-meta-type",
                )
            aliases = gr.Textbox(label=t(lang0, "meta_aliases"), lines=3, elem_id="ja-meta-aliases")
            save = gr.Button(t(lang0, "meta_save"), variant="primary", elem_id="ja-meta-save")
        return cls(box, help_, pick, title, publisher, date, kind, aliases, save)

    @property
    def form(self) -> list[Any]:
        return [self.title, self.publisher, self.date, self.kind, self.aliases]

    def wire(
        self,
        editor: MetaEditor,
        lang: Any,
        doc_filter: Any,
        result: Any,
        views: list[Any],
        queue: dict[str, Any],
    ) -> None:
        """Picking a file fills the form; saving writes the changes and refreshes ``views``
        (in the library's queue: one change to the corpus at a time)."""
        self.pick.change(
            editor.fields, [self.pick], self.form, api_visibility=queue["api_visibility"]
        )
        self.save.click(
            editor.save, [self.pick, *self.form, lang, doc_filter], [result, *views], **queue
        )

    def relabelled(self) -> list[Any]:
        return [
            self.box, self.help, self.pick, self.title, self.publisher, self.date, self.kind,
            self.aliases, self.save,
        ]  # fmt: skip

    def labels(self, lang: str) -> list[Any]:
        return [
            gr.Accordion(label=t(lang, "meta_edit")),
            gr.Markdown(t(lang, "meta_help")),
            gr.Dropdown(label=t(lang, "meta_pick")),
            gr.Textbox(label=t(lang, "meta_title")),
            gr.Textbox(label=t(lang, "meta_publisher")),
            gr.Textbox(label=t(lang, "meta_date")),
            gr.Dropdown(label=t(lang, "meta_type"), choices=_type_choices(lang)),
            gr.Textbox(label=t(lang, "meta_aliases")),
            gr.Button(t(lang, "meta_save")),
        ]


def _type_choices(lang: str) -> list[tuple[str, str]]:
    return [(doc_type(lang, kind), kind) for kind in DOC_TYPES]
