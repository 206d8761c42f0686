"""Issue 17 end to end: a scanned PDF (real Tesseract OCR), a Word file, an OpenDocument file, a
web page and a PDF table ingested with the real loaders, embedder, Chroma and BM25 next to a
document already in the index; bad files each reported, nothing lost."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings
from assistant.retrieval.retriever import Retriever
from assistant.store.index import load_chunks, read_current
from evals.docgen import odt_file, scanned_pdf, table_pdf, web_page, word_file
from ingest.ocr import missing_reason
from ingest.pipeline import Progress, ingest
from tests.conftest import DEV_CACHE, copy_embedding_cache, small_corpus

SCAN = [
    ["Gemeente Zuidhaven", "", "Brief aan de gemeenteraad over het sociaal domein."],
    [
        "Schoolmaatschappelijk werk",
        "",
        "De gemeente zet vanaf 2025 op alle basisscholen",
        "schoolmaatschappelijk werkers in, zodat problemen",
        "bij kinderen eerder worden gesignaleerd.",
    ],
]
ITEMS = [
    "Gratis zwemles voor ieder kind in groep vijf.",
    "Een jongerenwerker in elke wijk van de gemeente.",
    "De wachtlijsten in de jeugd-ggz worden binnen een jaar gehalveerd.",
]
BUDGET = [
    ["Jaar", "Budget jeugdhulp", "Cliënten"],
    ["2023", "4.512.000", "812"],
    ["2024", "4.987.000", "865"],
]
NAV = "Hoofdmenu Zoekfunctie Ministerieoverzicht"


class _Seen(Progress):
    def __init__(self) -> None:
        self.ocr: list[tuple[str, int, int, int]] = []

    def ocr_page(self, key: str, page: int, done: int, total: int) -> None:
        self.ocr.append((key, page, done, total))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, object, _Seen]:
    reason = missing_reason("nld")
    if reason:
        pytest.fail(f"OCR is not installed, so scanned PDFs cannot be tested: {reason}")
    base = tmp_path_factory.mktemp("mixed")
    corpus = small_corpus(base / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=base / "index")
    if DEV_CACHE.exists():
        copy_embedding_cache(DEV_CACHE, settings.index_dir)
    assert ingest(settings).ok  # a document already in the index
    scanned_pdf(corpus / "brief-scan.pdf", SCAN)
    scanned_pdf(corpus / "lege-scan.pdf", [[]])  # an image of an empty page
    word_file(
        corpus / "programma.docx",
        "Onze punten voor de jeugd",
        "Wij kiezen voor kinderen.",
        ITEMS,
        BUDGET,
    )
    odt_file(corpus / "notitie.odt", "Inzet jongerenwerk", ITEMS[:1], ["Sport", "Cultuur"])
    web_page(
        corpus / "kamerbrief.html",
        "Kamerbrief over de Hervormingsagenda Jeugd",
        [
            "Gemeenten en Rijk hebben in de Hervormingsagenda Jeugd afgesproken dat de "
            "reikwijdte van de jeugdzorg scherper wordt afgebakend.",
            "De wachttijden voor specialistische jeugdhulp moeten korter, met regionale "
            "samenwerking tussen gemeenten en jeugdhulpaanbieders.",
        ],
        nav=NAV,
        footer="Copyright Rijksoverheid privacyverklaring cookiebeleid",
    )
    table_pdf(
        corpus / "monitor.pdf",
        "Jeugdmonitor Zuidhaven per wijk",
        [["Wijk", "Kinderen", "Met jeugdhulp"], ["Noord", "1.204", "96"], ["Zuid", "2.310", "171"]],
    )
    with zipfile.ZipFile(corpus / "kapot.docx", "w") as z:
        z.writestr("plaatje.txt", "dit is geen Word-bestand")
    (corpus / "scripts.html").write_text(
        "<html><body><script>track()</script><script>more()</script></body></html>", "utf-8"
    )
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = word_file(base / "plain.docx", "Kop", "Geheime tekst.", ITEMS, BUDGET)
    with open(plain, "rb") as src, open(corpus / "beveiligd.docx", "wb") as out:
        OOXMLFile(src).encrypt("wachtwoord", out)
    seen = _Seen()
    summary = ingest(settings, progress=seen)
    return settings, summary, seen


def test_each_bad_file_has_its_own_message_and_the_rest_is_ingested(mixed) -> None:  # type: ignore[no-untyped-def]
    settings, summary, _ = mixed
    failed = dict(summary.failed)
    assert set(failed) == {"kapot.docx", "scripts.html", "beveiligd.docx", "lege-scan.pdf"}
    assert "not a Word (.docx) file" in failed["kapot.docx"]
    assert failed["scripts.html"].startswith("no main text found")
    assert "password-protected" in failed["beveiligd.docx"]
    assert failed["lege-scan.pdf"].startswith("scanned document, but OCR found no text")
    assert len(set(failed.values())) == 4
    gen = read_current(settings.index_dir)
    assert gen is not None
    ok = {k for k, r in gen.files.items() if r.status == "ok"}
    assert {"a.txt", "b.md", "brief-scan.pdf", "programma.docx", "notitie.odt"} <= ok
    assert {"kamerbrief.html", "monitor.pdf"} <= ok
    assert summary.ocr_pages == 2 and summary.tables == 3  # docx, odt and PDF tables


def test_question_finds_the_ocr_sentence_with_its_page(mixed) -> None:  # type: ignore[no-untyped-def]
    settings, _, seen = mixed
    hits = Retriever(settings).search(
        "Komen er schoolmaatschappelijk werkers op de basisscholen?", k=5
    )
    scan = [h.chunk for h in hits if h.chunk.source == "brief-scan.pdf"]
    assert scan, [h.chunk.source for h in hits]
    assert scan[0].page_start == 2 and scan[0].ocr
    assert "eerder worden gesignaleerd" in scan[0].text  # Tesseract read the Dutch sentence
    assert scan[0].location() == "p. 2 (OCR)"
    answer = Assistant(settings).ask("Komen er schoolmaatschappelijk werkers op de basisscholen?")
    cited = [c for c in answer.citations if c.doc_id == scan[0].doc_id]
    assert cited and cited[0].page == 2 and cited[0].ocr and cited[0].location() == "p. 2 (OCR)"
    # OCR progress was reported per page of the scanned files.
    assert ("brief-scan.pdf", 2, 2, 2) in seen.ocr


def test_word_points_are_items_tables_are_rows_navigation_is_not_indexed(mixed) -> None:  # type: ignore[no-untyped-def]
    settings, _, _ = mixed
    gen = read_current(settings.index_dir)
    assert gen is not None
    chunks = load_chunks(gen.folder)
    word = [c for c in chunks if c.source == "programma.docx"]
    assert [(c.item, c.text) for c in word if c.item] == [
        (str(i), t) for i, t in enumerate(ITEMS, 1)
    ]
    assert (
        word[0].title == "Verkiezingsprogramma Jeugd"
        and word[0].publisher == "Partij voor de Jeugd"
    )
    tables = {c.source: c.text.splitlines() for c in chunks if c.kind == "table"}
    assert tables["programma.docx"][2:] == [
        "| 2023 | 4.512.000 | 812 |",
        "| 2024 | 4.987.000 | 865 |",
    ]
    assert tables["monitor.pdf"][0] == "| Wijk | Kinderen | Met jeugdhulp |"
    assert all(NAV.split()[0] not in c.text and "privacyverklaring" not in c.text for c in chunks)
    web = [c for c in chunks if c.source == "kamerbrief.html"]
    assert any("reikwijdte van de jeugdzorg" in c.text for c in web)
    hits = Retriever(settings).search("Hoeveel kinderen met jeugdhulp in wijk Zuid?", k=5)
    assert any(
        h.chunk.source == "monitor.pdf" and "| Zuid | 2.310 | 171 |" in h.chunk.text for h in hits
    )


def test_reingest_reads_scans_from_the_ocr_cache(mixed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings, first, _ = mixed
    assert first.ocr_read >= 2  # the two scanned pages of the letter (+ the empty scan)
    copy = settings.with_(index_dir=tmp_path / "index")
    shutil.copytree(settings.index_dir, copy.index_dir)
    again = ingest(copy, rebuild=True)
    assert again.ocr_pages == 2 and again.ocr_read == 0
    # OCR switched off later: the scan's passages stay (the file did not change) ...
    off = ingest(copy.with_(ocr=False))
    gen = read_current(copy.index_dir)
    assert gen is not None and gen.files["brief-scan.pdf"].status == "ok" and off.ok is False
    # ... and a fresh index without OCR reports the scan as before.
    fresh = copy.with_(index_dir=tmp_path / "fresh", ocr=False)
    copy_embedding_cache(copy.index_dir / "embeddings.sqlite", fresh.index_dir)
    reason = dict(ingest(fresh).failed)["brief-scan.pdf"]
    assert reason.startswith("no text layer") and "OCR is switched off" in reason
