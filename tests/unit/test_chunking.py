from functools import cache
from pathlib import Path

from assistant.core.text import words
from ingest.chunking import MAX_ITEM_WORDS, DocInfo, chunk_document
from ingest.clean import clean
from ingest.loaders import load
from tests.conftest import CORPUS


def _chunks(name: str):  # type: ignore[no-untyped-def]
    path = CORPUS / name
    doc = clean(load(path).pages)
    return doc, chunk_document(doc, DocInfo(doc_id=Path(name).stem, title="t"))


@cache
def _agreement():  # type: ignore[no-untyped-def]
    """The coalition agreement's text and chunks, read once for the tests that only look (a
    read of the 50-page PDF takes seconds)."""
    return _chunks("coalitieakkoord-2021-2025.pdf")


def test_ten_clause_suggestions_are_ten_whole_chunks() -> None:
    _, chunks = _chunks("jeugdzorg-nederland-coalitieakkoord-2026-04.txt")
    clauses = [c for c in chunks if c.kind == "clause_suggestion"]
    assert [c.item for c in clauses] == [str(i) for i in range(1, 11)]
    assert all(c.section == "Tekstsuggesties voor uw coalitieakkoord" for c in clauses)
    two = clauses[1]
    assert two.text.startswith("2. We stoppen met marktwerking, open-house constructies")
    assert two.text.rstrip().endswith(
        "visie op de zorg en ondersteuning voor kinderen en gezinnen delen."
    )
    assert "marktwerking, open-house" in two.keys


def test_four_recommendations_keep_title_and_body_together() -> None:
    _, chunks = _chunks("vng-aanjager-brede-aanpak-jeugd-2026-03-24.txt")
    recs = [c for c in chunks if c.kind == "recommendation"]
    assert [c.item for c in recs] == ["1", "2", "3", "4"]
    four = recs[3]
    assert four.text.startswith("4. Versterk de inhoudelijke verbinding tussen onderwijs en jeugd")
    assert "Breng onderwijs, kinderopvang en jeugd samen in één wethoudersportefeuille" in four.text
    assert four.section == "Aanbevelingen voor de formatietafel"


def test_chunk_text_is_exact_slice_of_clean_text_and_ids_are_stable() -> None:
    doc, chunks = _agreement()
    for c in chunks:
        assert doc.text[c.char_start : c.char_end] == c.text
    _, again = _chunks("coalitieakkoord-2021-2025.pdf")  # read again
    assert [c.chunk_id for c in chunks] == [c.chunk_id for c in again]
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_body_passages_respect_the_size_bounds_and_pages() -> None:
    _, chunks = _agreement()
    body = [c for c in chunks if c.kind == "body"]
    assert max(len(words(c.text)) for c in body) <= 320
    youth = [c for c in chunks if "Goede, tijdige en passende jeugdzorg" in c.text]
    assert youth and youth[0].page_start <= 37 <= youth[0].page_end
    assert all(1 <= c.page_start <= c.page_end <= 50 for c in chunks)


def test_an_over_long_clause_suggestion_is_kept_in_several_chunks_of_its_number() -> None:
    """A numbered item of more than MAX_ITEM_WORDS whose number starts its text was once
    taken for a chapter title: its text vanished from the index (and the next item lost its
    heading). Its text is now kept, split at sentence ends, every piece with its number."""
    long = " ".join(f"Wij zorgen in zin {i} voor goede jeugdhulp in de wijk." for i in range(50))
    text = f"Tekstsuggesties\n\n1. {long}\n\n2. Wij stoppen met marktwerking in de jeugdzorg."
    doc = clean([(1, text)])
    chunks = chunk_document(doc, DocInfo(doc_id="d", title="Brief"))
    first = [c for c in chunks if c.item == "1"]
    assert len(long.split()) > MAX_ITEM_WORDS and len(first) >= 2
    assert all(c.kind == "clause_suggestion" and c.section == "Tekstsuggesties" for c in first)
    assert " ".join(c.text for c in first) == f"1. {long}"  # every word kept, in order
    assert all(len(c.text.split()) <= MAX_ITEM_WORDS for c in first)
    second = [c for c in chunks if c.item == "2"]
    assert [c.kind for c in second] == ["clause_suggestion"]
    assert second[0].text == "2. Wij stoppen met marktwerking in de jeugdzorg."


