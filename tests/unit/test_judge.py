"""The judge turns the relevance model's probabilities into the answer path's decisions: the
order of passages, the sentence quoted, whether anything answers. The model is replaced by a
scorer that reads one word, to isolate the rules of combination; the shipped model itself is
exercised in tests/integration/test_relevance_answers.py."""

from __future__ import annotations

import pytest

from assistant.answering.judge import Judge
from assistant.core.types import Chunk, SearchHit
from assistant.providers.rerankers.base import Reranker
from evals.relevance.thresholds import Scored, answer_threshold, rates, topic_threshold


class WordModel(Reranker):
    """Probability 0.9 for a text holding ``word``, 0.1 otherwise; counts what it reads."""

    model_id = "word"
    answer_threshold = 0.5

    def __init__(self, word: str) -> None:
        self.word = word
        self.read: list[str] = []
        self.questions: list[str] = []

    def score(self, query: str, passages: list[str]) -> list[float]:
        self.read.extend(passages)
        self.questions.append(query)
        return [0.9 if self.word in p else 0.1 for p in passages]


def hit(cid: str, text: str, window: float | None) -> SearchHit:
    chunk = Chunk(chunk_id=cid, doc_id="d", text=text, title="t", kind="body")
    return SearchHit(chunk=chunk, score=1.0, rank=1, rerank_score=window)


LONG = (
    "Dit artikel regelt de bijdrage van ouders. Het college stelt nadere regels vast. "
    "De bijdrage bedraagt 25 euro per maand."
)


def test_a_passage_counts_by_its_best_sentence_and_that_sentence_is_quoted() -> None:
    model = WordModel("euro")
    judge = Judge.of(model)
    assert judge is not None
    # The window (cut by the model) missed the amount; its last sentence holds it.
    hits = [hit("a", "Over iets anders gaat deze passage helemaal.", 0.3), hit("b", LONG, 0.2)]
    judgement = judge.judge("Hoe hoog is de bijdrage?", hits)
    assert [h.chunk.chunk_id for h in judgement.hits] == ["b", "a"]
    assert judgement.answered and judgement.best == pytest.approx(0.9)
    quoted = judge.cited(judgement, 3)
    assert [s.text for s in quoted] == ["De bijdrage bedraagt 25 euro per maand."]


def test_nothing_above_the_threshold_is_no_answer_and_quotes_nothing() -> None:
    judge = Judge(WordModel("euro"), 0.5)
    judgement = judge.judge(
        "Hoe laat gaat het jongerencentrum open?", [hit("a", "Geen bedrag hier.", 0.2)]
    )
    assert not judgement.answered and judge.cited(judgement, 3) == []


def test_only_the_best_passages_have_their_sentences_read() -> None:
    model = WordModel("euro")
    judge = Judge(model, 0.5)
    hits = [
        hit(str(i), f"Zin {i} over iets. Nog een zin {i} hier.", 0.1 * (i % 5)) for i in range(10)
    ]
    judge.judge("vraag", hits)
    assert len(model.read) == 2 * 4  # SENTENCE_DEPTH passages, two sentences each


def test_without_the_relevance_model_there_is_no_judge() -> None:
    class Plain(Reranker):
        model_id = "plain"

        def score(self, query: str, passages: list[str]) -> list[float]:
            return [0.0] * len(passages)

    assert Judge.of(None) is None and Judge.of(Plain()) is None


def rows(values: list[tuple[bool, float]]) -> list[Scored]:
    return [Scored("dev", str(i), pos, best) for i, (pos, best) in enumerate(values)]


def test_the_answer_threshold_declines_at_most_five_percent_of_answerables() -> None:
    answerable = [(True, 0.5 + i / 100) for i in range(40)]  # 0.50 .. 0.89
    unanswerable = [(False, 0.05 * i) for i in range(12)]  # 0.00 .. 0.55
    chosen = answer_threshold(rows(answerable + unanswerable))
    figures = rates(rows(answerable + unanswerable), chosen)
    assert figures["declined_positives"] <= 0.05
    assert chosen == pytest.approx(0.52)  # two of forty declined, the third kept
    assert figures["negatives_declined"] == pytest.approx(11 / 12, abs=1e-3)


def test_the_topic_threshold_keeps_not_addressed_precise() -> None:
    values = [(False, 0.1), (False, 0.2), (True, 0.25), (False, 0.3), (True, 0.8), (True, 0.9)]
    chosen = topic_threshold(rows(values), 0.95)
    said = [r for r in rows(values) if r.best < chosen]
    assert said and all(not r.positive for r in said)
    assert chosen == pytest.approx(0.2 + 1e-6)


def test_the_model_reads_an_english_question_with_the_documents_dutch_wording() -> None:
    """The retriever's expanded form: English words alone matched unrelated Dutch passages."""
    model = WordModel("euro")
    judge = Judge(model, 0.5)
    judge.judge("What should we write about market forces?", [hit("a", LONG, 0.2)])
    judge.judge("Wat schrijven we over marktwerking?", [hit("a", LONG, 0.2)])
    english, dutch = model.questions
    assert english.startswith("What should we write about market forces? (")
    assert "marktwerking" in english and "aanbesteden" in english
    assert dutch == "Wat schrijven we over marktwerking?"  # as typed
