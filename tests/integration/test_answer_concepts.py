"""The cited passage must speak of what the question is about (#14), on the real corpus with
the three distractor laws: key concepts, Dutch compounds, the kind of number asked for, and
list intent in more phrasings."""

from __future__ import annotations

import pytest

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings

VNG = "vng-aanjager-brede-aanpak-jeugd-2026-03-24"
JN = "jeugdzorg-nederland-coalitieakkoord-2026-04"
CA = "coalitieakkoord-2021-2025"


@pytest.fixture(scope="module")
def assistant(distractor_index: Settings) -> Assistant:
    return Assistant(distractor_index)


def declined(answer) -> bool:  # type: ignore[no-untyped-def]
    groups = answer.scope.get("groups", [])
    return answer.refused or (bool(groups) and len(answer.scope["silent"]) >= len(groups))


@pytest.mark.parametrize(
    ("question", "doc"),
    [
        # the named letter speaks of youth care, never of closed youth care
        ("Wat vindt de VNG-aanjager van gesloten jeugdzorg?", VNG),
        # the agreement never mentions youth probation (Jeugdzorg Nederland does)
        ("Wat schrijft het coalitieakkoord over jeugdreclassering?", CA),
        ("What does the VNG envoy write about youth probation?", VNG),
    ],
)
def test_a_named_document_silent_on_the_key_concept_is_not_quoted(
    assistant: Assistant, question: str, doc: str
) -> None:
    answer = assistant.ask(question)
    assert declined(answer), answer.answer
    assert doc not in {c.doc_id for c in answer.citations}


def test_the_cited_passage_is_the_one_that_speaks_of_the_key_concept(
    assistant: Assistant,
) -> None:
    """ "schulden" is covered by the agreement's "probleemschulden" (a compound), and that
    passage is cited rather than a closer-scored one about something else."""
    answer = assistant.ask("Wat zegt het coalitieakkoord over schulden?")
    assert not answer.refused, answer.answer
    assert {c.doc_id for c in answer.citations} == {CA}
    assert any("schuld" in c.quote for c in answer.citations), answer.answer


def test_an_answer_off_the_key_concept_is_refused_and_names_it(assistant: Assistant) -> None:
    """The letter gives a number (1 in 7 children) and speaks of closed youth care, but of
    no places: the number is no answer."""
    answer = assistant.ask("Hoeveel jeugdzorgplekken wil Jeugdzorg Nederland laten verdwijnen?")
    assert answer.refused and not answer.citations, answer.answer
    assert "jeugdzorgplekken" in answer.answer
    assert answer.reason == "the passages found do not speak of jeugdzorgplekken"


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Wat zeggen de documenten over pesten op school?", "pesten"),
        ("What does the cabinet say about waiting lists in youth care?", "waiting lists"),
    ],
)
def test_a_policy_topic_the_corpus_never_uses_is_refused_by_name(
    assistant: Assistant, question: str, term: str
) -> None:
    answer = assistant.ask(question)
    assert answer.refused and not answer.citations, answer.answer
    assert f"‘{term}’" in answer.answer


def test_a_period_question_is_not_answered_with_a_year(assistant: Assistant) -> None:
    """The agreement shortens debt-relief trajectories but gives no period for them."""
    answer = assistant.ask("Hoe lang mogen schuldhulptrajecten volgens het kabinet duren?")
    assert answer.question_type == "quantity"
    assert declined(answer) and not answer.citations, answer.answer


def test_an_age_question_is_answered_with_the_age(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Tot welke leeftijd van het kind geldt volgens het coalitieakkoord de hogere "
        "vergoeding voor kinderopvang?"
    )
    assert answer.question_type == "quantity" and not answer.refused, answer.answer
    assert any("12 jaar" in c.quote for c in answer.citations)


def test_an_english_possessive_plural_lists_the_documents_items(assistant: Assistant) -> None:
    answer = assistant.ask("What are Jeugdzorg Nederland's proposals for the coalition text?")
    assert answer.question_type == "overview" and not answer.refused
    assert {c.doc_id for c in answer.citations} == {JN}
    assert [c.item for c in answer.citations] == [str(i) for i in range(1, 11)]
