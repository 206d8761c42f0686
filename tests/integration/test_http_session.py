"""The chat server's password, session and origin rules (issue #29, items 4 and 10), against
a running ``jeugdakkoord chat`` with ``JEUGDAKKOORD_AUTH`` set.

Clients are told apart by the ``X-Forwarded-For`` address a listed proxy (127.0.0.1, the
tests) names, so each test counts failed logins for addresses of its own.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from urllib.parse import urlsplit

import httpx
import pytest

from assistant.core.settings import Settings
from tests.servers import chat_server
from tests.small_index import form_token, log_in, small_index

USER, PASSWORD = "onderhandelaar", "ge:heim"
LISTED = "https://akkoord.gemeente.example"
FOREIGN = "http://127.0.0.1:9"  # another local program's page: same site, other origin
_addresses = count(1)


def address() -> dict[str, str]:
    """Headers of a client at an address no other test uses."""
    n = next(_addresses)
    return {"X-Forwarded-For": f"198.51.{n // 250}.{n % 250 + 1}"}


@contextmanager
def locked_server(settings: Settings) -> Iterator[str]:
    with chat_server(
        settings,
        JEUGDAKKOORD_AUTH=f"{USER}:{PASSWORD}",
        JEUGDAKKOORD_TRUSTED_PROXIES="127.0.0.1",
        JEUGDAKKOORD_ORIGINS=LISTED,
    ) as url:
        yield url


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return small_index(tmp_path_factory)


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[str]:
    with locked_server(settings) as url:
        yield url


@pytest.fixture
def browser(server: str) -> Iterator[httpx.Client]:
    """A client with a session (logged in from an address of its own)."""
    with httpx.Client(timeout=60, headers=address()) as client:
        assert log_in(client, server, USER, PASSWORD).status_code == 200
        yield client


def assert_security_headers(response: httpx.Response) -> None:
    assert response.headers["x-frame-options"] == "DENY", response.headers
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "config"),
        ("GET", "openapi.json"),
        ("GET", "gradio_api/openapi.json"),
        ("GET", "gradio_api/info"),
        ("GET", "gradio_api/startup-events"),
        ("GET", "gradio_api/app_id"),
        ("GET", "gradio_api/user"),
        ("GET", "gradio_api/token"),
        ("GET", "gradio_api/heartbeat/abcdef"),
        ("GET", "theme.css"),
        ("GET", "api/health"),
        ("GET", "api/nothing"),
        ("POST", "gradio_api/cancel"),
        ("POST", "gradio_api/reset"),
        ("POST", "gradio_api/queue/join"),
        ("POST", "gradio_api/upload"),
    ],
)
def test_without_a_session_every_route_answers_401(server: str, method: str, path: str) -> None:
    body = {"session_hash": "abcdef", "fn_index": 0, "event_id": "x", "data": []}
    response = httpx.request(method, server + path, json=body, timeout=30)
    assert response.status_code == 401, (path, response.status_code, response.text[:200])
    assert_security_headers(response)


def test_the_login_page_carries_a_token_and_not_the_apps_description(server: str) -> None:
    page = httpx.get(server, timeout=30)
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    assert "gradio_api_info" not in page.text and "gradio_config" not in page.text
    assert page.headers["cache-control"] == "no-store"
    assert_security_headers(page)


def test_a_session_opens_the_app(browser: httpx.Client, server: str) -> None:
    assert browser.get(server + "config").status_code == 200
    assert browser.get(server + "gradio_api/user").json() == USER
    assert "gradio_config" in browser.get(server).text


def test_the_session_cookie_is_httponly_and_same_site(server: str) -> None:
    with httpx.Client(timeout=30, headers=address()) as client:
        response = log_in(client, server, USER, PASSWORD)
    cookies = response.headers.get_list("set-cookie")
    session = [c for c in cookies if c.startswith("jeugdakkoord-session-")]
    assert len(session) == 1, cookies
    attributes = {a.strip().lower() for a in session[0].split(";")[1:]}
    assert "httponly" in attributes and "samesite=lax" in attributes, session
    assert all("samesite=none" not in c.lower() for c in cookies), cookies


def test_logging_out_takes_a_post_from_this_servers_page(
    browser: httpx.Client, server: str
) -> None:
    refused = browser.get(server + "logout", follow_redirects=False)
    assert refused.status_code == 405 and refused.headers["allow"] == "POST"
    foreign = browser.post(server + "logout", headers={"Origin": FOREIGN})
    assert foreign.status_code == 403
    assert browser.get(server + "config").status_code == 200  # still logged in
    out = browser.post(server + "logout", headers={"Origin": server.rstrip("/")})
    assert out.status_code == 303
    assert browser.get(server + "config").status_code == 401


@pytest.mark.parametrize(
    "foreign",
    [
        {"Origin": FOREIGN},
        {"Origin": "null"},  # a page that hides its origin
        {"Sec-Fetch-Site": "same-site"},
        {"Referer": FOREIGN + "/aanval.html"},
    ],
)
def test_a_login_from_another_pages_is_refused_and_not_counted(
    server: str, foreign: dict[str, str]
) -> None:
    headers = address()
    with httpx.Client(timeout=30, headers=headers) as client:
        token = form_token(client, server)
        for _ in range(12):
            refused = log_in(client, server, USER, "fout", token, foreign)
            assert refused.status_code == 403, refused.text
        assert log_in(client, server, USER, PASSWORD, token).status_code == 200


def test_a_login_without_the_pages_token_is_refused_and_not_counted(server: str) -> None:
    with httpx.Client(timeout=30, headers=address()) as client:
        token = form_token(client, server)
        expires, nonce, signature = token.split(".")
        for forged in ("", "1.2.3", f"{int(expires) + 1}.{nonce}.{signature}"):
            for _ in range(4):
                refused = log_in(client, server, USER, "fout", forged)
                assert refused.status_code == 403, refused.text
        no_token = client.post(server + "login", data={"username": USER, "password": PASSWORD})
        assert no_token.status_code == 403
        assert log_in(client, server, USER, PASSWORD, token).status_code == 200


def test_wrong_passwords_lock_out_only_their_own_client(server: str) -> None:
    with httpx.Client(timeout=30, headers=address()) as guesser:
        for _ in range(10):
            assert log_in(guesser, server, USER, "fout").status_code == 400
        blocked = log_in(guesser, server, USER, PASSWORD)
        assert blocked.status_code == 429 and 1 <= int(blocked.headers["retry-after"]) <= 60
    with httpx.Client(timeout=30, headers=address()) as user:
        assert log_in(user, server, USER, PASSWORD).status_code == 200


def test_a_flood_on_the_account_does_not_lock_out_a_browser_that_logged_in_before(
    server: str,
) -> None:
    """50 wrong passwords from five addresses block the account for new clients; the
    browser that logged in before (its device cookie) still gets in, which clears the
    account's count again."""
    with httpx.Client(timeout=30, headers=address()) as known:
        assert log_in(known, server, USER, PASSWORD).status_code == 200
        for _ in range(5):
            with httpx.Client(timeout=30, headers=address()) as guesser:
                for _ in range(10):
                    assert log_in(guesser, server, USER, "fout").status_code == 400
        with httpx.Client(timeout=30, headers=address()) as stranger:
            blocked = log_in(stranger, server, USER, PASSWORD)
            assert blocked.status_code == 429, blocked.text
        again = log_in(known, server, USER, PASSWORD)
        assert again.status_code == 200, again.text
    with httpx.Client(timeout=30, headers=address()) as stranger:
        assert log_in(stranger, server, USER, PASSWORD).status_code == 200


