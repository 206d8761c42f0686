"""``JEUGDAKKOORD_RERANKER=relevance[:<weights folder>]``: the relevance model as a reranker;
its scores are calibrated probabilities, so they also compare across questions."""

from __future__ import annotations

from pathlib import Path

from assistant.core.settings import Settings
from assistant.providers.rerankers.base import Reranker, RerankError
from assistant.providers.rerankers.relevance import Status, load


class RelevanceReranker(Reranker):
    def __init__(self, folder: str = "") -> None:
        model, status = load(Path(folder) if folder else None, Settings.from_env().model_dir)
        if model is None:
            raise RerankError(status.message)
        self.model = model
        self.status: Status = status
        self.model_id = model.model_id

    def score(self, query: str, passages: list[str]) -> list[float]:
        return self.model.probabilities(query, passages)
