from pathlib import Path

import pytest

from ingest.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedPDF,
    NoTextLayer,
    NotText,
    UnsupportedType,
)
from ingest.loaders import load
from tests.conftest import DATA
from tests.pdfgen import encrypt_pdf, make_pdf


def test_pdf_pages_and_metadata(tmp_path: Path) -> None:
    doc = load(make_pdf(tmp_path / "r.pdf", ["Eerste pagina", "Tweede pagina"], title="Rapport"))
    assert [n for n, _ in doc.pages] == [1, 2]
    assert "Tweede pagina" in doc.pages[1][1]
    assert doc.meta["title"] == "Rapport"


def test_encrypted_pdf_with_unknown_password_is_reported(tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "p.pdf", ["geheim"])
    with pytest.raises(EncryptedPDF):
        load(encrypt_pdf(src, tmp_path / "e.pdf", "wachtwoord"))
    with pytest.raises(EncryptedPDF):
        load(DATA / "pdf-robustness" / "libreoffice-writer-password.pdf")


def test_encrypted_pdf_with_empty_user_password_is_read(tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "p.pdf", ["leesbaar ondanks versleuteling"])
    doc = load(encrypt_pdf(src, tmp_path / "e.pdf", ""))
    assert "leesbaar" in doc.pages[0][1]


def test_bad_files_get_specific_errors(tmp_path: Path) -> None:
    (tmp_path / "zero.pdf").write_bytes(b"")
    (tmp_path / "fake.pdf").write_text("dit is geen pdf", encoding="utf-8")
    good = make_pdf(tmp_path / "good.pdf", ["tekst " * 200]).read_bytes()
    (tmp_path / "trunc.pdf").write_bytes(good[: len(good) // 3])
    (tmp_path / "x.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(EmptyFile):
        load(tmp_path / "zero.pdf")
    with pytest.raises(CorruptFile):
        load(tmp_path / "fake.pdf")
    with pytest.raises((CorruptFile, NoTextLayer)):
        load(tmp_path / "trunc.pdf")
    with pytest.raises(CorruptFile):
        load(tmp_path / "x.docx")  # a Word file cut off after its first bytes
    (tmp_path / "x.exe").write_bytes(b"MZ\x90\x00")
    with pytest.raises(UnsupportedType):
        load(tmp_path / "x.exe")
    with pytest.raises(NotText):
        load(tmp_path / "bin.txt")


def test_pdf_without_text_layer_says_scanned(tmp_path: Path) -> None:
    with pytest.raises(NoTextLayer) as err:
        load(make_pdf(tmp_path / "scan.pdf", ["", ""]))
    assert "scanned" in err.value.message("en")
    assert "gescand" in err.value.message("nl")


def test_non_utf8_text_is_read_as_windows_1252_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "oud.txt"
    path.write_bytes("Geïndexeerd budget voor één jaar".encode("cp1252"))
    doc = load(path)
    assert "Geïndexeerd" in doc.pages[0][1]
    assert any("Windows-1252" in w for w in doc.warnings)