def test_a_numbered_title_line_over_a_long_body_still_heads_a_chapter() -> None:
    body = " ".join(f"De gemeente regelt in zin {i} de toegang tot jeugdhulp." for i in range(60))
    doc = clean([(1, f"3. Toegang tot jeugdhulp\n\n{body}")])
    chunks = chunk_document(doc, DocInfo(doc_id="d", title="Brief"))
    assert chunks and all(c.section == "3. Toegang tot jeugdhulp" for c in chunks)
    assert all(c.kind == "body" and not c.item for c in chunks)


def test_a_division_of_legislation_heads_every_article_below_it() -> None:
    """ "§ 2a Kwalificatieplicht" says what articles 4a and 4b are about, though only 4a's
    heading follows it directly; the next division of the same rank closes it, a deeper one
    ("§ 4.2.a" inside "§ 4.2") does not, and a chapter closes its paragraphs."""
    law = "\n\n".join(
        [
            "# Wet op de proef",
            "### Hoofdstuk 1 Algemeen",
            "### § 2a Kwalificatieplicht",
            "### Artikel 4a",
            "#### Inschrijving",
            "De jongere staat ingeschreven bij een school.",
            "### Artikel 4b",
            "#### Einde",
            "De verplichting eindigt zodra de jongere de leeftijd van 18 jaar bereikt.",
            "### § 4.2 Rechtspositie",
            "### § 4.2.a Klachtrecht",
            "### Artikel 4.2.1",
            "De aanbieder heeft een klachtregeling.",
            "### § 4.2.b Medezeggenschap",
            "### Artikel 4.2.5",
            "De aanbieder stelt een cliëntenraad in.",
            "### Hoofdstuk 2 Slot",
            "### Artikel 9",
            "Deze wet treedt in werking op een bij koninklijk besluit te bepalen tijdstip.",
        ]
    )
    doc = clean([(0, law)])
    chunks = chunk_document(doc, DocInfo(doc_id="d", title="Wet"))
    by_text = {c.text[:20]: c.section for c in chunks}
    assert by_text["De verplichting eind"] == (
        "Hoofdstuk 1 Algemeen › § 2a Kwalificatieplicht › Artikel 4b Einde"
    )
    assert by_text["De aanbieder heeft e"] == (
        "Hoofdstuk 1 Algemeen › § 4.2 Rechtspositie › § 4.2.a Klachtrecht › Artikel 4.2.1"
    )
    assert by_text["De aanbieder stelt e"] == (
        "Hoofdstuk 1 Algemeen › § 4.2 Rechtspositie › § 4.2.b Medezeggenschap › Artikel 4.2.5"
    )
    assert by_text["Deze wet treedt in w"] == "Hoofdstuk 2 Slot › Artikel 9"


def test_retrieval_reads_the_innermost_division_only() -> None:
    """The outer divisions stay in the section but would give every article of a chapter the
    same words; a letter's chapter and heading are read as before."""
    from assistant.core.divisions import retrieval_heading

    path = "Hoofdstuk 1 Kinderopvang › Afdeling 3 Kwaliteit › Paragraaf 2 Eisen › Artikel 1.50"
    assert retrieval_heading(path) == "Paragraaf 2 Eisen › Artikel 1.50"
    assert retrieval_heading("§ 2a Kwalificatieplicht › Artikel 4b") == (
        "§ 2a Kwalificatieplicht › Artikel 4b"
    )
    assert retrieval_heading("1. Democratische rechtsorde › Media") == (
        "1. Democratische rechtsorde › Media"
    )
