"""The chat UI in a real browser: Debian's chromium driven by Playwright, against
``jeugdakkoord chat`` running as a subprocess on its own copy of the corpus and index.

Tests that only ask questions share one server; a test that changes the library (upload,
delete, re-index) gets a server of its own on a fresh copy, so no test depends on another or
on their order. Every wait is bounded. The README screenshot is written only on purpose:
``make screenshot`` (tests write theirs to a temporary folder).
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Browser, Page, sync_playwright

from assistant.core.settings import Settings
from assistant.store.index import read_current
from tests.conftest import ingested_copy
from tests.pdfgen import encrypt_pdf, make_pdf
from tests.servers import LOG_OF, chat_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: ``make screenshot`` sets this to docs/screenshot-chat.png; otherwise it goes to tmp.
SCREENSHOT_ENV = "JEUGDAKKOORD_TEST_SCREENSHOT"
MARKET = "Wat schrijven we op over marktwerking?"
JN_TITLE = "Felicitaties en uitnodiging: samen sterker voor jeugd en gezin"
VNG_TITLE = "Aanbevelingen Brede aanpak jeugd voor de gemeentelijke formatietafel"
PILOT_TITLE = "Het Kangoeroeproject in Veere"
PILOT_QUESTION = "Wat is het Kangoeroeproject van de gemeente Veere?"
XSS_DOC = (
    "# Nachtopvang <script>window.__xss=1</script> voor zwerfjongeren\n\n"
    'De nachtopvang voor zwerfjongeren <img src=x onerror="window.__xss=2"> gaat in Vlissingen '
    "open op vrijdag en zaterdag. Jongeren tot 23 jaar kunnen er slapen, eten en praten met een "
    "jongerenwerker.\n"
)
XSS_QUESTION = "Wanneer gaat de nachtopvang voor zwerfjongeren open?"


@pytest.fixture(scope="module")
def ui_settings(tmp_path_factory: pytest.TempPathFactory, real_index: Settings) -> Settings:
    return ingested_copy(tmp_path_factory.mktemp("ui"), real_index)


@pytest.fixture(scope="module")
def server(ui_settings: Settings) -> Iterator[str]:
    """``jeugdakkoord chat`` for the tests that only ask questions (none changes the library)."""
    with chat_server(ui_settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), (
        "the browser tests need Debian's chromium: apt-get install -y chromium "
        "(`make test` installs it)"
    )
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def open_page(browser: Browser, server: str) -> Iterator[Page]:
    """A fresh browser context on ``server``; it must not contact any other host."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="nl-NL"
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server)
    page.wait_for_selector("#ja-ask")
    yield page
    context.close()
    elsewhere = [u for u in requested if not u.startswith((server, "data:", "blob:"))]
    assert not elsewhere, f"the page contacted other hosts: {elsewhere}"


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    with open_page(browser, server) as page:
        yield page


@pytest.fixture
def own(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, real_index: Settings
) -> Iterator[tuple[Page, Settings]]:
    """A page on a server of its own, on a fresh copy of the corpus and index: for a test
    that changes the library."""
    settings = ingested_copy(tmp_path_factory.mktemp("own"), real_index)
    with chat_server(settings) as url, open_page(browser, url) as page:
        yield page, settings


def record_bot_text(page: Page) -> None:
    """Keep every distinct text of the newest assistant bubble in ``window.__snaps``."""
    page.evaluate(
        """() => {
        window.__snaps = [];
        new MutationObserver(() => {
            const bots = document.querySelectorAll('#ja-chat [data-testid="bot"]');
            const text = bots.length ? bots[bots.length - 1].innerText.trim() : '';
            const snaps = window.__snaps;
            if (text && snaps[snaps.length - 1] !== text) snaps.push(text);
        }).observe(document.querySelector('#ja-chat'),
                   {subtree: true, childList: true, characterData: true});
    }"""
    )


