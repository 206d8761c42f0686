"""Twenty question streams on one Assistant while a re-ingest changes the corpus underneath."""

from __future__ import annotations

import shutil
import statistics
import threading
import time
from pathlib import Path

import pytest

from assistant.answer import Assistant
from assistant.index import load_chunks, read_current
from assistant.settings import Settings
from assistant.types import Answer
from ingest.pipeline import ingest

STREAMS = 20
QUESTIONS = (
    "What should we write about market forces?",
    "Wat schrijven we op over marktwerking?",
    "Wat adviseert de VNG over een wethouder voor jeugd?",
    "Wat gebeurt er met de opschalingskorting?",
)
MARKET_QUESTIONS = QUESTIONS[:2]
JEUGDZORG_NL = "jeugdzorg-nederland-coalitieakkoord-2026-04"


@pytest.fixture
def live_index(real_index: Settings, tmp_path: Path) -> Settings:
    """A private copy of the real corpus and index (embeddings come from the shared cache),
    so that changing its corpus leaves the session's index alone."""
    corpus = tmp_path / "corpus"
    shutil.copytree(real_index.corpus_dirs[0], corpus)
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    settings.index_dir.mkdir()
    shutil.copy(real_index.index_dir / "embeddings.sqlite", settings.index_dir)
    assert ingest(settings).ok
    return settings


def _chunk_ids(settings: Settings) -> set[str]:
    gen = read_current(settings.index_dir)
    assert gen is not None
    return {c.chunk_id for c in load_chunks(gen.folder)}


def test_twenty_streams_during_a_reingest(live_index: Settings) -> None:
    assistant = Assistant(live_index)
    assistant.ask(QUESTIONS[0])  # load the model and the index once, as the UI does at start
    generations = [_chunk_ids(live_index)]
    answers: list[Answer] = []
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
                events = list(assistant.ask_stream(question))
                elapsed = time.perf_counter() - t0
                final = events[-1].answer
                assert final is not None and any(e.kind == "token" for e in events)
            except BaseException as exc:  # every failure counts, whatever it is
                with lock:
                    errors.append(exc)
                continue
            with lock:
                answers.append(final)
                latencies.append(elapsed)

    def reingest() -> None:
        start.wait()
        try:
            (live_index.corpus_dirs[0] / "jongerenwerk.txt").write_text(
                "Jongerenwerk\n\nDe gemeente opent in elke wijk een jongerencentrum dat tot "
                "tien uur open is en waar jongerenwerkers sport en huiswerkhulp bieden.\n",
                encoding="utf-8",
            )
            summary = ingest(live_index)
            assert summary.ok and summary.added == 1
            generations.append(_chunk_ids(live_index))
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
        cited = {c.chunk_id for c in answer.citations}
        # All citations of an answer come from one generation, the one it was answered from.
        assert any(cited <= ids for ids in generations), answer.question
        if answer.question in MARKET_QUESTIONS:
            assert not answer.refused
            assert any(c.doc_id == JEUGDZORG_NL and c.item == "2" for c in answer.citations)
    ms = sorted(x * 1000 for x in latencies)
    p95 = ms[min(len(ms) - 1, round(0.95 * len(ms)) - 1)]
    print(
        f"\n{len(ms)} answers from {STREAMS} streams during a re-ingest in {wall:.1f} s: "
        f"p50 {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms"
    )
