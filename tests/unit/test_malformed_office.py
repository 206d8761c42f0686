"""Issue #29, items 1 and 2 at the loader: a malformed or oversized Word or OpenDocument file
fails as that file with a reason naming what is wrong (or loads, clamped), fast, before it
is parsed where possible; it never raises anything but an IngestError."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from ingest.errors import CorruptFile, IngestError, TooLarge
from ingest.limits import MAX_PARAGRAPHS, MAX_REPEAT
from ingest.loaders import load
from tests.hostile_files import odt_spaces, rewrite_member, word_bomb, word_numbered, word_table


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("c.odt", lambda p: odt_spaces(p, "abc"), "malformed ODT: text:c is not a number ('abc')"),
        (
            "span.docx",
            lambda p: word_table(p, cell_props='<w:gridSpan w:val="abc"/>'),
            "malformed Word file: w:gridSpan is not a number ('abc')",
        ),
        (
            "num.docx",
            lambda p: word_numbered(p, "xyz"),
            "malformed Word file: w:numId is not a number ('xyz')",
        ),
    ],
)
def test_a_number_that_is_not_one_fails_the_file_naming_the_attribute(
    tmp_path: Path, name: str, make: object, reason: str
) -> None:
    """ValueError from int() used to escape the loader and stop every ingest."""
    path = make(tmp_path / name)  # type: ignore[operator]
    with pytest.raises(CorruptFile) as info:
        load(path)
    assert info.value.message() == f"corrupt file: {reason}"


@pytest.mark.parametrize("count", ["300000000", "99999999999999999999"])
def test_an_odt_repeat_count_is_clamped(tmp_path: Path, count: str) -> None:
    """300,000,000 spaces allocated 600 MB; 10**20 raised OverflowError."""
    doc = load(odt_spaces(tmp_path / "spaties.odt", count))
    texts = [p.text for p in doc.parts]
    assert "Jeugd zorg in de wijk." in texts
    assert max(len(t) for t in texts) < 200


def test_a_huge_grid_span_is_clamped(tmp_path: Path) -> None:
    """python-docx made a cell object per spanned column: 10**8 of them."""
    doc = load(word_table(tmp_path / "span.docx", cell_props='<w:gridSpan w:val="100000000"/>'))
    (table,) = [p.text for p in doc.parts if p.kind == "table"]
    header = table.splitlines()[0]
    assert "Jaar" in header and "Budget" in header
    assert header.count("|") <= MAX_REPEAT + 2


def test_a_vertical_merge_in_the_first_row_is_read_as_a_cell(tmp_path: Path) -> None:
    """python-docx raised ValueError (no row above the first one)."""
    doc = load(word_table(tmp_path / "merge.docx", cell_props='<w:vMerge w:val="continue"/>'))
    (table,) = [p.text for p in doc.parts if p.kind == "table"]
    assert "2024" in table and "4.987.000" in table
    assert [p.text for p in doc.parts][:2] == ["Onze punten", "Wij kiezen voor kinderen."]


def test_a_decompression_bomb_fails_from_its_headers(tmp_path: Path) -> None:
    """The issue's file: ~2 million short paragraphs, a few hundred KB packed, ~70 MB unpacked
    (the issue's was 199 MB and kept an ingest busy for an hour); refused before unpacking."""
    path = word_bomb(tmp_path / "bom.docx", 2_000_000)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(TooLarge) as info:
        load(path)
    assert "word/document.xml unpacks to 70 MB; the limit is 50 MB per part" in str(info.value)


def test_too_many_paragraphs_fail_before_python_docx_reads_them(tmp_path: Path) -> None:
    path = word_bomb(tmp_path / "veel.docx", MAX_PARAGRAPHS + 10)
    with pytest.raises(TooLarge) as info:
        load(path)
    assert f"more than {MAX_PARAGRAPHS:,} paragraphs, the limit per file" in str(info.value)


def _lie_about_sizes(data: bytes, sizes: dict[str, int]) -> bytes:
    """``data`` (a zip) with the central directory declaring other unpacked sizes."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        n_name = struct.unpack_from("<H", out, at + 28)[0]
        name = out[at + 46 : at + 46 + n_name].decode()
        if name in sizes:
            struct.pack_into("<I", out, at + 24, sizes[name])
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def test_headers_over_the_total_fail_and_a_lying_header_is_caught(tmp_path: Path) -> None:
    path = odt_spaces(tmp_path / "groot.odt", "2")
    with zipfile.ZipFile(path, "a") as z:
        for i in range(5):
            z.writestr(f"Pictures/{i}.png", b"x")
    declared = {f"Pictures/{i}.png": 45_000_000 for i in range(5)}
    path.write_bytes(_lie_about_sizes(path.read_bytes(), declared))
    with pytest.raises(TooLarge) as info:
        load(path)
    assert "unpacks to 225 MB; the limit is 200 MB in all" in str(info.value)

    small = odt_spaces(tmp_path / "klein.odt", "2")  # content.xml says 100 bytes, holds more
    small.write_bytes(_lie_about_sizes(small.read_bytes(), {"content.xml": 100}))
    with pytest.raises(IngestError) as lied:
        load(small)
    assert "Bad CRC-32" in str(lied.value) or "not readable" in str(lied.value)


def test_broken_xml_and_a_broken_zip_member_fail_as_the_file(tmp_path: Path) -> None:
    broken = rewrite_member(odt_spaces(tmp_path / "xml.odt", "2"), "content.xml", lambda x: x[:-40])
    with pytest.raises(CorruptFile, match="OpenDocument XML not readable"):
        load(broken)
    word = word_table(tmp_path / "xml.docx")
    rewrite_member(word, "word/styles.xml", lambda x: "<w:styles")
    with pytest.raises(CorruptFile):
        load(word)
    data = io.BytesIO(word.read_bytes())
    assert zipfile.is_zipfile(data)


def test_loaders_stop_reading_where_the_passage_cap_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 10,000-passage cap applied while loading: text beyond what those passages can hold
    is not read at all (here with a budget of 2,000 characters instead of 40 million)."""
    from evals.docgen import word_file
    from tests.pdfgen import make_pdf

    monkeypatch.setattr("ingest.limits.MAX_TEXT_CHARS", 2_000)
    sentence = "Wij investeren in preventie en voorzieningen in de wijk voor ieder kind. "
    items = [f"{i}. {sentence * 3}" for i in range(60)]
    word = load(word_file(tmp_path / "lang.docx", "Kop", sentence, items, [["a", "b"], ["1", "2"]]))
    assert 2 < len(word.parts) < 15
    assert sum(len(p.text) for p in word.parts) <= 2_000
    odt = load(odt_spaces(tmp_path / "lang.odt", "1"))  # small: read whole, no note
    assert not odt.truncated
    pdf = load(make_pdf(tmp_path / "lang.pdf", [sentence * 12] * 5))
    assert pdf.page_count == 2
    text = tmp_path / "lang.txt"
    text.write_text(sentence * 100, encoding="utf-8")
    txt = load(text)
    assert len(txt.pages[0][1]) <= 2_000
    for doc in (word, pdf, txt):
        (note,) = doc.truncated
        assert "more than the 10,000 passages indexed per file" in note