def ask(page: Page, question: str) -> int:
    """Ask in the Chat tab and wait for the sources of this answer; returns its turn number."""
    turn = page.locator('#ja-chat [data-testid="user"]').count()
    page.fill("#ja-question textarea", question)
    page.click("#ja-ask")
    page.wait_for_selector(
        f"#ja-sources [id^='bron-{turn}-'], #ja-sources [id^='verwant-{turn}-'], "
        "#ja-sources .ja-refused"
    )
    return turn


def upload(page: Page, *files: Path) -> str:
    """Upload through the Documents tab; returns the result text once it is there."""
    page.click("#ja-tab-docs-button")
    before = page.input_value("#ja-result textarea")
    with page.expect_file_chooser() as chooser:
        page.click("#ja-upload")
    chooser.value.set_files([str(f) for f in files])
    page.wait_for_function(
        "before => { const v = document.querySelector('#ja-result textarea').value;"
        " return v.length > 0 && v !== before; }",
        arg=before,
        timeout=120_000,
    )
    return page.input_value("#ja-result textarea")


def docs_table(page: Page) -> str:
    page.click("#ja-tab-docs-button")
    return page.inner_text("#ja-docs")


def test_answer_streams_cites_and_links_to_its_source_card(page: Page, tmp_path: Path) -> None:
    record_bot_text(page)
    turn = ask(page, "Wat zeggen de bronnen over preventie?")  # answered in two sentences
    snaps: list[str] = page.evaluate("window.__snaps")
    final = snaps[-1]
    assert "zoeken in de bronnen…" in snaps, snaps
    assert any(s != final and final.startswith(s) and "“" in s for s in snaps), snaps  # line 1
    assert "[1]" in final and "[2]" in final

    turn = ask(page, MARKET)
    link = page.locator("#ja-chat a.ja-cite").first
    assert link.inner_text() == "[1]"
    assert link.get_attribute("href") == f"#bron-{turn}-1"
    card = page.locator(f"#bron-{turn}-1")
    assert JN_TITLE in card.inner_text()
    assert "Jeugdzorg Nederland" in card.inner_text() and "item 2" in card.inner_text()
    assert "We stoppen met marktwerking" in card.locator("mark").inner_text()
    assert page.locator("#ja-chat a.ja-cite").count() == 1  # the older answer links no more
    clause = page.input_value("#ja-clause textarea")
    assert clause.startswith("Wij stoppen met marktwerking")
    assert "tekstsuggestie 2" in page.inner_text("#ja-clause-note")
    for label in ("Conceptclausule", "Bronnen", "Uw vraag", "Vraag", "Documenten"):
        assert label in page.inner_text("body")
    screenshot = Path(os.environ.get(SCREENSHOT_ENV) or tmp_path / "screenshot-chat.png")
    page.screenshot(path=str(screenshot))
    assert screenshot.read_bytes().startswith(b"\x89PNG")

    link.click()
    page.wait_for_function(f"location.hash === '#bron-{turn}-1'")
    assert page.evaluate(f"document.getElementById('bron-{turn}-1').matches(':target')")
    box = card.bounding_box()
    assert box is not None and 0 <= box["y"] < 1000


def test_clause_downloads_as_docx_and_markdown(page: Page) -> None:
    ask(page, MARKET)
    with page.expect_download() as download:
        page.click("#ja-docx")
    assert download.value.suggested_filename.endswith(".docx")
    docx = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "Conceptclausule" in text and "marktwerking" in text and JN_TITLE in text
    with page.expect_download() as download:
        page.click("#ja-md")
    md = Path(download.value.path()).read_text(encoding="utf-8")
    assert md.startswith("## Conceptclausule") and "marktwerking" in md


def test_follow_up_question_keeps_the_context(page: Page) -> None:
    ask(page, "Wat schrijven we op over de lokale teams?")
    turn = ask(page, "Wie moeten daarover meedenken?")
    cards = page.locator(f"#ja-sources [id^='bron-{turn}-']")
    texts = [cards.nth(i).inner_text() for i in range(cards.count())]
    assert any("Jeugdzorg Nederland" in c and "item 6" in c for c in texts), texts


