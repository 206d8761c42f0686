"""A page of another local origin against the chat server's login, in Debian's chromium
(issue #29, items 3 and 4): the user is logged in; a page served by another program on
127.0.0.1 (same site, other port) tries to read the app, posts twelve wrong passwords to
``/login``, uploads a file and calls ``/logout``. Nothing of it works or counts: the user is
still logged in, and a fresh browser on the same address still gets in."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.test_chat_ui import CHROMIUM, CHROMIUM_ARGS
from tests.servers import chat_server, free_port
from tests.small_index import small_index

USER, PASSWORD = "onderhandelaar", "ge:heim"

ATTACK = """<!doctype html><html><body><p>Leuke aanbiedingen</p>
<form id="f" method="post" target="sink" action="TARGETlogin">
<input name="username" value="USER"><input name="password" value="fout-form">
</form><iframe name="sink"></iframe>
<script>
const target = "TARGET";
async function attack() {
  const seen = {};
  try {
    const read = await fetch(target + "config", {credentials: "include"});
    seen.read = "read " + read.status;
  } catch (e) { seen.read = "blocked"; }
  for (let i = 0; i < 12; i++) {
    const body = new URLSearchParams({username: "USER", password: "fout" + i});
    await fetch(target + "login", {
      method: "POST", mode: "no-cors", credentials: "include", body,
      referrerPolicy: i % 2 ? "no-referrer" : "unsafe-url",
    });
  }
  const files = new FormData();
  files.append("files", new Blob(["aanval"]), "aanval-upload.txt");
  await fetch(target + "gradio_api/upload", {
    method: "POST", mode: "no-cors", credentials: "include", body: files,
  });
  await fetch(target + "logout", {mode: "no-cors", credentials: "include"});
  document.getElementById("f").submit();
  seen.done = true;
  return seen;
}
attack().then((seen) => { window.__attack = seen; });
</script></body></html>"""


@dataclass(frozen=True)
class Setup:
    url: str
    uploads: Path
    attacker: str


def attacker_page(target: str) -> tuple[ThreadingHTTPServer, str]:
    """The attacking page, served on another port of 127.0.0.1."""
    page = ATTACK.replace("TARGET", target).replace("USER", USER).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/aanbieding.html"


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    settings = small_index(tmp_path_factory)
    uploads = tmp_path_factory.mktemp("login-uploads")
    env = {"JEUGDAKKOORD_AUTH": f"{USER}:{PASSWORD}", "GRADIO_TEMP_DIR": str(uploads)}
    with chat_server(settings, **env) as url:
        httpd, attacker = attacker_page(url)
        try:
            yield Setup(url, uploads, attacker)
        finally:
            httpd.shutdown()


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def log_in(page: Page, url: str) -> None:
    page.goto(url)
    page.fill("#ja-login input[name=username]", USER)
    page.fill("#ja-login input[name=password]", PASSWORD)
    page.click("#ja-login button")
    page.wait_for_selector("#ja-question textarea")  # the app, after the page reloads


def test_another_local_pages_logins_are_refused_and_do_not_count(
    setup: Setup, browser: Browser
) -> None:
    user = browser.new_context()
    page = user.new_page()
    page.set_default_timeout(90_000)
    log_in(page, setup.url)

    other = user.new_page()
    other.goto(setup.attacker)
    other.wait_for_function("window.__attack && window.__attack.done", timeout=60_000)
    seen = other.evaluate("window.__attack")
    assert seen["read"] == "blocked", seen  # no CORS for another origin, cookies or not
    other.wait_for_timeout(500)  # the form post into its iframe

    page.reload()  # the cross-site GET /logout did not end the session
    page.wait_for_selector("#ja-question textarea")
    assert not page.query_selector("#ja-login")

    fresh = browser.new_context()  # no cookies: counted by its address like the attacker
    again = fresh.new_page()
    again.set_default_timeout(90_000)
    log_in(again, setup.url)  # not 429: the wrong passwords were refused before counting
    assert not [n for _, _, names in os.walk(setup.uploads) for n in names if "aanval" in n]
    user.close()
    fresh.close()


def test_the_login_page_says_why_a_login_failed(setup: Setup, browser: Browser) -> None:
    page = browser.new_page(locale="nl-NL")
    page.set_default_timeout(90_000)
    page.goto(setup.url)
    page.fill("#ja-login input[name=username]", USER)
    page.fill("#ja-login input[name=password]", "fout")
    page.click("#ja-login button")
    page.wait_for_function("document.querySelector('#ja-login-error').innerText.length > 0")
    assert "Onjuiste gebruikersnaam of wachtwoord" in page.inner_text("#ja-login-error")
