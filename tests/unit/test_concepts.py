"""Key concepts of a question and whether a passage covers them (assistant.answering.concepts),
and the kind of quantity a question asks for (assistant.answering.answer_type)."""

from __future__ import annotations

import pytest

from assistant.answering.answer_type import Quantity, asked_quantity, gives
from assistant.answering.answerability import QUESTION_WORDS
from assistant.answering.concepts import (
    absent_concepts,
    covers,
    glossary_use,
    key_concepts,
    prefer_covering,
    uncovered,
)
from assistant.core.types import Chunk, SearchHit
from assistant.core.words import tokenize
from assistant.store.lexical import inverse_document_frequency

PASSAGES = [
    "We werken aan het af- en ombouwen van de gesloten jeugdzorg naar kleinschaligheid.",
    "De jeugdbeschermingsketen wordt verbeterd.",
    "We schaffen marktwerking, aanbestedingen en open-house constructies af.",
    "De inkoop van jeugdzorg wordt eenvoudiger.",
    "Jeugdzorg en jeugdhulp staan onder druk; er zijn te weinig plekken.",
    "Kinderen groeien op in de wijk, met speeltuinen en zwembaden.",
    "We investeren in de kinderopvang voor werkende ouders.",
]
IDF = inverse_document_frequency(PASSAGES)


def concepts(question: str) -> list[str]:
    return [c.word for c in key_concepts(question, IDF, skip=QUESTION_WORDS)]


def test_a_question_is_about_its_rarer_content_words_not_how_it_is_asked() -> None:
    found = concepts("Wat zegt de VNG over gesloten jeugdzorg?")
    assert set(found) == {"gesloten", "jeugdzorg"}
    assert "zegt" not in found


def test_a_compound_the_corpus_never_uses_is_judged_by_its_parts() -> None:
    [plekken] = [c for c in key_concepts("Hoeveel jeugdzorgplekken?", IDF) if c.word]
    assert plekken.forms == (frozenset({"jeugdzorg", "plek"}),)
    assert covers(plekken, set(tokenize(PASSAGES[4])))
    assert not covers(plekken, set(tokenize(PASSAGES[0])))


def test_a_word_the_corpus_cannot_speak_of_is_not_judged() -> None:
    assert concepts("Wat zeggen de bronnen over pubers?") == []


def test_a_word_inside_a_compound_of_the_passage_is_covered() -> None:
    [concept] = key_concepts(
        "Wat zegt het kabinet over jeugdbescherming?", IDF, skip=QUESTION_WORDS
    )
    assert not uncovered([concept], [PASSAGES[1]])  # "jeugdbeschermingsketen"


def test_an_ending_is_no_compound() -> None:
    """'constructief' is not a compound holding 'constructie'."""
    [concept] = key_concepts("Wat zegt het over constructies?", IDF, skip=QUESTION_WORDS)
    assert uncovered([concept], ["Een constructief gesprek."])


def test_a_specific_term_is_not_covered_by_a_broad_glossary_field() -> None:
    """'open-house' shares a glossary concept with 'inkoop' (tendering), but a passage about
    inkoop does not speak of open-house constructions."""
    key = key_concepts("Wat zegt het kabinet over open-house?", IDF, skip=QUESTION_WORDS)[:1]
    assert uncovered(key, [PASSAGES[3]])
    assert not uncovered(key, [PASSAGES[2]])


def test_an_english_question_is_judged_on_its_glossary_concepts() -> None:
    [care] = key_concepts("What does the cabinet say about youth care?", IDF, skip=QUESTION_WORDS)
    assert care.word == "youth care"
    assert covers(care, set(tokenize("De jeugdhulp staat onder druk.")))
    assert not covers(care, set(tokenize(PASSAGES[6])))


