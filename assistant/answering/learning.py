"""The users' earlier verdicts applied to one answer (issue #28): consulted before the search,
applied to its evidence, and noted in the answer ("marked right earlier on ...").

Recording and storing verdicts is :mod:`assistant.answering.feedback`'s business; this module
is the answer path's use of them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from assistant.answering.answerability import covered
from assistant.answering.evidence import Evidence
from assistant.answering.feedback import Feedback, Learned, apply, confirmed_note, off_notice
from assistant.answering.judge import Judge
from assistant.core.question import Question
from assistant.core.types import Answer, Chunk
from assistant.retrieval.retriever import EncodedQuery


def consult(
    feedback: Feedback, question: Question, timings: dict[str, float], on: bool
) -> tuple[Learned, EncodedQuery | None]:
    """The earlier verdicts on questions close to this one, and the question embedded for
    them (the search reuses it); no embedding when nothing was ever judged. Nothing when
    learning is not ``on``. Timed into ``feedback_ms`` (less the embedding)."""
    if not on:
        return Learned(), None
    t0 = time.perf_counter()
    encoded: list[EncodedQuery] = []

    def vector() -> list[float]:
        encoded.append(feedback.retriever.encode(question))
        return encoded[0].vectors[0]

    learned = feedback.learned(question.text, vector)
    embed_ms = encoded[0].embed_ms if encoded else 0.0
    timings["feedback_ms"] = (time.perf_counter() - t0) * 1000 - embed_ms
    return learned, (encoded[0] if encoded else None)


def apply_learned(
    ev: Evidence,
    learned: Learned,
    encoded: EncodedQuery | None,
    judge: Judge | None,
    chunks: dict[str, Chunk],
    timings: dict[str, float],
) -> None:
    """Rejected passages out, confirmed ones first if they pass the answerability check on
    their own (the rules: dense evidence close enough; the relevance model: its yes on the
    passage, read as it reads found ones); ``chunks``: the index's passages by id (a
    confirmed passage the search did not find is added). Timed into ``feedback_ms``."""
    if not learned:
        return
    t0 = time.perf_counter()
    _apply(ev, learned, encoded, judge, chunks)
    timings["feedback_ms"] += (time.perf_counter() - t0) * 1000


def _apply(
    ev: Evidence,
    learned: Learned,
    encoded: EncodedQuery | None,
    judge: Judge | None,
    chunks: dict[str, Chunk],
) -> None:
    vector = encoded.vectors[0] if encoded is not None else None
    found = {h.chunk.chunk_id for h in ev.hits}
    ev.groups = [[h for h in g if h.chunk.chunk_id not in learned.rejected] for g in ev.groups]
    if judge is None or ev.judgement is None:
        ev.hits = apply(ev.hits, learned, chunks, vector, lambda h: covered([h], ev.question))
        return
    hits = apply(ev.hits, learned, chunks, vector, lambda h: True)
    if not learned.applied:
        return
    topic = ev.analysis.topic
    judged = judge.judge(topic, hits, rescore=topic is not ev.question)
    ok = {c for c in learned.confirmed if judged.probability.get(c, 0.0) >= judged.threshold}
    learned.applied = [j for j in learned.applied if j.verdict == "wrong" or j.chunk_id in ok]
    first = [h for h in hits if h.chunk.chunk_id in ok]
    rest = [
        h
        for h in judged.hits
        if h.chunk.chunk_id not in ok
        and (h.chunk.chunk_id not in learned.confirmed or h.chunk.chunk_id in found)
    ]
    ev.judgement = replace(judged, hits=first + rest)
    ev.hits = first + rest


def marked(body: str, cited: Sequence[tuple[int, str]], learned: Learned, lang: str) -> str:
    """The answer text with "marked right earlier on <date>" after each citation ``[n]`` of
    a passage (``cited``: its n and chunk id) a user confirmed for a question like this one;
    the extractive and the LLM answer alike."""
    dates = {n: learned.confirmed[c].created for n, c in cited if c in learned.confirmed}
    return confirmed_note(body, dates, lang) if dates else body


def note_learned(answer: Answer, learned: Learned, lang: str) -> None:
    """Which verdicts changed the answer, and why none could be consulted."""
    answer.learned = [
        {"chunk_id": j.chunk_id, "verdict": j.verdict, "date": j.created[:10]}
        for j in learned.applied
    ]
    if learned.off:
        answer.notice = " ".join(x for x in (answer.notice, off_notice(learned.off, lang)) if x)