def test_document_filter_and_the_not_in_sources_state(page: Page) -> None:
    page.click("#ja-filter input")
    page.click(f"ul[role=listbox] li:has-text('{VNG_TITLE}')")
    page.keyboard.press("Escape")
    ask(page, "Hoeveel parkeerplaatsen komen er bij het station?")
    panel = page.inner_text("#ja-sources")
    assert "Niet in de bronnen" in panel and "Mogelijk verwant" in panel
    # The refusal names what the sources lack.
    assert "parkeerplaatsen" in panel and "nergens" in panel
    assert "Niet in de bronnen" in page.inner_text("#ja-chat")
    titles = page.locator("#ja-sources .ja-title").all_inner_texts()
    assert titles and set(titles) == {VNG_TITLE}
    assert page.locator("#ja-chat a.ja-cite").count() == 0
    assert not page.is_visible("#ja-docx")


def test_language_switch_relabels_the_interface(page: Page, ui_settings: Settings) -> None:
    page.click("#ja-lang label:has-text('English')")
    page.wait_for_function("document.querySelector('#ja-ask').innerText.trim() === 'Ask'")
    body = page.inner_text("body")
    for label in ("Documents", "Settings", "Your question", "Draft clause", "New conversation"):
        assert label in body, label
    assert "What should we write about market forces?" in body
    page.click("#ja-tab-docs-button")
    # The switch re-reads the documents table after relabelling it: wait for that to land.
    page.wait_for_function("document.querySelector('#ja-docs')?.innerText.includes('Publisher')")
    page.click("#ja-tab-settings-button")
    settings_shows = "document.querySelector('#ja-settings').innerText.includes('{}')"
    page.wait_for_function(settings_shows.format("Embedding model"))
    assert "extractive" in page.inner_text("#ja-settings")
    page.click("#ja-lang label:has-text('Nederlands')")
    page.wait_for_function(settings_shows.format("Embeddingmodel"))
    settings = page.inner_text("#ja-settings")
    gen = read_current(ui_settings.index_dir)
    assert gen is not None and gen.chunk_count > 100
    assert "extractief" in settings and f"Passages\t{gen.chunk_count}" in settings
    assert page.inner_text("#ja-ask").strip() == "Vraag"


def upload_pilot(page: Page, folder: Path) -> str:
    """Upload the Kangoeroe pilot PDF; returns the result text."""
    pdf = make_pdf(
        folder / "Kangoeroe project (concept).PDF",
        [
            f"{PILOT_TITLE}\n\n"
            "De gemeente Veere start in 2027 het Kangoeroeproject voor jonge gezinnen.\n"
            "Elk gezin met een pasgeboren kind krijgt een gezinscoach die drie keer op "
            "huisbezoek komt.\n"
            "Wij financieren het Kangoeroeproject vier jaar lang uit het preventiebudget."
        ],
        title=PILOT_TITLE,
        author="Gemeente Veere",
    )
    return upload(page, pdf)


def test_uploaded_pdf_is_listed_and_answerable(own: tuple[Page, Settings], tmp_path: Path) -> None:
    page, _ = own
    result = upload_pilot(page, tmp_path)
    assert "Kangoeroe-project-concept.pdf: toegevoegd — 1 pagina, 1 passage." in result, result
    table = docs_table(page)
    assert "Kangoeroe-project-concept.pdf" in table and PILOT_TITLE in table
    page.click("#ja-tab-chat-button")
    turn = ask(page, PILOT_QUESTION)
    assert PILOT_TITLE in page.inner_text(f"#bron-{turn}-1")