def test_concepts_come_rarest_first() -> None:
    found = key_concepts("Wat zeggen ze over gesloten jeugdzorg?", IDF, skip=QUESTION_WORDS)
    assert [c.weight for c in found] == sorted((c.weight for c in found), reverse=True)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hoe lang mogen de wachttijden zijn?", Quantity.PERIOD),
        ("What is the maximum waiting time the cabinet promises?", Quantity.PERIOD),
        ("Welk bedrag noemt het akkoord voor de hervormingsagenda?", Quantity.MONEY),
        ("How much money does the VNG reserve for prevention?", Quantity.MONEY),
        ("By what percentage should light care be reduced?", Quantity.SHARE),
        ("Tot welke leeftijd loopt verlengde jeugdzorg?", Quantity.AGE),
        ("Hoeveel kinderen krijgen jeugdzorg?", Quantity.COUNT),
        ("Hoeveel tijd heeft de raad voor een bezwaar?", Quantity.PERIOD),
        ("How much time do parents have to object?", Quantity.PERIOD),
        ("Hoe snel moet het college beslissen?", Quantity.PERIOD),
        ("How soon must the report be made public?", Quantity.PERIOD),
        ("Hoe vaak vergadert de adviesraad?", Quantity.COUNT),
        ("Hoeveel fte krijgt elk wijkteam?", Quantity.STAFF),
        ("How many full-time equivalents does a team get?", Quantity.STAFF),
    ],
)
def test_a_quantity_question_asks_for_a_kind_of_number(question: str, kind: Quantity) -> None:
    assert asked_quantity(question) == kind


def test_a_sentence_gives_a_quantity_only_of_the_kind_asked() -> None:
    year_only = "Vanaf 2024 worden extra beleidsmaatregelen in de jeugdzorg genomen."
    assert not any(gives(kind, year_only) for kind in Quantity)
    assert gives(Quantity.MONEY, "Daarvoor is 1 miljard euro beschikbaar.")
    assert not gives(Quantity.MONEY, "We verhogen de vergoeding tot 95%.")
    assert gives(Quantity.SHARE, "We verhogen de vergoeding tot 95%.")
    assert gives(Quantity.PERIOD, "Een traject duurt hooguit drie jaar.")
    assert not gives(Quantity.PERIOD, "In de komende weken werk ik dit uit.")
    assert gives(Quantity.AGE, "voor kinderen tot 12 jaar")
    assert gives(Quantity.AGE, "jongeren na hun 18e")
    assert not gives(Quantity.AGE, "1 op de 7 kinderen")
    assert gives(Quantity.COUNT, "Inmiddels ontvangt 1 op de 7 kinderen jeugdzorg.")
    assert gives(Quantity.STAFF, "Elk team krijgt 2,5 fte extra.")
    assert not gives(Quantity.STAFF, "Mijn opdracht richt zich op twee samenhangende doelen.")


def test_a_policy_topic_none_of_whose_dutch_wordings_the_corpus_uses_is_absent() -> None:
    """The glossary knows "waiting lists" as wachtlijsten/wachttijden; no passage uses them."""
    assert absent_concepts("What about waiting lists?", glossary_use(IDF)) == ["waiting lists"]
    assert absent_concepts("Wat zeggen ze over pesten?", glossary_use(IDF)) == ["pesten"]
    # a topic the corpus does speak of, in either language, is not absent
    assert absent_concepts("What about childcare for working parents?", glossary_use(IDF)) == []
    assert absent_concepts("Wat zeggen ze over jeugdbescherming?", glossary_use(IDF)) == []


def test_a_wording_of_several_words_must_occur_as_a_phrase() -> None:
    """The corpus may use "sociale" and "media" apart without ever speaking of social media."""
    idf = inverse_document_frequency(["De sociale basis en de media.", "Lokale teams."])
    corpus = "de sociale basis en de media.\nlokale teams."
    used = glossary_use(idf, corpus)
    assert absent_concepts("What about social media?", used) == ["social media"]
    assert absent_concepts("What about local teams?", used) == []


def _hit(cid: str, text: str, section: str = "", score: float = 1.0) -> SearchHit:
    chunk = Chunk(cid, "d", text, "T", "body", section=section)
    return SearchHit(chunk=chunk, score=score, rank=1)


def test_passages_about_the_key_concept_come_before_passing_mentions() -> None:
    """Stable: the fused order decides among passages of one kind."""
    passing = _hit(
        "a", "Ouderen en jongeren ontmoeten elkaar. Dat is goed. Zoals in de diensttijd."
    )
    about = _hit("b", "• We zetten de diensttijd voort. Jongeren doen mee.", score=0.9)
    silent = _hit("c", "Over iets anders.", score=0.95)
    key = key_concepts("Wat zegt het akkoord over de diensttijd?", {"diensttijd": 5.0})[:1]
    ranked = prefer_covering([passing, silent, about], key)
    assert [h.chunk.chunk_id for h in ranked] == ["b", "a", "c"]
    heading = _hit("d", "Ouderen en jongeren ontmoeten elkaar.", section="Diensttijd")
    assert prefer_covering([passing, heading], key)[0] is heading
