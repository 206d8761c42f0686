"""The chat page under its Content-Security-Policy, in Debian's chromium against a running
``jeugdakkoord chat``: the page works (an answer streams in) and the browser reports no
policy violation; a foreign Host header (DNS rebinding) is refused by the real server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import sync_playwright

from assistant.core.settings import Settings
from tests.browser.test_chat_ui import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import small_corpus
from tests.servers import chat_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from ingest.pipeline import ingest

    base = tmp_path_factory.mktemp("csp")
    settings = Settings(corpus_dirs=(small_corpus(base / "corpus"),), index_dir=base / "index")
    assert ingest(settings).ok
    with chat_server(settings) as url:
        yield url


def test_the_page_works_under_its_policy_without_violations(server: str) -> None:
    policy = httpx.get(server, timeout=30).headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(60_000)
            console: list[str] = []
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.add_init_script(
                "window.__violations = [];"
                "document.addEventListener('securitypolicyviolation', e => window.__violations"
                ".push(e.violatedDirective + ' ' + e.blockedURI));"
            )
            page.goto(server)
            page.fill("#ja-question textarea", "Wat doen scholen en lokale teams samen?")
            page.click("#ja-ask")
            page.wait_for_selector("#ja-sources [id^='bron-0-'], #ja-sources .ja-refused")
            assert "leerlingen" in page.inner_text("#ja-sources")
            page.click("#ja-tab-docs-button")
            page.wait_for_selector("#ja-docs")
            violations = page.evaluate("window.__violations")
        finally:
            browser.close()
    csp_console = [m for m in console if "Content Security Policy" in m or "CSP" in m]
    assert violations == [] and csp_console == [], (violations, csp_console)


def test_the_real_server_refuses_a_rebound_host_name(server: str) -> None:
    refused = httpx.get(server, headers={"host": "rebind.attacker.example"}, timeout=30)
    assert refused.status_code == 400
    assert httpx.get(server, timeout=30).status_code == 200
