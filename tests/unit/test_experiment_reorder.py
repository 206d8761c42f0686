"""The LLM-reranker experiment's reordering: what its table rows mean."""

from evals.experiments.llm_rerank import Candidates, reorder


def _row(n: int) -> Candidates:
    return Candidates(id="q", question="?", split="dev", texts=["t"] * n, gold=[False] * n)


def test_fusion_alone_keeps_the_fused_order() -> None:
    assert reorder(_row(6), [0.0, 5.0, 1.0, 9.0], lam=0.0) == ["0", "1", "2", "3", "4", "5"]


def test_scorer_alone_reorders_only_the_scored_head() -> None:
    assert reorder(_row(6), [0.0, 5.0, 1.0, 9.0], lam=None) == ["3", "1", "2", "0", "4", "5"]


def test_a_strong_scorer_signal_overrides_a_small_fusion_gap() -> None:
    order = reorder(_row(4), [-10.0, 10.0, -10.0, -10.0], lam=1.0)
    assert order[0] == "1"
    assert order[1:] == ["0", "2", "3"]
