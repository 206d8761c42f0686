"""Positions side by side: per topic, what each document recommends, or that it is silent.

Every document is searched on its own (a long coalition agreement would otherwise crowd a
two-page letter out of the global top k). Its most relevant passage is quoted verbatim and
cited, with a one-line extractive gist: the sentence that best matches the topic, and the
document's own bold key phrase or item heading where it has one. A document whose best
passage is not close enough to the topic "gaat hier niet op in" (not addressed).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from assistant.answering.concepts import Concept, coverage, key_concepts, opening
from assistant.answering.draft import MAX_CITED, best_sentence, query_terms, short_publisher
from assistant.answering.draft import _label as item_label
from assistant.core.errors import CodedError
from assistant.core.question import Question, text_of
from assistant.core.text import detect_language
from assistant.core.types import Chunk, Citation, SearchHit
from assistant.core.words import token_overlap
from assistant.retrieval.retriever import EncodedQuery, QueryError, Retriever

#: A document counts as addressing a topic when its best passage's dense similarity, plus
#: ``LEXICAL_WEIGHT`` times the share of the topic's (rarer) words that passage contains,
#: reaches this threshold. Per language: English topics meet Dutch text at lower
#: similarities. Calibrated on the dev split of evals/datasets/positions.jsonl by
#: ``python -m evals.positions --calibrate`` (precision of "not addressed" first);
#: ``LEXICAL_WEIGHT`` is the one that separates addressed from silent documents best on dev
#: (ROC AUC, README "Positions quality").
NOT_ADDRESSED_THRESHOLDS = {"nl": 0.8821, "en": 0.8607}
LEXICAL_WEIGHT = 0.05
#: Passages retrieved per document and reordered there: the fused score plus
#: ``OPENING_WEIGHT`` times the share of the topic's key concepts (glossary-mapped: "money"
#: is budget, middelen, kosten ...) that the passage's opening covers (its heading, an item's
#: title and first line, its bold key phrase): a passage about the topic before one that
#: merely resembles it. The middle of the range that is best on dev.
PER_DOCUMENT = 10
OPENING_WEIGHT = 0.1
#: An item (recommendation, clause suggestion) scoring at least ``ITEM_PREFERENCE`` of the
#: best passage is shown first: the issue asks for each document's recommendation, and its
#: items are where it makes them.
ITEM_PREFERENCE = 0.75
ITEM_KINDS = ("clause_suggestion", "recommendation")
#: A second quote of the same document is shown only when it is about as strong as the first.
SECOND_QUOTE = 0.9
#: With the relevance model: a document's passages it reads per topic (a matrix asks for
#: every topic in every document, so fewer than for a question).
PER_DOCUMENT_READ = 6
MAX_TOPIC_CHARS = 200
GIST_CHARS = 220

MESSAGES = {
    "nl": {
        "not_addressed": "gaat hier niet op in",
        "no_documents": "Er zijn nog geen documenten geïndexeerd.",
    },
    "en": {
        "not_addressed": "does not address this",
        "no_documents": "No documents have been indexed yet.",
    },
}


class TopicError(CodedError, ValueError):
    """The topic cannot be compared (empty, absurdly long, or unknown documents asked for)."""

    code = "topic_empty"


@dataclass(frozen=True)
class PositionQuote:
    """One cited passage of a document's position: the verbatim quote and its gist."""

    chunk_id: str
    kind: str
    item: str
    page: int | None
    section: str
    label: str  # "aanbeveling 4", "tekstsuggestie 7", "p. 37"
    quote: str  # the passage (an item whole, otherwise its best sentence), verbatim
    gist: str  # the key sentence, verbatim, at most one line
    key_phrase: str  # the bold key phrase or item heading, "" when the document has none
    score: float
    similarity: float

    @property
    def where(self) -> str:
        """Where in the document: its item label or page, else its section heading."""
        return self.label or self.section

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Position:
    """One document's column for a topic."""

    doc_id: str
    title: str
    publisher: str
    date: str
    addressed: bool
    strength: float
    quotes: list[PositionQuote] = field(default_factory=list)
    #: The passages considered, best first (the evaluation's recall@k reads them).
    ranked: list[str] = field(default_factory=list)
    #: The hits behind ``quotes`` (a clause is drafted from them for the chapter).
    hits: list[SearchHit] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k not in ("ranked", "hits")}
        out["strength"] = round(self.strength, 4)
        return out

    def citations(self) -> list[Citation]:
        return [
            Citation(n, q.chunk_id, self.doc_id, self.title, q.page, q.item, q.quote)
            for n, q in enumerate(self.quotes, 1)
        ]


