"""Awkward PDFs through the real pipeline: each is ingested or reported with its own reason."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from assistant.core.settings import Settings
from assistant.retrieval.retriever import Retriever
from ingest.pipeline import ingest
from tests.conftest import DATA
from tests.pdfgen import encrypt_pdf, make_pdf

SAMPLES = DATA / "pdf-robustness"


def image_only_pdf(path: Path) -> Path:
    """One page that paints a grey image and has no text operators: a scan."""
    return make_pdf(path, [None])


def _awkward_corpus(folder: Path) -> None:
    folder.mkdir()
    for sample in SAMPLES.glob("*.pdf"):
        shutil.copy(sample, folder / sample.name)
    good = make_pdf(
        folder / "goed.pdf",
        ["Wij investeren in jongerenwerk en buurtsportcoaches in elke wijk van de gemeente."],
    )
    data = good.read_bytes()
    (folder / "afgekapt.pdf").write_bytes(data[: len(data) // 2])
    (folder / "leeg.pdf").write_bytes(b"")
    (folder / "nep.pdf").write_text("Dit is een tekstbestand met de naam van een PDF.\n", "utf-8")
    encrypt_pdf(good, folder / "geheim.pdf", user_password="onbekend-wachtwoord")
    encrypt_pdf(
        make_pdf(folder / ".bron.pdf", ["Het jeugdhonk in Noord blijft open tot tien uur."]),
        folder / "open-versleuteld.pdf",
        user_password="",
    )
    # The same short text on every page embeds once (the cache is content-addressed), which
    # keeps this fast; one page says something of its own.
    pages = ["Korte notitie over het jeugdbeleid."] * 1000
    pages[734] = "De speeltuin Zonnebloem krijgt een nieuwe klimtoren."
    make_pdf(folder / "duizend.pdf", pages)
    make_pdf(folder / "lege-paginas.pdf", ["", "", ""])
    image_only_pdf(folder / "scan.pdf")


def test_every_awkward_pdf_is_ingested_or_reported_with_its_reason(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _awkward_corpus(corpus)
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    started = time.perf_counter()
    summary = ingest(settings)
    print(
        f"\nawkward corpus: ingest {time.perf_counter() - started:.1f} s, {summary.chunks} chunks"
    )

    failed = dict(summary.failed)
    assert set(failed) == {
        "afgekapt.pdf",
        "leeg.pdf",
        "nep.pdf",
        "geheim.pdf",
        "libreoffice-writer-password.pdf",
        "lege-paginas.pdf",
        "scan.pdf",
    }
    assert failed["afgekapt.pdf"] == "corrupt file: the file is truncated (no end-of-file marker)"
    assert failed["leeg.pdf"] == "empty file: 0 bytes"
    assert failed["nep.pdf"] == "corrupt file: not a PDF file (it starts with 'Dit is een tekst')"
    for encrypted in ("geheim.pdf", "libreoffice-writer-password.pdf"):
        assert failed[encrypted] == "encrypted pdf: a password is required to open it"
    # Blank pages draw nothing (no text layer); the grey image is OCR'd and holds no text.
    assert failed["lege-paginas.pdf"].startswith("no text layer (scanned?)")
    assert failed["scan.pdf"] == (
        "scanned document, but OCR found no text: none of the 1 pages has text, not even after OCR"
    )

    ingested = {
        "goed.pdf",
        "open-versleuteld.pdf",
        "duizend.pdf",
        "habibi-rotated.pdf",
        "imagemagick-images.pdf",
        "minimal-document.pdf",
        "multicolumn.pdf",
        "with-attachment.pdf",
    }
    assert summary.added == len(ingested) and summary.files == len(ingested)
    state = Retriever(settings).snapshot()
    assert {state.generation.files[k].status for k in ingested} == {"ok"}
    assert state.generation.files["duizend.pdf"].pages == 1000
    assert state.generation.files["multicolumn.pdf"].pages == 3

    retriever = Retriever(settings)
    assert retriever.search("jeugdhonk in Noord")[0].chunk.doc_id == "open-versleuteld"
    assert retriever.search("buurtsportcoaches")[0].chunk.doc_id == "goed"
    page = retriever.search("klimtoren in speeltuin Zonnebloem", k=3)[0].chunk
    assert page.doc_id == "duizend" and page.page_start <= 735 <= page.page_end
    assert max(c.page_end for c in state.chunks if c.doc_id == "duizend") == 1000
