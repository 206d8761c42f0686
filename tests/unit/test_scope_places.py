"""Scope for a user's own documents: a municipality names its document, in its regular
Dutch forms; the document being written is no source (issue #25, items 3 and 4)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from assistant.retrieval.scope import (
    about_writing,
    acronym,
    adjective_stems,
    attributions,
    place_stems,
    resolve,
)
from assistant.store.index import FileRecord


def record(doc_id: str, **meta: object) -> FileRecord:
    return FileRecord(key=f"{doc_id}.txt", sha256="", size=0, doc_id=doc_id, **meta)  # type: ignore[arg-type]


@dataclass
class PlacedRecord:
    """A record with an inferred ``place`` and no municipality in its publisher."""

    doc_id: str
    title: str
    publisher: str = ""
    author: str = ""
    doc_type: str = "other"
    aliases: list[str] = field(default_factory=list)
    status: str = "ok"
    place: str = ""


NATIONAL = record(
    "ca",
    title="Omzien naar elkaar, vooruitkijken naar de toekomst. Coalitieakkoord 2021-2025",
    publisher="VVD, D66, CDA en ChristenUnie",
    doc_type="agreement",
    aliases=[
        "het landelijke coalitieakkoord",
        "regeerakkoord",
        "het kabinet",
        "Rutte IV",
        "national coalition agreement",
        "national agreement",
    ],
)
JN = record("jn", title="Felicitaties", publisher="Jeugdzorg Nederland", doc_type="letter")
#: The user's own previous agreement: no aliases, the publisher as ingest infers it, and a
#: title that is only the kind of document.
ZEIST = record("zeist", title="Coalitieakkoord", publisher="Gemeente Zeist", doc_type="agreement")
DOCS = [NATIONAL, JN, ZEIST]


@pytest.mark.parametrize(
    "question",
    [
        "Wat staat er in het Zeister coalitieakkoord over preventie?",
        "Wat zegt het Zeister akkoord over jeugdhulp?",
        "Wat wil de Zeister coalitie met de wijkteams?",
        "Wat wil de coalitie in Zeist met de wijkteams?",
        "Wat staat in het akkoord van Zeist over wachttijden?",
        "Wat doet de gemeente Zeist aan preventie?",
        "Wat zegt Zeist over preventie?",
        "wat zegt zeist over preventie?",  # no capitals anywhere: case says nothing
        "Hoe pakt het Zeistse college de wachtlijsten aan?",
    ],
)
def test_a_municipality_names_its_document_in_every_form(question: str) -> None:
    assert resolve(question, DOCS).groups == [("zeist",)]


def test_a_comparison_keeps_the_users_document() -> None:
    scope = resolve("Wat zeggen Zeist en Jeugdzorg Nederland over preventie?", DOCS)
    assert scope.groups == [("zeist",), ("jn",)]
    assert scope.labels == {"zeist": "Gemeente Zeist", "jn": "Jeugdzorg Nederland"}
    scope = resolve("Vergelijk het Zeister akkoord met het regeerakkoord over armoede.", DOCS)
    assert scope.groups == [("zeist",), ("ca",)]


@pytest.mark.parametrize(
    "question",
    [
        "Wat moeten we in het coalitieakkoord opnemen over preventie?",
        "What should the coalition agreement say about prevention?",
        "Wat schrijven we in ons akkoord over wachttijden?",
        "Wat moet er in het akkoord staan over preventie?",
        "What do we put in the agreement about waiting lists?",
    ],
)
def test_the_document_being_written_is_no_source(question: str) -> None:
    assert about_writing(question)
    assert resolve(question, DOCS).groups == []


@pytest.mark.parametrize(
    "question",
    [
        "Wat zegt het landelijke coalitieakkoord over preventie?",
        "Wat staat in het regeerakkoord over jeugdzorg?",
        "Wat wil het kabinet met jeugdzorg?",
        "What does the national agreement say about prevention?",
        "Wat moeten we volgens Rutte IV opnemen over preventie?",
        "What should we take from the national coalition agreement on prevention?",
    ],
)
def test_the_national_agreement_is_named_when_qualified(question: str) -> None:
    assert resolve(question, DOCS).groups == [("ca",)]


def test_a_bare_coalition_agreement_asked_about_is_every_agreement() -> None:
    # not about writing: every agreement among the sources, the user's previous one included
    assert not about_writing("Wat zegt het coalitieakkoord over preventie?")
    assert resolve("Wat zegt het coalitieakkoord over preventie?", DOCS).groups == [("ca", "zeist")]
    # a kind beside another name is a second source; cited with "volgens" it is a source
    question = "Wat zeggen Jeugdzorg Nederland en het coalitieakkoord over preventie?"
    assert resolve(question, DOCS).groups == [("jn",), ("ca", "zeist")]
    question = "Wat moeten we volgens het coalitieakkoord opnemen over preventie?"
    assert resolve(question, DOCS).groups == [("ca", "zeist")]
    question = "Wat moeten we volgens Jeugdzorg Nederland in het coalitieakkoord opnemen?"
    assert resolve(question, DOCS).groups == [("jn",)]
    # with only the bundled documents that is the national one
    assert resolve("According to the coalition agreement, what happens?", [NATIONAL]).groups == [
        ("ca",)
    ]


def test_an_inferred_place_names_the_document() -> None:
    regulation = PlacedRecord(
        "verordening",
        title="Verordening sociaal domein 2025",
        doc_type="law",
        place="Utrecht",
    )
    docs = [NATIONAL, JN, regulation]
    assert resolve("Wat zegt de Utrechtse verordening over jeugdhulp?", docs).doc_ids == [
        "verordening"
    ]
    assert resolve("Wat regelt Utrecht voor pleegzorg?", docs).doc_ids == ["verordening"]
    # a kind word alone still names its kind; the title is quoted as the document's label
    scope = resolve("Wat zegt de verordening over pleegzorg?", docs)
    assert scope.doc_ids == ["verordening"]
    assert scope.labels == {"verordening": "‘Verordening sociaal domein 2025’"}


@pytest.mark.parametrize(
    ("place", "adjectives"),
    [
        ("Zeist", ["Zeister", "Zeistse", "Zeists"]),
        ("Utrecht", ["Utrechtse", "Utrechts", "Utrechter"]),
        ("Amsterdam", ["Amsterdamse", "Amsterdammer"]),
        ("Haarlem", ["Haarlemse"]),
        ("Groningen", ["Groningse", "Groninger"]),
        ("Leiden", ["Leidse", "Leids"]),
        ("Delft", ["Delftse", "Delfts"]),
        ("Gouda", ["Goudse", "Gouds"]),
        ("Amersfoort", ["Amersfoortse"]),
        ("Nijmegen", ["Nijmeegse"]),
        ("Zwolle", ["Zwolse"]),
        ("Almere", ["Almeerse"]),
        ("Den Haag", ["Haagse"]),
        ("Eindhoven", ["Eindhovense"]),
    ],
)
def test_place_adjectives_follow_the_dutch_rules(place: str, adjectives: list[str]) -> None:
    for adjective in adjectives:
        assert adjective_stems(adjective) & place_stems(place), adjective
    doc = record("d", title="Beleidsplan", publisher=f"Gemeente {place}", doc_type="report")
    assert resolve(f"Wat staat in het {adjectives[0]} beleidsplan?", [JN, doc]).doc_ids == ["d"]


def test_a_place_that_is_also_a_word_counts_only_as_a_name() -> None:
    best = record("best", title="Jaarverslag", publisher="Gemeente Best", doc_type="report")
    assert resolve("Wat werkt het best tegen wachtlijsten volgens de VNG?", [best]).groups == []
    assert resolve("Wat schrijft Best over wachtlijsten?", [best]).doc_ids == ["best"]
    # words that merely end like an adjective name no place
    assert resolve("Wat zeggen de Utrechtse en Leidse wethouders?", [best]).groups == []


@pytest.mark.parametrize(
    ("question", "phrases"),
    [
        ("Hoeveel kinderen krijgen hulp, volgens de branche?", ["volgens de branche"]),
        ("Wat moet er volgens de koepel gebeuren met wijkteams?", ["volgens de koepel"]),
        ("How many, according to the providers' association, get care?",
         ["according to the providers' association"]),
        ("What goes to prevention according to the Stichting Zorg Noord plans?",
         ["according to the Stichting Zorg Noord"]),
        # the phrase is what is asked, not whom
        ("Volgens welke regels beslist het college?", []),
        ("According to what criteria is help granted?", []),
        ("Wat zegt de raad over wijkteams?", []),
    ],
)  # fmt: skip
def test_an_attribution_names_whom_a_question_asks(question: str, phrases: list[str]) -> None:
    assert attributions(question) == phrases


def test_an_attribution_is_no_part_of_the_topic() -> None:
    """ "volgens de branche" says whom to ask: its noun is no concept of the question, even
    where it names no document (a document's name is left out by the scope)."""
    from assistant.answering.analysis import analyse
    from assistant.core.lexicon import Vocabulary
    from assistant.core.question import read

    idf = {"branche": 9.0, "minderjaar": 5.0, "hulp": 2.0}
    found = analyse(read("Hoeveel minderjarigen krijgen hulp, volgens de branche?"), [], idf,
                    Vocabulary(idf))  # fmt: skip
    assert "branche" not in found.topic.text and "minderjarigen" in found.topic.text
    assert [c.word for c in found.concepts][:1] == ["minderjarigen"]


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Wet publieke gezondheid", "WPG"),
        ("Wet werk en bijstand", "WWB"),
        ("Algemene Kinderbijslagwet", "AKW"),  # a compound's kind word gives a letter too
        ("Jeugdzorg Nederland", ""),  # two letters abbreviate too much
        ("VNG", ""),  # already an abbreviation
        ("jeugdhulp in de wijk", ""),  # no name: a lower-case phrase
    ],
)
def test_a_name_is_abbreviated_by_its_initials(name: str, short: str) -> None:
    assert acronym(name) == short


def test_a_law_is_named_by_its_abbreviation() -> None:
    law = record(
        "wpg",
        title="Wet van 9 oktober 2008, houdende bepalingen over de zorg voor de publieke "
        "gezondheid (Wet publieke gezondheid)",
        doc_type="law",
    )
    docs = [NATIONAL, JN, law]
    assert resolve("Wat moet de GGD volgens de Wpg vaststellen?", docs).doc_ids == ["wpg"]
    assert resolve("Wat regelt de WPG over vaccinaties?", docs).doc_ids == ["wpg"]