@dataclass
class Comparison:
    topic: str
    language: str
    positions: list[Position]
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "language": self.language,
            "not_addressed_label": MESSAGES[self.language]["not_addressed"],
            "positions": [p.to_dict() for p in self.positions],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }


@dataclass(frozen=True)
class _Topic:
    """A topic read once for all documents: its words, key concepts and query terms."""

    question: Question
    concepts: list[Concept]
    terms: set[str]


def clean_topic(topic: str, lang: str | None = None) -> str:
    """The topic on one line; TopicError with a polite, specific message (in ``lang``, by
    default the topic's) when unusable."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in topic or "").split())
    if not any(ch.isalnum() for ch in text):
        raise TopicError("topic_empty", lang or detect_language(topic or ""))
    if len(text) > MAX_TOPIC_CHARS:
        raise TopicError("topic_too_long", lang or detect_language(text), n=MAX_TOPIC_CHARS)
    return text


def key_phrase(chunk: Chunk) -> str:
    """The document's own key phrase for a passage: a bold phrase or an item's heading (the
    ingest stores both as keys; the section heading is not one)."""
    keys = [k for k in chunk.keys if k != chunk.section]
    return keys[-1] if keys else ""


@lru_cache(maxsize=4096)
def _about_text(chunk: Chunk) -> str:
    """A passage's opening and key phrase (found once: a matrix asks for each passage under
    every topic)."""
    return f"{opening(chunk)} {key_phrase(chunk)}"


def about(chunk: Chunk, concepts: Sequence[Concept]) -> float:
    """Share of the topic's key concepts that the passage's opening and key phrase cover."""
    return coverage(concepts, [_about_text(chunk)]) if concepts else 0.0


def order_within(
    hits: Sequence[SearchHit],
    concepts: Sequence[Concept] = (),
    key: Callable[[SearchHit], float] | None = None,
) -> list[SearchHit]:
    """The document's passages best first (by ``key``, else the fused score raised for a
    passage whose opening is about the topic's key concepts), an item close to the best one
    moved ahead."""
    if not hits:
        return []
    score = {
        h.chunk.chunk_id: key(h) if key else h.score + OPENING_WEIGHT * about(h.chunk, concepts)
        for h in hits
    }
    ranked = sorted(hits, key=lambda h: -score[h.chunk.chunk_id])  # stable: fused order on ties
    top = score[ranked[0].chunk.chunk_id]
    items = [
        h
        for h in ranked
        if h.chunk.kind in ITEM_KINDS and score[h.chunk.chunk_id] >= ITEM_PREFERENCE * top
    ]
    return items[:1] + [h for h in ranked if h not in items[:1]]


def strength(hit: SearchHit, terms: set[str], idf: Any) -> float:
    """How clearly a passage is about the topic: its dense similarity plus a little for the
    topic's words it contains (a topic no document uses the words of stays low)."""
    return (hit.dense_score or 0.0) + LEXICAL_WEIGHT * token_overlap(terms, hit.chunk.text, idf)


def _body_sentence(chunk: Chunk, heading: str, terms: set[str]) -> str:
    """The sentence of an item, other than its heading, that best matches the topic."""
    from assistant.answering.draft import content_sentences

    spans = [" ".join(chunk.text[a:b].split()) for a, b in content_sentences(chunk)]
    body = [s for s in spans if s.rstrip(".") != heading.rstrip(".")]
    return max(body, key=lambda s: token_overlap(terms, s), default="")


