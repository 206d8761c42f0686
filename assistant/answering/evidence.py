"""Evidence for one question: retrieved inside the documents it names, per named group for a
comparison, and from the whole corpus when a named document is silent on it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from assistant.answering.answerability import (
    QUESTION_WORDS,
    addresses,
    covered,
    prefer_topic,
    topic_terms,
)
from assistant.answering.concepts import (
    Concept,
    key_concepts,
    key_phrases,
    passage_text,
    prefer_covering,
    uncovered,
)
from assistant.answering.judge import Judge, Judgement
from assistant.core.lexicon import Vocabulary
from assistant.core.text import detect_language
from assistant.core.types import SearchHit
from assistant.retrieval.question_type import QuestionType, classify
from assistant.retrieval.retriever import EncodedQuery, Retriever
from assistant.retrieval.scope import Scope, resolve


@dataclass
class Evidence:
    question: str
    scope: Scope
    qtype: QuestionType
    #: What to answer from: in scope, or the whole corpus when the scope is silent.
    hits: list[SearchHit]
    #: Per named group (comparison): its own hits.
    groups: list[list[SearchHit]] = field(default_factory=list)
    #: Named documents (their labels) that do not address the question.
    silent: list[str] = field(default_factory=list)
    #: Whether ``hits`` come from outside the scope because it is silent.
    outside: bool = False
    #: What the question is about, rarest first (assistant.answering.concepts).
    concepts: list[Concept] = field(default_factory=list)
    #: The relevance model's reading of ``hits`` (None: the rules judge).
    judgement: Judgement | None = None
    #: Per named group (comparison), the model's reading of its hits.
    group_judgements: list[Judgement] = field(default_factory=list)

    @property
    def key(self) -> list[Concept]:
        """The concept a passage must speak of to answer: the question's rarest."""
        return self.concepts[:1]


def gather(
    retriever: Retriever,
    question: str,
    k: int,
    filters: Sequence[str] | None,
    use_scope: bool,
    timings: dict[str, float],
    is_covered: Callable[[Sequence[SearchHit], str, str], bool] = covered,
    judge: Judge | None = None,
    encoded: EncodedQuery | None = None,
) -> Evidence:
    """Retrieve for ``question``; user ``filters`` (document ids) override the named scope.
    With a ``judge`` the relevance model orders the passages and decides whether a named
    document speaks; otherwise the rules (key concepts, topic terms, dense similarity) do.
    ``encoded``: ``question`` already embedded (``Retriever.encode``)."""
    ev = _gather(retriever, question, k, filters, use_scope, timings, is_covered, judge, encoded)
    if judge is not None and ev.judgement is None:
        topic = without_mentions(question, ev.scope)
        ev.judgement = judge.judge(topic, ev.hits, rescore=topic != question)
    if ev.judgement is not None:
        ev.hits = ev.judgement.hits
    return ev


def _gather(
    retriever: Retriever,
    question: str,
    k: int,
    filters: Sequence[str] | None,
    use_scope: bool,
    timings: dict[str, float],
    is_covered: Callable[[Sequence[SearchHit], str, str], bool],
    judge: Judge | None,
    encoded: EncodedQuery | None = None,
) -> Evidence:
    snap = retriever.snapshot()
    scope = resolve(question, snap.documents().values()) if use_scope and not filters else Scope()
    reading = _Reading(retriever, snap.idf, snap.vocabulary, question, scope, k, timings,
                       is_covered, judge)  # fmt: skip
    reading.encoded = encoded
    if filters or not scope:
        return reading.evidence(reading.first(reading.search(filters)))
    if reading.qtype == QuestionType.COMPARISON and len(scope.groups) >= 2:
        return reading.comparison()
    return reading.scoped()