def test_rejected_uploads_are_explained_and_not_stored(
    own: tuple[Page, Settings], tmp_path: Path
) -> None:
    page, ui_settings = own
    fake = tmp_path / "nep.pdf"
    fake.write_text("Dit is geen PDF.", encoding="utf-8")
    secret = encrypt_pdf(
        make_pdf(tmp_path / "open.pdf", ["Vertrouwelijk."]), tmp_path / "geheim.pdf", "wachtwoord"
    )
    binary = tmp_path / "binair.txt"
    binary.write_bytes(b"MZ\x90\x00\x03\x00")
    program = tmp_path / "programma.exe"  # the upload button's own type filter drops it
    program.write_bytes(b"MZ\x90\x00")
    result = upload(page, fake, binary, program, secret)
    assert "nep.pdf: dit is geen PDF-bestand" in result, result
    assert "binair.txt: dit is geen tekstbestand" in result, result
    assert "geheim.pdf: niet geïndexeerd — versleutelde PDF (wachtwoord nodig)" in result, result
    assert "toegevoegd" not in result
    stored = {p.name for p in ui_settings.corpus_dirs[0].iterdir()}
    assert not stored & {"nep.pdf", "binair.txt", "programma.exe"}
    assert "mislukt: versleutelde PDF (wachtwoord nodig)" in docs_table(page)


def test_document_text_never_runs_as_script(own: tuple[Page, Settings], tmp_path: Path) -> None:
    page, _ = own
    doc = tmp_path / "nachtopvang.md"
    doc.write_text(XSS_DOC, encoding="utf-8")
    assert "nachtopvang.md: toegevoegd" in upload(page, doc)
    assert "Nachtopvang <script>window.__xss=1</script> voor zwerfjongeren" in docs_table(page)
    page.click("#ja-tab-chat-button")
    turn = ask(page, XSS_QUESTION)
    card = page.inner_text(f"#bron-{turn}-1")
    assert "<script>window.__xss=1</script>" in card
    assert '<img src=x onerror="window.__xss=2">' in card
    assert "<img src=x" in page.inner_text("#ja-chat")
    page.click("#ja-filter input")  # the document's title is also a filter choice
    assert "<script>" in page.inner_text("ul[role=listbox]")
    page.keyboard.press("Escape")
    assert page.evaluate("typeof window.__xss") == "undefined"
    inserted = "#ja-sources img, #ja-chat img, #ja-docs img, #ja-sources script, #ja-chat script"
    assert page.locator(inserted).count() == 0


def test_delete_and_reindex(own: tuple[Page, Settings], tmp_path: Path) -> None:
    page, ui_settings = own
    folder = ui_settings.corpus_dirs[0]
    assert "toegevoegd" in upload_pilot(page, tmp_path)
    assert (folder / "Kangoeroe-project-concept.pdf").exists()
    page.click("#ja-tab-docs-button")
    page.click("#ja-delete-pick input")
    page.click("ul[role=listbox] li:has-text('Kangoeroe-project-concept.pdf')")
    page.keyboard.press("Escape")
    page.click("#ja-delete")
    page.wait_for_function(
        "document.querySelector('#ja-result textarea').value.includes('verwijderd')",
        timeout=120_000,
    )
    assert not (folder / "Kangoeroe-project-concept.pdf").exists()
    assert PILOT_TITLE not in docs_table(page)

    (folder / "handmatig.txt").write_text(
        "Handmatig toegevoegd\n\nDe gemeente Sluis opent een jongerenpunt in het dorpshuis.\n",
        encoding="utf-8",
    )
    page.click("#ja-reindex")
    page.wait_for_function(
        "document.querySelector('#ja-result textarea').value.includes('Index bijgewerkt')",
        timeout=120_000,
    )
    assert "handmatig.txt" in docs_table(page)
    page.click("#ja-tab-chat-button")
    ask(page, PILOT_QUESTION)
    assert PILOT_TITLE not in page.inner_text("#ja-sources")


def test_the_scope_chip_shows_the_named_source_and_removing_it_asks_everywhere(
    page: Page,
) -> None:
    """A question naming an organisation answers from its document only and says so in a
    chip; clicking the chip asks the same question again over all documents."""
    turn = ask(page, "Wat zegt de VNG over preventie?")
    chip = page.locator("#ja-scope")
    chip.wait_for(state="visible")
    assert " ".join(chip.inner_text().split()) == "Alleen uit: VNG ✕"
    titles = page.locator(f"#ja-sources [id^='bron-{turn}-'] .ja-title").all_inner_texts()
    assert titles and set(titles) == {VNG_TITLE}
    chip.click()
    chip.wait_for(state="hidden")
    # the same turn asked again (not a new one), now from every document
    page.wait_for_function(
        "vng => { const t = [...document.querySelectorAll('#ja-sources .ja-title')]"
        ".map(e => e.innerText.trim()); return t.length && t.some(x => x !== vng); }",
        arg=VNG_TITLE,
    )
    assert page.locator('#ja-chat [data-testid="user"]').count() == turn + 1