def _quote(hit: SearchHit, terms: set[str], lang: str) -> PositionQuote:
    c = hit.chunk
    key = key_phrase(c)
    span = best_sentence(hit, terms)
    sentence = " ".join(c.text[span[0] : span[1]].split()) if span else ""
    if key and sentence.rstrip(".") == key.rstrip("."):  # the item's heading: gist its body
        sentence = _body_sentence(c, key, terms) or sentence
    whole = " ".join(c.text.split())
    quote = whole if c.kind in ITEM_KINDS or not sentence else sentence
    gist = sentence or whole
    if len(gist) > GIST_CHARS:
        gist = gist[: GIST_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return PositionQuote(
        chunk_id=c.chunk_id,
        kind=c.kind,
        item=c.item,
        page=c.page,
        section=c.section,
        label=item_label(c, lang),
        quote=quote,
        gist=gist,
        key_phrase=key_phrase(c),
        score=round(hit.score, 6),
        similarity=round(hit.dense_score or 0.0, 4),
    )


class Positions:
    """Compares the documents' positions on topics, with one retriever (model loaded once)."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever
        #: The relevance model's threshold for "addresses the topic" (None: the rules).
        self.topic_threshold: float | None = getattr(retriever.reranker, "topic_threshold", None)

    def documents(self, doc_ids: Sequence[str] | None = None) -> list[Chunk]:
        """One representative chunk per document (for its title, publisher, date), in the
        order asked for, else letters and recommendations first, then by title."""
        snap = self.retriever.snapshot()
        first: dict[str, Chunk] = {}
        for c in snap.chunks:
            first.setdefault(c.doc_id, c)
        if doc_ids:
            unknown = [d for d in doc_ids if d not in first]
            if unknown:
                raise TopicError("unknown_docs", docs=", ".join(unknown))
            return [first[d] for d in dict.fromkeys(doc_ids)]
        return sorted(first.values(), key=lambda c: (c.doc_type != "letter", c.date, c.title))

    def compare(
        self,
        topic: str | Question,
        doc_ids: Sequence[str] | None = None,
        lang: str | None = None,
        encoded: EncodedQuery | None = None,
    ) -> Comparison:
        """Each document's position on ``topic`` (``lang`` labels "not addressed"; by default
        the topic's language); ``encoded``: the topic already embedded (a matrix)."""
        t0 = time.perf_counter()
        text = clean_topic(text_of(topic), lang)
        # read once, for every document's search and check
        read = topic if isinstance(topic, Question) and topic.text == text else Question.read(text)
        lang = lang or read.language
        docs = self.documents(doc_ids)
        try:
            encoded = encoded or self.retriever.encode(read)
        except QueryError:
            raise TopicError("topic_empty", lang) from None
        reading = _Topic(read, key_concepts(read, self.retriever.snapshot().idf), query_terms(read))
        t1 = time.perf_counter()
        positions = [self._position(reading, encoded, doc, lang) for doc in docs]
        t2 = time.perf_counter()
        return Comparison(
            text,
            lang,
            positions,
            {
                "embed_ms": (t1 - t0) * 1000,
                "search_ms": (t2 - t1) * 1000,
                "total_ms": (t2 - t0) * 1000,
            },
        )

    def _position(self, topic: _Topic, encoded: EncodedQuery, doc: Chunk, lang: str) -> Position:
        hits = self.retriever.search(
            topic.question, k=PER_DOCUMENT, doc_ids=[doc.doc_id], encoded=encoded,
            rerank_depth=PER_DOCUMENT_READ,
        )  # fmt: skip
        terms, concepts = topic.terms, topic.concepts
        idf = self.retriever.snapshot().idf
        if self.topic_threshold is not None:  # the model's probabilities (hits come sorted)

            def strength_of(h: SearchHit) -> float:
                return h.rerank_score or 0.0

            ranked = order_within(hits, (), key=strength_of)
            threshold = self.topic_threshold
        else:

            def strength_of(h: SearchHit) -> float:
                return strength(h, terms, idf)

            ranked = order_within(hits, concepts)
            threshold = NOT_ADDRESSED_THRESHOLDS.get(
                encoded.forms.language, NOT_ADDRESSED_THRESHOLDS["nl"]
            )
        best = max((strength_of(h) for h in ranked[:3]), default=0.0)
        position = Position(
            doc_id=doc.doc_id,
            title=doc.title,
            publisher=short_publisher(doc),
            date=doc.date,
            addressed=bool(ranked) and best >= threshold,
            strength=best,
            ranked=[h.chunk.chunk_id for h in ranked],
        )
        if position.addressed:
            lead = ranked[0]
            position.quotes.append(_quote(lead, terms, lang))
            position.hits.append(lead)
            for h in ranked[1:MAX_CITED]:
                if (
                    len(position.quotes) < 2
                    and h.chunk.kind == lead.chunk.kind
                    and h.score >= SECOND_QUOTE * lead.score
                    and strength_of(h) >= threshold
                ):
                    position.quotes.append(_quote(h, terms, lang))
                    position.hits.append(h)
        return position


#: At most this many topics are taken from the documents' structure.
MAX_DEFAULT_TOPICS = 16


@dataclass
class Matrix:
    """Many topics × the documents: one comparison per topic, the same columns in each."""

    comparisons: list[Comparison]
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "topics": [c.topic for c in self.comparisons],
            "documents": [
                {"doc_id": p.doc_id, "title": p.title, "publisher": p.publisher, "date": p.date}
                for p in (self.comparisons[0].positions if self.comparisons else [])
            ],
            "rows": [c.to_dict() for c in self.comparisons],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }


