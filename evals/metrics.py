"""Retrieval and answer-quality metrics. Pure functions over ranked ids and gold sets."""

from __future__ import annotations

import math
from collections.abc import Sequence


def recall_at(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """1.0 when any gold passage is in the top ``k`` (questions usually have one answer)."""
    return 1.0 if gold and any(r in gold for r in ranked[:k]) else 0.0


def reciprocal_rank(ranked: Sequence[str], gold: set[str]) -> float:
    for i, r in enumerate(ranked, 1):
        if r in gold:
            return 1.0 / i
    return 0.0


def ndcg_at(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """Binary-relevance nDCG@k."""
    dcg = sum(1.0 / math.log2(i + 1) for i, r in enumerate(ranked[:k], 1) if r in gold)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(gold), k) + 1))
    return dcg / ideal if ideal else 0.0


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def retrieval_metrics(runs: Sequence[tuple[Sequence[str], set[str]]]) -> dict[str, float]:
    """Mean recall@1/5/10, MRR and nDCG@10 over (ranked ids, gold ids) pairs."""
    return {
        "recall@1": mean([recall_at(r, g, 1) for r, g in runs]),
        "recall@5": mean([recall_at(r, g, 5) for r, g in runs]),
        "recall@10": mean([recall_at(r, g, 10) for r, g in runs]),
        "mrr": mean([reciprocal_rank(r, g) for r, g in runs]),
        "ndcg@10": mean([ndcg_at(r, g, 10) for r, g in runs]),
        "n": float(len(runs)),
    }
