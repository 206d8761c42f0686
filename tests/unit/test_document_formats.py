"""Word, OpenDocument and web pages read with the real loaders; tables kept as tables; each kind
of bad file with its own message (issue 17)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from assistant.core.i18n import t
from assistant.core.types import Chunk
from assistant.ui.render import card_html
from evals.docgen import odt_file, table_pdf, web_page, word_file
from ingest.chunking import DocInfo, chunk_document
from ingest.clean import clean, clean_parts
from ingest.errors import CorruptFile, EncryptedDocument, NoMainText
from ingest.library import check_upload
from ingest.loaders import RawDocument, load
from ingest.tables import parse_pipe_table, pipe_table
from tests.pdfgen import make_pdf

ITEMS = [
    "Gratis zwemles voor ieder kind in groep vijf.",
    "Een jongerenwerker in elke wijk van de gemeente.",
    "De wachtlijsten in de jeugd-ggz worden binnen een jaar gehalveerd.",
]
TABLE = [
    ["Jaar", "Budget jeugdhulp", "Cliënten"],
    ["2023", "4.512.000", "812"],
    ["2024", "4.987.000", "865"],
]


def _chunks(raw: RawDocument) -> list[Chunk]:
    doc = clean_parts(raw.parts) if raw.parts else clean(raw.pages)
    return chunk_document(doc, DocInfo("d", raw.meta.get("title", "t")))


def test_word_headings_numbered_points_and_table(tmp_path: Path) -> None:
    path = word_file(
        tmp_path / "programma.docx", "Onze punten voor de jeugd", "Wij kiezen.", ITEMS, TABLE
    )
    raw = load(path)
    assert raw.meta["title"] == "Verkiezingsprogramma Jeugd"
    assert raw.meta["author"] == "Partij voor de Jeugd"
    chunks = _chunks(raw)
    items = [c for c in chunks if c.item]
    # Each numbered point is one whole chunk with its number, under its heading.
    assert [(c.item, c.text) for c in items] == [(str(i), text) for i, text in enumerate(ITEMS, 1)]
    assert all(c.kind == "list_item" and c.section == "Onze punten voor de jeugd" for c in items)
    assert any(c.text == "Een los opsommingsteken over de sportvereniging." for c in chunks)
    (table,) = [c for c in chunks if c.kind == "table"]
    header, rows = parse_pipe_table(table.text)
    assert header == TABLE[0] and rows == TABLE[1:]
    assert raw.tables == 1


def test_opendocument_lists_table_and_metadata(tmp_path: Path) -> None:
    path = odt_file(tmp_path / "notitie.odt", "Inzet jongerenwerk", ITEMS[:2], ["Sport", "Cultuur"])
    raw = load(path)
    assert raw.meta == {
        "title": "Notitie jongerenwerk",
        "author": "Gemeente Zuidhaven",
        "date": "2024-03-05",
    }
    chunks = _chunks(raw)
    assert [(c.item, c.text) for c in chunks if c.item] == [("1", ITEMS[0]), ("2", ITEMS[1])]
    assert [c.text for c in chunks if c.kind == "list_item" and not c.item] == ["Sport", "Cultuur"]
    assert any("Deze notitie beschrijft" in c.text for c in chunks)  # <text:s/> is a space
    (table,) = [c for c in chunks if c.kind == "table"]
    assert parse_pipe_table(table.text) == (["Wijk", "Jongerenwerkers"], [["Noord", "3"]])


def test_web_page_main_text_without_navigation_footer_or_scripts(tmp_path: Path) -> None:
    paragraphs = [
        "Gemeenten en Rijk hebben in de Hervormingsagenda Jeugd afgesproken dat de reikwijdte "
        "van de jeugdzorg wordt afgebakend, zodat de zorg terechtkomt bij wie die het hardst "
        "nodig heeft.",
        "De wachttijden voor specialistische jeugdhulp moeten korter, met meer regionale "
        "samenwerking tussen gemeenten en aanbieders van jeugdhulp.",
    ]
    path = web_page(
        tmp_path / "kamerbrief.html",
        "Kamerbrief over de Hervormingsagenda Jeugd",
        paragraphs,
        nav="Ministeriemenu Onderwerpen Overzicht",
        footer="Copyright Rijksoverheid privacyverklaring cookiebeleid toegankelijkheid",
    )
    raw = load(path)
    text = "\n".join(c.text for c in _chunks(raw))
    assert "reikwijdte van de jeugdzorg" in text and "voor de zomer" in text
    for absent in ("Ministeriemenu", "Zoeken", "privacyverklaring", "analytics"):
        assert absent not in text
    assert "Vervolg" in [p.text for p in raw.parts if p.kind == "heading"]
    assert raw.meta["date"] == "2024-06-12"
    assert raw.meta["title"] == "Kamerbrief over de Hervormingsagenda Jeugd"


def test_pdf_ruled_table_becomes_a_table_chunk(tmp_path: Path) -> None:
    rows = [["Wijk", "Kinderen", "Jeugdhulp"], ["Noord", "1.204", "96"], ["Zuid", "2.310", "171"]]
    path = table_pdf(tmp_path / "monitor.pdf", "Jeugdmonitor per wijk in 2024", rows, "Bron: CBS.")
    raw = load(path)
    assert raw.tables == 1
    chunks = _chunks(raw)
    (table,) = [c for c in chunks if c.kind == "table"]
    assert parse_pipe_table(table.text) == (rows[0], rows[1:])
    assert table.page_start == 1
    others = " ".join(c.text for c in chunks if c.kind != "table")
    assert table.section == "Jeugdmonitor per wijk in 2024"  # the line above is its heading
    assert "Bron: CBS." in others and "2.310" not in others  # no flat run of numbers


def test_a_table_ruled_by_a_form_xobject_is_still_found(tmp_path: Path) -> None:
    raw = load(table_pdf(tmp_path / "vorm.pdf", "Budget per jaar", TABLE, in_form=True))
    assert raw.tables == 1
    (table,) = [c for c in _chunks(raw) if c.kind == "table"]
    assert parse_pipe_table(table.text) == (TABLE[0], TABLE[1:])


def test_pages_of_figures_that_draw_no_lines_are_not_searched_for_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pdfplumber is slow; a page whose figures are text only cannot hold a ruled table."""
    from ingest import pdf_tables

    searched: list[object] = []
    monkeypatch.setattr(pdf_tables, "_page_with_tables", lambda page: searched.append(page))
    figures = "Jaar 2023 2024\nBudget 4.512.000 4.987.000\nCliënten 812 865"
    raw = load(make_pdf(tmp_path / "cijfers.pdf", [figures]))
    assert pdf_tables.looks_tabular(raw.pages[0][1])  # a candidate by its text ...
    assert searched == [] and raw.tables == 0  # ... but it draws nothing
    load(table_pdf(tmp_path / "tabel.pdf", "Budget", TABLE))
    assert len(searched) == 1  # a ruled page is still searched