def default_topics(chunks: Sequence[Chunk]) -> list[str]:
    """Topics from the documents' own structure: the key phrase of each numbered
    recommendation and clause suggestion (the four VNG aanbevelingen, the ten
    tekstsuggesties), then the policy headings (a glossary term in them) of those
    documents' other sections; each once, at most MAX_DEFAULT_TOPICS."""
    from assistant.retrieval.glossary import matched_concepts

    structured = {c.doc_id for c in chunks if c.kind in ITEM_KINDS}
    item_sections = {c.section for c in chunks if c.kind in ITEM_KINDS}
    items = [key_phrase(c) for c in chunks if c.kind in ITEM_KINDS]
    headings = [
        c.section
        for c in chunks
        if c.doc_id in structured
        and c.section not in item_sections
        and c.section
        and matched_concepts(c.section)
    ]
    seen: set[str] = set()
    out = []
    for topic in [*items, *headings]:
        if topic and topic.lower() not in seen:
            seen.add(topic.lower())
            out.append(topic)
    return out[:MAX_DEFAULT_TOPICS]


def read_topics(text: str) -> list[str]:
    """User topics, one a line; blank lines and '#' comments skipped."""
    return [t.strip() for t in text.splitlines() if t.strip() and not t.lstrip().startswith("#")]


def matrix_topics(
    positions: Positions,
    topics: Sequence[str] | None = None,
    defaults: bool = True,
    lang: str | None = None,
) -> list[str]:
    """A matrix's topics: ``topics`` after the default topics unless ``defaults`` is False,
    each once; TopicError names the first unusable topic."""
    wanted = default_topics(positions.retriever.snapshot().chunks) if defaults else []
    for topic in topics or []:
        try:
            cleaned = clean_topic(topic, lang)
        except TopicError as exc:
            raise TopicError(exc.code, exc.lang, topic[:60], **exc.params) from None
        if cleaned.lower() not in {w.lower() for w in wanted}:
            wanted.append(cleaned)
    if not wanted:
        raise TopicError("topic_empty", lang or "nl")
    return wanted


def matrix_rows(
    positions: Positions,
    topics: Sequence[str],
    doc_ids: Sequence[str] | None = None,
    lang: str | None = None,
) -> list[Comparison]:
    """The rows of ``topics`` (one embedding batch for them all); the API computes a big
    matrix a slice of rows at a time, so that other requests get a turn in between."""
    read = [Question.read(clean_topic(t, lang)) for t in topics]
    encoded = positions.retriever.encode_many(read)
    return [positions.compare(t, doc_ids, lang, e) for t, e in zip(read, encoded, strict=True)]


def build_matrix(
    positions: Positions,
    topics: Sequence[str] | None = None,
    defaults: bool = True,
    doc_ids: Sequence[str] | None = None,
    lang: str | None = None,
) -> Matrix:
    """The matrix of ``topics`` (after the default topics unless ``defaults`` is False);
    TopicError names the first unusable topic."""
    t0 = time.perf_counter()
    rows = matrix_rows(positions, matrix_topics(positions, topics, defaults, lang), doc_ids, lang)
    return Matrix(rows, {"total_ms": (time.perf_counter() - t0) * 1000})
