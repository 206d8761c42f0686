"""Twenty question streams while a re-ingest changes the corpus underneath: threads on one
Assistant, and bounded HTTP clients against the running chat server's API."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings
from assistant.store.index import load_chunks, read_current
from evals.metrics import percentile
from ingest.pipeline import ingest
from tests.servers import chat_server

STREAMS = 20
QUESTIONS = (
    "What should we write about market forces?",
    "Wat schrijven we op over marktwerking?",
    "Wat adviseert de VNG over een wethouder voor jeugd?",
    "Wat gebeurt er met de opschalingskorting?",
)
MARKET_QUESTIONS = QUESTIONS[:2]
NEW_DOC = (
    "Jongerenwerk\n\nDe gemeente opent in elke wijk een jongerencentrum dat tot tien uur open "
    "is en waar jongerenwerkers sport en huiswerkhulp bieden.\n"
)
#: Ask one question, streamed; return the final answer as ``Answer.to_dict()`` after checking
#: that text arrived before it.
AskFn = Callable[[int, str], dict[str, Any]]
JEUGDZORG_NL = "jeugdzorg-nederland-coalitieakkoord-2026-04"


def _chunk_ids(settings: Settings) -> set[str]:
    gen = read_current(settings.index_dir)
    assert gen is not None
    return {c.chunk_id for c in load_chunks(gen.folder)}


def under_load(settings: Settings, ask: AskFn) -> list[float]:
    """Run STREAMS x 3 streamed questions and one re-ingest at once; check every answer;
    return the latencies in ms."""
    generations = [_chunk_ids(settings)]
    answers: list[dict[str, Any]] = []
    latencies: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(STREAMS + 2)  # the streams, the re-ingest and this thread

    def stream(worker: int) -> None:
        start.wait()
        for i in range(3):
            question = QUESTIONS[(worker + i) % len(QUESTIONS)]
            try:
                t0 = time.perf_counter()
                final = ask(worker, question)
                elapsed = time.perf_counter() - t0
            except BaseException as exc:  # every failure counts, whatever it is
                with lock:
                    errors.append(exc)
                continue
            with lock:
                answers.append(final)
                latencies.append(elapsed * 1000)

    def reingest() -> None:
        start.wait()
        try:
            (settings.corpus_dirs[0] / "jongerenwerk.txt").write_text(NEW_DOC, encoding="utf-8")
            summary = ingest(settings)
            assert summary.ok and summary.added == 1
            generations.append(_chunk_ids(settings))
        except BaseException as exc:
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=stream, args=(w,)) for w in range(STREAMS)]
    threads.append(threading.Thread(target=reingest))
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join(timeout=600)
    wall = time.perf_counter() - began

    assert not errors, errors
    assert len(answers) == STREAMS * 3 and len(generations) == 2
    for answer in answers:
        cited = {c["chunk_id"] for c in answer["citations"]}
        # All citations of an answer come from one generation, the one it was answered from.
        assert any(cited <= ids for ids in generations), answer["question"]
        if answer["question"] in MARKET_QUESTIONS:
            assert not answer["refused"]
            assert any(
                c["doc_id"] == JEUGDZORG_NL and c["item"] == "2" for c in answer["citations"]
            )
    print(
        f"\n{len(latencies)} answers from {STREAMS} streams during a re-ingest in {wall:.1f} s: "
        f"p50 {percentile(latencies, 50):.0f} ms, p95 {percentile(latencies, 95):.0f} ms, "
        f"max {max(latencies):.0f} ms"
    )
    return latencies


def test_twenty_threads_on_one_assistant_during_a_reingest(live_index: Settings) -> None:
    assistant = Assistant(live_index)
    assistant.ask(QUESTIONS[0])  # load the model and the index once, as the UI does at start

    def ask(worker: int, question: str) -> dict[str, Any]:
        events = list(assistant.ask_stream(question))
        final = events[-1].answer
        assert final is not None and any(e.kind == "token" for e in events)
        return final.to_dict()

    under_load(live_index, ask)


def test_twenty_http_clients_on_the_chat_server_during_a_reingest(live_index: Settings) -> None:
    """The real ``jeugdakkoord chat`` process; each client has one connection and timeouts, and
    reads the NDJSON stream of ``POST /api/ask?stream=true`` to the end."""
    # Twenty users at twenty addresses (named by the test as a listed proxy would): one
    # client may not have more than a few answers under way.
    with chat_server(live_index, JEUGDAKKOORD_TRUSTED_PROXIES="127.0.0.1") as url:
        clients = [
            httpx.Client(
                base_url=url,
                timeout=httpx.Timeout(120.0, connect=10.0),
                limits=httpx.Limits(max_connections=1),
                headers={"X-Forwarded-For": f"10.0.0.{n + 1}"},
            )
            for n in range(STREAMS)
        ]
        try:
            before = clients[0].get("/api/health").json()["generation"]

            def ask(worker: int, question: str) -> dict[str, Any]:
                events: list[dict[str, Any]] = []
                with clients[worker].stream(
                    "POST", "/api/ask", params={"stream": "true"}, json={"question": question}
                ) as response:
                    assert response.status_code == 200, response.read()
                    assert response.headers["content-type"].startswith("application/x-ndjson")
                    events = [json.loads(line) for line in response.iter_lines() if line]
                kinds = [e["event"] for e in events]
                assert "error" not in kinds and "token" in kinds and kinds[-1] == "answer"
                return dict(events[-1]["answer"])

            under_load(live_index, ask)
            # The running server answers from the new generation, without a restart.
            health = clients[0].get("/api/health").json()
            assert health["generation"] > before and health["documents"] == 4
            new = clients[0].post(
                "/api/ask", json={"question": "Hoe lang is het jongerencentrum in de wijk open?"}
            )
            assert new.status_code == 200
            assert any(c["doc_id"] == "jongerenwerk" for c in new.json()["citations"])
        finally:
            for client in clients:
                client.close()
