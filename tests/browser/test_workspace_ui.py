"""The Standpunten and Concepthoofdstuk tabs in a real browser (Debian's chromium, Playwright)
against ``jeugdakkoord chat`` in a subprocess: a two-clause chapter is built from an answer and
a position, reordered, edited, downloaded as .docx with footnotes; a second tab's stale edit
is refused with a warning; the chapter is still there after a server restart."""

from __future__ import annotations

import io
import json
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from docx import Document
from playwright.sync_api import Browser, Page, sync_playwright

from assistant.core.settings import Settings
from tests.browser.test_chat_ui import (  # ui_settings: module-scoped, a fresh copy here
    CHROMIUM,
    CHROMIUM_ARGS,
    MARKET,
    ask,
    ui_settings,  # noqa: F401
)
from tests.servers import chat_server

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser: Browser, url: str) -> Page:
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="nl-NL"
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.wait_for_selector("#ja-ask")
    return page


def pick(page: Page, n: int, contains: str) -> None:
    """Choose clause ``n`` in the chapter tab; wait until its text (containing ``contains``)
    is in the edit box."""
    page.fill("#ja-clause-pos input", str(n))
    page.press("#ja-clause-pos input", "Enter")
    page.wait_for_function(
        "s => document.querySelector('#ja-clause-text textarea').value.includes(s)", arg=contains
    )


def first_clause_has(page: Page, text: str) -> None:
    page.wait_for_function(
        "s => document.querySelector(\".ja-clause[data-clause='1']\").innerText.includes(s)",
        arg=text,
    )


def footnote_texts(path: Path) -> list[str]:
    """The text of each real footnote (not the separators) in a .docx."""
    root = ElementTree.fromstring(zipfile.ZipFile(path).read("word/footnotes.xml"))
    return [
        "".join(t.text or "" for t in note.iter(f"{W}t"))
        for note in root.iter(f"{W}footnote")
        if int(note.get(f"{W}id", "0")) > 0
    ]


def chapter_api(url: str) -> dict[str, object]:
    with urllib.request.urlopen(f"{url}api/chapters/concepthoofdstuk", timeout=30) as r:
        return dict(json.loads(r.read()))


def test_build_reorder_edit_download_and_keep_a_chapter(
    browser: Browser,
    ui_settings: Settings,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    with chat_server(ui_settings) as url:
        page = open_page(browser, url)
        # 1. The clause of an answer.
        ask(page, MARKET)
        page.click("#ja-add-clause")
        page.wait_for_function(
            "() => document.querySelector('#ja-add-status').innerText.includes('nu 1')"
        )
        # 2. A document's position on a topic.
        page.click("#ja-tab-positions-button")
        page.fill("#ja-topic textarea", "onderwijs en jeugd")
        page.click("#ja-compare")
        page.wait_for_selector(".ja-position[data-doc^='vng'] blockquote")
        vng = page.inner_text(".ja-position[data-doc^='vng']")
        jn = page.inner_text(".ja-position[data-doc^='jeugdzorg']")
        assert "aanbeveling 4" in vng and "tekstsuggestie 7" in jn
        page.click("#ja-add-position")  # the first document that addresses it: VNG
        page.wait_for_function(
            "() => document.querySelector('#ja-position-status').innerText.includes('nu 2')"
        )
        # 3. The chapter: two clauses; move the second up; edit it.
        page.click("#ja-tab-chapter-button")
        page.wait_for_function("() => document.querySelectorAll('.ja-clause').length === 2")
        assert "marktwerking" in page.inner_text(".ja-clause[data-clause='1']")
        pick(page, 2, "onderwijs")
        page.click("#ja-up")
        first_clause_has(page, "onderwijs")
        pick(page, 1, "onderwijs")
        text = page.input_value("#ja-clause-text textarea")
        page.fill("#ja-clause-text textarea", text.replace("Wij brengen", "Wij voegen"))
        page.click("#ja-save-clause")
        first_clause_has(page, "bewerkt")
        # 4. A second tab that still shows the old version cannot overwrite the edit.
        other = open_page(browser, url)
        other.click("#ja-tab-chapter-button")
        other.wait_for_function("() => document.querySelectorAll('.ja-clause').length === 2")
        page.click("#ja-tab-positions-button")
        page.click("#ja-tab-chapter-button")  # re-read; then change the order in tab one
        pick(page, 2, "markt")
        page.click("#ja-up")
        first_clause_has(page, "marktwerking")
        pick(other, 1, "Wij")
        other.fill("#ja-clause-text textarea", "Wij overschrijven alles.")
        other.click("#ja-save-clause")
        other.wait_for_selector("#ja-chapter-status .ja-warning")
        assert "elders gewijzigd" in other.inner_text("#ja-chapter-status")
        saved = chapter_api(url)
        texts = [c["text"] for c in saved["clauses"]]  # type: ignore[attr-defined]
        assert not any("overschrijven" in t for t in texts)
        assert "marktwerking" in texts[0] and "Wij voegen" in texts[1]
        # 5. Download the .docx: the two clauses, one real footnote per cited source.
        page.click("#ja-export-chapter")
        page.wait_for_selector("#ja-chapter-docx", state="visible")
        with page.expect_download() as download:
            page.click("#ja-chapter-docx")
        path = tmp_path / "hoofdstuk.docx"
        download.value.save_as(path)
        doc = Document(io.BytesIO(path.read_bytes()))
        paragraphs = [p.text for p in doc.paragraphs if p.text.strip()]
        assert len(paragraphs) == 3 and "marktwerking" in paragraphs[1]
        notes = footnote_texts(path)
        sources = sum(len(c["sources"]) for c in saved["clauses"])  # type: ignore[attr-defined]
        assert len(notes) == sources >= 2
        assert any("Jeugdzorg Nederland" in n and "tekstsuggestie 2" in n for n in notes)
        page.context.close()
        other.context.close()
    # 6. After a restart the chapter is still there, edit mark and all.
    with chat_server(ui_settings) as url:
        again = chapter_api(url)
        assert [c["text"] for c in again["clauses"]] == texts  # type: ignore[attr-defined]
        assert [c["edited"] for c in again["clauses"]] == [False, True]  # type: ignore[attr-defined]
