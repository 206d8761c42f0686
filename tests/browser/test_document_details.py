"""Issue 25 in a real browser: the Documents tab marks what was inferred from a user's own
document and saves a corrected date to the manifest (``jeugdakkoord chat`` on a corpus of the
test's own: a browser-printed regulation without a manifest entry)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from assistant.core.settings import Settings
from assistant.store.index import read_current
from ingest.pipeline import ingest
from tests.browser.test_chat_ui import browser, docs_table, open_page  # noqa: F401 - fixture
from tests.servers import chat_server
from tests.unit.test_metadata import browser_print

FILE = "verordening-jeugdhulp.pdf"


@pytest.fixture
def details_page(browser: Browser, tmp_path: Path) -> Iterator[tuple[Page, Settings]]:  # noqa: F811
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    browser_print(corpus / FILE)
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    assert ingest(settings).ok
    with chat_server(settings) as url, open_page(browser, url) as page:
        yield page, settings


def test_inferred_details_are_marked_and_a_corrected_date_is_saved(
    details_page: tuple[Page, Settings],
) -> None:
    page, settings = details_page
    page.click("#ja-tab-docs-button")
    page.wait_for_function(f"document.querySelector('#ja-docs')?.innerText.includes('{FILE}')")
    table = docs_table(page)
    assert "Verordening jeugdhulp gemeente Waterveen 2025 (afgeleid)" in table
    assert "Gemeente Waterveen (afgeleid)" in table and "Lokale wet- en regelgeving" not in table
    page.click("#ja-meta")  # the accordion
    page.click("#ja-meta-pick input")
    page.click(f"ul[role=listbox] li:has-text('{FILE}')")
    page.keyboard.press("Escape")
    page.wait_for_function(
        "document.querySelector('#ja-meta-date textarea, #ja-meta-date input').value"
        " === '2025-03-13'"
    )
    page.fill("#ja-meta-date textarea, #ja-meta-date input", "1 april 2025")
    page.click("#ja-meta-save")
    page.wait_for_function(
        "document.querySelector('#ja-result textarea').value.includes('De index is bijgewerkt')",
        timeout=120_000,
    )
    result = page.input_value("#ja-result textarea")
    assert "0 passages opnieuw ingebed" in result, result
    page.wait_for_function("document.querySelector('#ja-docs')?.innerText.includes('2025-04-01')")
    table = docs_table(page)
    assert "2025-04-01" in table and "2025-04-01 (afgeleid)" not in table
    manifest = tomllib.loads((settings.corpus_dirs[0] / "manifest.toml").read_text("utf-8"))
    assert manifest["document"] == [{"file": FILE, "date": "2025-04-01"}]
    gen = read_current(settings.index_dir)
    assert gen is not None and gen.files[FILE].date == "2025-04-01"
    # The language switch relabels the editor and re-reads the table in English.
    page.click("#ja-lang label:has-text('English')")
    page.wait_for_function(
        "document.querySelector('#ja-meta').innerText.includes(\"Edit a document's details\")"
    )
    page.wait_for_function("document.querySelector('#ja-docs')?.innerText.includes('(inferred)')")
    assert "Gemeente Waterveen (inferred)" in docs_table(page)
