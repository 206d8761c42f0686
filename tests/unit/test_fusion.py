"""The dense ranking and reciprocal-rank fusion the product and the experiments share."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.retrieval.fusion import RRF_K, by_score, fuse, mean_of_best


def test_one_list_scores_by_reciprocal_rank() -> None:
    assert fuse([["a", "b", "c"]], [1.0]) == {
        "a": 1 / (RRF_K + 1),
        "b": 1 / (RRF_K + 2),
        "c": 1 / (RRF_K + 3),
    }


def test_agreement_beats_one_first_place() -> None:
    fused = fuse([["a", "b"], ["c", "b"]], [1.0, 1.0], k=5)
    assert list(fused) == ["b", "a", "c"]
    assert fused["b"] == pytest.approx(2 / 7)


def test_weights_scale_each_list() -> None:
    fused = fuse([["a"], ["b"]], [1.0, 0.6])
    assert list(fused) == ["a", "b"]
    assert fused["b"] == pytest.approx(0.6 / (RRF_K + 1))


def test_a_list_with_weight_zero_adds_no_keys() -> None:
    assert list(fuse([["a"], ["b", "c"]], [1.0, 0.0])) == ["a"]


def test_ties_follow_the_tiebreak_then_first_appearance() -> None:
    assert list(fuse([["a"], ["b"]], [1.0, 1.0])) == ["a", "b"]
    assert list(fuse([["a"], ["b"]], [1.0, 1.0], tiebreak=lambda key: key != "b")) == ["b", "a"]


def test_lists_and_weights_must_match() -> None:
    with pytest.raises(ValueError):
        fuse([["a"], ["b"]], [1.0])


@given(st.lists(st.lists(st.integers(0, 20), unique=True, max_size=10), max_size=4))
def test_fused_scores_are_sums_of_reciprocal_ranks(lists: list[list[int]]) -> None:
    fused = fuse(lists, [1.0] * len(lists))
    assert set(fused) == {key for ranked in lists for key in ranked}
    for key, score in fused.items():
        expected = sum(1 / (RRF_K + r.index(key) + 1) for r in lists if key in r)
        assert score == pytest.approx(expected)
    assert list(fused.values()) == sorted(fused.values(), reverse=True)


def test_mean_of_best_takes_each_runs_best_record() -> None:
    runs = [[("a", 0.5), ("a", 0.9), ("b", 0.7)], [("b", 0.8), ("a", 0.6)]]
    assert mean_of_best(runs) == pytest.approx({"a": 0.75, "b": 0.75})


def test_a_chunk_missing_from_a_run_counts_that_runs_floor() -> None:
    runs = [[("a", 0.9), ("b", 0.4)], [("a", 0.8), ("c", 0.2)]]
    scores = mean_of_best(runs)
    assert scores["b"] == pytest.approx((0.4 + 0.2) / 2)
    assert scores["c"] == pytest.approx((0.4 + 0.2) / 2)
    assert by_score(scores)[0] == "a"


def test_empty_runs_give_no_scores() -> None:
    assert mean_of_best([[], []]) == {}
    assert by_score({}) == []
