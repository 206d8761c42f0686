"""One way to add a document type: a loader is one module in ``ingest/loaders/`` declaring
``LOADER``, and ingest, the upload check, the upload button and the messages naming the
supported types all follow from it (docs/adding-a-loader.md). Real loaders, embedder and
Chroma; the extra CSV loader exists only in this test."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import ingest.loaders
from assistant.core.i18n import t
from assistant.core.settings import Settings
from assistant.store.index import load_chunks, read_current
from ingest import formats
from ingest.errors import UnsupportedType
from ingest.formats import Loader, register, unregister
from ingest.library import Library, Upload, check_upload, upload_label
from ingest.loaders import RawDocument, load
from ingest.manifest import discover

#: A whole loader module, as a contributor would add it as ``ingest/loaders/csv_table.py``.
CSV_LOADER = '''
"""Comma-separated tables (.csv) as one table part."""

from __future__ import annotations

import csv
from pathlib import Path

from ingest.document import Part, RawDocument
from ingest.errors import EmptyFile
from ingest.formats import Loader, PageOcr
from ingest.tables import pipe_table


def load_csv(path: Path, ocr: PageOcr | None = None) -> RawDocument:
    """Read a CSV file; its first row is the header."""
    with open(path, encoding="utf-8", newline="") as fh:
        table = pipe_table(list(csv.reader(fh)))
    if not table:
        raise EmptyFile("no cells")
    return RawDocument(path=path, pages=[(0, table)], parts=[Part("table", table)])


LOADER = Loader(
    suffixes=(".csv",),
    names={"nl": "CSV-tabel", "en": "CSV table"},
    read=load_csv,
    uploads=(".csv",),
    failure_name="CSV file",
)
'''

#: What ingest read and the Documents tab accepted before the registry (behaviour unchanged).
BUILT_IN = {".pdf", ".txt", ".md", ".markdown", ".docx", ".odt", ".html", ".htm"}
BUILT_IN_UPLOADS = {".pdf", ".docx", ".odt", ".html", ".txt", ".md"}

CSV_TEXT = (
    "Voorziening,Budget 2026,Wachttijd\n"
    "Jeugdhulp in de wijk,4 miljoen euro,drie weken\n"
    "Specialistische jeugdzorg,11 miljoen euro,negen weken\n"
)


@pytest.fixture
def csv_loader_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``csv_table.py`` written into a folder that is part of the ``ingest.loaders`` package,
    as if it had been added to ``ingest/loaders/``; nothing else is edited."""
    folder = tmp_path / "extra_loaders"
    folder.mkdir()
    (folder / "csv_table.py").write_text(textwrap.dedent(CSV_LOADER), encoding="utf-8")
    monkeypatch.setattr(ingest.loaders, "__path__", [*ingest.loaders.__path__, str(folder)])
    formats.rediscover()
    yield folder
    monkeypatch.undo()
    sys.modules.pop("ingest.loaders.csv_table", None)
    formats.rediscover()


def test_the_built_in_loaders_declare_what_was_hard_coded() -> None:
    assert set(formats.supported_suffixes()) == BUILT_IN
    assert set(formats.upload_suffixes()) == BUILT_IN_UPLOADS
    assert formats.upload_suffixes()[0] == ".pdf"  # the lists users see start with PDF
    for loader in formats.loaders():
        assert set(loader.uploads) <= set(loader.suffixes)
        assert all(s.startswith(".") and s == s.lower() for s in loader.suffixes)
        assert loader.names["nl"] and loader.names["en"]


def test_a_new_loader_module_is_supported_by_ingest_uploads_and_messages(
    csv_loader_file: Path, tmp_path: Path
) -> None:
    assert ".csv" in formats.supported_suffixes()
    assert ".csv" in formats.upload_suffixes()
    assert "CSV-tabel" in upload_label("nl") and "CSV table" in upload_label("en")
    refusal = t("en", "up_bad_type", name="x.exe", types=formats.upload_types("en"))
    assert "CSV table (.csv)" in refusal and "PDF (.pdf)" in refusal

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    table = tmp_path / "budget.csv"
    table.write_text(CSV_TEXT, encoding="utf-8")
    doc = load(table)
    assert isinstance(doc, RawDocument) and doc.tables == 1
    assert "Jeugdhulp in de wijk | 4 miljoen euro" in doc.pages[0][1]
    binary = tmp_path / "renamed.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert check_upload(table, "budget.csv", 10_000) is None
    assert check_upload(binary, "renamed.csv", 10_000) == ("up_binary", {})

    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    lines = Library(settings).add([Upload(table, "budget.csv")], "nl", lambda _f, _m: None)
    assert lines == ["budget.csv: toegevoegd — 1 tabel, 1 passage."], lines
    gen = read_current(settings.index_dir)
    assert gen is not None and gen.files["budget.csv"].status == "ok"
    assert any("Specialistische jeugdzorg" in c.text for c in load_chunks(gen.folder))
    assert [cf.key for cf in discover((corpus,))[0]] == ["budget.csv"]


def test_without_the_module_the_type_is_refused_as_before(tmp_path: Path) -> None:
    table = tmp_path / "budget.csv"
    table.write_text(CSV_TEXT, encoding="utf-8")
    assert ".csv" not in formats.supported_suffixes()
    assert check_upload(table, "budget.csv", 10_000) == ("up_bad_type", {})
    with pytest.raises(UnsupportedType, match=r"\.csv; supported: \.pdf"):
        load(table)
    assert discover((tmp_path,))[1] == [("budget.csv", "unsupported file type .csv")]


def test_a_plug_in_registers_a_loader_and_a_suffix_has_one_loader(tmp_path: Path) -> None:
    def read(path: Path, ocr: formats.PageOcr | None = None) -> RawDocument:
        return RawDocument(path=path, pages=[(0, path.read_text("utf-8"))])

    plain = Loader(suffixes=(".plain",), names={"nl": "platte tekst", "en": "plain"}, read=read)
    register(plain)
    try:
        note = tmp_path / "a.plain"
        note.write_text("Jeugdzorg in de wijk.", encoding="utf-8")
        assert load(note).pages == [(0, "Jeugdzorg in de wijk.")]
        assert ".plain" not in formats.upload_suffixes()  # uploads are opt-in
        with pytest.raises(ValueError, match=r"\.pdf"):
            register(Loader(suffixes=(".pdf",), names={"en": "other PDF"}, read=read))
    finally:
        unregister(plain)
    assert formats.loader_for(".plain") is None
