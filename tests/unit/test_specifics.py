"""Names and numbers a question asks about that the sources never mention."""

from __future__ import annotations

from assistant.answering.draft import letter_furniture
from assistant.answering.specifics import (
    names_elsewhere,
    unknown_speakers,
    unsupported_specifics,
)
from assistant.core.types import Chunk, SearchHit
from assistant.core.words import tokenize

PASSAGE = (
    "Na hun 18e krijgen jongeren nazorg. De VNG-aanjager adviseert gemeenten in Zeeland om "
    "vanaf 2026 met 1 op de 7 kinderen in jeugdzorg rekening te houden; het Rijk in Den Haag "
    "betaalt €1 miljard per jaar."
)
TITLE = "Aanbevelingen Brede aanpak jeugd 2026"


def _hits(text: str = PASSAGE) -> list[SearchHit]:
    chunk = Chunk(chunk_id="c1", doc_id="d", text=text, title=TITLE, kind="body")
    return [SearchHit(chunk=chunk, score=1.0, rank=1)]


VOCAB = set(tokenize(PASSAGE + " Jeugdzorg Nederland wethouder"))


def missing(question: str) -> list[str]:
    return unsupported_specifics(question, _hits(), VOCAB)


def test_names_the_corpus_never_mentions_are_reported_whole() -> None:
    assert missing("Wat adviseert de VNG-aanjager voor Zeeland?") == []
    assert missing("Hoeveel heeft de gemeente Zwolle begroot voor jeugdhulp?") == ["Zwolle"]
    assert missing("What is alderman Marieke de Vries's view on the deficit?") == [
        "Marieke de Vries"
    ]
    assert missing("Wat zegt de VNG over Utrecht en Amsterdam?") == ["Utrecht", "Amsterdam"]


def test_sentence_starts_and_glossary_terms_are_not_names() -> None:
    # Capitalised first words, English names of Dutch institutions from the glossary.
    assert missing("Wethouder: wat moet die doen? Kinderen eerst.") == []
    assert missing("What does The Hague pay for under the Youth Act?") == []
    assert missing("What does the alderman do?") == []
    assert missing("Does the UN convention for minors help?") == []


def test_articles_pronouns_months_and_weekdays_name_no_one() -> None:
    # English capitalises them; a one-letter word is no acronym.
    assert missing("A family is about to be evicted: how fast must we act?") == []
    assert missing("Are the amounts in the January letter final, or do I wait until Monday?") == []
    assert missing("Are the amounts in the Zwolle letter final?") == ["Zwolle"]


def test_numbers_must_appear_in_the_retrieved_passages_or_their_titles() -> None:
    assert missing("Wat gebeurt er vanaf 2026?") == []
    assert missing("Krijgt 1 op de 7 kinderen jeugdzorg?") == []
    # one reader of numbers (assistant.core.numbers): "€1 miljard" is 1.000.000.000
    assert missing("Is het 1.000.000.000 of 1 miljard?") == []
    assert missing("Is het 2.000.000.000?") == ["2.000.000.000"]
    assert missing("Tot welke leeftijd: 21 of 23 jaar?") == ["21", "23"]
    assert missing("Wat gebeurt er in 2027?") == ["2027"]
    assert missing("Is there aftercare after 18?") == []  # "na hun 18e"


def test_a_number_in_words_in_the_passage_has_the_question_s_digits() -> None:
    hits = _hits("Het college beslist binnen zes weken; twee derde van de jongeren wacht.")
    assert unsupported_specifics("Binnen 6 weken?", hits, VOCAB) == []
    assert unsupported_specifics("Binnen 8 weken?", hits, VOCAB) == ["8"]


def test_nothing_is_missing_without_names_or_numbers() -> None:
    assert missing("wat schrijven we op over marktwerking?") == []
    assert unsupported_specifics("Hoeveel kost het in Zwolle?", [], set()) == ["Zwolle"]