def test_table_cards_render_as_tables_with_escaped_cells() -> None:
    text = pipe_table([["Post", "Bedrag"], ["<script>x</script>", "1.000"], ["Zorg", "2.500"]])
    chunk = Chunk("c", "d", text, "Begroting", kind="table")
    html = card_html("bron-0-1", "[1]", chunk)
    assert "<table" in html and "<th>Post</th>" in html and "<td>2.500</td>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    quoted = card_html("bron-0-1", "[1]", chunk, None)
    assert "ja-quoted" not in quoted


def test_long_tables_split_at_rows_and_keep_the_header_as_key() -> None:
    rows = [["Gemeente", "Omschrijving"]] + [[f"G{i}", "woorden " * 30] for i in range(40)]
    raw = RawDocument(Path("x.docx"), [(0, "")])
    from ingest.document import Part

    raw.parts = [Part("heading", "Bijlage"), Part("table", pipe_table(rows))]
    chunks = _chunks(raw)
    tables = [c for c in chunks if c.kind == "table"]
    assert len(tables) > 1
    assert all(c.text.count("\n") >= 1 or c.text.startswith("| G") for c in tables)
    assert all("Gemeente, Omschrijving" in c.keys for c in tables[1:])
    assert all(line.startswith("| ") for c in tables for line in c.text.splitlines())


def test_bad_office_and_web_files_each_get_their_own_message(tmp_path: Path) -> None:
    not_word = tmp_path / "archief.docx"
    with zipfile.ZipFile(not_word, "w") as z:
        z.writestr("foto.txt", "geen Word")
    scripts = tmp_path / "leeg.html"
    scripts.write_text(
        "<html><head><script>var a=1;</script></head><body><script>go()</script>"
        "<style>p{}</style></body></html>",
        encoding="utf-8",
    )
    locked = tmp_path / "geheim.docx"
    from msoffcrypto.format.ooxml import OOXMLFile  # dev dependency: a real encrypted .docx

    plain = word_file(tmp_path / "plain.docx", "Kop", "Tekst.", ITEMS, TABLE)
    with open(plain, "rb") as src, open(locked, "wb") as out:
        OOXMLFile(src).encrypt("wachtwoord", out)
    messages = {}
    for path, error in (
        (not_word, CorruptFile),
        (scripts, NoMainText),
        (locked, EncryptedDocument),
    ):
        with pytest.raises(error) as info:
            load(path)
        messages[path.name] = info.value.message()
    assert "not a Word (.docx) file (no word/document.xml)" in messages["archief.docx"]
    assert messages["leeg.html"].startswith("no main text found")
    assert "password-protected" in messages["geheim.docx"]
    assert len(set(messages.values())) == 3


def test_uploads_accept_the_new_types_with_content_checks(tmp_path: Path) -> None:
    docx_file = word_file(tmp_path / "p.docx", "Kop", "Tekst.", ITEMS, TABLE)
    fake = tmp_path / "nep.docx"
    fake.write_text("gewone tekst", encoding="utf-8")
    page = web_page(tmp_path / "p.html", "Titel", ["Alinea."], "Menu", "Voet")
    limit = 10_000_000
    assert check_upload(docx_file, "p.docx", limit) is None
    assert check_upload(page, "p.html", limit) is None
    key, values = check_upload(fake, "nep.docx", limit) or ("", {})
    assert key == "up_not_office" and "Word" in t("en", key, name="nep.docx", **values)
    key, _ = check_upload(docx_file, "p.docx", 100) or ("", {})
    assert key == "up_too_big"


def test_a_table_is_quoted_by_its_row_not_as_a_whole() -> None:
    from assistant.answering.draft import _sentences

    text = pipe_table(TABLE)
    spans = _sentences(Chunk("c", "d", text, "Begroting", kind="table"))
    assert [text[a:b] for a, b in spans] == [
        "| 2023 | 4.512.000 | 812 |",
        "| 2024 | 4.987.000 | 865 |",
    ]