class _Reading:
    """One question read against the index: its type, topic terms, key concepts and phrases,
    and the searches and verdicts that decide where its evidence comes from."""

    def __init__(
        self,
        retriever: Retriever,
        idf: Mapping[str, float],
        vocabulary: Vocabulary,
        question: str,
        scope: Scope,
        k: int,
        timings: dict[str, float],
        is_covered: Callable[[Sequence[SearchHit], str, str], bool],
        judge: Judge | None,
    ) -> None:
        self.retriever, self.question, self.scope, self.k = retriever, question, scope, k
        self.timings, self.is_covered, self.judge = timings, is_covered, judge
        self.qtype = classify(question, len(scope.groups))
        self.lang = detect_language(question)
        mentioned = [m.text for m in scope.mentions]
        self.terms = topic_terms(question, idf, mentioned)
        self.concepts = key_concepts(question, vocabulary, mentioned, QUESTION_WORDS)
        self.key = self.concepts[:1]
        self.phrases = key_phrases(question, vocabulary, mentioned, QUESTION_WORDS)
        self.judged: dict[tuple[str, ...], Judgement] = {}
        #: The question already embedded (its searches reuse it; a topic search does not).
        self.encoded: EncodedQuery | None = None

    def evidence(
        self,
        hits: list[SearchHit],
        groups: list[list[SearchHit]] | None = None,
        silent: list[str] | None = None,
        outside: bool = False,
        judgement: Judgement | None = None,
    ) -> Evidence:
        return Evidence(
            self.question, self.scope, self.qtype, hits, groups or [], silent or [], outside,
            self.concepts, judgement,
        )  # fmt: skip

    def verdict(self, hits: Sequence[SearchHit]) -> Judgement:
        """The model on the topic alone: which document is the scope's business."""
        assert self.judge is not None
        key_ids = tuple(h.chunk.chunk_id for h in hits)
        if key_ids not in self.judged:
            topic = without_mentions(self.question, self.scope)
            self.judged[key_ids] = self.judge.judge(topic, hits, rescore=topic != self.question)
        return self.judged[key_ids]

    def first(self, hits: list[SearchHit]) -> list[SearchHit]:
        """Passages that speak of the key concept (and phrase) first; not for a list, which
        is found by its own structure, nor where the model orders them."""
        if self.qtype == QuestionType.OVERVIEW or self.judge is not None:
            return hits
        return prefer_covering(hits, self.key, self.phrases)

    def speaks(self, hits: Sequence[SearchHit]) -> bool:
        """Whether a named document's passages address the question and its key concept."""
        if self.judge is not None:
            return bool(hits) and self.verdict(hits).answered
        return (
            bool(hits)
            and self.is_covered(hits, self.question, self.lang)
            and addresses(hits, self.terms)
            and not uncovered(self.key, [passage_text(h.chunk) for h in hits[:5]])
        )

    def lists(self, hits: Sequence[SearchHit]) -> bool:
        """A list question whose passages are close enough: a list's name is rarely in its
        items, so the key concept cannot decide."""
        return self.qtype == QuestionType.OVERVIEW and self.is_covered(
            hits, self.question, self.lang
        )

    def search(self, doc_ids: Sequence[str] | None, query: str = "") -> list[SearchHit]:
        return self.retriever.search(
            query or self.question,
            k=self.k,
            doc_ids=list(doc_ids) if doc_ids else None,
            timings=self.timings,
            encoded=None if query and query != self.question else self.encoded,
        )

    def comparison(self) -> Evidence:
        """Each named group searched on its own; a group that does not speak is silent."""
        groups = [self.first(self.search(g)) for g in self.scope.groups]
        silent = [
            group_label(self.scope, g)
            for g, hits in zip(self.scope.groups, groups, strict=True)
            if not self.speaks(hits)
        ]
        merged = sorted((h for hs in groups for h in hs), key=lambda h: -h.score)
        ev = self.evidence(merged, groups=groups, silent=silent)
        if self.judge is not None:
            ev.group_judgements = [self.verdict(g) for g in groups]
        return ev

    def scoped(self) -> Evidence:
        """The named documents' passages when they speak of the question; otherwise the
        whole corpus', with the named documents marked silent."""
        scope = self.scope
        hits = self.search(scope.doc_ids)
        if self.qtype != QuestionType.OVERVIEW and self.judge is None:  # a list: own structure
            hits = self.first(prefer_topic(hits, self.terms))
        if hits and (self.speaks(hits) or self.lists(hits)):
            judgement = self.judged.get(tuple(h.chunk.chunk_id for h in hits))
            return self.evidence(hits, judgement=judgement)
        topic = without_mentions(self.question, scope)  # the named source's words would pull
        everywhere = self.search(None, topic)
        if everywhere and everywhere[0].chunk.doc_id in scope.doc_ids:
            # the best passage of the whole corpus is the named document's own: it does speak
            return self.evidence(hits)
        silent = [group_label(scope, g) for g in scope.groups]
        return self.evidence(self.first(everywhere), silent=silent, outside=True)


def without_mentions(question: str, scope: Scope) -> str:
    """The question with the words naming its documents left out: its topic."""
    topic = question
    for m in scope.mentions:
        topic = topic.replace(m.text, " ")
    return " ".join(topic.split()) if topic != question else question


def group_label(scope: Scope, group: Sequence[str]) -> str:
    return " / ".join(dict.fromkeys(scope.labels.get(d, d) for d in group))


def scoped_search(
    retriever: Retriever,
    query: str,
    k: int,
    doc_ids: Sequence[str] | None,
    timings: dict[str, float],
    use_scope: bool = True,
) -> tuple[list[SearchHit], Scope]:
    """``search``: inside the documents the query names, unless ``doc_ids`` are given."""
    scope = Scope()
    if use_scope and not doc_ids:
        scope = resolve(query, retriever.snapshot().documents().values())
    ids = list(doc_ids or scope.doc_ids) or None
    return retriever.search(query, k=k, doc_ids=ids, timings=timings), scope
