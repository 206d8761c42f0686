"""The chat's feedback (#28): a click on a source card's "juist / onjuist" or on a picker
result records a judgement through ``Assistant.feedback`` for the question that answer
answered; undo deletes it. The session's judgements live in a ``gr.State`` (:data:`Marks`),
so a session can only undo its own; the passage picker searches with the retriever.

When the feedback store is unavailable (locked, corrupt, unwritable) the buttons are not
drawn and the chat and Settings tab show its notice; answers come as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from typing import Any, Protocol

import gradio as gr

from assistant.answering.answer import Assistant
from assistant.answering.feedback import FeedbackOff, long_date, off_notice
from assistant.core.errors import CodedError, error_text, message
from assistant.core.i18n import lang_or_default, t
from assistant.core.types import Answer, Chunk
from assistant.providers.embeddings import EmbeddingError
from assistant.providers.stores import StoreError
from assistant.retrieval.retriever import QueryError
from assistant.store.index import IndexError_
from assistant.ui import render
from assistant.ui.render_feedback import (
    ACTIONS,
    REASONS,
    CardFeedback,
    Marks,
    notice_html,
    picker_html,
)

#: How many passages the picker lists for a search.
PICKER_RESULTS = 6


def learned_notes(answer: Answer | None, lang: str) -> dict[str, str]:
    """chunk id -> "eerder als juist gemarkeerd op …" for the passages the answer's ranking
    moved up because a user confirmed them (``Answer.learned``)."""
    if answer is None:
        return {}
    notes: dict[str, str] = {}
    for item in answer.learned:
        if item.get("verdict") == "right" and item.get("chunk_id"):
            when = long_date(str(item.get("date", "")), lang)
            notes[str(item["chunk_id"])] = t(lang, "fb_learned", date=when)
    return notes


def _last(turns: Sequence[render.Turn] | None) -> tuple[str, list[str], Answer] | None:
    """The latest question, the questions before it (the history it was asked with), its
    answer: what a judgement belongs to."""
    if not turns:
        return None
    question, answer = turns[-1]
    return question, [q for q, _ in turns[:-1] if q.strip()], answer


class RateLimit(Protocol):
    """A sliding-window limit per client (the server passes the login limiter's kind)."""

    def retry_after(self, key: str) -> int: ...

    def failed(self, key: str) -> None: ...


class FeedbackView:
    """Renders and records feedback for one shared :class:`Assistant` (sessions keep their
    :data:`Marks` in ``gr.State``); ``limit`` bounds the judgements one client records, as
    the API's ``POST /api/feedback`` does."""

    def __init__(self, assistant: Assistant, limit: RateLimit | None = None) -> None:
        self.assistant = assistant
        self.limit = limit

    @property
    def available(self) -> bool:
        return bool(self.assistant.feedback.available)

    def notice(self, lang: str) -> str:
        """The notice line above the sources: empty while feedback works."""
        if self.available:
            return ""
        return notice_html(off_notice(self.assistant.feedback.off_kind, lang))

    def sources(self, turns: Sequence[render.Turn] | None, lang: str, marks: Marks | None) -> str:
        """The sources panel of the latest answer, with its feedback controls and notes."""
        turns = list(turns or [])
        answer = turns[-1][1] if turns else None
        cards = CardFeedback(
            lang=lang,
            enabled=self.available,
            marks=dict(marks or {}),
            learned=learned_notes(answer, lang),
        )
        return render.sources_html(answer, len(turns) - 1, lang, cards)

    def picker(self, chunks: Sequence[Chunk], lang: str, marks: Marks | None) -> str:
        """The picker's results, each with its "this is the right passage" button."""
        marks = dict(marks or {})
        cards = CardFeedback(lang=lang, enabled=self.available, marks=marks, picker=True)
        return picker_html(chunks, lang, cards)

    def search(self, query: str, marks: Marks | None, lang: str) -> tuple[str, list[Chunk]]:
        """The picker's search: the retriever's best passages for ``query`` (all documents)."""
        lang = lang_or_default(lang)
        if not (query or "").strip():
            return notice_html(t(lang, "fb_pick_empty")), []
        try:
            hits = self.assistant.retriever.search(query, k=PICKER_RESULTS)
        except (QueryError, IndexError_, EmbeddingError, StoreError) as exc:
            return notice_html(error_text(exc, lang)), []
        chunks = [h.chunk for h in hits]
        return self.picker(chunks, lang, marks), chunks

    def judge(
        self,
        data: Mapping[str, Any],
        turns: Sequence[render.Turn] | None,
        marks: Marks | None,
        lang: str,
        user: str,
        client: str = "",
    ) -> tuple[Marks, str]:
        """Record (or undo) what a feedback button's event asks for ``user`` at ``client``;
        returns the new marks and the notice line (an error, or empty)."""
        lang = lang_or_default(lang)
        marks = dict(marks or {})
        action, chunk_id = str(data.get("action", "")), str(data.get("chunk", ""))
        if action not in ACTIONS or not chunk_id:
            return marks, ""
        if action == "undo":
            mark = marks.get(chunk_id)
            if mark is None:  # only this session's own judgements can be undone here
                return marks, ""
            try:
                self.assistant.feedback.delete(int(mark["id"]))
            except CodedError as exc:
                return marks, notice_html(t(lang, "fb_error", error=error_text(exc, lang)))
            del marks[chunk_id]
            return marks, ""
        last = _last(turns)
        if last is None:
            return marks, notice_html(t(lang, "fb_no_question"))
        question, history, _ = last
        verdict = "wrong" if action == "wrong" else "right"
        reason = str(data.get("reason", "")) if verdict == "wrong" else ""
        reason = reason if reason in REASONS else ""
        if self.limit is not None:
            if wait := self.limit.retry_after(client):
                too_many = message("feedback_rate", lang=lang, n=wait)
                return marks, notice_html(t(lang, "fb_error", error=too_many))
            self.limit.failed(client)  # every judgement counts, as in the API
        try:
            judgement = self.assistant.feedback.record(
                question, chunk_id, verdict, reason, history=history, user=user
            )
        except CodedError as exc:  # a field at fault, the store off, too many at once
            return marks, notice_html(t(lang, "fb_error", error=error_text(exc, lang)))
        old = marks.get(chunk_id)
        if old is not None and old["id"] != judgement.id:  # a new verdict replaces the old
            with suppress(FeedbackOff):  # if it stays, the newer verdict wins when applied
                self.assistant.feedback.delete(int(old["id"]))
        marks[chunk_id] = {"id": judgement.id, "verdict": verdict, "reason": reason}
        return marks, ""


def event_data(evt: gr.EventData | None) -> dict[str, Any]:
    """The payload the page's :data:`assistant.ui.render_feedback.JS` sent, or nothing."""
    data = getattr(evt, "_data", None)
    return dict(data) if isinstance(data, dict) else {}


def user_of(request: gr.Request | None) -> str:
    """The signed-in user's name for the judgement ('' without auth)."""
    return str(getattr(request, "username", None) or "") if request is not None else ""
