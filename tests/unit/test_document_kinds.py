"""A document added without a manifest: its kind, its municipality and its names come from
its title and file name by the rules of Dutch titles, not from lists of documents."""

from __future__ import annotations

import pytest

from assistant.core.kinds import kind_of_title
from assistant.retrieval.scope import names_of, resolve
from assistant.store.index import FileRecord
from ingest.metadata import find_place, infer


def record(doc_id: str, **meta: object) -> FileRecord:
    return FileRecord(key=f"{doc_id}.md", sha256="", size=0, doc_id=doc_id, **meta)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Verordening jeugdhulp gemeente Groningen 2026", "law"),
        ("Afstemmingsverordening Participatiewet, IOAW en IOAZ Diemen 2015", "law"),
        ("Wet van 30 mei 1968, houdende vaststelling Leerplichtwet 1969", "law"),
        ("Coalitieakkoord 2022-2026: samen verder", "agreement"),
        ("Raadsinformatiebrief wachttijden jeugdzorg", "letter"),
        ("Jaarverslag 2025", "report"),
        ("Omzien naar elkaar, vooruitkijken naar de toekomst", ""),
        ("Wetenschap en jeugd", ""),  # a word that starts like a kind is none
        ("Contract for youth services", ""),  # English kind words only as whole words
    ],
)
def test_the_title_head_names_the_kind(title: str, kind: str) -> None:
    assert kind_of_title(title) == kind


def test_inferred_metadata_carries_the_kind() -> None:
    found = infer({"title": "Verordening sociaal domein Zeist 2025"}, "Artikel 1", [], None)  # type: ignore[arg-type]
    assert found.doc_type == "law"


@pytest.mark.parametrize(
    ("title", "text", "place"),
    [
        ("Afstemmingsverordening Participatiewet, IOAW en IOAZ Diemen 2015", "Artikel 7", "Diemen"),
        ("Verordening maatschappelijke ondersteuning Utrecht 2020", "Artikel 1", "Utrecht"),
        # a capitalised subject that the text uses as a common noun is no municipality
        ("Verordening Jeugdhulp 2020", "Het college verleent jeugdhulp.", ""),
        ("Verordening jeugdhulp Participatiewet 2020", "Artikel 1", ""),  # a law, not a place
        ("Nota Zeist 2020", "Artikel 1", ""),  # only a regulation's title ends in its place
    ],
)
def test_a_regulation_title_ends_with_its_municipality(title: str, text: str, place: str) -> None:
    assert find_place(text, title) == place


def test_a_file_without_a_title_property_takes_its_place_from_its_first_heading() -> None:
    """Markdown and plain text have no title property: the first heading is the title, and a
    regulation's title names its municipality."""
    heading = "Verordening leerlingenvervoer Maasbergen 2024"
    found = infer({}, f"{heading}\n\nArtikel 1\n\nHet college beslist.", [heading], None)  # type: ignore[arg-type]
    assert (found.title, found.place, found.publisher) == (
        heading,
        "Maasbergen",
        "Gemeente Maasbergen",
    )
    assert found.doc_type == "law"


def test_a_law_is_named_by_the_law_it_enacts_and_without_its_year() -> None:
    law = record(
        "leerplichtwet-1969",
        title="Wet van 30 mei 1968, houdende vaststelling Leerplichtwet 1969",
        doc_type="law",
    )
    other = record("wet-kinderopvang", title="Wet kinderopvang", doc_type="law")
    names = names_of(law)
    assert "Leerplichtwet 1969" in names and "Leerplichtwet" in names
    scope = resolve("Wat zegt de Leerplichtwet over vrijstelling?", [law, other])
    assert scope.doc_ids == ["leerplichtwet-1969"]


def test_a_file_named_after_its_kind_names_the_document() -> None:
    law = record(
        "pleegkinderenwet",
        title="Wet van 21 december 1951, houdende voorzieningen betreffende pleegkinderen",
        doc_type="law",
    )
    other = record("wet-kinderopvang", title="Wet kinderopvang", doc_type="law")
    assert "Pleegkinderenwet" in names_of(law)
    scope = resolve("Welke straffen noemt de Pleegkinderenwet?", [law, other])
    assert scope.doc_ids == ["pleegkinderenwet"]
    # generic file names and a bare kind word name nothing
    for doc_id in ("doc1", "wet", "verordening-jeugdhulp-2020", "scan_0001"):
        assert doc_id.capitalize() not in names_of(record(doc_id, title="Iets"))


def test_a_place_in_a_regulation_title_scopes_its_questions() -> None:
    diemen = record(
        "afstemmingsverordening-diemen",
        title="Afstemmingsverordening Participatiewet, IOAW en IOAZ Diemen 2015",
        doc_type="law",
        place="Diemen",
    )
    other = record("wet-kinderopvang", title="Wet kinderopvang", doc_type="law")
    scope = resolve("Mag de gemeente Diemen afwijken van de verlaging?", [diemen, other])
    assert scope.doc_ids == ["afstemmingsverordening-diemen"]


def test_a_body_named_by_its_domain_is_one_publisher_not_a_list_of_parties() -> None:
    ministry = record(
        "ministerie", title="Regeling", publisher="Ministerie van Volksgezondheid, Welzijn en Sport"
    )
    names = names_of(ministry)
    assert "Ministerie van Volksgezondheid, Welzijn en Sport" in names
    assert "Sport" not in names and "Welzijn" not in names  # "sport" in a question names none
    parties = record("ca", title="Akkoord", publisher="VVD, D66, CDA en ChristenUnie")
    assert {"VVD", "D66", "CDA", "ChristenUnie"} <= set(names_of(parties))


def test_a_dated_name_is_also_used_without_its_date() -> None:
    letter = record("normen", title="Normenbrief 1 januari 2026", doc_type="letter")
    assert "Normenbrief" in names_of(letter)
    assert resolve("Wat staat volgens de Normenbrief over de bijstand?", [letter]).doc_ids == [
        "normen"
    ]


def test_a_compound_ends_in_its_longest_dutch_kind_word() -> None:
    from assistant.core.kinds import compound_kind

    assert compound_kind("kinderbijslagwet") == "wet"
    assert compound_kind("jeugdcoalitieakkoord") == "coalitieakkoord"  # not "akkoord"
    assert compound_kind("wet") == ""  # a kind word alone is no compound
    assert compound_kind("jeugdcontract") == ""  # "act" is English: no Dutch compound's end
    assert compound_kind("pleegkinderenwet", rest=3) == "wet"
