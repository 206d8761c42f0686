"""Evidence for one question: retrieved inside the documents it names, per named group for a
comparison, and from the whole corpus when a named document is silent on it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.answering.analysis import Analysis, analyse
from assistant.answering.answerability import addresses, covered, in_so_many_words, prefer_topic
from assistant.answering.concepts import Concept, passage_text, prefer_covering, uncovered
from assistant.answering.judge import Judge, Judgement
from assistant.core.question import Question, read
from assistant.core.types import SearchHit
from assistant.retrieval.question_type import QuestionType
from assistant.retrieval.retriever import EncodedQuery, Retriever
from assistant.retrieval.scope import Scope, resolve


@dataclass
class Evidence:
    analysis: Analysis
    #: What to answer from: in scope, or the whole corpus when the scope is silent.
    hits: list[SearchHit]
    #: Per named group (comparison): its own hits.
    groups: list[list[SearchHit]] = field(default_factory=list)
    #: Named documents (their labels) that do not address the question.
    silent: list[str] = field(default_factory=list)
    #: Whether ``hits`` come from outside the scope because it is silent.
    outside: bool = False
    #: The relevance model's reading of ``hits`` (None: the rules judge).
    judgement: Judgement | None = None
    #: Per named group (comparison), the model's reading of its hits.
    group_judgements: list[Judgement] = field(default_factory=list)

    @property
    def question(self) -> Question:
        return self.analysis.question

    @property
    def scope(self) -> Scope:
        return self.analysis.scope

    @property
    def qtype(self) -> QuestionType:
        return self.analysis.qtype

    @property
    def concepts(self) -> list[Concept]:
        """What the question is about, rarest first (assistant.answering.concepts)."""
        return list(self.analysis.concepts)

    @property
    def key(self) -> list[Concept]:
        """The concept a passage must speak of to answer: the question's rarest."""
        return self.analysis.key


def gather(
    retriever: Retriever,
    question: str | Question,
    k: int,
    filters: Sequence[str] | None,
    use_scope: bool,
    timings: dict[str, float],
    is_covered: Callable[[Sequence[SearchHit], Question], bool] = covered,
    judge: Judge | None = None,
    encoded: EncodedQuery | None = None,
    asked: Question | None = None,
) -> Evidence:
    """Retrieve for ``question``; user ``filters`` (document ids) override the named scope.
    With a ``judge`` the relevance model orders the passages and decides whether a named
    document speaks; otherwise the rules (key concepts, topic terms, dense similarity) do.
    ``encoded``: ``question`` already embedded (``Retriever.encode``); ``asked``: the
    question as typed, when ``question`` is its standalone form."""
    snap = retriever.snapshot()
    q = read(question)
    analysis = analyse(q, snap.documents().values(), snap.idf, snap.vocabulary,
                       scoped=use_scope and not filters, asked=asked)  # fmt: skip
    reading = _Reading(retriever, analysis, k, timings, is_covered, judge)
    reading.encoded = encoded
    ev = reading.gather(filters)
    if judge is not None and ev.judgement is None:
        topic = analysis.topic
        ev.judgement = judge.judge(topic, ev.hits, rescore=topic is not q)
    if ev.judgement is not None:
        ev.hits = ev.judgement.hits
    return ev


class _Reading:
    """One analysed question read against the index: the searches and verdicts that decide
    where its evidence comes from."""

    def __init__(
        self,
        retriever: Retriever,
        analysis: Analysis,
        k: int,
        timings: dict[str, float],
        is_covered: Callable[[Sequence[SearchHit], Question], bool],
        judge: Judge | None,
    ) -> None:
        self.retriever, self.analysis, self.k = retriever, analysis, k
        self.question, self.scope, self.qtype = analysis.question, analysis.scope, analysis.qtype
        self.timings, self.is_covered, self.judge = timings, is_covered, judge
        self.judged: dict[tuple[str, ...], Judgement] = {}
        #: The question already embedded (its searches reuse it; a topic search does not).
        self.encoded: EncodedQuery | None = None

    def gather(self, filters: Sequence[str] | None) -> Evidence:
        """In the documents the user picked or none named; each named group for a
        comparison; else in the named documents."""
        if filters or not self.scope:
            return self.evidence(self.first(self.search(filters)))
        if self.qtype == QuestionType.COMPARISON and len(self.scope.groups) >= 2:
            return self.comparison()
        return self.scoped()

    def evidence(
        self,
        hits: list[SearchHit],
        groups: list[list[SearchHit]] | None = None,
        silent: list[str] | None = None,
        outside: bool = False,
        judgement: Judgement | None = None,
    ) -> Evidence:
        return Evidence(self.analysis, hits, groups or [], silent or [], outside, judgement)

    def verdict(self, hits: Sequence[SearchHit]) -> Judgement:
        """The model on the topic alone: which document is the scope's business."""
        assert self.judge is not None
        key_ids = tuple(h.chunk.chunk_id for h in hits)
        if key_ids not in self.judged:
            topic = self.analysis.topic
            self.judged[key_ids] = self.judge.judge(topic, hits, rescore=topic is not self.question)
        return self.judged[key_ids]

    def first(self, hits: list[SearchHit]) -> list[SearchHit]:
        """Passages that speak of the key concept (and phrase) first; not for a list, which
        is found by its own structure, nor where the model orders them."""
        if self.qtype == QuestionType.OVERVIEW or self.judge is not None:
            return hits
        return prefer_covering(hits, self.analysis.key, list(self.analysis.phrases))

    def speaks(self, hits: Sequence[SearchHit]) -> bool:
        """Whether a named document's passages address the question and its key concept."""
        if self.judge is not None:
            return bool(hits) and self.verdict(hits).answered
        terms = self.analysis.terms
        return (
            bool(hits)
            and addresses(hits, terms)
            and not uncovered(self.analysis.key, [passage_text(h.chunk) for h in hits[:5]])
            and (self.is_covered(hits, self.question) or in_so_many_words(hits, terms))
        )

    def lists(self, hits: Sequence[SearchHit]) -> bool:
        """A list question whose passages are close enough: a list's name is rarely in its
        items, so the key concept cannot decide."""
        return self.qtype == QuestionType.OVERVIEW and self.is_covered(hits, self.question)

    def search(
        self, doc_ids: Sequence[str] | None, query: Question | None = None
    ) -> list[SearchHit]:
        query = query or self.question
        return self.retriever.search(
            query,
            k=self.k,
            doc_ids=list(doc_ids) if doc_ids else None,
            timings=self.timings,
            encoded=self.encoded if query is self.question else None,
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
            hits = self.first(prefer_topic(hits, self.analysis.terms))
        if hits and (self.speaks(hits) or self.lists(hits)):
            judgement = self.judged.get(tuple(h.chunk.chunk_id for h in hits))
            return self.evidence(hits, judgement=judgement)
        # the named source's words would pull
        everywhere = self.search(None, self.analysis.topic)
        if everywhere and everywhere[0].chunk.doc_id in scope.doc_ids:
            # the best passage of the whole corpus is the named document's own: it does speak
            return self.evidence(hits)
        silent = [group_label(scope, g) for g in scope.groups]
        return self.evidence(self.first(everywhere), silent=silent, outside=True)


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
