"""HTTP hardening of the chat server (page + API), in process on the real app and index:
Host header, security headers, the schema behind the password, failed-login limiting,
capped history turns and unknown document ids."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings
from assistant.server import build_server

MARKET = "What should we write about market forces?"
VNG = "vng-aanjager-brede-aanpak-jeugd-2026-03-24"
USER, PASSWORD = "onderhandelaar", "ge:heim"


@pytest.fixture(scope="module")
def assistant(real_index: Settings) -> Assistant:
    return Assistant(real_index)


@pytest.fixture
def client(real_index: Settings, assistant: Assistant) -> Iterator[TestClient]:
    settings = real_index.with_(allowed_hosts=("akkoord.gemeente.example",))
    with TestClient(
        build_server(settings, "127.0.0.1", assistant), base_url="http://localhost"
    ) as c:
        yield c


@pytest.fixture
def locked(real_index: Settings, assistant: Assistant) -> Iterator[TestClient]:
    """A server with a password (a fresh failed-login count for each test)."""
    settings = real_index.with_(auth=f"{USER}:{PASSWORD}")
    with TestClient(build_server(settings, "0.0.0.0", assistant), base_url="http://localhost") as c:
        yield c


@pytest.mark.parametrize("path", ["/", "/api/health", "/config", "/gradio_api/info"])
def test_a_foreign_host_name_is_refused(client: TestClient, path: str) -> None:
    """DNS rebinding: a page on rebind.attacker.example whose name now points at 127.0.0.1."""
    refused = client.get(path, headers={"host": "rebind.attacker.example:7860"})
    assert refused.status_code == 400
    assert "JEUGDAKKOORD_ALLOWED_HOSTS" in refused.json()["error"]
    for host in ("localhost:7860", "127.0.0.1:7860", "[::1]:7860", "akkoord.gemeente.example"):
        assert client.get(path, headers={"host": host}).status_code == 200, host


def test_a_queue_call_for_a_foreign_host_is_refused(client: TestClient) -> None:
    joined = client.post(
        "/gradio_api/queue/join",
        json={"data": [], "fn_index": 0, "session_hash": "x"},
        headers={"host": "rebind.attacker.example"},
    )
    assert joined.status_code == 400


@pytest.mark.parametrize("path", ["/", "/api/health", "/api/nothing"])
def test_every_response_forbids_framing_and_other_origins(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    policy = dict(
        (d.split()[0], d.split()[1:])
        for d in response.headers["content-security-policy"].split("; ")
    )
    assert policy["frame-ancestors"] == ["'none'"] and policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    sources = {s for values in policy.values() for s in values}
    # Only this server (and the data:/blob: URLs the page builds itself): no other origin.
    assert sources <= {"'self'", "'none'", "'unsafe-inline'", "'unsafe-eval'", "data:", "blob:"}, (
        sources
    )


def test_the_schema_needs_the_password_when_one_is_set(
    client: TestClient, locked: TestClient
) -> None:
    assert "/ask" in client.get("/api/openapi.json").json()["paths"]  # no password set
    refused = locked.get("/api/openapi.json")
    assert refused.status_code == 401 and "paths" not in refused.text
    assert locked.get("/api/openapi.json", auth=(USER, "fout")).status_code == 401
    schema = locked.get("/api/openapi.json", auth=(USER, PASSWORD)).json()
    assert {"/ask", "/search", "/health"} <= set(schema["paths"])


def test_http_basic_is_limited_after_ten_wrong_passwords(locked: TestClient) -> None:
    for _ in range(10):
        assert locked.get("/api/health", auth=(USER, "fout")).status_code == 401
    blocked = locked.get("/api/health", auth=(USER, "fout"))
    assert blocked.status_code == 429 and "too many failed logins" in blocked.json()["error"]
    assert 1 <= int(blocked.headers["retry-after"]) <= 60
    # Blocked means blocked: the right password does not get through either (no oracle).
    assert locked.get("/api/health", auth=(USER, PASSWORD)).status_code == 429


def _form(client: TestClient, password: str) -> dict[str, str]:
    """The login form as the login page sends it (with the page's token)."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert token, "no login form"
    return {"username": USER, "password": password, "csrf_token": token.group(1)}


def test_the_login_page_is_limited_and_shares_the_count(locked: TestClient) -> None:
    for _ in range(5):
        assert locked.get("/api/health", auth=(USER, "fout")).status_code == 401
    for _ in range(5):
        assert locked.post("/login", data=_form(locked, "fout")).status_code == 400
    blocked = locked.post("/login", data=_form(locked, PASSWORD))
    assert blocked.status_code == 429 and 1 <= int(blocked.headers["retry-after"]) <= 60


def _behind_proxy(settings: Settings, assistant: Assistant, proxies: tuple[str, ...]) -> TestClient:
    """A locked server whose connections all come from 127.0.0.1, a reverse proxy's address."""
    settings = settings.with_(auth=f"{USER}:{PASSWORD}", trusted_proxies=proxies)
    server = build_server(settings, "0.0.0.0", assistant)
    return TestClient(server, base_url="http://localhost", client=("127.0.0.1", 40000))


def _as(client: str) -> dict[str, str]:
    return {"X-Forwarded-For": client}


def test_behind_a_listed_proxy_each_forwarded_client_has_its_own_count(
    real_index: Settings, assistant: Assistant
) -> None:
    with _behind_proxy(real_index, assistant, ("127.0.0.1",)) as proxy:
        for _ in range(10):
            wrong = proxy.get("/api/health", auth=(USER, "fout"), headers=_as("203.0.113.7"))
            assert wrong.status_code == 401
        blocked = proxy.get("/api/health", auth=(USER, "fout"), headers=_as("203.0.113.7"))
        assert blocked.status_code == 429
        other = proxy.get("/api/health", auth=(USER, PASSWORD), headers=_as("203.0.113.8"))
        assert other.status_code == 200  # another user behind the same proxy is not locked out


def test_a_connection_that_is_no_listed_proxy_cannot_choose_its_address(
    real_index: Settings, assistant: Assistant
) -> None:
    with _behind_proxy(real_index, assistant, ("10.0.0.0/8",)) as direct:
        for n in range(10):  # a new forged address each time
            forged = _as(f"198.51.100.{n}")
            assert direct.get("/api/health", auth=(USER, "fout"), headers=forged).status_code == 401
        again = direct.get("/api/health", auth=(USER, "fout"), headers=_as("198.51.100.99"))
        assert again.status_code == 429


def test_the_login_page_lets_the_right_password_in(locked: TestClient) -> None:
    assert locked.post("/login", data=_form(locked, "fout")).status_code == 400
    ok = locked.post("/login", data=_form(locked, PASSWORD))
    assert ok.status_code == 200 and ok.json() == {"success": True}


def test_each_history_turn_is_capped_like_the_question(client: TestClient) -> None:
    long_turn = client.post("/api/ask", json={"question": MARKET, "history": ["a" * 100_001]})
    assert long_turn.status_code == 422 and "history.0" in long_turn.json()["error"]
    fits = client.post("/api/ask", json={"question": MARKET, "history": ["a" * 1000]})
    assert fits.status_code == 200


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/search", {"query": MARKET}),
        ("/api/ask", {"question": MARKET}),
        ("/api/compare", {"topic": "marktwerking"}),
        ("/api/matrix", {"topics": ["marktwerking"], "defaults": False}),
    ],
)
def test_unknown_doc_ids_are_refused_by_name(client: TestClient, path: str, body: dict) -> None:  # type: ignore[type-arg]
    refused = client.post(path, json={**body, "doc_ids": [VNG, "bestaat-niet", "ook-niet"]})
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert "'bestaat-niet'" in error and "'ook-niet'" in error and VNG not in error
    assert client.post(path, json={**body, "doc_ids": [VNG]}).status_code == 200