def test_cors_answers_only_listed_origins(browser: httpx.Client, server: str) -> None:
    for origin in (FOREIGN, "http://localhost:7861", "http://127.0.0.1:8000"):
        read = browser.get(server + "config", headers={"Origin": origin})
        assert read.status_code == 200
        assert "access-control-allow-origin" not in read.headers, (origin, read.headers)
        preflight = browser.options(
            server + "gradio_api/queue/join",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in preflight.headers
    listed = browser.get(server + "config", headers={"Origin": LISTED})
    assert listed.headers["access-control-allow-origin"] == LISTED
    assert listed.headers["access-control-allow-credentials"] == "true"


def test_the_app_does_not_show_the_servers_paths(
    browser: httpx.Client, server: str, settings: Settings
) -> None:
    config = browser.get(server + "config").text
    for folder in (*settings.corpus_dirs, settings.index_dir):
        assert str(folder) not in config and str(folder.parent) not in config


def test_a_body_over_the_limit_gets_413_before_the_password_is_asked(server: str) -> None:
    """A 300 MB body is refused from its Content-Length, unread and without a session."""
    where = urlsplit(server)
    request = (
        "POST /gradio_api/queue/join HTTP/1.1\r\n"
        f"Host: {where.netloc}\r\nContent-Type: application/json\r\n"
        "Content-Length: 300000000\r\n\r\n"
    ).encode()
    with socket.create_connection((where.hostname, where.port), timeout=30) as sock:
        sock.sendall(request + b'{"data": [')
        answer = sock.recv(65536).decode("latin-1")
    status, *lines = answer.split("\r\n\r\n")[0].split("\r\n")
    assert " 413 " in status, answer[:300]
    headers = dict(line.lower().split(": ", 1) for line in lines)
    assert headers["x-frame-options"] == "deny", headers
