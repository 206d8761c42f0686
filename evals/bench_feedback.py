"""What learning from feedback costs an answer (issue #28): ``python -m evals.bench --feedback``
(part of every ``make bench``).

On an index of the corpus with 1,000 stored judgements (a few real ones on evaluation
questions, the rest on made-up questions with random vectors of the embedder's size, so the
comparison of every question with every judgement is done for real): per answer the time
spent on feedback (``timings_ms["feedback_ms"]``: reading the store's revision, matching the
question against the judgements, checking the matched ones against the index, reordering;
the question's embedding is not counted, the search reuses it), p50/p95 over the evaluation
questions; the first answer after a write (the vectors read again); and ask p95 with and
without learning. Target: feedback p95 <= 20 ms.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from evals.metrics import percentile

TARGETS = {"feedback_p95_ms": 20.0}
JUDGEMENTS = 1000
#: Real judgements, on the first evaluation questions' top passages.
REAL = 20


def feedback_slice(corpus: list[Path], repeat: int) -> dict[str, Any]:
    from assistant.answering.answer import Assistant
    from assistant.core.settings import Settings
    from evals.dataset import load_questions
    from ingest.pipeline import ingest

    with tempfile.TemporaryDirectory(prefix="jeugdakkoord-bench-feedback-") as work:
        settings = Settings(corpus_dirs=tuple(corpus), index_dir=Path(work) / "index")
        ingest(settings)
        assistant = Assistant(settings)
        questions = [q.question for q in load_questions()]
        for q in questions[:REAL]:
            hit = assistant.retriever.search(q, k=2)[-1]
            assistant.feedback.record(q, hit.chunk.chunk_id, "right")
        store, embedder = assistant.feedback.store, assistant.retriever.embedder
        chunk = assistant.retriever.snapshot().chunks[0]
        rng = np.random.default_rng(28)
        for i in range(JUDGEMENTS - REAL):
            store.add(
                question=f"vraag {i}", standalone=f"vraag {i}", chunk_id=chunk.chunk_id,
                doc_id=chunk.doc_id, passage_text=chunk.text, verdict="wrong", reason="",
                user="", model_id=embedder.model_id, question_vec=rng.normal(size=embedder.dim),
            )  # fmt: skip
        t0 = time.perf_counter()
        after_write = assistant.ask(questions[-1]).timings_ms.get("feedback_ms", 0.0)
        reload_ms = (time.perf_counter() - t0) * 1000
        feedback_ms: list[float] = []
        ask_ms: list[float] = []
        off_ms: list[float] = []
        applied = 0
        for _ in range(repeat):
            for q in questions:
                t = time.perf_counter()
                answer = assistant.ask(q)
                ask_ms.append((time.perf_counter() - t) * 1000)
                feedback_ms.append(answer.timings_ms.get("feedback_ms", 0.0))
                applied += bool(answer.learned)
                t = time.perf_counter()
                assistant.ask(q, learn=False)
                off_ms.append((time.perf_counter() - t) * 1000)
    return {
        "feedback_judgements": JUDGEMENTS,
        "feedback_answers": len(feedback_ms),
        "feedback_answers_changed": applied,
        "feedback_p50_ms": round(percentile(feedback_ms, 50), 2),
        "feedback_p95_ms": round(percentile(feedback_ms, 95), 2),
        "feedback_after_write_ms": round(after_write, 2),
        "feedback_first_answer_after_write_ms": round(reload_ms, 1),
        "feedback_ask_p95_ms": round(percentile(ask_ms, 95), 1),
        "feedback_off_ask_p95_ms": round(percentile(off_ms, 95), 1),
    }
