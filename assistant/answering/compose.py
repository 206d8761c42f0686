"""How each question type's answer is built from its evidence: one composer per type, in one
table (``COMPOSERS``), which also says whether an LLM may write that type instead.

A lookup or yes/no question cites the best sentences; a quantity question the sentence that
gives the number asked for; a list question the list's items; a comparison one quote per
named document, or the line that it is silent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from assistant.answering import draft, overview
from assistant.answering.answer_type import gives, with_quantity
from assistant.answering.answerability import lacks_quantity, quantity_passages
from assistant.answering.concepts import passage_text, uncovered
from assistant.answering.evidence import Evidence, group_label
from assistant.answering.judge import Judge, Judgement, Sentence
from assistant.core.types import Chunk, SearchHit
from assistant.retrieval.question_type import QuestionType

#: The quotes an answer cites and its text.
Composed = tuple[list[draft.Quote], str]


@dataclass(frozen=True)
class Composing:
    """What a composer may read besides the evidence: the relevance model (None: the rules
    choose the sentences), token rarity, the index's passages (a list's items), the answer
    language and its texts."""

    judge: Judge | None
    idf: Mapping[str, float]
    chunks: Sequence[Chunk]
    lang: str
    msg: Mapping[str, str]


def compose(ev: Evidence, with_: Composing) -> Composed:
    """The cited quotes and answer text by the question type's composer; the cited sentences
    when it has nothing of its own to build (no list found, no groups to compare)."""
    composed = COMPOSERS[ev.qtype].compose(ev, with_)
    return composed if composed is not None else cited(ev, with_)


def cited(ev: Evidence, with_: Composing) -> Composed:
    """The best sentences of the passages that answer, each cited (a lookup, yes/no)."""
    if with_.judge is not None and ev.judgement is not None:
        quotes = quotes_of(with_.judge.cited(ev.judgement, draft.MAX_CITED))
    else:
        quotes = draft.select_quotes(ev.question, ev.hits, with_.idf)
    return quotes, draft.compose_answer(quotes, with_.lang)


def comparison(ev: Evidence, with_: Composing) -> Composed | None:
    """One quote per named group, or the line that it is silent."""
    if not ev.groups:
        return None
    quotes: list[draft.Quote] = []
    lines: list[str] = []
    judged: list[Judgement | None] = [*ev.group_judgements] or [None] * len(ev.groups)
    for ids, group, judgement in zip(ev.scope.groups, ev.groups, judged, strict=True):
        label = group_label(ev.scope, ids)
        if with_.judge is not None and judgement is not None:
            picked = quotes_of(with_.judge.cited(judgement, 1))
        else:
            picked = draft.select_quotes(ev.question, group, with_.idf)[:1]
        if not picked or label in ev.silent:
            lines.append(silent([label], with_.msg))
            continue
        quote = replace(picked[0], n=len(quotes) + 1)
        quotes.append(quote)
        lines.append(draft.frame(quote, with_.lang))
    return quotes, "\n".join(lines)


def listing(ev: Evidence, with_: Composing) -> Composed | None:
    """The list the question asks for, item by item (None: the evidence holds none)."""
    scope_ids = ev.scope.doc_ids if ev.scope and not ev.outside else None
    found = overview.compose(ev.question, ev.hits, with_.chunks, scope_ids)
    if found is None:
        return None
    return found.quotes, overview.render(found, with_.lang)


def quantity(ev: Evidence, with_: Composing) -> Composed:
    """The sentence giving the number asked for, cited."""
    quotes = quantity_quotes(ev, with_)
    return quotes, draft.compose_answer(quotes, with_.lang)


def quantity_quotes(ev: Evidence, with_: Composing) -> list[draft.Quote]:
    """Quotes for a quantity question: the number must stand in (or next to) the quoted
    sentence. When the best sentence of the passages that give a number is another one (the
    passage's topic sentence), each of those passages is tried alone, best first. When
    passages speak of the key concept, the number must come from one of them: "twee doelen"
    is no answer to how many fte per local team."""
    kind = ev.analysis.quantity
    assert kind is not None  # a quantity question's analysis names its kind
    if ev.judgement is not None:  # the model's yes on a sentence giving such a number
        judgement = ev.judgement
        giving = [
            s
            for s in judgement.sentences
            if s.probability >= judgement.threshold and gives(kind, s.text)
        ]
        return quotes_of(giving[:1])
    about = [h for h in ev.hits if not uncovered(ev.key, [passage_text(h.chunk)])]
    hits = about or ev.hits

    terms = draft.query_terms(ev.question)

    def quoted(hits: list[SearchHit]) -> list[draft.Quote]:
        return [
            with_quantity(q, kind, terms) for q in draft.select_quotes(ev.question, hits, with_.idf)
        ]

    head = quantity_passages(hits, kind)  # those giving a number first
    quotes = quoted(head + [h for h in hits if h not in head])
    if not lacks_quantity(ev.qtype, [q.text for q in quotes], kind):
        return quotes
    for hit in head:
        alone = quoted([hit])
        if not lacks_quantity(ev.qtype, [q.text for q in alone], kind):
            return alone
    return quotes


def silent(labels: Sequence[str], msg: Mapping[str, str]) -> str:
    """ "<document> does not address this", singular or plural by the names."""
    names = " / ".join(labels)
    key = "silent_many" if len(labels) > 1 or draft.is_plural(names) else "silent"
    return msg[key].format(names=names)


def quotes_of(sentences: Sequence[Sentence]) -> list[draft.Quote]:
    """The relevance model's sentences as numbered quotes."""
    return [draft.Quote(i + 1, s.hit, s.start, s.end) for i, s in enumerate(sentences)]


@dataclass(frozen=True)
class Composer:
    """How a question type's answer is built (None from ``compose``: nothing of its own to
    build, the cited sentences instead), and whether an LLM may write it instead: lists and
    comparisons keep their structure."""

    compose: Callable[[Evidence, Composing], Composed | None]
    llm: bool


#: Each question type's composer: the one place that maps a type to how it is answered.
COMPOSERS: dict[QuestionType, Composer] = {
    QuestionType.LOOKUP: Composer(cited, llm=True),
    QuestionType.YESNO: Composer(cited, llm=True),
    QuestionType.QUANTITY: Composer(quantity, llm=True),
    QuestionType.COMPARISON: Composer(comparison, llm=False),
    QuestionType.OVERVIEW: Composer(listing, llm=False),
}
