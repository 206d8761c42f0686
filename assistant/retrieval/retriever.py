"""Hybrid retrieval: dense vectors (chunks, their key phrases and sentences) + BM25 over Dutch
stems, fused by weighted reciprocal-rank fusion, with bilingual glossary expansion on both sides;
optionally a cross-encoder reorders the fused top (``JEUGDAKKOORD_RERANKER``)."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.core.passages import embedding_text
from assistant.core.question import Question, read
from assistant.core.settings import Settings
from assistant.core.types import SearchHit
from assistant.core.words import tokenize
from assistant.providers.embeddings import Embedder, get_embedder
from assistant.providers.rerankers import Reranker, get_reranker
from assistant.providers.rerankers import notice as rerank_notice
from assistant.providers.stores.base import VectorHit
from assistant.retrieval.fusion import RRF_K, by_score, fuse, mean_of_best
from assistant.retrieval.glossary import expand
from assistant.store.index import IndexEmpty, IndexHandle, IndexSnapshot

#: Weight of the ensemble's second dense ranking (USE v3) against the embedder's (1.0): best
#: on the dev split with distractors; R@5 0.66 -> 0.73, MRR 0.48 -> 0.55 overall
#: (evals/experiments/README.md).
ENSEMBLE_WEIGHT = 1.0
#: Vector records fetched per query vector; chunks have ~6 records (sentences, keys), so this
#: still reaches past the fused depth in chunks.
DENSE_RECORDS = 200


@dataclass(frozen=True)
class FusionWeights:
    dense: float
    lexical: float


#: English words rarely match Dutch text, so for English questions BM25 only sees the
#: glossary's Dutch terms and counts for less; for Dutch questions both count fully.
WEIGHTS = {"nl": FusionWeights(dense=1.0, lexical=1.0), "en": FusionWeights(dense=1.0, lexical=0.6)}


@dataclass(frozen=True)
class QueryForms:
    """What each retriever is given for one question (also used by the experiments)."""

    language: str
    #: The glossary's Dutch terms for the question's English or Dutch policy words.
    expansion: list[str]
    #: The question, and the question with those terms appended when there are any: the
    #: dense side averages over both.
    dense_texts: list[str]
    #: BM25 sees a Dutch question with the terms; of an English one only the terms and
    #: numbers (English words rarely match Dutch text and only add noise).
    lexical_tokens: list[str]
    #: What a reranker reads: a Dutch question as typed; an English one with the Dutch
    #: terms (on English questions over Dutch text the relevance model matched English
    #: words to unrelated Dutch passages; the terms give it the document's wording).
    reader_text: str


def query_forms(query: str | Question, expansion: list[str] | None = None) -> QueryForms:
    """The forms of ``query``; ``expansion`` overrides the glossary's (experiments)."""
    question = read(query)
    text, lang = question.text, question.language
    terms = expand(text) if expansion is None else expansion
    texts = [text, f"{text} ({', '.join(terms)})"] if terms else [text]
    tokens = (
        question.tokens + tokenize(" ".join(terms))
        if lang == "nl"
        else tokenize(" ".join(terms)) + [t for t in question.tokens if t.isdigit()]
    )
    return QueryForms(lang, terms, texts, tokens, texts[-1] if lang == "en" else text)


class QueryError(ValueError):
    """The question cannot be searched (empty, or nothing left after cleaning)."""

    kind = "invalid"  # how the faces report it (core.errors.KINDS)
    code = "query_error"  # its message: ``assistant.core.errors.MESSAGES``


@dataclass(frozen=True)
class EncodedQuery:
    """A question embedded once, to be searched in several scopes (one per document when
    comparing positions) without embedding it again."""

    query: str
    forms: QueryForms
    vectors: list[list[float]]
    #: The ensemble's vectors and the model that made them (None: no second view).
    second: tuple[str, list[list[float]]] | None
    embed_ms: float


MAX_QUERY_CHARS = 2000
MODES = ("hybrid", "dense", "lexical")


