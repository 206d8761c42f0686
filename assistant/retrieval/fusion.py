"""The two rankings retrieval is made of, as pure functions: the dense ranking of chunks from
their records' similarities, and weighted reciprocal-rank fusion of ranked lists.

The product (:class:`assistant.retrieval.retriever.Retriever`) and the experiments in
``evals/experiments`` call these, so an experiment measures the product's ranking, not a copy.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)

#: Small k: a passage ranked first by one retriever should beat passages that both rank
#: middling (paraphrased questions often share no word with their passage, so BM25 misses it).
RRF_K = 5


def mean_of_best(runs: Sequence[Iterable[tuple[K, float]]]) -> dict[K, float]:
    """Per key, its best similarity in each run, averaged over the runs.

    A run is one query vector's nearest records as ``(chunk, similarity)`` pairs (a chunk has
    several records: itself, key phrases, sentences). A chunk missing from one run counts that
    run's lowest similarity, so a chunk found by only one query form is not pushed to the top
    by the forms that missed it, nor dropped.
    """
    best: list[dict[K, float]] = []
    for hits in runs:
        run: dict[K, float] = {}
        for key, similarity in hits:
            if similarity > run.get(key, -1.0):
                run[key] = similarity
        best.append(run)
    floors = [min(run.values(), default=-1.0) for run in best]
    found = {key for run in best for key in run}
    return {
        key: sum(run.get(key, floor) for run, floor in zip(best, floors, strict=True)) / len(best)
        for key in found
    }


def by_score(scores: dict[K, float]) -> list[K]:
    """Keys from the highest score down (ties keep the mapping's order)."""
    return sorted(scores, key=lambda key: -scores[key])


def fuse(
    rankings: Sequence[Sequence[K]],
    weights: Sequence[float],
    k: float = RRF_K,
    tiebreak: Callable[[K], Any] | None = None,
) -> dict[K, float]:
    """Weighted reciprocal-rank fusion: each list adds ``weight / (k + rank)`` to its keys.

    Returns the fused scores in fused order (best first). A list with weight 0 contributes
    nothing, not even its keys. Equal scores are ordered by ``tiebreak(key)`` (ascending),
    then by first appearance.
    """
    scores: dict[K, float] = {}
    for ranked, weight in zip(rankings, weights, strict=True):
        if not weight:
            continue
        for rank, key in enumerate(ranked, 1):
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    if tiebreak is None:
        order = sorted(scores, key=lambda key: -scores[key])
    else:
        order = sorted(scores, key=lambda key: (-scores[key], tiebreak(key)))
    return {key: scores[key] for key in order}
