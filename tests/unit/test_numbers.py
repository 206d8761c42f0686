"""Numbers in words are numbers: one reader for quantity answers, citations and the
validator (assistant.core.numbers)."""

from __future__ import annotations

import pytest

from assistant.answering.answer_type import Quantity, gives
from assistant.answering.validate import numbers_in
from assistant.core.numbers import numbers, quantities, word_value


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("binnen zes weken", [("zes", "6", "cardinal")]),
        ("twaalf maanden", [("twaalf", "12", "cardinal")]),
        ("een half jaar", [("een half", "0,5", "fraction")]),
        ("twee derde van de gemeenten", [("twee derde", "2/3", "fraction")]),
        ("drie op de tien kinderen", [("drie op de tien", "3/10", "ratio")]),
        ("anderhalf jaar", [("anderhalf", "1,5", "fraction")]),
        ("tweeënhalf jaar", [("tweeënhalf", "2,5", "fraction")]),
        ("eenentwintig", [("eenentwintig", "21", "cardinal")]),
        ("tweeëntwintig", [("tweeëntwintig", "22", "cardinal")]),
        ("honderd", [("honderd", "100", "cardinal")]),
        ("honderdvijftig", [("honderdvijftig", "150", "cardinal")]),
        ("tweeduizend", [("tweeduizend", "2000", "cardinal")]),
        ("twee miljoen euro", [("twee miljoen", "2000000", "cardinal")]),
        ("de helft", [("helft", "0,5", "fraction")]),
        ("driekwart", [("driekwart", "0,75", "fraction")]),
        ("een kwart van de jongeren", [("een kwart", "0,25", "fraction")]),
        ("in the first quarter", [("first", "1", "ordinal")]),
        (
            "1.000 kinderen en 7,5 procent",
            [("1.000", "1000", "cardinal"), ("7,5", "7,5", "cardinal")],
        ),
        ("Inmiddels ontvangt 1 op de 7 kinderen", [("1 op de 7", "1/7", "ratio")]),
        ("één op de vijf", [("één op de vijf", "1/5", "ratio")]),
        # English
        ("six weeks", [("six", "6", "cardinal")]),
        ("two thirds", [("two thirds", "2/3", "fraction")]),
        ("a third", [("a third", "1/3", "fraction")]),
        ("half a year", [("half", "0,5", "fraction")]),
        ("one in ten", [("one in ten", "1/10", "ratio")]),
        ("two hundred and fifty", [("two hundred and fifty", "250", "cardinal")]),
        ("twenty-one", [("twenty-one", "21", "cardinal")]),
        ("ten years", [("ten", "10", "cardinal")]),
        # dates, years and ordinals are numbers, but no quantities
        ("1 januari 2027", [("1", "1", "date"), ("2027", "2027", "date")]),
        ("na hun 21e", [("21e", "21", "ordinal")]),
        ("eenentwintigste", [("eenentwintigste", "21", "ordinal")]),
        ("de derde aanbeveling", [("derde", "3", "ordinal")]),
        ("in 2024 kregen 18 jongeren", [("2024", "2024", "year"), ("18", "18", "cardinal")]),
        # words that only look like numbers
        ("een plan en één loket", []),
        ("ten minste", []),
        ("one of them", []),
        ("vier van de aanbevelingen", [("vier", "4", "cardinal")]),
    ],
)
def test_numbers_in_digits_and_words(text: str, found: list[tuple[str, str, str]]) -> None:
    assert [(text[n.start : n.end], n.key, n.kind) for n in numbers(text)] == found


def test_compounds_are_read_by_rule() -> None:
    assert word_value("zevenenveertig") == 47
    assert word_value("driehonderdzesentachtig") == 386
    assert word_value("vijfduizend") == 5000
    assert word_value("ninety-nine") == 99
    assert word_value("zwaluw") is None and word_value("tiener") is None


def test_dates_years_and_ordinals_are_no_quantities() -> None:
    assert quantities("Vanaf 1 januari 2027, na hun eenentwintigste.") == []
    assert [n.key for n in quantities("binnen een jaar", articles=True)] == ["1"]


