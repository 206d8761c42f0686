"""The evaluation's metric code on tiny fixtures with known values (the CI smoke of make eval)."""

import math

import pytest

from evals.baselines import Passage
from evals.dataset import Gold, Question, is_gold
from evals.metrics import ndcg_at, percentile, recall_at, reciprocal_rank, retrieval_metrics
from evals.run import evaluate_retrieval


def test_rank_metrics_known_values() -> None:
    ranked = ["a", "b", "c", "d"]
    assert recall_at(ranked, {"c"}, 2) == 0.0
    assert recall_at(ranked, {"c"}, 3) == 1.0
    assert reciprocal_rank(ranked, {"c"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(ranked, {"z"}) == 0.0
    assert ndcg_at(ranked, {"a"}, 10) == 1.0
    assert ndcg_at(ranked, {"b"}, 10) == pytest.approx(1 / math.log2(3))
    assert ndcg_at(ranked, {"a", "c"}, 10) == pytest.approx((1 + 0.5) / (1 + 1 / math.log2(3)))


def test_aggregate_and_percentiles() -> None:
    m = retrieval_metrics([(["a", "b"], {"a"}), (["a", "b"], {"b"}), (["a"], {"z"})])
    assert m["recall@1"] == pytest.approx(1 / 3)
    assert m["recall@5"] == pytest.approx(2 / 3)
    assert m["mrr"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile([], 95) == 0.0


def _q(qid: str, snippet: str, page: int | None = None, lang: str = "nl") -> Question:
    return Question(qid, "vraag", lang, True, (Gold("doc", snippet, page),), "", "test")


def test_gold_matching_ignores_layout_but_not_page() -> None:
    q = _q("q", "stoppen met marktwerking", page=3)
    assert is_gold(q, "doc", 3, 3, "We  stoppen met\n**marktwerking**, open-house")
    assert not is_gold(q, "doc", 4, 4, "We stoppen met marktwerking")
    assert not is_gold(q, "other", 3, 3, "We stoppen met marktwerking")


def test_evaluate_retrieval_on_a_fake_system() -> None:
    questions = [_q("q1", "alpha beta gamma"), _q("q2", "delta epsilon zeta", lang="en")]

    def search(question: str, k: int) -> list[Passage]:
        return [
            Passage("doc", 0, 0, "niets"),
            Passage("doc", 0, 0, "hier alpha beta gamma staat het"),
        ][:k]

    res = evaluate_retrieval(search, questions)
    assert res["all"]["recall@1"] == 0.0
    assert res["all"]["recall@5"] == 0.5
    assert res["all"]["mrr"] == 0.25
    assert res["nl"]["recall@5"] == 1.0 and res["en"]["recall@5"] == 0.0
    assert res["misses@5"] == ["q2"]
    assert res["curve"]["2"] == 0.5
