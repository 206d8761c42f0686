"""Issue 25: a document's title, publisher, place and date from the document itself (no
manifest), and page furniture of a browser print found by repetition (no site named)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clean import clean
from ingest.loaders import load
from ingest.metadata import (
    find_date,
    find_place,
    first_heading,
    infer,
    is_junk_title,
    place_of,
    plausible_name,
    property_date,
    strip_site_suffix,
)
from tests.pdfgen import make_pdf

TEXT = "Verordening jeugdhulp gemeente Waterveen 2025. Jeugdzorg: preventie in de wijk."


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Verordening jeugdhulp gemeente Waterveen 2025 | Lokale wet- en regelgeving",
            "Verordening jeugdhulp gemeente Waterveen 2025",
        ),
        ("Jeugdwet - Rijksoverheid.nl", "Jeugdwet"),
        ("Beleidsregels jeugd – www.waterveen.example.org", "Beleidsregels jeugd"),
        ("Jeugdzorg: preventie in de wijk - Zorgportaal Noord", "Jeugdzorg: preventie in de wijk"),
        ("Coalitieakkoord 2022 - 2026", "Coalitieakkoord 2022 - 2026"),  # numbers stay
        ("Jeugdzorg - preventie in de wijk", "Jeugdzorg - preventie in de wijk"),  # in the text
    ],
)
def test_a_site_or_browser_suffix_leaves_the_title(title: str, expected: str) -> None:
    assert strip_site_suffix(title, TEXT) == expected


def test_titles_no_person_chose_are_junk() -> None:
    for junk in ("Microsoft Word - doc1.docx", "untitled", "Document1", "Naamloos", "beleid.pdf"):
        assert is_junk_title(junk), junk
    assert is_junk_title("kadernota_2026", Path("kadernota_2026.pdf"))
    assert not is_junk_title("Kadernota sociaal domein 2026")
    # only a kind of document, or the role of a part, names no document
    for junk in ("Brief", "Inhoud", "Inhoudsopgave", "Bijlage I", "1. Inleiding", "Contents"):
        assert is_junk_title(junk), junk
    assert not is_junk_title("Normenbrief 2026")


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        (
            "Wet van 9 oktober 2008, houdende bepalingen over de zorg voor de publieke gezondheid"
            " (Wet publieke gezondheid)",
            "Wet publieke gezondheid",
        ),
        (
            "Wet van 20 juni 2002 houdende Wet op het onderwijstoezicht",
            "Wet op het onderwijstoezicht",
        ),
        ("Wet van 30 mei 1968, houdende vaststelling Leerplichtwet 1969", "Leerplichtwet 1969"),
        # no short title cited: the formal title stays
        (
            "Wet van 21 december 1951, houdende voorzieningen betreffende het toezicht op de"
            " verzorging van pleegkinderen",
            "Wet van 21 december 1951, houdende voorzieningen betreffende het toezicht op de"
            " verzorging van pleegkinderen",
        ),
    ],
)
def test_a_law_is_titled_by_the_short_title_its_formal_title_cites(
    heading: str, title: str
) -> None:
    assert first_heading([heading]) == title


def test_the_first_heading_skips_contents_and_numbered_sections() -> None:
    headings = ["Inhoud", "2.1.6 Jeugdhulp niet overal meer ingezet", "Hervormingsagenda Jeugd"]
    assert first_heading(headings) == "Hervormingsagenda Jeugd"


def test_a_title_that_is_only_a_kind_still_gives_the_kind(tmp_path: Path) -> None:
    found = infer(
        {"title": "Brief"}, "Geachte voorzitter, ...", ["Normen 2026"], tmp_path / "x.pdf"
    )
    assert found.title == "Normen 2026" and found.doc_type == "letter"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("DE RAAD VAN DE GEMEENTE WATERVEEN;\ngelezen het voorstel", "Waterveen"),
        ("het college van burgemeester en wethouders van Bergen op Zoom besluit", "Bergen op Zoom"),
        ("Gemeente De Bilt\nPostbus 300\nAan de raad", "De Bilt"),
        ("Inleiding\n\n" + "tekst " * 200 + "in de gemeente Waterveen " * 3, "Waterveen"),
        ("De gemeente investeert in preventie.", ""),
        ("het college van burgemeester en wethouders van de gemeente besluit", ""),
        # A letter to a municipality is not by it.
        ("Aan het college van burgemeester en wethouders van Zeist\nGeacht college,", ""),
        ("Aan de gemeente Zeist\nt.a.v. de wethouder jeugd", ""),
        # Named once, deep in the text, beside another: not the document's own.
        ("Inleiding\n\n" + "tekst " * 200 + "gemeente Zeist en gemeente Utrecht", ""),
    ],
)
def test_the_municipality_comes_from_where_the_text_says_so(text: str, place: str) -> None:
    assert find_place(text) == place


def test_an_author_property_names_a_publisher_only_when_it_is_a_name() -> None:
    for junk in ("FORM002", "Microsoft Office User", "jdevries", "12345"):
        assert plausible_name(junk) == "", junk
    assert plausible_name("Jeugdraad Waterveen") == "Jeugdraad Waterveen"


def test_a_manifest_publisher_names_its_place() -> None:
    assert place_of("Gemeente Waterveen") == "Waterveen"
    assert place_of("GEMEENTE BERGEN OP ZOOM") == "Bergen op Zoom"
    assert place_of("Jeugdzorg Nederland") == ""


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Aldus vastgesteld in de openbare vergadering van 13 maart 2025.", "2025-03-13"),
        ("Geldend van 01-01-2025 t/m heden", "2025-01-01"),
        ("Datum: 3 feb. 2024", "2024-02-03"),
        (
            "Gemeente Waterveen\nWaterveen, 14 april 2026\n\nGeachte leden van de raad,",
            "2026-04-14",
        ),
        ("Een tekst zonder datum.", ""),
    ],
)
def test_the_date_comes_from_the_text(text: str, iso: str) -> None:
    assert find_date(text) == iso


def test_a_property_date_before_the_texts_own_is_not_used() -> None:
    assert property_date("2013-12-23", "In april 2026 besloot de raad ...") == ""
    assert property_date("2026-05-01", "In april 2026 besloot de raad ...") == "2026-05-01"
    found = infer(
        {"title": "Document1", "date": "2013-12-23", "author": "sjabloon"},
        "Gemeente Waterveen\nWaterveen, 14 april 2026\nAdvies over preventie",
        ["Advies over preventie"],
        Path("brief.docx"),
    )
    assert (found.title, found.publisher, found.place, found.date) == (
        "Advies over preventie",
        "Gemeente Waterveen",
        "Waterveen",
        "2026-04-14",
    )
    assert found.inferred == ["title", "publisher", "place", "date"]


HEADER = "Verordening jeugdhulp gemeente Waterveen 2025 | Lokale wet- en regelgeving"
URL = "https://lokaleregelgeving.overheid.nl/CVDR712345/1"


def browser_print(path: Path, pages: int = 4) -> Path:
    """A regulation as a browser prints it: print date and time and the page title on top,
    the address and "n/m" at the bottom of every page; a site suffix in the PDF title."""
    texts = []
    for n in range(1, pages + 1):
        body = [
            f"Artikel {n}. {word}" for word in ("Toegang", "Aanvraag", "Beslissing", "Evaluatie")
        ][n - 1 : n] + [
            f"{n}.{i} Het college beslist over {topic} binnen de termijn van deze verordening."
            for i, topic in enumerate(
                (
                    "een aanvraag",
                    "de toegang",
                    "een maatwerkvoorziening",
                    "het persoonsgebonden budget",
                    "de hoogte van de bijdrage",
                    "de evaluatie",
                ),
                1,
            )
        ]
        if n == 1:
            body = ["DE RAAD VAN DE GEMEENTE WATERVEEN;", *body]
        if n == pages:
            body.append("Aldus vastgesteld in de openbare vergadering van 13 maart 2025.")
        texts.append("\n".join([f"07-12-2026 14:0{n + 2}", HEADER, *body, URL, f"{n}/{pages}"]))
    return make_pdf(path, texts, title=HEADER)


def test_page_furniture_of_a_browser_print_is_removed(tmp_path: Path) -> None:
    raw = load(browser_print(tmp_path / "verordening.pdf"))
    doc = clean(raw.pages)
    for furniture in (
        "14:0",
        "Lokale wet- en regelgeving",
        "lokaleregelgeving",
        "/4",
        "07-12-2026",
    ):
        assert furniture not in doc.text, furniture
    assert "DE RAAD VAN DE GEMEENTE WATERVEEN" in doc.text
    assert "4.6 Het college beslist over de evaluatie" in doc.text
    assert "vastgesteld in de openbare vergadering van 13 maart 2025" in doc.text
    assert doc.page_labels == {1: "1", 2: "2", 3: "3", 4: "4"}


def test_furniture_on_the_same_line_and_on_two_pages_is_removed_too() -> None:
    pages = [
        (
            n,
            f"07-12-2026 14:03 {HEADER}\nArtikel {n}\nTekst {'AB'[n - 1]} van dit artikel, "
            f"met een eigen inhoud.\nNog een regel van {'AB'[n - 1]}.\n{URL} {n}/2",
        )
        for n in (1, 2)
    ]
    doc = clean(pages)
    assert "14:03" not in doc.text and "lokaleregelgeving" not in doc.text
    assert "Tekst A van dit artikel" in doc.text and "Nog een regel van B." in doc.text


def test_a_heading_that_repeats_inside_pages_is_content() -> None:
    """Only the edges of a page are furniture: a line repeated mid-page stays."""
    pages = [
        (n, "\n".join([f"Kop {n}", "Eerste regel.", "Samenvatting", "Midden.", "Meer tekst.",
                       "Nog meer.", "Slot van de pagina."]))
        for n in (1, 2, 3)
    ]  # fmt: skip
    assert clean(pages).text.count("Samenvatting") == 3


def test_a_template_title_is_read_as_the_text_writes_it(tmp_path: Path) -> None:
    """A title property that is a kind word and a stale name: the name, dated as the text."""
    text = "Normenbrief 1 januari 2026 Pagina 1 van 10\n\nHet referentiemaandloon is vastgesteld."
    meta = {"title": "Brief - Normenbrief 1 januari 2025"}
    found = infer(meta, text, [], tmp_path / "normen.pdf")
    assert found.title == "Normenbrief 1 januari 2026"