class Retriever:
    def __init__(
        self,
        settings: Settings,
        embedder: Embedder | None = None,
        reranker: Reranker | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder or get_embedder(settings.embedder, settings)
        self.index = IndexHandle(settings, self.embedder.model_id)
        #: The second dense view, used where the index has one built by the same model.
        self.ensemble = (
            None if settings.ensemble == "none" else get_embedder(settings.ensemble, settings)
        )
        self.reranker = reranker or get_reranker(settings.reranker, settings)
        #: Why the configured reranker is not in use ("" when it is): the shipped relevance
        #: model without its weights or torch leaves judgement to the rules.
        self.reranker_notice = "" if reranker else rerank_notice(settings.reranker, settings)

    def load_models_in_background(self) -> None:
        """Start loading the question's models, for a caller that has time to spare (the
        chat server, while Gradio builds the page and before its first question). A cold
        search does not: the loads hold the GIL almost throughout, so they did not overlap
        the index's loading and cost ~0.2 s more than loading in turn (``make bench``)."""
        for view in (self.embedder, self.ensemble):
            if view is not None:
                view.load_in_background()

    def judge_status(self) -> dict[str, str]:
        """Who judges relevance (the reranker's model id, or "rules") and why, if not as
        configured: for ``/api/health``, the Settings tab and ``--json``."""
        by = self.reranker.model_id if self.reranker is not None else "rules"
        return {"by": by, "notice": self.reranker_notice}

    def snapshot(self) -> IndexSnapshot:
        return self.index.snapshot()

    def search(
        self,
        query: str | Question,
        k: int | None = None,
        doc_ids: list[str] | None = None,
        timings: dict[str, float] | None = None,
        mode: str = "hybrid",
        encoded: EncodedQuery | None = None,
        rerank_depth: int | None = None,
    ) -> list[SearchHit]:
        """The ``k`` best chunks for ``query``, optionally only from ``doc_ids``.

        ``mode`` "dense" or "lexical" switches one side off (the evaluation's baselines);
        ``encoded`` (from :meth:`encode`) saves embedding the same question again;
        ``rerank_depth`` overrides how many fused passages the reranker reads.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        k = k or self.settings.top_k
        timings = timings if timings is not None else {}
        snap = self.snapshot()
        if not snap.chunks:
            raise IndexEmpty(
                f"the index at {self.settings.index_dir} has no documents yet: add documents "
                "to the corpus folder and run `jeugdakkoord ingest`"
            )
        t0 = time.perf_counter()
        if encoded is None:
            encoded = self.encode(query, second_view=mode != "lexical", snapshot=snap)
        query, forms, vecs = encoded.query, encoded.forms, encoded.vectors
        weights = WEIGHTS[forms.language]
        if mode != "hybrid":
            weights = FusionWeights(dense=float(mode == "dense"), lexical=float(mode == "lexical"))
        depth = max(50, 4 * k)
        second = self._second_view(snap, encoded) if weights.dense else None
        t1 = time.perf_counter()
        dense = _Dense.search(snap, vecs, second, doc_ids, depth)
        dense_best, dense_rank = dense.best, dense.rank
        t2 = time.perf_counter()
        lexical_rank = _lexical_rank(snap, forms.lexical_tokens, doc_ids, depth)
        t3 = time.perf_counter()

        d_pos = {c: i + 1 for i, c in enumerate(dense_rank)}
        l_pos = {c: i + 1 for i, c in enumerate(lexical_rank)}
        scores = fuse(
            [dense_rank, dense.second_rank, lexical_rank],
            [weights.dense, weights.dense * ENSEMBLE_WEIGHT, weights.lexical],
            k=RRF_K,
            # On a tie, a passage that contains the question's words beats one that only
            # resembles it.
            tiebreak=lambda c: (c not in l_pos, -dense_best.get(c, 0.0)),
        )
        fused = list(scores)
        t4 = time.perf_counter()
        reranked: dict[str, float] = {}
        if self.reranker is not None and mode == "hybrid":
            depth_read = rerank_depth or self.settings.rerank_depth
            fused, reranked = self._rerank(forms.reader_text, snap, fused, depth_read, timings)
        ranked = fused[:k]
        timings.update(
            embed_ms=(t1 - t0) * 1000,
            dense_ms=(t2 - t1) * 1000,
            lexical_ms=(t3 - t2) * 1000,
            fuse_ms=(t4 - t3) * 1000,
            retrieve_ms=(time.perf_counter() - t0) * 1000,
        )
        return [
            SearchHit(
                chunk=snap.by_id[cid],
                score=scores[cid],
                rank=i + 1,
                dense_rank=d_pos.get(cid),
                lexical_rank=l_pos.get(cid),
                dense_score=dense_best.get(cid),
                best_sentence=dense.sentence_of.get(cid),
                rerank_score=reranked.get(cid),
            )
            for i, cid in enumerate(ranked)
        ]

    def _rerank(
        self,
        query: str,
        snap: IndexSnapshot,
        fused: list[str],
        depth: int,
        timings: dict[str, float],
    ) -> tuple[list[str], dict[str, float]]:
        """The fused top ``rerank_depth`` reordered by the reranker (ties keep the fused
        order), followed by the rest unchanged; and the reranker's scores."""
        assert self.reranker is not None
        t0 = time.perf_counter()
        head = fused[:depth]
        texts = [embedding_text(snap.by_id[c]) for c in head]
        scored = dict(zip(head, self.reranker.score(query, texts), strict=True))
        timings["rerank_ms"] = (time.perf_counter() - t0) * 1000
        cut = self.reranker.query_overflow(query)
        if cut:  # a pasted paragraph: the model read its beginning only
            timings["rerank_question_tokens_cut"] = float(cut)
        return sorted(head, key=lambda c: -scored[c]) + fused[len(head) :], scored

    def encode(
        self,
        query: str | Question,
        second_view: bool = True,
        snapshot: IndexSnapshot | None = None,
    ) -> EncodedQuery:
        """The question cleaned and embedded by the embedder and, where the index has the
        ensemble's view, by the ensemble; QueryError when nothing is left to search for."""
        return self.encode_many([query], second_view, snapshot)[0]

    def encode_many(
        self,
        queries: Sequence[str | Question],
        second_view: bool = True,
        snapshot: IndexSnapshot | None = None,
    ) -> list[EncodedQuery]:
        """:meth:`encode` for several questions in one embedding batch (a topic matrix)."""
        read_ = [_cleaned(q) for q in queries]
        cleaned = [q.text for q in read_]
        if not all(any(ch.isalnum() for ch in q) for q in cleaned):
            raise QueryError("empty question")
        t0 = time.perf_counter()
        forms = [query_forms(q) for q in read_]
        texts = [t for f in forms for t in f.dense_texts]
        vecs = self.embedder.embed_queries(texts)
        gen = (snapshot or self.snapshot()).generation
        seconds: list[list[float]] | None = None
        if second_view and self.ensemble and gen.ensemble_model_id == self.ensemble.model_id:
            seconds = self.ensemble.embed_queries(texts)
        ms = (time.perf_counter() - t0) * 1000 / len(cleaned)
        out, at = [], 0
        for q, f in zip(cleaned, forms, strict=True):
            n = len(f.dense_texts)
            second = None if seconds is None else (gen.ensemble_model_id, seconds[at : at + n])
            out.append(EncodedQuery(q, f, vecs[at : at + n], second, ms))
            at += n
        return out

    def _second_view(
        self, snap: IndexSnapshot, encoded: EncodedQuery
    ) -> tuple[str, list[list[float]]] | None:
        """The ensemble's collection and query vectors (USE), or None when the index has no
        such view or one built by another model (an older index: re-ingest to add it)."""
        gen = snap.generation
        if encoded.second is None or gen.ensemble_model_id != encoded.second[0]:
            return None
        return gen.ensemble_collection, encoded.second[1]


def _cleaned(query: str | Question) -> Question:
    """The question on one line, cut to MAX_QUERY_CHARS; read once (again only when
    cleaning changed its text)."""
    text = query.text if isinstance(query, Question) else query
    clean = " ".join(text.split())[:MAX_QUERY_CHARS]
    if isinstance(query, Question) and clean == query.text:
        return query
    return Question.read(clean)


def _runs(
    snap: IndexSnapshot,
    collection: str,
    vectors: list[list[float]],
    where: dict[str, Any] | None,
) -> list[list[VectorHit]]:
    """The nearest DENSE_RECORDS records of ``collection`` for each query vector."""
    return [
        snap.store.query(collection, v, k=DENSE_RECORDS, where=where, metadata=False)
        for v in vectors
    ]


def chunk_of(record_id: str) -> str:
    """The chunk a vector record belongs to: ``<chunk>``, ``<chunk>#k<i>``, ``<chunk>#s<i>``."""
    return record_id.partition("#")[0]


def _best_sentences(runs: list[list[VectorHit]]) -> dict[str, int]:
    """Per chunk, the index of its sentence vector closest to the question (any query vector):
    the drafter quotes that sentence when the words alone do not decide."""
    best: dict[str, tuple[float, int]] = {}
    for hits in runs:
        for h in hits:
            cid, _, tag = h.record_id.partition("#s")
            if tag.isdigit() and h.similarity > best.get(cid, (-1.0, 0))[0]:
                best[cid] = (h.similarity, int(tag))
    return {cid: index for cid, (_, index) in best.items()}


def _dense_scores(runs: list[list[VectorHit]], chunks: Mapping[str, object]) -> dict[str, float]:
    """Per chunk, its best record's similarity averaged over the query vectors
    (:func:`mean_of_best`): the glossary-expanded query vector pulls English questions towards
    the Dutch wording; the plain one keeps what the glossary does not know."""
    return mean_of_best(
        [
            [(cid, h.similarity) for h in hits if (cid := chunk_of(h.record_id)) in chunks]
            for hits in runs
        ]
    )


@dataclass(frozen=True)
class _Dense:
    """The dense side of one search: each chunk's best similarity, its ranking, the
    sentence that matched best, and the second view's ranking (empty without one)."""

    best: dict[str, float]
    rank: list[str]
    sentence_of: dict[str, int]
    second_rank: list[str]

    @classmethod
    def search(
        cls,
        snap: IndexSnapshot,
        vecs: list[list[float]],
        second: tuple[str, list[list[float]]] | None,
        doc_ids: list[str] | None,
        depth: int,
    ) -> _Dense:
        where = {"doc_id": {"$in": list(doc_ids)}} if doc_ids else None
        runs = _runs(snap, snap.generation.collection, vecs, where)
        best = _dense_scores(runs, snap.by_id)
        second_rank = (
            by_score(_dense_scores(_runs(snap, *second, where), snap.by_id))[:depth]
            if second
            else []
        )
        return cls(best, by_score(best)[:depth], _best_sentences(runs), second_rank)


def _lexical_rank(
    snap: IndexSnapshot, tokens: list[str], doc_ids: list[str] | None, depth: int
) -> list[str]:
    """The BM25 ranking, only over ``doc_ids`` when given."""
    allowed = np.isin(snap.lexical_doc_ids, list(doc_ids)) if doc_ids else None
    lexical = snap.lexical.search(tokens, k=depth, allowed=allowed)
    return [cid for cid, _ in lexical if cid in snap.by_id]
