"""``/api/feedback`` (issue #28) on the real app and index: 201 with the judgement, list,
delete, 422 naming the field, 429 for a flood, the password's user as label, nothing of it
in the audit line; and twenty HTTP clients giving feedback while asking."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings
from assistant.serve.api import FEEDBACK_PER_MINUTE
from assistant.server import build_server
from tests.servers import LOG_OF, chat_server

MARKET = "What should we write about market forces?"
SECRET = "Krijgt de wethouder van partij Xylofoon jeugd in portefeuille?"


@pytest.fixture
def settings(real_index: Settings, tmp_path: Path) -> Settings:
    return real_index.with_(feedback_db=str(tmp_path / "feedback.sqlite"))


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(
        build_server(settings, "127.0.0.1", Assistant(settings)), base_url="http://localhost"
    ) as c:
        yield c


def _chunk(client: TestClient) -> str:
    found = client.post("/api/search", json={"query": MARKET, "k": 1}).json()
    return str(found["results"][0]["chunk_id"])


def test_record_list_and_delete(client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    chunk = _chunk(client)
    capsys.readouterr()
    made = client.post(
        "/api/feedback",
        json={"question": SECRET, "chunk_id": chunk, "verdict": "wrong", "reason": "wrong_page"},
    )
    assert made.status_code == 201, made.text
    judgement = made.json()
    assert (judgement["chunk_id"], judgement["verdict"], judgement["reason"]) == (
        chunk, "wrong", "wrong_page",
    )  # fmt: skip
    assert judgement["state"] == "live" and judgement["user"] == ""
    audit = [x for x in capsys.readouterr().err.splitlines() if x.startswith("audit ")]
    assert len(audit) == 1 and "route=/api/feedback status=201" in audit[0]
    assert "feedback=1" in audit[0] and "Xylofoon" not in audit[0] and chunk not in audit[0]

    listed = client.get("/api/feedback").json()["judgements"]
    assert [j["id"] for j in listed] == [judgement["id"]]
    assert client.delete(f"/api/feedback/{judgement['id']}").json() == {"deleted": judgement["id"]}
    again = client.delete(f"/api/feedback/{judgement['id']}")
    assert again.status_code == 404 and str(judgement["id"]) in again.json()["error"]
    assert client.get("/api/feedback").json()["judgements"] == []


def test_bad_feedback_gets_422_naming_the_field(client: TestClient) -> None:
    chunk = _chunk(client)
    good = {"question": MARKET, "chunk_id": chunk, "verdict": "right", "reason": ""}
    for change, field in (
        ({"reason": "x" * 100_000}, "reason"),
        ({"reason": "because"}, "reason"),
        ({"chunk_id": "nope"}, "chunk_id"),
        ({"verdict": ""}, "verdict"),
        ({"verdict": "maybe"}, "verdict"),
        ({"question": " "}, "question"),
    ):
        bad = client.post("/api/feedback", json={**good, **change})
        assert bad.status_code == 422, (change, bad.text)
        assert field in bad.json()["error"], bad.json()
    missing = client.post("/api/feedback", json={"question": MARKET, "chunk_id": chunk})
    assert missing.status_code == 422 and "verdict" in missing.json()["error"]
    assert client.get("/api/feedback").json()["judgements"] == []


def test_a_flood_from_one_client_is_limited(client: TestClient) -> None:
    chunk = _chunk(client)
    body = {"question": MARKET, "chunk_id": chunk, "verdict": "right"}
    codes = [
        client.post("/api/feedback", json=body).status_code for _ in range(FEEDBACK_PER_MINUTE)
    ]
    assert codes == [201] * FEEDBACK_PER_MINUTE
    flooded = client.post("/api/feedback", json=body)
    assert flooded.status_code == 429 and int(flooded.headers["retry-after"]) >= 1
    assert len(client.get("/api/feedback").json()["judgements"]) == FEEDBACK_PER_MINUTE


def test_the_chat_page_and_the_api_share_one_window_per_client(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client that used its judgements through the API has none left on the page: the
    page's buttons are refused too (one limit, not one per face)."""
    import assistant.ui.app as ui_app

    given: list[Any] = []
    build_app = ui_app.build_app

    def capture(*args: Any, **kwargs: Any) -> Any:
        given.append(args[4] if len(args) > 4 else kwargs["feedback_limit"])
        return build_app(*args, **kwargs)

    monkeypatch.setattr(ui_app, "build_app", capture)
    server = build_server(settings, "127.0.0.1", Assistant(settings))
    with TestClient(server, base_url="http://localhost") as client:
        [page_limit] = given
        assert page_limit.retry_after("testclient") == 0
        chunk = _chunk(client)
        body = {"question": MARKET, "chunk_id": chunk, "verdict": "right"}
        for _ in range(FEEDBACK_PER_MINUTE):
            assert client.post("/api/feedback", json=body).status_code == 201
        assert page_limit.retry_after("testclient") >= 1  # the page would refuse now
        assert page_limit.retry_after("other-client") == 0


