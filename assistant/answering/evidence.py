"""Evidence for one question: retrieved inside the documents it names, per named group for a
comparison, and from the whole corpus when a named document is silent on it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
    qtype = classify(question, len(scope.groups))
    lang = detect_language(question)
    mentioned = [m.text for m in scope.mentions]
    terms = topic_terms(question, snap.idf, mentioned)
    concepts = key_concepts(question, snap.vocabulary, mentioned, QUESTION_WORDS)
    key = concepts[:1]
    phrases = key_phrases(question, snap.vocabulary, mentioned, QUESTION_WORDS)

    judged: dict[tuple[str, ...], Judgement] = {}

    def verdict(hits: Sequence[SearchHit]) -> Judgement:
        """The model on the topic alone: which document is the scope's business."""
        assert judge is not None
        key_ids = tuple(h.chunk.chunk_id for h in hits)
        if key_ids not in judged:
            topic = without_mentions(question, scope)
            judged[key_ids] = judge.judge(topic, hits, rescore=topic != question)
        return judged[key_ids]

    def first(hits: list[SearchHit]) -> list[SearchHit]:
        """Passages that speak of the key concept (and phrase) first; not for a list, which
        is found by its own structure, nor where the model orders them."""
        if qtype == QuestionType.OVERVIEW or judge is not None:
            return hits
        return prefer_covering(hits, key, phrases)

    def speaks(hits: Sequence[SearchHit]) -> bool:
        """Whether a named document's passages address the question and its key concept."""
        if judge is not None:
            return bool(hits) and verdict(hits).answered
        return (
            bool(hits)
            and is_covered(hits, question, lang)
            and addresses(hits, terms)
            and not uncovered(key, [passage_text(h.chunk) for h in hits[:5]])
        )

    def search(doc_ids: Sequence[str] | None) -> list[SearchHit]:
        return retriever.search(
            question,
            k=k,
            doc_ids=list(doc_ids) if doc_ids else None,
            timings=timings,
            encoded=encoded,
        )

    if filters or not scope:
        hits = first(search(filters))
        return Evidence(question, scope, qtype, hits, concepts=concepts)
    if qtype == QuestionType.COMPARISON and len(scope.groups) >= 2:
        groups = [first(search(g)) for g in scope.groups]
        silent = [
            group_label(scope, g)
            for g, hits in zip(scope.groups, groups, strict=True)
            if not speaks(hits)
        ]
        merged = sorted((h for hs in groups for h in hs), key=lambda h: -h.score)
        ev = Evidence(question, scope, qtype, merged, groups, silent, concepts=concepts)
        if judge is not None:
            ev.group_judgements = [verdict(g) for g in groups]
        return ev
    hits = search(scope.doc_ids)
    if qtype != QuestionType.OVERVIEW and judge is None:  # a list: its own structure
        hits = first(prefer_topic(hits, terms))
    if hits and (
        speaks(hits) or (qtype == QuestionType.OVERVIEW and is_covered(hits, question, lang))
    ):  # a list's name is rarely in its items
        return Evidence(question, scope, qtype, hits, concepts=concepts,
                        judgement=judged.get(tuple(h.chunk.chunk_id for h in hits)))  # fmt: skip
    topic = without_mentions(question, scope)  # the named source's words would pull to it
    everywhere = retriever.search(topic, k=k, timings=timings)
    if everywhere and everywhere[0].chunk.doc_id in scope.doc_ids:
        # the best passage of the whole corpus is the named document's own: it does speak
        return Evidence(question, scope, qtype, hits, concepts=concepts)
    silent = [group_label(scope, g) for g in scope.groups]
    everywhere = first(everywhere)
    return Evidence(
        question, scope, qtype, everywhere, silent=silent, outside=True, concepts=concepts
    )


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
