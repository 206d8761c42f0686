"""Answering a question: retrieve, decide whether the sources cover it, draft, stream.

``Assistant.ask`` returns an :class:`~assistant.core.types.Answer`; ``Assistant.ask_stream`` yields
events as the answer is produced (the chat UI and ``ask --stream`` use it).
"""

from __future__ import annotations

import time
from collections import abc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from assistant.answering import draft
from assistant.answering.answerability import (
    covered,
    in_so_many_words,
    lacks_quantity,
    looks_like_table,
    missing_concepts,
)
from assistant.answering.compose import COMPOSERS, Composing, compose, silent
from assistant.answering.concepts import (
    absent_concepts,
    coverage,
    glossary_use,
    passage_text,
    uncovered,
)
from assistant.answering.evidence import Evidence, gather
from assistant.answering.feedback import Feedback, Learned
from assistant.answering.followup import standalone_question
from assistant.answering.judge import Judge
from assistant.answering.learning import apply_learned, consult, marked, note_learned
from assistant.answering.llm import Drafted, stream_validated
from assistant.answering.specifics import (
    names_elsewhere,
    other_conditions,
    unknown_speakers,
    unsupported_specifics,
)
from assistant.core.question import Question
from assistant.core.settings import Settings
from assistant.core.types import Answer, SearchHit
from assistant.core.vocabulary import fold
from assistant.providers.generators import get_generator
from assistant.providers.generators.base import Generator, Source
from assistant.retrieval.feedback import FeedbackIndex
from assistant.retrieval.retriever import MAX_QUERY_CHARS, QueryError, Retriever
from assistant.retrieval.scope import names_a_source

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
        "silent": "{names} gaat hier niet op in.",
        "silent_many": "{names} gaan hier niet op in.",
        "others": "Wat andere documenten erover zeggen:",
        "no_quantity": "De bronnen noemen hiervoor geen getal of bedrag.",
        "not_covered": "De gevonden passages gaan niet over {terms}; "
        "daarover zeggen de bronnen niets.",
        "unknown_source": "{terms} staat niet tussen de documenten; het antwoord komt uit {known}.",
        "no_source": "Geen van de documenten is van {terms}; wat {terms} erover zegt, staat "
        "niet in de bronnen.",
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
        "silent": "{names} does not address this.",
        "silent_many": "{names} do not address this.",
        "others": "What other documents say about it:",
        "no_quantity": "The sources give no number or amount for this.",
        "not_covered": "The passages found do not speak of {terms}; "
        "the sources say nothing about it.",
        "unknown_source": "{terms} is not among the documents; the answer comes from {known}.",
        "no_source": "None of the documents is by {terms}, so the sources do not say what "
        "{terms} says about it.",
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


def _clean_question(raw: str) -> tuple[str, bool]:
    """The question on one line without control characters, cut to MAX_QUERY_CHARS (and
    whether it was cut: a note says so): pasted text must not break the search or the
    answer's layout."""
    clean_q = " ".join("".join(ch if ch.isprintable() else " " for ch in raw).split())
    return clean_q[:MAX_QUERY_CHARS], len(clean_q) > MAX_QUERY_CHARS


def _refusal_reason(missing: list[str], no_quantity: bool, off_topic: bool = False) -> str:
    """Why an answer was refused, in English for the API and the logs."""
    if missing and off_topic:
        return f"the passages found do not speak of {', '.join(missing)}"
    if missing:
        return f"the sources do not mention {', '.join(missing)}"
    if no_quantity:
        return "the sources give no number for this"
    return "not covered by the sources"


@dataclass(frozen=True)
class Outcome:
    """What the checks decided: answer with ``quotes`` and ``body``, or refuse with the
    ``refusal`` text, its ``reason`` (English, for the API and the logs) and the specifics
    the sources lack (``missing``)."""

    quotes: list[draft.Quote] = field(default_factory=list)
    body: str = ""
    refusal: str = ""
    reason: str = ""
    missing: list[str] = field(default_factory=list)

    @classmethod
    def refused(cls, text: str, reason: str, missing: list[str] | None = None) -> Outcome:
        return cls(refusal=text, reason=reason, missing=missing or [])


def _empty(question: str, msg: dict[str, str]) -> AnswerEvent:
    """The polite answer to a question with nothing to search for."""
    return AnswerEvent(
        "answer",
        answer=Answer(
            question=question, answer=msg["empty"], refused=True, reason="empty question"
        ),
    )


def _quoted(terms: Sequence[str]) -> str:
    return ", ".join(f"‘{t}’" for t in terms)


