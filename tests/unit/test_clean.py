from ingest.clean import clean

LETTER = """Geachte heer,

Dit is de eerste zin van een lange alinea die in het origineel over meerdere regels loopt en
hier midden in de zin afbreekt, terwijl de zin gewoon doorgaat op de volgende regel van de
brief. Ook een woord als jeugd-
zorgaanbieders wordt over twee regels gebroken.



Geachte griffiers van de gemeenteraad

Onderwerp
aanbevelingen voor de formatietafel
Datum
24 maart 2026
Ons kenmerk
-
Telefoon
070-1234567

Tekstsuggesties

1. We stoppen met **marktwerking**, open-house constructies.
2. Jongeren kunnen na hun 18^e een beroep doen op verlengde jeugdzorg.

Met vriendelijke groet,

5.1.2e
"""


def test_letterhead_is_separated_and_parsed() -> None:
    doc = clean([(0, LETTER)])
    assert doc.letterhead["onderwerp"] == "aanbevelingen voor de formatietafel"
    assert doc.letterhead["datum"] == "24 maart 2026"
    assert "Ons kenmerk" not in doc.text and "070-1234567" not in doc.text


def test_wrapped_lines_and_hyphenation_are_repaired() -> None:
    doc = clean([(0, LETTER)])
    assert "loopt en hier midden in de zin afbreekt, terwijl" in doc.text
    assert "jeugdzorgaanbieders" in doc.text


def test_markdown_bold_and_ordinals_are_normalised_and_bold_kept_as_keys() -> None:
    doc = clean([(0, LETTER)])
    assert "**" not in doc.text and "18e een beroep" in doc.text
    assert "marktwerking" in doc.bold_phrases


def test_redactions_are_marked_not_content() -> None:
    doc = clean([(0, LETTER)])
    assert "[gelakt: 5.1.2e]" in doc.text
    assert doc.redactions == 1


def test_numbered_items_become_item_blocks() -> None:
    doc = clean([(0, LETTER)])
    items = [b for b in doc.blocks if b.kind == "item"]
    assert [b.number for b in items] == ["1", "2"]
    assert doc.text[items[0].start : items[0].end].startswith("1. We stoppen met marktwerking")


def test_page_numbers_and_running_headers_are_removed_and_pages_tracked() -> None:
    topics = ["wonen", "jeugdzorg", "onderwijs", "armoede", "sport"]
    pages = [
        (i, f"Gemeente Voorbeeld - Coalitieakkoord\nHier staat de tekst over {t}.\n{i}")
        for i, t in enumerate(topics, 1)
    ]
    doc = clean(pages)
    assert "Gemeente Voorbeeld - Coalitieakkoord" not in doc.text
    assert doc.page_labels[3] == "3"
    offset = doc.text.index("over armoede")
    assert doc.page_at(offset) == 4


def test_suspended_hyphen_and_compound_hyphen_are_kept() -> None:
    text = "Dit geldt voor zowel jeugd-\nen gezinsbeleid als voor mkb-\nondernemers in de regio."
    doc = clean([(0, text)])
    assert "jeugd- en gezinsbeleid" in doc.text
    assert "mkb-ondernemers" in doc.text


def test_annex_headings_on_later_pages_are_no_letterhead() -> None:
    """'Bijlage' is a letterhead label, but three annex pages headed "Bijlage I – vervolg" a
    few lines apart are content: their table rows were cut out as a letterhead block."""
    letter = (
        "Datum 10 december 2025\nBetreft Normen per 1 januari 2026\n\n"
        "Geachte college,\n\nDe normen wijzigen."
    )
    annex = (
        "Bijlage I{}\n\n| | 1 juli 2025 | 1 januari 2026 |\n| --- | --- | --- |\n| {} | € 1 | € 2 |"
    )
    pages = [
        (1, letter),
        (2, annex.format("", "Jongerennormen")),
        (3, annex.format(" – vervolg", "Uitzondering lijfrente")),
        (4, annex.format(" – vervolg", "Studietoeslag")),
    ]
    doc = clean(pages)
    assert doc.letterhead["betreft"] == "Normen per 1 januari 2026"
    for row in ("Jongerennormen", "Uitzondering lijfrente", "Studietoeslag"):
        assert row in doc.text, row