def test_the_password_user_labels_the_judgement(settings: Settings) -> None:
    with_auth = settings.with_(auth="onderhandelaar:ge:heim")
    app = build_server(with_auth, "0.0.0.0", Assistant(with_auth))
    with TestClient(app, base_url="http://localhost") as c:
        body = {"question": MARKET, "chunk_id": "x", "verdict": "right"}
        assert c.post("/api/feedback", json=body).status_code == 401
        auth = ("onderhandelaar", "ge:heim")
        chunk = c.post("/api/search", json={"query": MARKET, "k": 1}, auth=auth).json()
        body["chunk_id"] = chunk["results"][0]["chunk_id"]
        made = c.post("/api/feedback", json=body, auth=auth)
        assert made.status_code == 201 and made.json()["user"] == "onderhandelaar"


def test_twenty_clients_give_feedback_while_asking(settings: Settings, tmp_path: Path) -> None:
    """The real ``jeugdakkoord chat`` process: each client asks, marks its first citation
    right and another passage wrong, and asks again; every judgement is stored once."""
    clients_n = 20
    env = {
        "JEUGDAKKOORD_TRUSTED_PROXIES": "127.0.0.1",
        "JEUGDAKKOORD_FEEDBACK_DB": settings.feedback_db,
    }
    with chat_server(settings, **env) as url:
        clients = [
            httpx.Client(
                base_url=url,
                timeout=httpx.Timeout(180.0, connect=10.0),
                headers={"X-Forwarded-For": f"10.0.1.{n + 1}"},
            )
            for n in range(clients_n)
        ]
        errors: list[BaseException] = []
        made: list[dict[str, Any]] = []
        relearned: list[dict[str, Any]] = []
        lock = threading.Lock()
        start = threading.Barrier(clients_n)

        def work(n: int) -> None:
            c = clients[n]
            question = MARKET if n % 2 else "Wat schrijven we op over marktwerking?"
            try:
                start.wait()
                first = c.post("/api/ask", json={"question": question})
                assert first.status_code == 200, first.text
                cited = first.json()["citations"][0]["chunk_id"]
                hits = c.post("/api/search", json={"query": question, "k": 4}).json()["results"]
                other = next(h["chunk_id"] for h in hits if h["chunk_id"] != cited)
                for chunk, verdict in ((cited, "right"), (other, "wrong")):
                    body = {"question": question, "chunk_id": chunk, "verdict": verdict}
                    response = c.post("/api/feedback", json=body)
                    assert response.status_code == 201, response.text
                    with lock:
                        made.append(response.json())
                with c.stream(
                    "POST", "/api/ask", params={"stream": "true"}, json={"question": question}
                ) as streamed:
                    events = [json.loads(line) for line in streamed.iter_lines() if line]
                assert events[-1]["event"] == "answer", events[-1]
                with lock:
                    relearned.append(events[-1]["answer"])
            except BaseException as exc:  # every failure counts
                with lock:
                    errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(clients_n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=900)
        try:
            assert not errors, errors
            stored = clients[0].get("/api/feedback").json()["judgements"]
            assert len(made) == len(stored) == 2 * clients_n
            assert sorted(j["id"] for j in stored) == sorted(j["id"] for j in made)
            assert all(a["learned"] and not a["refused"] for a in relearned)
            # the server's output: one audit line per judgement, counted, never quoted
            output = LOG_OF[url].read_text(encoding="utf-8")
            assert output.count("route=/api/feedback status=201") == 2 * clients_n
            assert "market forces" not in output and "marktwerking" not in output
            assert not any(j["chunk_id"] in output for j in made)
        finally:
            for c in clients:
                c.close()