def _off_topic(ev: Evidence, quotes: Sequence[draft.Quote]) -> list[str]:
    """The key concept (as the question words it) when a question naming its sources gets
    quotes that speak of none of its concepts: near the question, but not about it. Only for
    named sources: over the whole corpus, paraphrased questions ("stip op de horizon" for
    ambitie) often share no word with the right passage (measured on questions.jsonl: the
    rule refused 25 of 86 answerable questions when the key concept alone decided). Lists
    and comparisons are judged by their own structure and per document."""
    if not COMPOSERS[ev.qtype].llm or not quotes or not ev.scope:
        return []
    texts = [passage_text(q.hit.chunk) for q in quotes]
    if coverage(ev.concepts, texts) > 0:
        return []
    return [c.word for c in uncovered(ev.key, texts)]


def _answerable(ev: Evidence) -> bool:
    """The model's yes on some passage (without it: dense evidence close enough, or a named
    document using every topic term); for a comparison, at least one named group not
    silent."""
    if ev.groups:
        return len(ev.silent) < len(ev.groups)
    if ev.judgement is not None:
        return ev.judgement.answered
    if ev.scope and not ev.outside and in_so_many_words(ev.hits, ev.analysis.terms):
        return True  # the named document speaks of it in its own words (Evidence.speaks)
    return covered(ev.hits, ev.question)


