"""The chat UI's pure parts: escaped rendering, citation links, highlighting, the refusal,
complete NL/EN strings, upload checks, file-name sanitising and the safe-launch rules."""

from __future__ import annotations

import re
import string
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.core.i18n import DOC_TYPES, EXAMPLES, STRINGS, UNITS, count, t
from assistant.core.settings import Settings
from assistant.core.types import Answer, Chunk, Citation, SearchHit
from assistant.server import UnsafeLaunch, is_loopback, mount_options, parse_auth
from assistant.store.index import FileRecord
from assistant.ui import render
from ingest.library import IngestProgress, check_upload, safe_filename, store_upload
from tests.pdfgen import make_pdf

EVIL = "Wij stoppen met <script>alert(1)</script> marktwerking <img src=x onerror=alert(1)>."
#: Markup the renderer itself writes; anything else in the output came from a document.
OWN_TAGS = {"a", "article", "div", "em", "mark", "p", "section", "span", "strong", "table"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def tags(markup: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(markup)
    return parser.tags


def assert_inert(markup: str) -> None:
    """Only the renderer's own tags, and no event-handler attributes."""
    for tag, attrs in tags(markup):
        assert tag in OWN_TAGS, (tag, markup)
        assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)


def chunk(text: str = EVIL, **kw: str) -> Chunk:
    fields = {
        "chunk_id": "c1",
        "doc_id": "evil",
        "title": "<b>Titel</b> & co",
        "kind": "clause_suggestion",
        "publisher": "<i>Uitgever</i>",
        "date": "2026-04",
        "section": "<u>Sectie</u>",
        "item": "2",
    }
    fields.update(kw)
    return Chunk(text=text, **fields)  # type: ignore[arg-type]


def cited(c: Chunk, quote: str, n: int = 1) -> Citation:
    return Citation(
        n=n,
        chunk_id=c.chunk_id,
        doc_id=c.doc_id,
        title=c.title,
        page=None,
        item=c.item,
        quote=quote,
    )


def answer_with(c: Chunk, quote: str) -> Answer:
    return Answer(
        question="<script>alert('q')</script>",
        answer=f"Uitgever schrijft: “{quote}” [1]",
        clause="Wij doen <script>x</script>. [1]",
        clause_note="overgenomen uit <i>Uitgever</i>, tekstsuggestie 2",
        citations=[cited(c, quote)],
        hits=[SearchHit(chunk=c, score=1.0, rank=1, dense_score=0.9)],
    )


def test_document_text_renders_as_text_never_as_markup() -> None:
    c = chunk()
    answer = answer_with(c, "marktwerking <img src=x onerror=alert(1)>.")
    sources = render.sources_html(answer, 0, "nl")
    bubble = render.answer_html(answer, 0, "nl")
    chat = "".join(m["content"] for m in render.chat_messages([(answer.question, answer)], "nl"))
    note = render.clause_note_html(answer, "nl")
    for markup in (sources, bubble, chat, note):
        assert "<script" not in markup.lower() and "<img" not in markup.lower()
        assert_inert(markup)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in sources
    assert "&lt;img src=x onerror=alert(1)&gt;" in sources
    assert "&lt;b&gt;Titel&lt;/b&gt; &amp; co" in sources and "&lt;i&gt;Uitgever" in sources
    assert "&lt;u&gt;Sectie" in sources and "&lt;i&gt;Uitgever&lt;/i&gt;" in note
    # The chat bubbles render Markdown: markup-like and Markdown characters become references.
    assert "&lt;img src=x onerror=alert&#40;1&#41;&gt;" in bubble
    assert "&lt;script&gt;alert&#40;&#x27;q&#x27;&#41;&lt;/script&gt;" in chat


def test_markdown_characters_in_documents_stay_literal() -> None:
    safe = render.markdown_safe("**vet** _schuin_ [link](http://x) `code` $$x$$ # kop 1. lijst")
    for ch in "*_[]()`$#":
        assert ch not in safe.replace("&#", ""), ch
    assert "http&#58;//x" in safe


def test_citation_markers_link_to_their_source_cards() -> None:
    a, b = chunk("Eerste zin over preventie.", chunk_id="a"), chunk("Tweede zin.", chunk_id="b")
    answer = Answer(
        question="q",
        answer="VNG schrijft: “Eerste zin over preventie.” [1]\nJN schrijft: “Tweede zin.” [2] [7]",
        citations=[cited(a, "Eerste zin over preventie."), cited(b, "Tweede zin.", n=2)],
        hits=[SearchHit(a, 1.0, 1), SearchHit(b, 0.9, 2)],
    )
    bubble = render.answer_html(answer, 3, "nl")
    assert re.findall(r'href="#([^"]+)"', bubble) == ["bron-3-1", "bron-3-2"]
    assert "&#91;7&#93;" in bubble  # a marker without a card stays plain text
    sources = render.sources_html(answer, 3, "nl")
    assert re.findall(r'<article class="ja-card" id="([^"]+)"', sources) == [
        "bron-3-1",
        "bron-3-2",
    ]
    assert "<a " not in render.answer_html(answer, 3, "nl", links=False)
    older, newest = render.chat_messages([("q1", answer), ("q2", answer)], "nl")[1::2]
    assert "<a " not in older["content"] and 'href="#bron-1-1"' in newest["content"]


def test_quote_is_highlighted_on_escaped_text() -> None:
    text = "Inleiding.\nWij <b>stoppen</b>   met\nmarktwerking. Slot & einde."
    out = render.highlight(text, "Wij <b>stoppen</b> met marktwerking.")
    assert out == (
        "Inleiding.\n<mark>Wij &lt;b&gt;stoppen&lt;/b&gt;   met\nmarktwerking.</mark>"
        " Slot &amp; einde."
    )
    assert render.highlight(text, "niet aanwezig") == render.escape(text)
    card = render.sources_html(answer_with(chunk(EVIL), "<script>alert(1)</script>"), 0, "nl")
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in card


def test_a_cited_passage_outside_the_hits_still_gets_its_meta_line() -> None:
    """An overview cites list items the search did not return: their cards show publisher,
    date and item from the citation itself, escaped like every other meta line."""
    in_hits, elsewhere = chunk("Eerste punt.", chunk_id="c1"), chunk("Ander punt.", chunk_id="c2")
    answer = answer_with(in_hits, "Eerste punt.")
    answer.citations.append(
        replace(cited(elsewhere, "Ander punt.", n=2), publisher="<i>VNG</i>", date="2026-03-24")
    )
    panel = render.sources_html(answer, 0, "nl")
    assert_inert(panel)
    cards = panel.split('<article class="ja-card"')[1:]
    assert len(cards) == 2 and all('class="ja-meta"' in c for c in cards)
    assert "&lt;i&gt;VNG&lt;/i&gt; · 2026-03-24 · item 2" in cards[1]


def test_refused_answer_shows_not_in_sources_and_possibly_related_passages() -> None:
    c = chunk("Iets over jeugdzorg en wachtlijsten.", kind="body", item="")
    answer = Answer(
        question="Wat kost een fiets?",
        answer="De bronnen bevatten hierover geen informatie. Mogelijk verwante passages staan "
        "hieronder.",
        refused=True,
        hits=[SearchHit(c, 0.5, 1, dense_score=0.7)],
    )
    sources = render.sources_html(answer, 0, "nl")
    assert "Niet in de bronnen" in sources and "Mogelijk verwant" in sources
    assert "geen informatie" in sources and "wachtlijsten" in sources
    assert "<mark>" not in sources and 'id="verwant-0-1"' in sources
    assert "Niet in de bronnen" in render.answer_html(answer, 0, "nl")
    english = render.sources_html(answer, 0, "en")
    assert "Not in the sources" in english and "Possibly related" in english
    nothing = Answer(question="", answer="Stel een vraag.", refused=True)
    assert t("nl", "no_related") in render.sources_html(nothing, 0, "nl")
    assert render.clause_note_html(answer, "nl") == (
        f'<p class="ja-note">{t("nl", "clause_none")}</p>'
    )


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_dutch_and_english_strings_are_complete() -> None:
    assert set(STRINGS) == {"nl", "en"}
    assert STRINGS["nl"].keys() == STRINGS["en"].keys()
    for key, nl in STRINGS["nl"].items():
        en = STRINGS["en"][key]
        assert nl.strip() and en.strip(), key
        assert _fields(nl) == _fields(en), key
    assert EXAMPLES["nl"] == (
        "Wat schrijven we op over marktwerking?",
        "Welke wethouder moet jeugd, onderwijs en kinderopvang krijgen?",
        "Wat adviseert de VNG over preventie?",
    )
    assert len(EXAMPLES["en"]) == 3 and EXAMPLES["en"] != EXAMPLES["nl"]
    assert UNITS["nl"].keys() == UNITS["en"].keys() and set(DOC_TYPES) == set(STRINGS)
    assert count("nl", 1, "page") == "1 pagina" and count("nl", 3, "page") == "3 pagina's"
    assert t("fr", "ask") == "Vraag"  # an unknown language falls back to Dutch


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("a/b\\c.pdf", "c.pdf"),
        ("rapport (1).PDF", "rapport-1.pdf"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        (".verborgen.md", "verborgen.md"),
        ("Notitie über Jeugdzorg!.txt", "Notitie-uber-Jeugdzorg.txt"),
        ("README.md", "README-document.md"),
        ("..", "document"),
        ("", "document"),
        ("<script>.pdf", "script.pdf"),
    ],
)
def test_file_names_are_sanitised(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


@given(st.text(max_size=200))
def test_sanitised_names_are_always_plain_base_names(name: str) -> None:
    safe = safe_filename(name)
    assert re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*", safe), safe
    assert ".." not in safe and len(safe) <= 91


def test_uploads_are_checked_by_extension_content_and_size(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "echt.pdf", ["Een echte PDF."])
    fake = tmp_path / "nep.pdf"
    fake.write_text("geen pdf", encoding="utf-8")
    text = tmp_path / "notitie.txt"
    text.write_text("Gewone tekst over jeugdzorg.\n", encoding="utf-8")
    binary = tmp_path / "binair.txt"
    binary.write_bytes(b"MZ\x90\x00\x03\x00")
    pdf_as_text = tmp_path / "pdf.md"
    pdf_as_text.write_bytes(pdf.read_bytes())
    empty = tmp_path / "leeg.txt"
    empty.write_bytes(b"")
    limit = 10_000
    assert check_upload(pdf, "echt.pdf", limit) is None
    assert check_upload(text, "notitie.txt", limit) is None
    assert check_upload(fake, "nep.pdf", limit) == ("up_not_pdf", {})
    assert check_upload(binary, "binair.txt", limit) == ("up_binary", {})
    assert check_upload(pdf_as_text, "pdf.md", limit) == ("up_binary", {})
    assert check_upload(empty, "leeg.txt", limit) == ("up_empty", {})
    assert check_upload(text, "passwd", limit) == ("up_bad_type", {})
    assert check_upload(text, "virus.exe", limit) == ("up_bad_type", {})
    key, values = check_upload(pdf, "echt.pdf", 100) or ("", {})
    assert key == "up_too_big" and "MB" in t("nl", key, name="echt.pdf", **values)


def test_an_existing_different_file_is_never_overwritten(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    first, second = tmp_path / "1.txt", tmp_path / "2.txt"
    first.write_text("versie een", encoding="utf-8")
    second.write_text("versie twee", encoding="utf-8")
    path, outcome = store_upload(first, "notitie.txt", corpus)
    assert (path.name, outcome) == ("notitie.txt", "new")
    assert store_upload(first, "notitie.txt", corpus) == (path, "unchanged")
    renamed, outcome = store_upload(second, "notitie.txt", corpus)
    assert (renamed.name, outcome) == ("notitie-2.txt", "renamed")
    assert path.read_text(encoding="utf-8") == "versie een"
    assert sorted(p.name for p in corpus.iterdir()) == ["notitie-2.txt", "notitie.txt"]
    with pytest.raises(ValueError):
        store_upload(first, "../buiten.txt", corpus)


def test_failure_reasons_and_document_rows_in_dutch() -> None:
    assert render.reason_text("encrypted pdf: a password is required to open it", "nl") == (
        "versleutelde PDF (wachtwoord nodig): a password is required to open it"
    )
    assert render.reason_text("no text layer (scanned?): none of the 2 pages", "nl") == (
        "geen tekstlaag — gescand document?: none of the 2 pages"
    )
    assert render.reason_text("encrypted pdf", "en") == "encrypted pdf"
    assert render.reason_text("something else", "nl") == "something else"
    files = {
        "a.txt": FileRecord("a.txt", "x", 1, "a", title="A", chunks=2),
        "scan.pdf": FileRecord(
            "scan.pdf", "y", 1, "scan", status="failed", reason="no text layer (scanned?)"
        ),
    }
    table = render.documents_table(files, [chunk("t", doc_id="a", doc_type="letter")], "nl")
    assert table["headers"][:2] == ["Bestand", "Titel"]
    assert table["data"][0][4] == "brief" and table["data"][0][7] == "geïndexeerd"
    assert table["data"][1][7] == "mislukt: geen tekstlaag — gescand document?"
    assert render.documents_table(files, [], "en")["headers"][-1] == "Status"
    assert render.document_choices(files) == [("A", "a")]
    assert render.file_choices(files) == [("A (a.txt)", "a.txt"), ("scan.pdf", "scan.pdf")]


def test_ingest_progress_runs_from_zero_to_one() -> None:
    seen: list[float] = []
    progress = IngestProgress(lambda f, _desc: seen.append(f), "nl")
    progress.files(2)
    progress.file_done("a.txt", "new")
    progress.file_done("b.txt", "unchanged")
    progress.embedding(10)
    progress.embedded(4)
    progress.embedded(6)
    assert seen == sorted(seen) and seen[0] == 0.0 and seen[-1] == 1.0


def test_the_ui_listens_on_loopback_unless_a_password_is_set() -> None:
    for host in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "192.168.1.20", "::", "example.org", ""):
        assert not is_loopback(host), host
    local = mount_options(Settings(), "127.0.0.1")
    assert local["auth"] is None and local["mcp_server"] is False
    assert local["max_file_size"] == "50mb" and local["footer_links"] == []
    with pytest.raises(UnsafeLaunch, match="JEUGDAKKOORD_AUTH"):
        mount_options(Settings(), "0.0.0.0")
    remote = mount_options(Settings(auth="onderhandelaar:ge:heim"), "0.0.0.0")
    assert remote["auth"] == ("onderhandelaar", "ge:heim") and remote["enable_monitoring"] is False
    for bad in ("zonderwachtwoord", ":alleenwachtwoord", "gebruiker:"):
        with pytest.raises(UnsafeLaunch):
            parse_auth(bad)
    assert "ge:heim" not in repr(Settings(auth="onderhandelaar:ge:heim"))


def test_chat_command_refuses_a_network_address_without_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.cli import main

    monkeypatch.delenv("JEUGDAKKOORD_AUTH", raising=False)
    assert main(["chat", "--host", "0.0.0.0", "--port", "7999"]) == 2
    assert "JEUGDAKKOORD_AUTH" in capsys.readouterr().err


def test_settings_read_the_ui_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JEUGDAKKOORD_HOST", "0.0.0.0")
    monkeypatch.setenv("JEUGDAKKOORD_PORT", "8123")
    monkeypatch.setenv("JEUGDAKKOORD_AUTH", "a:b")
    monkeypatch.setenv("JEUGDAKKOORD_MAX_UPLOAD_MB", "5")
    s = Settings.from_env()
    assert (s.host, s.port, s.auth, s.max_upload_mb) == ("0.0.0.0", 8123, "a:b", 5)
