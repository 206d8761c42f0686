"""Structure-aware fuzzing of every loader (issue #29, item 3): files built in the test, then
their attributes, numbers, nesting, encodings and zip members mutated. Every case either loads
(and is cleaned and chunked) or fails as its own file with an IngestError and a reason; nothing
else may escape :func:`ingest.pipeline.process_file`. Fixed seed, a few seconds per format."""

from __future__ import annotations

import io
import re
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evals.docgen import web_page
from ingest.errors import IngestError
from ingest.manifest import CorpusFile
from ingest.pipeline import process_file
from tests.hostile_files import odt_spaces, word_table
from tests.pdfgen import make_pdf

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # a fixed seed: the same cases on every run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Values a careless or hostile writer puts where a number belongs.
NUMBERS = st.one_of(
    st.integers(-5, 5).map(str),
    st.sampled_from(["0", "63", "64", "65", "300000000", "99999999999999999999", "9" * 400]),
    st.sampled_from(["", " ", "abc", "1.5", "-1", "+3", "0x10", "١٢", "NaN", "&#49;", "continue"]),
)
WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=30
)
ENCODINGS = st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252", "utf-8-sig", "ascii"])


def _outcome(name: str, data: bytes) -> None:
    """Load, clean and chunk ``data`` as the file ``name``: chunks, or an IngestError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            chunks, _ = process_file(CorpusFile(name, path, {}), "fuzz")
        except IngestError as exc:
            assert exc.message().strip(), "a failure must say why"
            return
        assert chunks and all(c.text.strip() for c in chunks)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "")


def _zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", method) as z:
        warnings.simplefilter("ignore", UserWarning)  # a duplicated member is the point
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


@st.composite
def zip_damage(draw: st.DrawFn, members: list[tuple[str, bytes]]) -> bytes:
    """The zip with members dropped, duplicated, replaced by garbage or cut, or the archive's
    own bytes cut or flipped."""
    members = list(members)
    how = draw(st.sampled_from(["none", "drop", "garbage", "cut", "dup", "raw-cut", "raw-flip"]))
    pick = draw(st.integers(0, len(members) - 1))
    name, data = members[pick]
    if how == "drop":
        del members[pick]
    elif how == "garbage":
        members[pick] = (name, draw(st.binary(max_size=64)))
    elif how == "cut":
        members[pick] = (name, data[: draw(st.integers(0, len(data)))])
    elif how == "dup":
        members.append((name, data))
    method = draw(st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]))
    out = _zip(members, method)
    if how == "raw-cut":
        out = out[: draw(st.integers(0, len(out)))]
    elif how == "raw-flip":
        at = draw(st.integers(0, len(out) - 1))
        out = out[:at] + bytes([out[at] ^ draw(st.integers(1, 255))]) + out[at + 1 :]
    return out


# -- OpenDocument ---------------------------------------------------------------------------

_ODT_BASE = tempfile.mkdtemp(prefix="fuzz-odt-")
ODT = odt_spaces(Path(_ODT_BASE) / "base.odt", "2").read_bytes()


@st.composite
def odt_block(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(
        st.sampled_from(["p", "h", "list", "table", "section", "s"] if depth < 6 else ["p"])
    )
    text = _xml_escape(draw(WORDS))
    if kind == "p":
        return f"<text:p>{text}</text:p>"
    if kind == "h":
        return f'<text:h text:outline-level="{_xml_escape(draw(NUMBERS))}">{text}</text:h>'
    if kind == "s":
        return f'<text:p>{text}<text:s text:c="{_xml_escape(draw(NUMBERS))}"/>{text}</text:p>'
    inner = "".join(draw(st.lists(odt_block(depth + 1), max_size=3)))
    if kind == "list":
        style = _xml_escape(draw(st.sampled_from(["L1", "L2", "", "onbekend"])))
        item = f"<text:list-item>{inner}</text:list-item>"
        return f'<text:list text:style-name="{style}">{item}</text:list>'
    if kind == "table":
        repeat = _xml_escape(draw(NUMBERS))
        cell = (
            f'<table:table-cell table:number-columns-repeated="{repeat}">{inner}</table:table-cell>'
        )
        return f"<table:table><table:table-row>{cell}{cell}</table:table-row></table:table>"
    return f"<text:section>{inner}</text:section>"


@st.composite
def odt_files(draw: st.DrawFn) -> bytes:
    members = _members(ODT)
    content = dict(members)["content.xml"].decode()
    body = "".join(draw(st.lists(odt_block(), min_size=0, max_size=6)))
    # A function, not a template: a drawn body's backslashes are text, not group references.
    content = re.sub(
        r"<office:text>.*</office:text>", lambda _: f"<office:text>{body}</office:text>", content
    )
    encoding = draw(ENCODINGS)
    content = content.replace('encoding="UTF-8"', f'encoding="{encoding}"')
    data = content.encode(encoding, errors="replace")
    members = [(n, data if n == "content.xml" else d) for n, d in members]
    return draw(zip_damage(members))


@FUZZ
@given(data=odt_files())
def test_any_odt_loads_or_fails_as_itself(data: bytes) -> None:
    _outcome("notitie.odt", data)


# -- Word -----------------------------------------------------------------------------------

DOCX = word_table(Path(tempfile.mkdtemp(prefix="fuzz-docx-")) / "base.docx").read_bytes()


@st.composite
def word_cell_props(draw: st.DrawFn) -> str:
    props = []
    if draw(st.booleans()):
        props.append(f'<w:gridSpan w:val="{_xml_escape(draw(NUMBERS))}"/>')
    if draw(st.booleans()):
        merge = draw(st.sampled_from(["", ' w:val="continue"', ' w:val="restart"', ' w:val="x"']))
        props.append(f"<w:vMerge{merge}/>")
    return "".join(props)


@st.composite
def docx_files(draw: st.DrawFn) -> bytes:
    members = _members(DOCX)
    xml = dict(members)["word/document.xml"].decode()
    for _ in range(draw(st.integers(0, 4))):  # cell properties of some cells
        xml = xml.replace("<w:tcPr>", f"<w:tcPr>{draw(word_cell_props())}", 1)
    numbered = (
        f'<w:numPr><w:ilvl w:val="{_xml_escape(draw(NUMBERS))}"/>'
        f'<w:numId w:val="{_xml_escape(draw(NUMBERS))}"/></w:numPr>'
    )
    if draw(st.booleans()):
        xml = xml.replace(
            '<w:pStyle w:val="ListNumber"/>', f'<w:pStyle w:val="ListNumber"/>{numbered}'
        )
    if draw(st.booleans()):  # a table nested in a cell, a few levels deep
        depth = draw(st.integers(1, 40))
        cell = "<w:p><w:r><w:t>diep</w:t></w:r></w:p>"
        for _ in range(depth):
            cell = f"<w:tbl><w:tr><w:tc>{cell}</w:tc></w:tr></w:tbl><w:p/>"
        xml = xml.replace("<w:t>2024</w:t></w:r></w:p>", f"<w:t>2024</w:t></w:r></w:p>{cell}", 1)
    text = _xml_escape(draw(WORDS))
    xml = xml.replace("Wij kiezen voor kinderen.", text or "x")
    style = _xml_escape(draw(st.sampled_from(["Heading1", "Title", "", "Onbekend", "ListBullet"])))
    xml = xml.replace('<w:pStyle w:val="Heading1"/>', f'<w:pStyle w:val="{style}"/>')
    members = [(n, xml.encode() if n == "word/document.xml" else d) for n, d in members]
    return draw(zip_damage(members))


@FUZZ
@given(data=docx_files())
def test_any_docx_loads_or_fails_as_itself(data: bytes) -> None:
    _outcome("programma.docx", data)


# -- HTML -----------------------------------------------------------------------------------

_TAGS = ["div", "p", "ul", "ol", "li", "table", "tr", "td", "h1", "h2", "script", "nav", "b"]


@st.composite
def html_tree(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 4 or draw(st.integers(0, 3)) == 0:
        return _xml_escape(draw(WORDS)) + " Gemeenten investeren in jeugdhulp in de wijk."
    tag = draw(st.sampled_from(_TAGS))
    attr = f' class="{_xml_escape(draw(WORDS))}" rend="{_xml_escape(draw(NUMBERS))}"'
    inner = "".join(draw(st.lists(html_tree(depth + 1), max_size=3)))
    close = "" if draw(st.integers(0, 9)) == 0 else f"</{tag}>"  # sometimes unclosed
    return f"<{tag}{attr}>{inner}{close}"


@st.composite
def html_files(draw: st.DrawFn) -> bytes:
    base = Path(tempfile.mkdtemp(prefix="fuzz-html-")) / "p.html"
    paragraphs = [draw(html_tree()) for _ in range(draw(st.integers(0, 4)))]
    html = web_page(base, _xml_escape(draw(WORDS)), paragraphs, "Menu", "Voet").read_text()
    if draw(st.booleans()):  # very deep nesting
        depth = draw(st.integers(10, 3000))
        html = html.replace("<main>", "<main>" + "<div>" * depth + "diep" + "</div>" * depth)
    encoding = draw(ENCODINGS)
    html = html.replace('charset="utf-8"', f'charset="{encoding}"')
    data = html.encode(encoding, errors="replace")
    if draw(st.integers(0, 5)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


@FUZZ
@given(data=html_files())
def test_any_web_page_loads_or_fails_as_itself(data: bytes) -> None:
    _outcome("kamerbrief.html", data)


# -- PDF ------------------------------------------------------------------------------------


@st.composite
def pdf_files(draw: st.DrawFn) -> bytes:
    pages = draw(
        st.lists(st.one_of(st.none(), WORDS.map(lambda w: f"Jeugdzorg in de wijk {w}")), max_size=3)
    )
    path = Path(tempfile.mkdtemp(prefix="fuzz-pdf-")) / "p.pdf"
    data = make_pdf(path, pages or ["Jeugdzorg"], title=draw(WORDS)).read_bytes()
    numbers = list(re.finditer(rb"\d+", data))
    for _ in range(draw(st.integers(0, 3))):  # a number in the structure replaced
        m = numbers[draw(st.integers(0, len(numbers) - 1))]
        new = draw(st.sampled_from([b"0", b"-1", b"999999999", b"2147483648", b"1e9", b"x"]))
        data = data[: m.start()] + new + data[m.end() :]
        numbers = list(re.finditer(rb"\d+", data))
    how = draw(st.sampled_from(["none", "cut", "flip", "nest"]))
    if how == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "flip":
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    elif how == "nest":  # deeply nested arrays in the catalog
        depth = draw(st.integers(10, 5000))
        data = data.replace(b"/Type /Catalog", b"/Type /Catalog /X " + b"[" * depth + b"]" * depth)
    return data


@FUZZ
@given(data=pdf_files())
def test_any_pdf_loads_or_fails_as_itself(data: bytes) -> None:
    _outcome("programma.pdf", data)


# -- Text and Markdown ----------------------------------------------------------------------

_MD_LINES = st.sampled_from(
    ["# Kop", "## 2. Jeugd", "1. Punt", "- opsomming", "| a | b |", "|---|---|", "> citaat",
     "```", "", "\f", "Wij investeren in preventie in de wijk.", "A" * 500, "\x00", "\x1b[31m"]
)  # fmt: skip


@st.composite
def text_files(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.one_of(_MD_LINES, WORDS), max_size=30))
    nesting = draw(st.integers(0, 200))
    text = "\n".join(lines) + "\n" + "  " * nesting + "- diep"
    encoding = draw(ENCODINGS)
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        data = draw(st.binary(max_size=32)) + data
    return data


@FUZZ
@given(data=text_files(), suffix=st.sampled_from([".txt", ".md"]))
def test_any_text_or_markdown_file_loads_or_fails_as_itself(data: bytes, suffix: str) -> None:
    _outcome(f"notitie{suffix}", data)


def test_every_loader_is_fuzzed() -> None:
    """A new format gets a fuzz test here too."""
    from ingest.formats import upload_suffixes

    fuzzed = {".odt", ".docx", ".html", ".pdf", ".txt", ".md"}
    tests: list[Callable[..., None]] = [
        test_any_odt_loads_or_fails_as_itself,
        test_any_docx_loads_or_fails_as_itself,
        test_any_web_page_loads_or_fails_as_itself,
        test_any_pdf_loads_or_fails_as_itself,
        test_any_text_or_markdown_file_loads_or_fails_as_itself,
    ]
    assert set(upload_suffixes()) == fuzzed and len(tests) == 5