# -- the first minutes of a new user (#26) ---------------------------------------------

#: Asked by the confidentiality test; none of their words may reach the server's output.
#: Two are answered, the last refused (a refusal names what the sources lack: "Middelburg");
#: in that order, so that :func:`ask` cannot take an earlier refusal for this answer's.
SECRET_QUESTIONS = (
    "Wat zeggen de bronnen over preventie in de wijk?",
    "Welke aanbevelingen doet de VNG?",
    "Hoeveel kost het nieuwe zwembad in Middelburg per jaar?",
)
TELLING_WORDS = ("preventie in de wijk", "aanbevelingen doet", "zwembad", "Middelburg")
TABS_NL = ["Chat", "Standpunten", "Concepthoofdstuk", "Documenten", "Instellingen"]
TABS_EN = ["Chat", "Positions", "Draft chapter", "Documents", "Settings"]


def wait_until(check: Callable[[], bool], seconds: float = 60) -> bool:
    """Poll ``check`` until it holds or ``seconds`` have passed; returns its last result."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_three_questions_leave_no_content_in_the_servers_output(page: Page, server: str) -> None:
    quotes = []
    for question in SECRET_QUESTIONS:
        turn = ask(page, question)
        quotes += page.locator(f"#ja-sources [id^='bron-{turn}-'] mark").all_inner_texts()
    assert len(quotes) >= 5 and "Middelburg" in page.inner_text("#ja-sources .ja-refused")
    log = LOG_OF[server]

    def audited() -> list[str]:
        text = log.read_text(encoding="utf-8", errors="replace")
        return [line for line in text.splitlines() if "route=ui:ask" in line]

    # Each answer leaves its audit line once the answer is done: its size, not its text.
    sizes = [f"question_chars={len(q)} " for q in SECRET_QUESTIONS]
    assert wait_until(lambda: all(any(s in line for line in audited()) for s in sizes)), audited()
    output = log.read_text(encoding="utf-8", errors="replace")
    assert "citations=" in output and "client=" in output
    started = [line for line in output.splitlines() if line.startswith("jeugdakkoord chat: ")]
    assert started and f"{server}" in started[0] and "JEUGDAKKOORD_PORT" in started[0]
    for text in (*SECRET_QUESTIONS, *TELLING_WORDS, *(q[:60] for q in quotes)):
        assert text not in output, f"the server's output holds {text!r}"


def tab_names(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("[role=tablist] [role=tab]").all_inner_texts()]


def test_each_tab_has_one_button_after_opening_tabs_and_switching_language(page: Page) -> None:
    assert tab_names(page) == TABS_NL
    for tab in ("docs", "settings", "positions", "chapter", "chat"):
        page.click(f"#ja-tab-{tab}-button")
        page.wait_for_selector(f"#ja-tab-{tab}-button[aria-selected=true]")
    assert tab_names(page) == TABS_NL
    page.click("#ja-lang label:has-text('English')")
    page.wait_for_function("document.querySelector('#ja-ask').innerText.trim() === 'Ask'")
    page.wait_for_function(
        "n => [...document.querySelectorAll('[role=tablist] [role=tab]')]"
        ".map(t => t.innerText.trim()).join('|') === n",
        arg="|".join(TABS_EN),
    )
    assert tab_names(page) == TABS_EN


#: Records in ``window.__spun`` whether the filter ever showed Gradio's loading status.
SPINNER_WATCH = """
window.__spun = false;
new MutationObserver(() => {
    const tracker = document.querySelector('#ja-filter [data-testid="status-tracker"]');
    if (tracker && !tracker.classList.contains('hide')
        && getComputedStyle(tracker).display !== 'none') window.__spun = true;
}).observe(document, {subtree: true, childList: true, attributes: true});
"""


def test_the_document_filter_shows_no_spinner_on_first_paint(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.add_init_script(SPINNER_WATCH)
        page.goto(server)
        page.wait_for_selector("#ja-ask")
        page.click("#ja-filter input")  # its choices come with the page's first read
        page.wait_for_function("document.querySelectorAll('ul[role=listbox] li').length >= 3")
        assert page.evaluate("window.__spun") is False
    finally:
        context.close()


def test_the_positions_empty_state_follows_the_language(page: Page) -> None:
    page.click("#ja-tab-positions-button")
    assert "Kies een onderwerp" in page.inner_text("#ja-positions")
    page.click("#ja-lang label:has-text('English')")
    page.wait_for_function(
        "document.querySelector('#ja-positions').innerText.includes('Choose a topic')"
    )
    assert "Kies" not in page.inner_text("#ja-positions")


#: How many lines each header of the documents table takes.
HEADER_LINES = """() => [...document.querySelectorAll('#ja-docs thead th .header')].map(s => {
    const range = document.createRange();
    range.selectNodeContents(s);
    return [s.innerText, new Set([...range.getClientRects()].map(r => Math.round(r.top))).size];
})"""


@pytest.mark.parametrize("width", [1400, 1024])
def test_the_documents_table_headers_stay_on_one_line(
    browser: Browser, server: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(server)
        page.click("#ja-tab-docs-button")
        page.wait_for_function("document.querySelector('#ja-docs')?.innerText.includes('Uitgever')")
        lines = dict(page.evaluate(HEADER_LINES))
        assert lines["Pagina's"] == 1 and set(lines.values()) == {1}, lines
    finally:
        context.close()


def test_every_source_card_of_an_overview_names_publisher_and_item(page: Page) -> None:
    turn = ask(page, "Welke aanbevelingen doet de VNG?")
    cards = page.locator(f"#ja-sources [id^='bron-{turn}-']")
    assert cards.count() >= 4
    for i in range(cards.count()):
        meta = cards.nth(i).locator(".ja-meta")
        assert meta.count() == 1, cards.nth(i).inner_text()
        assert "VNG" in meta.inner_text() and "item" in meta.inner_text(), meta.inner_text()


def test_a_malformed_upload_fails_alone_is_listed_and_deleted(
    own: tuple[Page, Settings], tmp_path: Path
) -> None:
    """Issue #29: an .odt with ``text:c="abc"`` stopped every later ingest ("Fout" only, the
    file not offered for deletion); now it fails alone and the good upload beside it is added.
    The tab names the folder, never the server's path, and has a stop button."""
    from tests.hostile_files import odt_spaces

    page, ui_settings = own
    bad = odt_spaces(tmp_path / "kapot.odt", "abc")
    good = tmp_path / "zwemles.txt"
    good.write_text("Sport\n\nIeder kind krijgt gratis zwemles in groep vijf.\n", "utf-8")
    result = upload(page, bad, good)
    assert "zwemles.txt: toegevoegd" in result, result
    reason = "beschadigd of geen geldig bestand: malformed ODT: text:c is not a number ('abc')"
    assert f"kapot.odt: niet geïndexeerd — {reason}" in result, result
    assert "mislukt: beschadigd of geen geldig bestand" in docs_table(page)
    info = page.inner_text("#ja-tab-docs")
    assert str(ui_settings.corpus_dirs[0]) not in info and "de map corpus" in info
    assert page.locator("#ja-cancel").is_visible()
    page.click("#ja-delete-pick input")
    page.click("ul[role=listbox] li:has-text('kapot.odt')")
    page.keyboard.press("Escape")
    page.click("#ja-delete")
    page.wait_for_function(
        "document.querySelector('#ja-result textarea').value.includes('verwijderd')",
        timeout=120_000,
    )
    assert not (ui_settings.corpus_dirs[0] / "kapot.odt").exists()
    assert "kapot.odt" not in docs_table(page)