def test_a_source_that_names_no_document_is_an_unknown_speaker() -> None:
    """Where the question names its sources (before "over"/"about") and the scope resolved
    no document for the name: what that source says is not in the corpus."""
    assert unknown_speakers("Wat zegt de gemeente Veldhoven over schoolverzuim?", set()) == [
        "Veldhoven"
    ]
    assert unknown_speakers(
        "What does the Almere youth-care regulation say about personal budgets?", set()
    ) == ["Almere"]
    # a name the scope resolved, the topic's names and a question without sources: none
    assert unknown_speakers("Wat zegt Jeugdzorg Nederland over marktwerking?",
                            {"jeugdzorg nederland"}) == []  # fmt: skip
    assert unknown_speakers("Wat zeggen de documenten over Veldhoven?", set()) == []
    assert unknown_speakers("Hoeveel jongeren in Veldhoven krijgen jeugdhulp?", set()) == []
    # an attribution names the source: a name before "over" is then part of what is asked
    asked = "Hoe hoog is volgens de normenbrief de werkgeversheffing Zvw over de bijstand?"
    assert unknown_speakers(asked, {"normenbrief"}) == []
    assert unknown_speakers("Hoe hoog is volgens Divosa de heffing over de bijstand?", set()) == [
        "Divosa"
    ]


def test_a_name_the_corpus_knows_but_the_passages_found_never_mention() -> None:
    """The passages found are not about Utrecht when only a letter's dateline names it; a
    name of several words counts by its rarest word ("Hervormingsagenda" in "de huidige
    hervormingsagenda", without "Jeugd")."""
    idf = {t: 5.0 for t in VOCAB | set(tokenize("Utrecht hervormingsagenda"))} | {"jeugd": 1.0}
    dated = _hits("Utrecht, 3 april 2026\n\nGeachte informateur,\n\n" + PASSAGE)
    assert names_elsewhere("Wat doen gemeenten in Utrecht aan nazorg?", dated, idf) == ["Utrecht"]
    assert names_elsewhere("Wat doen gemeenten in Zeeland aan nazorg?", dated, idf) == []
    agenda = _hits("Vanaf 2024 komen er naast de huidige hervormingsagenda maatregelen.")
    assert names_elsewhere("Wat zegt het over de Hervormingsagenda Jeugd?", agenda, idf) == []
    # a name the corpus never mentions is unsupported_specifics' to report, not this one's
    assert names_elsewhere("Wat doet Zwolle aan nazorg?", dated, idf) == []


def test_a_letters_dateline_and_salutation_are_no_content() -> None:
    assert letter_furniture("Utrecht, april 2026 Geachte informateur, beste partijen,")
    assert letter_furniture("Den Haag, 24 maart 2026")
    assert letter_furniture("Dear members of the council,")
    assert not letter_furniture("In april 2026 publiceerde de VNG, na overleg, een brief.")
    assert not letter_furniture("Geachte heer, wij schrijven u over de wachtlijsten.")
    assert not letter_furniture("Beste praktijken delen we met de regio.")


def test_a_year_or_age_the_quotes_give_only_for_others_is_not_answered() -> None:
    from assistant.answering.specifics import other_conditions

    quoted = ["Schatting belastbaar inkomen voor 2026: personen van 21 jaar € 21.327."]
    assert other_conditions("Wat is de schatting voor 2027?", quoted) == ["2027"]
    assert other_conditions("What is the estimate for someone of 19 years?", quoted) == ["19 years"]
    # the asked year is there, or the quotes give no year at all: nothing to object
    assert other_conditions("Wat is de schatting voor 2026?", quoted) == []
    assert other_conditions("Hoeveel kost het in 2026?", ["Het kost vijf euro per maand."]) == []
    # a day of the year, in either language and order
    loon = ["Het referentiemaandloon per 1 januari 2026 is vastgesteld op € 2.294,40."]
    assert other_conditions("What is the wage as of July 1, 2026?", loon) == ["July 1"]
    assert other_conditions("Wat is het loon per 1 januari 2026?", loon) == []
