"""Answering a question: retrieve, decide whether the sources cover it, draft, stream.

``Assistant.ask`` returns an :class:`~assistant.types.Answer`; ``Assistant.ask_stream`` yields
events as the answer is produced (the chat UI and ``ask --stream`` use it).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from assistant import draft
from assistant.followup import standalone_question
from assistant.retrieve import MAX_QUERY_CHARS, QueryError, Retriever
from assistant.settings import Settings
from assistant.text import detect_language
from assistant.types import Answer, SearchHit

#: Below this dense similarity of the best passage the sources are taken not to cover the
#: question. Calibrated on the dev split of evals/datasets/questions.jsonl by
#: ``python -m evals.calibrate`` (which prints the accuracy on both splits).
REFUSAL_THRESHOLD = 0.80
CANDIDATES = 8

MESSAGES = {
    "nl": {
        "refused": "De bronnen bevatten hierover geen informatie.",
        "related": "Mogelijk verwante passages staan hieronder.",
        "empty": "Stel een vraag over jeugdbeleid, bijvoorbeeld: "
        "‘Wat schrijven we op over marktwerking?’",
        "too_long": "Uw vraag is ingekort tot de eerste {n} tekens.",
        "no_index": "Er zijn nog geen documenten geïndexeerd.",
    },
    "en": {
        "refused": "The sources contain no information about this.",
        "related": "Possibly related passages are listed below.",
        "empty": "Ask a question about youth policy, for example: "
        "‘What should we write about market forces?’",
        "too_long": "Your question was shortened to its first {n} characters.",
        "no_index": "No documents have been indexed yet.",
    },
}


@dataclass(frozen=True)
class AnswerEvent:
    """One step of a streamed answer: ``status`` text, a ``token`` of text, or the ``answer``."""

    kind: str
    text: str = ""
    answer: Answer | None = None


def covered(hits: Sequence[SearchHit], threshold: float = REFUSAL_THRESHOLD) -> bool:
    """Whether the best passages are close enough to the question to answer from."""
    best = max((h.dense_score or 0.0 for h in hits[:3]), default=0.0)
    return best >= threshold


class Assistant:
    def __init__(
        self, settings: Settings | None = None, retriever: Retriever | None = None
    ) -> None:
        self.settings = settings or Settings.from_env()
        self.retriever = retriever or Retriever(self.settings)
        self._idf_cache: dict[str, float] = {}
        self._idf_for = -1

    def _idf(self) -> dict[str, float]:
        """Token rarity over the current index generation (recomputed when it changes)."""
        snap = self.retriever.snapshot()
        if self._idf_for != snap.generation.number:
            self._idf_cache = draft.inverse_document_frequency(snap.chunks)
            self._idf_for = snap.generation.number
        return self._idf_cache

    def ask(
        self,
        question: str,
        history: Sequence[str] | None = None,
        filters: Sequence[str] | None = None,
    ) -> Answer:
        """Answer ``question``; ``history`` holds earlier questions, ``filters`` document ids."""
        answer: Answer | None = None
        for event in self.ask_stream(question, history, filters):
            if event.answer is not None:
                answer = event.answer
        assert answer is not None
        return answer

    def ask_stream(
        self,
        question: str,
        history: Sequence[str] | None = None,
        filters: Sequence[str] | None = None,
    ) -> Iterator[AnswerEvent]:
        t0 = time.perf_counter()
        raw = question or ""
        lang = detect_language(raw)
        msg = MESSAGES[lang]
        clean_q = " ".join("".join(ch if ch.isprintable() else " " for ch in raw).split())
        notes: list[str] = []
        if len(clean_q) > MAX_QUERY_CHARS:
            clean_q = clean_q[:MAX_QUERY_CHARS]
            notes.append(msg["too_long"].format(n=MAX_QUERY_CHARS))
        if not any(ch.isalnum() for ch in clean_q):
            yield AnswerEvent(
                "answer",
                answer=Answer(
                    question=raw, answer=msg["empty"], refused=True, reason="empty question"
                ),
            )
            return
        standalone = standalone_question(clean_q, history)
        yield AnswerEvent(
            "status", "zoeken in de bronnen…" if lang == "nl" else "searching the sources…"
        )
        timings: dict[str, float] = {}
        try:
            hits = self.retriever.search(
                standalone,
                k=CANDIDATES,
                doc_ids=list(filters) if filters else None,
                timings=timings,
            )
        except QueryError:
            yield AnswerEvent(
                "answer",
                answer=Answer(
                    question=raw, answer=msg["empty"], refused=True, reason="empty question"
                ),
            )
            return
        t1 = time.perf_counter()
        if not hits or not covered(hits):
            text = " ".join([*notes, msg["refused"], msg["related"] if hits else ""]).strip()
            yield AnswerEvent("token", text)
            timings.update(compose_ms=0.0, total_ms=(time.perf_counter() - t0) * 1000)
            yield AnswerEvent(
                "answer",
                answer=Answer(
                    question=raw,
                    answer=text,
                    refused=True,
                    reason="not covered by the sources",
                    hits=hits[:5],
                    timings_ms=timings,
                    standalone_question=standalone,
                ),
            )
            return
        quotes = draft.select_quotes(standalone, hits, self._idf())
        body = draft.compose_answer(quotes, lang)
        clause, clause_note, _ = draft.draft_clause(quotes, lang)
        text = "\n".join([*notes, body]) if notes else body
        for line in text.splitlines(keepends=True):
            yield AnswerEvent("token", line)
        timings.update(
            compose_ms=(time.perf_counter() - t1) * 1000, total_ms=(time.perf_counter() - t0) * 1000
        )
        yield AnswerEvent(
            "answer",
            answer=Answer(
                question=raw,
                answer=text,
                clause=clause,
                clause_note=clause_note,
                citations=draft.citations(quotes),
                hits=hits[:5],
                timings_ms=timings,
                standalone_question=standalone,
            ),
        )
