"""Answering a question: retrieve, decide whether the sources cover it, draft, stream.

``Assistant.ask`` returns an :class:`~assistant.core.types.Answer`; ``Assistant.ask_stream`` yields
events as the answer is produced (the chat UI and ``ask --stream`` use it).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from assistant.answering import draft
from assistant.answering.followup import standalone_question
from assistant.answering.llm import generate_validated
from assistant.answering.specifics import unsupported_specifics
from assistant.answering.validate import ValidationResult
from assistant.core.settings import Settings
from assistant.core.text import detect_language
from assistant.core.types import Answer, SearchHit
from assistant.providers.generators import get_generator
from assistant.providers.generators.base import Generator, Source
from assistant.retrieval.glossary import matched_concepts
from assistant.retrieval.retriever import MAX_QUERY_CHARS, QueryError, Retriever

#: Below this similarity between the question and the best matching sentence or passage the
#: sources are taken not to cover the question. Per language, because English questions
#: meet Dutch text at lower similarities. Calibrated on the dev split of
#: evals/datasets/questions.jsonl by ``python -m evals.calibrate``, which prints the
#: refusal rates on both splits.
REFUSAL_THRESHOLDS = {"en": 0.795, "nl": 0.813}
#: A question that uses none of the policy vocabulary of the glossary (parking, the weather)
#: needs this much more similarity: the glossary doubles as the product's domain lexicon.
#: Calibrated with the thresholds above.
OUT_OF_DOMAIN_MARGIN = 0.035
CANDIDATES = 8
#: Passages given to an LLM generator as numbered sources.
LLM_SOURCES = 5

MESSAGES = {
    "nl": {
        "refused": "De bronnen bevatten hierover geen informatie.",
        "missing": "De bronnen noemen {terms} nergens; daarover kan ik niets zeggen.",
        "related": "Mogelijk verwante passages staan hieronder.",
        "empty": "Stel een vraag over jeugdbeleid, bijvoorbeeld: "
        "‘Wat schrijven we op over marktwerking?’",
        "too_long": "Uw vraag is ingekort tot de eerste {n} tekens.",
        "no_index": "Er zijn nog geen documenten geïndexeerd.",
        "llm_failed": "Het taalmodel is onverwacht gestopt; "
        "hieronder het antwoord op basis van letterlijke citaten.",
    },
    "en": {
        "refused": "The sources contain no information about this.",
        "missing": "The sources never mention {terms}, so I cannot answer this.",
        "related": "Possibly related passages are listed below.",
        "empty": "Ask a question about youth policy, for example: "
        "‘What should we write about market forces?’",
        "too_long": "Your question was shortened to its first {n} characters.",
        "no_index": "No documents have been indexed yet.",
        "llm_failed": "The language model stopped unexpectedly; "
        "below is the answer built from verbatim quotes.",
    },
}


@dataclass(frozen=True)
class AnswerEvent:
    """One step of a streamed answer: ``status`` text, a ``token`` of text, ``reset`` (drop the
    text shown so far: a rejected LLM draft is replaced), or the final ``answer``."""

    kind: str
    text: str = ""
    answer: Answer | None = None


def _empty(question: str, msg: dict[str, str]) -> AnswerEvent:
    """The polite answer to a question with nothing to search for."""
    return AnswerEvent(
        "answer",
        answer=Answer(
            question=question, answer=msg["empty"], refused=True, reason="empty question"
        ),
    )


def evidence_strength(hits: Sequence[SearchHit]) -> float:
    """How close the best of the top passages comes to the question (dense similarity)."""
    return max((h.dense_score or 0.0 for h in hits[:3]), default=0.0)


def refusal_threshold(question: str, language: str) -> float:
    base = REFUSAL_THRESHOLDS.get(language, REFUSAL_THRESHOLDS["nl"])
    return base if matched_concepts(question) else base + OUT_OF_DOMAIN_MARGIN


def covered(hits: Sequence[SearchHit], question: str, language: str) -> bool:
    """Whether the best passages are close enough to the question to answer from."""
    return evidence_strength(hits) >= refusal_threshold(question, language)


class Assistant:
    def __init__(
        self,
        settings: Settings | None = None,
        retriever: Retriever | None = None,
        generator: Generator | None = None,
    ) -> None:
        self.settings = settings or Settings.from_env()
        self.retriever = retriever or Retriever(self.settings)
        #: None: the extractive drafter; otherwise an LLM whose drafts are validated.
        self.generator = generator if generator is not None else get_generator(self.settings)

    def _idf(self) -> dict[str, float]:
        """Token rarity over the current index generation."""
        return self.retriever.snapshot().idf

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
            yield _empty(raw, msg)
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
            yield _empty(raw, msg)
            return
        t1 = time.perf_counter()
        missing = unsupported_specifics(clean_q, hits[:5], self._idf()) if hits else []
        if not hits or missing or not covered(hits, standalone, detect_language(standalone)):
            refused = (
                msg["missing"].format(terms=", ".join(f"‘{m}’" for m in missing))
                if missing
                else msg["refused"]
            )
            text = " ".join([*notes, refused, msg["related"] if hits else ""]).strip()
            yield AnswerEvent("token", text)
            timings.update(compose_ms=0.0, total_ms=(time.perf_counter() - t0) * 1000)
            yield AnswerEvent(
                "answer",
                answer=Answer(
                    question=raw,
                    answer=text,
                    refused=True,
                    reason=(
                        f"the sources do not mention {', '.join(missing)}"
                        if missing
                        else "not covered by the sources"
                    ),
                    hits=hits[:5],
                    timings_ms=timings,
                    standalone_question=standalone,
                ),
            )
            return
        base = Answer(question=raw, answer="", hits=hits[:5], standalone_question=standalone)
        notice = ""
        if self.generator is not None:
            llm_answer: Answer | None = None
            for event in self._llm_stream(standalone, hits, lang, base):
                if event.answer is None:
                    yield event
                else:
                    llm_answer = event.answer
            assert llm_answer is not None
            if not llm_answer.notice:
                llm_answer.timings_ms = {
                    **timings,
                    "compose_ms": (time.perf_counter() - t1) * 1000,
                    "total_ms": (time.perf_counter() - t0) * 1000,
                }
                yield AnswerEvent("answer", answer=llm_answer)
                return
            notice = llm_answer.notice
            notes.insert(0, notice)
            yield AnswerEvent("reset")
        quotes = draft.select_quotes(standalone, hits, self._idf())
        body = draft.compose_answer(quotes, lang)
        clause, clause_note, _ = draft.draft_clause(quotes, lang)
        text = "\n".join([*notes, body]) if notes else body
        for line in text.splitlines(keepends=True):
            yield AnswerEvent("token", line)
        timings.update(
            compose_ms=(time.perf_counter() - t1) * 1000, total_ms=(time.perf_counter() - t0) * 1000
        )
        base.answer, base.clause, base.clause_note = text, clause, clause_note
        base.citations, base.timings_ms, base.notice = draft.citations(quotes), timings, notice
        yield AnswerEvent("answer", answer=base)

    def _llm_stream(
        self, question: str, hits: list[SearchHit], lang: str, base: Answer
    ) -> Iterator[AnswerEvent]:
        """Stream an LLM draft; the final event's answer has ``notice`` set when it failed.

        The generator runs in a worker thread so its tokens can be yielded as they arrive.
        """
        assert self.generator is not None
        sources = [Source(n=i + 1, chunk=h.chunk) for i, h in enumerate(hits[:LLM_SOURCES])]
        events: queue.Queue[tuple[str, object]] = queue.Queue()

        def work() -> None:
            try:
                result = generate_validated(
                    self.generator,  # type: ignore[arg-type]
                    question,
                    sources,
                    lang,
                    embedder=self.retriever.embedder,
                    on_token=lambda t: events.put(("token", t)),
                    on_attempt=lambda n: events.put(("reset", "")) if n > 1 else None,
                )
                events.put(("done", result))
            except Exception as exc:  # a broken provider must not kill the chat
                # Not a GeneratorError: its text (maybe empty) is no message for a user, who
                # gets MESSAGES' llm_failed notice below.
                problem = str(exc) or type(exc).__name__
                events.put(("done", (ValidationResult(ok=False, problems=[problem]), "")))

        threading.Thread(target=work, daemon=True, name="llm-draft").start()
        result: ValidationResult
        notice: str
        while True:
            kind, payload = events.get()
            if kind == "token":
                yield AnswerEvent("token", str(payload))
            elif kind == "reset":
                yield AnswerEvent("reset")
            else:
                result, notice = payload  # type: ignore[misc]
                break
        answer = replace(base)
        if result.ok and result.refused:
            answer.answer, answer.refused = MESSAGES[lang]["refused"], True
            answer.reason = "the language model found no answer in the sources"
        elif result.ok:
            answer.answer, answer.clause, answer.citations = (
                result.answer,
                result.clause,
                result.citations,
            )
        else:
            answer.notice = notice or MESSAGES[lang]["llm_failed"]
        yield AnswerEvent("answer", answer=answer)