@pytest.mark.parametrize(
    ("text", "parts", "amounts"),
    [
        ("bedoeld in artikel 5, eerste lid, van de wet", ["5"], []),
        ("op grond van artikel 8.1.1 lid 3 van de Jeugdwet", ["8", "1", "1", "3"], []),
        ("Zie bijlage 2 en Kamerstuk 35387, nr. 3.", ["2", "35387", "3"], []),
        ("as set out in Section 4 on page 12", ["4", "12"], []),
        # a number before the noun counts it; after a part, a new sentence counts again
        ("De wet telt 5 artikelen.", [], ["5"]),
        ("Zie artikel 7. 3 kinderen wachten.", ["7"], ["3"]),
        ("Het team telt ten hoogste 6 leden (artikel 2).", ["2"], ["6"]),
    ],
)
def test_a_number_after_a_part_noun_names_the_part(
    text: str, parts: list[str], amounts: list[str]
) -> None:
    assert [n.key for n in numbers(text) if n.kind == "part"] == parts
    assert [n.key for n in quantities(text)] == amounts


@pytest.mark.parametrize(
    ("kind", "sentence", "expected"),
    [
        (Quantity.PERIOD, "Het college beslist binnen zes weken.", True),
        (Quantity.PERIOD, "De wachttijd is maximaal een half jaar.", True),
        (Quantity.PERIOD, "Decisions are taken within six weeks.", True),
        (Quantity.PERIOD, "De regeling geldt vanaf 1 januari 2027.", False),
        (Quantity.PERIOD, "Het college beslist onverwijld over de aanvraag.", True),
        (Quantity.PERIOD, "The board reports as soon as possible.", True),
        (Quantity.SHARE, "Twee derde van de gemeenten heeft een tekort.", True),
        (Quantity.SHARE, "Drie op de tien kinderen krijgt hulp.", True),
        (Quantity.SHARE, "De derde aanbeveling gaat over scholen.", False),
        (Quantity.AGE, "Jongeren tot achttien jaar krijgen hulp.", True),
        (Quantity.AGE, "Hulp loopt door tot hun eenentwintigste.", True),
        (Quantity.STAFF, "Elk team krijgt twaalf fte.", True),
        (Quantity.COUNT, "Er komen twaalf nieuwe teams.", True),
        (Quantity.COUNT, "De wet gaat in op 1 januari.", False),
        (Quantity.COUNT, "Na een melding als bedoeld in artikel 5 volgt een onderzoek.", False),
    ],
)
def test_a_quantity_answer_reads_numbers_in_words(
    kind: Quantity, sentence: str, expected: bool
) -> None:
    assert gives(kind, sentence) is expected


def test_the_validator_compares_numbers_across_spellings() -> None:
    assert numbers_in("binnen zes weken") == numbers_in("binnen 6 weken") == ["6"]
    assert numbers_in("anderhalf jaar") == numbers_in("1,5 jaar")
    assert numbers_in("twee derde") == numbers_in("2 op de 3")[-1:]
    # an ordinal in words is a word, not a claim ("ten eerste", "de derde aanbeveling")
    assert numbers_in("Ten eerste de derde aanbeveling") == []


def test_a_far_sentence_of_the_passage_gives_the_number_when_it_shares_the_question() -> None:
    from assistant.answering.answer_type import Quantity, with_quantity
    from assistant.answering.draft import Quote, content_sentences, query_terms
    from assistant.core.types import Chunk, SearchHit

    text = (
        "1. Voordat op het verzoek van de officier van justitie wordt besloten, hoort de rechter"
        " de betrokkene. 2. De rechter hoort de betrokkene op zijn verblijfplaats. 3. De rechter"
        " kan deskundigen oproepen. 4. De raadsman krijgt gelegenheid tot een zienswijze."
        " 5. De rechter beslist binnen drie dagen na het instellen van de vordering."
        " 6. De kosten bedragen ten hoogste twee weken loon."
    )
    hit = SearchHit(Chunk(chunk_id="c", doc_id="d", text=text, title="Wet", kind="body"), 1.0, 1)
    first = content_sentences(hit.chunk)[0]
    quote = Quote(n=1, hit=hit, start=first[0], end=first[1])
    terms = query_terms("Hoe snel moet de rechter beslissen op het verzoek?")
    moved = with_quantity(quote, Quantity.PERIOD, terms)
    assert moved.text.startswith("De rechter beslist binnen drie dagen")
    # without the question's words, a number four sentences away is about something else
    assert with_quantity(quote, Quantity.PERIOD).text == quote.text


def test_unicode_digits_are_no_numbers() -> None:
    # "²" matches \d but is no digit Fraction reads; a hostile question may be just that
    assert numbers("²") == []
    assert [n.key for n in numbers("3 m²")] == ["3"]
