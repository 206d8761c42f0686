"""Learned judgement (issue #24): which passage and which sentence answer a question, and
whether any does, from the relevance model's calibrated probabilities.

The retriever has already scored the fused top passages with the model (``rerank_score``);
the judge adds the sentences of the best few passages, so that a quote is the sentence the
model reads as the answer and a passage whose answer lies past the model's window still
counts. Without the model (``JEUGDAKKOORD_RERANKER`` set otherwise, weights missing) there
is no judge and the rules in :mod:`assistant.answering.answerability` decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answering.draft import content_sentences
from assistant.core.passages import embedding_text, strip_marks
from assistant.core.question import Question, text_of
from assistant.core.types import SearchHit
from assistant.providers.rerankers.base import Reranker
from assistant.retrieval.retriever import query_forms

#: Passages whose sentences are read one by one (the best by passage probability).
SENTENCE_DEPTH = 4
#: Sentences read per passage at most (the first ones: a long passage's point is early).
SENTENCES_PER_PASSAGE = 16
#: Passages whose window is scored again for a question with its document names left out.
RESCORE_DEPTH = 8
#: A further passage is cited when its probability is at least this share of the best one.
RELATIVE_PROBABILITY = 0.6


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage with the probability that it answers the question."""

    hit: SearchHit
    start: int
    end: int
    probability: float

    @property
    def text(self) -> str:
        return self.hit.chunk.text[self.start : self.end]


@dataclass(frozen=True)
class Judgement:
    """The passages best first, each with its probability (the better of its window and its
    best sentence), and the sentences read, best first."""

    hits: list[SearchHit]
    probability: dict[str, float]
    sentences: list[Sentence]
    threshold: float

    @property
    def best(self) -> float:
        return max(self.probability.values(), default=0.0)

    @property
    def answered(self) -> bool:
        """Whether some passage answers the question (the dev-chosen threshold)."""
        return self.best >= self.threshold

    def sentence_of(self, hit: SearchHit) -> Sentence | None:
        """The passage's best sentence, if its sentences were read."""
        return next((s for s in self.sentences if s.hit.chunk.chunk_id == hit.chunk.chunk_id),
                    None)  # fmt: skip


class Judge:
    """The relevance model behind the answer path's decisions."""

    def __init__(self, reranker: Reranker, threshold: float) -> None:
        self._reranker = reranker
        self.threshold = threshold

    @classmethod
    def of(cls, reranker: Reranker | None) -> Judge | None:
        """The judge when the retriever reranks with the relevance model, else None."""
        threshold = getattr(reranker, "answer_threshold", None)
        if reranker is None or threshold is None:
            return None
        return cls(reranker, float(threshold))

    def probabilities(self, question: str, texts: list[str]) -> list[float]:
        """As the retriever's reranking reads it (:attr:`QueryForms.reader_text`)."""
        if not texts:
            return []
        return self._reranker.score(query_forms(question).reader_text, texts)

    def judge(
        self, asked: str | Question, hits: Sequence[SearchHit], rescore: bool = False
    ) -> Judgement:
        """The sentences of the best passages scored, the passages ordered by the better of
        their window and their best sentence. The windows keep the retriever's scores (hits
        beyond its reranked top count as 0) unless ``rescore``: the question differs from
        the one searched (the words naming its documents left out)."""
        question = text_of(asked)
        if rescore:
            head = list(hits[:RESCORE_DEPTH])
            probs = self.probabilities(question, [embedding_text(h.chunk) for h in head])
            window = {h.chunk.chunk_id: 0.0 for h in hits}
            window.update({h.chunk.chunk_id: p for h, p in zip(head, probs, strict=True)})
        else:
            window = {h.chunk.chunk_id: h.rerank_score or 0.0 for h in hits}
        ranked = sorted(hits, key=lambda h: -window[h.chunk.chunk_id])
        spans: list[tuple[SearchHit, int, int]] = []
        for hit in ranked[:SENTENCE_DEPTH]:
            spans.extend(
                (hit, a, b) for a, b in content_sentences(hit.chunk)[:SENTENCES_PER_PASSAGE]
            )
        probs = self.probabilities(
            question, [strip_marks(h.chunk.text[a:b]).strip() for h, a, b in spans]
        )
        sentences = sorted(
            (Sentence(h, a, b, p) for (h, a, b), p in zip(spans, probs, strict=True)),
            key=lambda s: -s.probability,
        )
        probability = dict(window)
        for s in sentences:
            cid = s.hit.chunk.chunk_id
            probability[cid] = max(probability[cid], s.probability)
        order = sorted(hits, key=lambda h: -probability[h.chunk.chunk_id])
        return Judgement(order, probability, sentences, self.threshold)

    def cited(self, judgement: Judgement, limit: int) -> list[Sentence]:
        """The sentences to quote: the best sentence of each answering passage close to the
        best one, best first, at most ``limit``."""
        if not judgement.answered:
            return []
        floor = max(self.threshold, RELATIVE_PROBABILITY * judgement.best)
        out: list[Sentence] = []
        for hit in judgement.hits:
            if len(out) >= limit or judgement.probability[hit.chunk.chunk_id] < floor:
                break
            sentence = judgement.sentence_of(hit)
            if sentence is not None:
                out.append(sentence)
        return out
