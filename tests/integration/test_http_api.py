"""The JSON API beside the chat page, in process (the real app, the real index): answers,
search, password, busy answers and errors that are clear JSON."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings
from assistant.serve.slots import AnswerSlots
from assistant.server import build_server

MARKET = "What should we write about market forces?"
JEUGDZORG_NL = "jeugdzorg-nederland-coalitieakkoord-2026-04"
VNG = "vng-aanjager-brede-aanpak-jeugd-2026-03-24"


@pytest.fixture(scope="module")
def assistant(real_index: Settings) -> Assistant:
    return Assistant(real_index)


@pytest.fixture(scope="module")
def client(real_index: Settings, assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(
        build_server(real_index, "127.0.0.1", assistant), base_url="http://localhost"
    ) as c:
        yield c


def test_search_and_ask_answer_with_the_clis_json(client: TestClient) -> None:
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["documents"] == 3 and health["chunks"] > 100
    assert health["ensemble"].startswith("use:") and health["reranker"] is None

    found = client.post("/api/search", json={"query": MARKET, "k": 3}).json()
    assert [r["rank"] for r in found["results"]] == [1, 2, 3]
    top = found["results"][0]
    assert (top["doc_id"], top["item"], top["kind"]) == (JEUGDZORG_NL, "2", "clause_suggestion")
    assert "marktwerking" in top["text"] and found["timings_ms"]["total_ms"] > 0

    answer = client.post("/api/ask", json={"question": MARKET}).json()
    assert not answer["refused"] and answer["clause"].startswith("W")
    assert any(c["doc_id"] == JEUGDZORG_NL and c["item"] == "2" for c in answer["citations"])

    # A follow-up through ``history``; a document filter that excludes the clause.
    follow = client.post(
        "/api/ask", json={"question": "And about tendering?", "history": [MARKET]}
    ).json()
    assert follow["citations"]
    vng_only = client.post(
        "/api/search",
        json={"query": MARKET, "doc_ids": [VNG]},
    ).json()
    assert {r["doc_id"] for r in vng_only["results"]} == {VNG}


def test_ask_streams_ndjson_events(client: TestClient) -> None:
    with client.stream(
        "POST", "/api/ask", params={"stream": "true"}, json={"question": MARKET}
    ) as response:
        assert response.status_code == 200
        events = [json.loads(line) for line in response.iter_lines() if line]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "status" and "token" in kinds and kinds[-1] == "answer"
    text = "".join(e["text"] for e in events if e["event"] == "token")
    assert text == events[-1]["answer"]["answer"]


def _audit_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("audit ")]


def test_every_api_request_leaves_an_audit_line_without_its_content(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    question = "Wat schrijven we op over marktwerking in de jeugdzorg?"
    answer = client.post("/api/ask", json={"question": question}).json()
    with client.stream(
        "POST", "/api/ask", params={"stream": "true"}, json={"question": question}
    ) as response:
        streamed = [json.loads(line) for line in response.iter_lines() if line]
    client.post("/api/search", json={"query": question, "k": 3})
    client.get("/api/health?secret=1")
    lines = _audit_lines(capsys.readouterr().err)
    assert len(lines) == 4, lines
    asked, streamed_line, searched, health = lines
    n = len(answer["citations"])
    assert n and len(streamed[-1]["answer"]["citations"]) == n
    for line in (asked, streamed_line):  # the streamed answer's thread reports it, too
        assert "method=POST route=/api/ask status=200" in line
        assert f"question_chars={len(question)} citations={n} refused=no" in line
    assert "route=/api/search" in searched and f"question_chars={len(question)}" in searched
    assert "route=/api/health status=200" in health and "secret" not in health
    assert "marktwerking" not in "\n".join(lines) and "testclient" not in "\n".join(lines)


def test_bad_requests_get_clear_json_errors(client: TestClient) -> None:
    empty = client.post("/api/search", json={"query": "   "})
    assert empty.status_code == 422 and "empty" in empty.json()["error"]
    wrong = client.post("/api/ask", json={"question": 5})
    assert wrong.status_code == 422 and "question" in wrong.json()["error"]
    missing = client.post("/api/ask", content=b"not json", headers={"content-type": "text/plain"})
    assert missing.status_code == 422 and missing.json()["error"].startswith("invalid request")
    assert client.post("/api/search", json={"query": "x", "k": 10_000}).status_code == 422
    too_long = client.post("/api/ask", json={"question": "a" * 100_001})
    assert too_long.status_code == 422
    unknown = client.get("/api/nothing")
    assert unknown.status_code == 404 and "/api/nothing" in unknown.json()["error"]
    # An empty question is not an error for /api/ask: the assistant answers it politely.
    polite = client.post("/api/ask", json={"question": ""}).json()
    assert polite["refused"] and polite["answer"]
    # The chat page and the API schema live beside each other.
    assert client.get("/").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert {"/ask", "/search", "/health"} <= set(schema["paths"])


def test_the_ui_password_protects_the_api(real_index: Settings, assistant: Assistant) -> None:
    settings = real_index.with_(auth="onderhandelaar:ge:heim")
    with TestClient(build_server(settings, "0.0.0.0", assistant), base_url="http://localhost") as c:
        refused = c.post("/api/search", json={"query": MARKET})
        assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith(
            "Basic"
        )
        assert c.get("/api/health", auth=("onderhandelaar", "fout")).status_code == 401
        assert c.get("/api/health", auth=("iemand", "ge:heim")).status_code == 401
        assert c.get("/api/health", auth=("onderhandelaar", "ge:heim")).status_code == 200


def test_a_full_server_says_busy_instead_of_piling_up(
    real_index: Settings, assistant: Assistant
) -> None:
    slots = AnswerSlots(1, timeout_s=0.2)
    with TestClient(
        build_server(real_index, "127.0.0.1", assistant, slots), base_url="http://localhost"
    ) as c:
        assert slots.acquire()  # someone else's long answer holds the only slot
        try:
            for path, body in (
                ("/api/ask", {"question": MARKET}),
                ("/api/search", {"query": MARKET}),
            ):
                busy = c.post(path, json=body)
                assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
                assert "busy" in busy.json()["error"]
        finally:
            slots.release()
        assert c.post("/api/ask", json={"question": MARKET}).status_code == 200
        # Streams give their slot back, too: one slot serves three streams in a row.
        for _ in range(3):
            with c.stream("POST", "/api/ask?stream=true", json={"question": MARKET}) as r:
                assert r.status_code == 200 and list(r.iter_lines())


def test_a_client_that_never_reads_its_stream_frees_the_slot(
    real_index: Settings, assistant: Assistant
) -> None:
    slots = AnswerSlots(1, timeout_s=30)
    with TestClient(
        build_server(real_index, "127.0.0.1", assistant, slots), base_url="http://localhost"
    ) as c:
        for _ in range(2):
            with c.stream("POST", "/api/ask?stream=true", json={"question": MARKET}) as r:
                assert r.status_code == 200  # and gone without reading a line
        # With the slot leaked, this would wait 30 s and get 503.
        assert c.post("/api/ask", json={"question": MARKET}).status_code == 200
        assert slots.acquire(timeout_s=30)
        slots.release()


CROWD = 60  # more than anyio's 40 worker threads


def _crowd(real_index: Settings, assistant: Assistant, *, serve: bool) -> list[httpx.Response]:
    """CROWD API requests (search, ask, streamed ask) queued behind a held slot: while they
    wait, no worker thread is taken and /api/health answers at once. The slot is freed for
    them (``serve``), or only once they have given up."""
    slots = AnswerSlots(1, timeout_s=300 if serve else 5)
    settings = real_index.with_(trusted_proxies=("127.0.0.1",))
    app = build_server(settings, "127.0.0.1", assistant, slots)
    requests = [
        ("/api/search", {}, {"query": MARKET}),
        ("/api/ask", {}, {"question": MARKET}),
        ("/api/ask", {"stream": "true"}, {"question": MARKET}),
    ]

    async def run() -> list[httpx.Response]:
        threads = anyio.to_thread.current_default_thread_limiter()
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(
            transport=transport, base_url="http://localhost", timeout=300
        ) as c:
            assert await slots.acquire_async()  # a long answer holds the only slot
            # A crowd of clients (one client may not have more than a few requests under way).
            waiting = [
                asyncio.create_task(
                    c.post(
                        path, params=params, json=body, headers={"X-Forwarded-For": f"10.0.0.{i}"}
                    )
                )
                for i, (path, params, body) in enumerate(requests[i % 3] for i in range(CROWD))
            ]
            async with asyncio.timeout(60):
                while slots.waiting < CROWD:
                    await asyncio.sleep(0.01)
            assert threads.borrowed_tokens == 0
            # /api/health is answered while the whole crowd still waits (no timing assert:
            # how fast it answers is measured by `make bench`, not here).
            async with asyncio.timeout(120):
                assert (await c.get("/api/health")).status_code == 200
            assert slots.waiting == CROWD and not any(task.done() for task in waiting)
            if serve:  # the long answer ends: the crowd is served one by one
                slots.release()
            responses = await asyncio.gather(*waiting)
            if not serve:  # it ended after the crowd's patience ran out
                slots.release()
        assert slots.waiting == 0 and slots.acquire(timeout_s=0)  # no slot lost either way
        slots.release()
        return responses

    return asyncio.run(run())


def test_requests_waiting_for_a_slot_take_no_thread_and_are_served_in_turn(
    real_index: Settings, assistant: Assistant
) -> None:
    responses = _crowd(real_index, assistant, serve=True)
    assert [r.status_code for r in responses] == [200] * CROWD
    streamed = [r for r in responses if "x-ndjson" in r.headers["content-type"]]
    assert len(streamed) == CROWD // 3
    assert all(json.loads(r.text.splitlines()[-1])["event"] == "answer" for r in streamed)


def test_requests_waiting_too_long_for_a_slot_get_busy(
    real_index: Settings, assistant: Assistant
) -> None:
    responses = _crowd(real_index, assistant, serve=False)
    assert [r.status_code for r in responses] == [503] * CROWD
    assert all(r.headers["retry-after"] == "5" for r in responses)
