"""The shipped relevance model in the answer path (issue #24, opt-in with
``JEUGDAKKOORD_RERANKER=relevance``): it refuses what the sources do not answer and asks a
quantity question for a sentence with a number of the asked kind; without its weights the
rules judge and every surface says so.

Not here, because this model fails it: an English question ("What should we write about market
forces?") gets "oneerlijke concurrentie" of the coalition agreement first, not the marktwerking
clause the rules find (README, "Relevance model of our own").
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings
from assistant.providers import rerankers
from assistant.providers.rerankers.relevance import check


@pytest.fixture(scope="module")
def assistant(real_index: Settings) -> Assistant:
    _, status = check()
    assert status.ok, status.message  # the weights ship with the repository
    return Assistant(real_index.with_(reranker="relevance"))


def test_the_shipped_model_judges(assistant: Assistant) -> None:
    assert assistant.judge is not None
    status = assistant.retriever.judge_status()
    assert status["by"].startswith("relevance:") and status["notice"] == ""


def test_a_near_miss_question_is_refused(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Wat schrijven de brieven over de openingstijden van het jongerencentrum?"
    )
    assert answer.refused, answer.answer


def test_a_quantity_question_whose_only_number_is_a_date_is_refused(
    assistant: Assistant,
) -> None:
    # The letter dates the report Groeipijn ("Op 30 januari 2025 publiceerde ...") and counts
    # nothing in it.
    answer = assistant.ask("Hoeveel aanbevelingen telt het rapport Groeipijn?")
    assert answer.refused, answer.answer
    assert all("2025" not in c.quote for c in answer.citations)


def test_a_pasted_paragraph_is_cut_to_the_window_and_the_timings_say_so(
    assistant: Assistant,
) -> None:
    question = "Wat zeggen de brieven over marktwerking in de jeugdzorg? " * 40
    answer = assistant.ask(question)
    assert answer.timings_ms.get("rerank_question_tokens_cut", 0) > 0


@pytest.fixture
def no_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The shipped weights folder replaced by an empty one (a checkout without them)."""
    from assistant.providers.rerankers import relevance

    monkeypatch.setattr(relevance, "WEIGHTS_DIR", tmp_path)
    rerankers._LOADED.clear()
    rerankers._FALLBACKS.clear()
    yield tmp_path
    rerankers._LOADED.clear()
    rerankers._FALLBACKS.clear()


def test_without_weights_the_rules_judge_and_say_why(
    real_index: Settings, no_weights: Path
) -> None:
    helper = Assistant(real_index.with_(reranker="relevance"))
    assert helper.judge is None and helper.retriever.reranker is None
    status = helper.retriever.judge_status()
    assert status["by"] == "rules"
    assert str(no_weights) in status["notice"] and "make train-relevance" in status["notice"]
    answer = helper.ask("Wat schrijven we op over marktwerking?")
    assert not answer.refused and "marktwerking" in answer.citations[0].quote.lower()


def test_health_and_settings_report_the_fallback(real_index: Settings, no_weights: Path) -> None:
    from fastapi.testclient import TestClient

    from assistant.server import build_server
    from assistant.ui.app import ChatApp

    settings = real_index.with_(reranker="relevance")
    helper = Assistant(settings)
    server = build_server(settings, "127.0.0.1", helper)
    with TestClient(server, base_url="http://localhost") as client:
        body = client.get("/api/health").json()
    rows = dict(ChatApp(settings, helper).settings_rows("nl"))
    assert "make train-relevance" in rows["Relevantiemodel"]
    assert body["judge"]["by"] == "rules" and "make train-relevance" in body["judge"]["notice"]
