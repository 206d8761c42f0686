"""``JEUGDAKKOORD_RERANKER=relevance[:<weights folder>]``: the relevance model as a reranker;
its scores are calibrated probabilities, so they also compare across questions, and its
thresholds (chosen on dev questions) let the answer path judge with it."""

from __future__ import annotations

from assistant.providers.rerankers.base import Reranker
from assistant.providers.rerankers.relevance.scorer import RelevanceModel
from assistant.providers.rerankers.relevance.shipped import Status


class RelevanceReranker(Reranker):
    def __init__(self, model: RelevanceModel, status: Status) -> None:
        self.model = model
        self.status = status
        self.model_id = model.model_id
        self.answer_threshold = model.answer_threshold
        self.topic_threshold = model.topic_threshold

    def score(self, query: str, passages: list[str]) -> list[float]:
        return self.model.probabilities(query, passages)

    def query_overflow(self, query: str) -> int:
        return self.model.query_overflow(query)