def _drafted(base: Answer, drafted: Drafted, msg: dict[str, str]) -> Answer:
    """The answer an LLM draft gives: its text, clause and citations; a refusal; or, when it
    failed, ``notice`` set (the extractive answer replaces it)."""
    answer, result = replace(base), drafted.result
    if result.ok and result.refused:
        answer.answer, answer.refused = msg["refused"], True
        answer.reason = "the language model found no answer in the sources"
    elif result.ok:
        answer.answer, answer.clause = result.answer, result.clause
        answer.citations = result.citations
    else:  # a broken generator's text (maybe empty) is no message for a user: llm_failed is
        answer.notice = drafted.notice or msg["llm_failed"]
    return answer


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
        #: The relevance model's judgement (None: the rules judge; see ``models``).
        self.judge = Judge.of(self.retriever.reranker)
        #: (snapshot, :func:`glossary_use` of it): one vocabulary scan per index generation,
        #: not one per question. A tuple, so threads swap it whole.
        self._glossary_use: tuple[object, tuple[bool, ...]] | None = None
        #: The users' verdicts on passages (issue #28): recorded here, applied in ask_stream.
        self.feedback = Feedback(
            FeedbackIndex(self.settings.feedback_path), self.retriever, self.settings.feedback
        )

    def _idf(self) -> dict[str, float]:
        """Token rarity over the current index generation."""
        return self.retriever.snapshot().idf

    def _glossary_used(self) -> tuple[bool, ...]:
        """Which glossary concepts the current index generation's documents use."""
        snap = self.retriever.snapshot()
        cached = self._glossary_use
        if cached is None or cached[0] is not snap:
            cached = (snap, glossary_use(snap.vocabulary, snap.folded_text))
            self._glossary_use = cached
        return cached[1]

    def ask(
        self,
        question: str,
        history: Sequence[str] | None = None,
        filters: Sequence[str] | None = None,
        language: str | None = None,
        use_scope: bool = True,
        learn: bool | None = None,
    ) -> Answer:
        """Answer ``question``; ``history`` holds earlier questions, ``filters`` document ids,
        ``language`` the interface language of the answer (default: the question's);
        ``use_scope`` False ignores the documents the question names (the UI's removed chip);
        ``learn`` False ignores the users' earlier verdicts (None: the feedback setting)."""
        answer: Answer | None = None
        for event in self.ask_stream(question, history, filters, language, use_scope, learn):
            if event.answer is not None:
                answer = event.answer
        assert answer is not None
        return answer

    def ask_stream(
        self,
        question: str,
        history: Sequence[str] | None = None,
        filters: Sequence[str] | None = None,
        language: str | None = None,
        use_scope: bool = True,
        learn: bool | None = None,
    ) -> Iterator[AnswerEvent]:
        t0 = time.perf_counter()
        raw = question or ""
        clean_q, cut = _clean_question(raw)
        if not any(ch.isalnum() for ch in clean_q):
            yield _empty(raw, MESSAGES[language if language in MESSAGES else "nl"])
            return
        asked = Question.read(clean_q)  # the one reading of the question (issue #27)
        lang = language if language in MESSAGES else asked.language
        msg = MESSAGES[lang]
        notes = [msg["too_long"].format(n=MAX_QUERY_CHARS)] if cut else []
        standalone = standalone_question(clean_q, history)
        q = asked if standalone == clean_q else Question.read(standalone)
        yield AnswerEvent(
            "status", "zoeken in de bronnen…" if lang == "nl" else "searching the sources…"
        )
        timings: dict[str, float] = {}
        try:
            on = self.settings.feedback if learn is None else learn
            learned, encoded = consult(self.feedback, q, timings, on)
            ev = gather(
                self.retriever, q, CANDIDATES, filters, use_scope, timings,
                judge=self.judge, encoded=encoded, asked=asked,
            )  # fmt: skip
        except QueryError:
            yield _empty(raw, msg)
            return
        if encoded is not None:  # embedded before the search, which then embedded nothing
            timings["embed_ms"] = encoded.embed_ms
        apply_learned(ev, learned, encoded, self.judge, self.retriever.snapshot().by_id, timings)
        hits = ev.hits
        t1 = time.perf_counter()
        outcome = self._outcome(ev, lang, msg, notes)
        quotes, body = outcome.quotes, outcome.body
        if outcome.refusal:
            refused = self._refused(raw, outcome, ev, notes, msg)
            note_learned(refused, learned, lang)
            yield AnswerEvent("token", refused.answer)
            timings.update(compose_ms=0.0, total_ms=(time.perf_counter() - t0) * 1000)
            refused.timings_ms = timings
            yield AnswerEvent("answer", answer=refused)
            return
        body = marked(body, [(q.n, q.hit.chunk.chunk_id) for q in quotes], learned, lang)
        if ev.outside:
            notes.append(msg["others"])
        base = Answer(
            question=raw,
            answer="",
            hits=hits[:5],
            standalone_question=standalone,
            scope={**ev.scope.to_dict(), "silent": ev.silent},
            question_type=str(ev.qtype),
        )
        notice = ""
        if self.generator is not None and COMPOSERS[ev.qtype].llm and not ev.outside:
            notice = yield from self._generated(
                standalone, hits, lang, base, timings, t0, t1, learned
            )
            if not notice:
                return
            notes.insert(0, notice)
            yield AnswerEvent("reset")
        yield from self._extractive(base, quotes, body, notes, notice, lang)
        timings.update(
            compose_ms=(time.perf_counter() - t1) * 1000, total_ms=(time.perf_counter() - t0) * 1000
        )
        base.timings_ms = timings
        note_learned(base, learned, lang)
        yield AnswerEvent("answer", answer=base)

    @staticmethod
    def _refused(
        raw: str, outcome: Outcome, ev: Evidence, notes: list[str], msg: dict[str, str]
    ) -> Answer:
        """The refusal answer: why, and the related passages (never a table) to read."""
        related = [h for h in ev.hits[:5] if not looks_like_table(h.chunk.text)]
        text = " ".join([*notes, outcome.refusal, msg["related"] if related else ""]).strip()
        return Answer(
            question=raw,
            answer=text,
            refused=True,
            reason=outcome.reason,
            hits=related,
            standalone_question=ev.question.text,
            scope={**ev.scope.to_dict(), "silent": ev.silent},
            question_type=str(ev.qtype),
        )

    def _generated(
        self,
        standalone: str,
        hits: list[SearchHit],
        lang: str,
        base: Answer,
        timings: dict[str, float],
        t0: float,
        t1: float,
        learned: Learned,
    ) -> abc.Generator[AnswerEvent, None, str]:
        """The LLM's draft, streamed. Ends with its answer and returns "" when the draft passed
        validation; otherwise returns the notice why the extractive draft replaces it."""
        llm_answer: Answer | None = None
        for event in self._llm_stream(standalone, hits, lang, base):
            if event.answer is None:
                yield event
            else:
                llm_answer = event.answer
        assert llm_answer is not None
        if llm_answer.notice:
            return llm_answer.notice
        llm_answer.timings_ms = {
            **timings,
            "compose_ms": (time.perf_counter() - t1) * 1000,
            "total_ms": (time.perf_counter() - t0) * 1000,
        }
        cited = [(c.n, c.chunk_id) for c in llm_answer.citations]
        llm_answer.answer = marked(llm_answer.answer, cited, learned, lang)
        note_learned(llm_answer, learned, lang)
        yield AnswerEvent("answer", answer=llm_answer)
        return ""

    @staticmethod
    def _extractive(
        base: Answer,
        quotes: list[draft.Quote],
        body: str,
        notes: list[str],
        notice: str,
        lang: str,
    ) -> Iterator[AnswerEvent]:
        """The drafted answer, streamed line by line; ``base`` gets its text, clause (the
        documents' own wording) and citations."""
        clause, clause_note, _ = draft.draft_clause(quotes, lang)
        text = "\n".join([*notes, body]) if notes else body
        for line in text.splitlines(keepends=True):
            yield AnswerEvent("token", line)
        base.answer, base.clause, base.clause_note = text, clause, clause_note
        base.citations, base.notice = draft.citations(quotes), notice

    def _outcome(self, ev: Evidence, lang: str, msg: dict[str, str], notes: list[str]) -> Outcome:
        """Answer with the composed quotes, or refuse and say why."""
        refusal = self._refusal(ev, msg, notes)
        if refusal.refusal:
            return refusal
        quotes, body = compose(ev, self._composing(lang, msg))
        off_topic = _off_topic(ev, quotes) if ev.judgement is None else []
        if off_topic:
            return Outcome.refused(msg["not_covered"].format(terms=_quoted(off_topic)),
                                   _refusal_reason(off_topic, False, True))  # fmt: skip
        if lacks_quantity(ev.qtype, [q.text for q in quotes], ev.analysis.quantity):
            return Outcome.refused(msg["no_quantity"], _refusal_reason(refusal.missing, True))
        other = other_conditions(ev.analysis.asked, [q.text for q in quotes])
        if other:  # the quotes answer for another year or age than the one asked
            return Outcome.refused(msg["not_covered"].format(terms=_quoted(other)),
                                   _refusal_reason(other, False, True))  # fmt: skip
        if not quotes:  # nothing quotable in the evidence
            return Outcome.refused(msg["refused"], _refusal_reason(refusal.missing, False))
        return Outcome(quotes, body)

    def _refusal(self, ev: Evidence, msg: dict[str, str], notes: list[str]) -> Outcome:
        """A refusal when the checks before composing refuse (else an empty outcome with the
        specifics the sources lack); notes on unknown sources and silent documents go to
        ``notes``, since they hold either way."""
        hits, asked, standalone = ev.hits, ev.analysis.asked, ev.question
        idf = self._idf()
        missing = unsupported_specifics(asked, hits[:5], idf) if hits else []
        # a name the scope resolved names a document (its metadata, its place's adjective)
        named = {fold(m.text) for m in ev.scope.mentions}
        missing = [m for m in missing if fold(m) not in named]
        # policy topics whose every Dutch wording the corpus lacks ("waiting lists")
        absent = absent_concepts(standalone.text, self._glossary_used())
        missing += [t for t in absent if t not in missing]
        unknown = [m for m in missing if ev.scope and names_a_source(asked.text, m)]
        # a source the corpus mentions but holds no document of ("de gemeente Utrecht")
        speakers = [n for n in unknown_speakers(asked, named) if n not in missing]
        if speakers and not ev.scope:
            text = msg["no_source"].format(terms=_quoted(speakers))
            return Outcome.refused(text, f"no document is by {', '.join(speakers)}", speakers)
        unknown += speakers
        if unknown:  # "the VNG and Ingrado": answer from the VNG, say Ingrado is unknown
            known = ", ".join(dict.fromkeys(ev.scope.labels.values()))
            notes.append(msg["unknown_source"].format(terms=_quoted(unknown), known=known))
            missing = [m for m in missing if m not in unknown]
        # a name the corpus knows but the passages found never mention: not about it
        elsewhere = [
            n
            for n in names_elsewhere(asked, hits[:5], idf)
            if fold(n) not in named and n not in unknown
        ]
        if hits and elsewhere and not missing:
            text = msg["not_covered"].format(terms=_quoted(elsewhere))
            return Outcome.refused(text, _refusal_reason(elsewhere, False, True), elsewhere)
        mentioned = " ".join(m.text for m in ev.scope.mentions)
        # Words the corpus never uses name what is missing in a refusal; alone they are no
        # reason to refuse (measured: mostly paraphrases of answerable questions).
        absent = missing_concepts(standalone, idf, mentioned)
        if ev.silent and not ev.groups:
            notes.append(silent(ev.silent, msg))
        if hits and not missing and _answerable(ev):
            return Outcome(missing=missing)
        missing = missing or absent
        text = msg["missing"].format(terms=_quoted(missing)) if missing else msg["refused"]
        return Outcome.refused(text, _refusal_reason(missing, False), missing)

    def _composing(self, lang: str, msg: dict[str, str]) -> Composing:
        snap = self.retriever.snapshot()
        return Composing(self.judge, snap.idf, snap.chunks, lang, msg)

    def _llm_stream(
        self, question: str, hits: list[SearchHit], lang: str, base: Answer
    ) -> Iterator[AnswerEvent]:
        """Stream an LLM draft; the final event's answer has ``notice`` set when it failed."""
        assert self.generator is not None
        sources = [Source(n=i + 1, chunk=h.chunk) for i, h in enumerate(hits[:LLM_SOURCES])]
        embedder = self.retriever.embedder
        for event in stream_validated(self.generator, question, sources, lang, embedder):
            if isinstance(event, Drafted):
                yield AnswerEvent("answer", answer=_drafted(base, event, MESSAGES[lang]))
            else:
                yield AnswerEvent("reset") if event is None else AnswerEvent("token", event)
