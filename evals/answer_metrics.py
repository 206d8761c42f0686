"""Answer-level quality: refusal, citations (in the ALCE sense), clause groundedness, latency.

No NLI model ships offline, so "supported" is decided by the same checks that guard LLM
output (assistant/answering/validate.py): a sentence is supported when a quote it contains is found
verbatim in its cited passages, or its content words are covered by them (Dutch), or it is
close enough to a cited sentence in the embedding space (English).
  citation recall     share of answer sentences supported by all their cited passages together
  citation precision  share of (sentence, cited passage) pairs where that passage alone
                      supports the sentence
  clause groundedness share of clause sentences supported by their cited passages
  cited gold          share of answered, answerable questions whose citations include a gold
                      passage
"""

from __future__ import annotations

import re
from typing import Any

from assistant.answering.answer import Assistant
from assistant.answering.validate import validate
from assistant.providers.generators.base import Source
from evals.dataset import Question, is_gold
from evals.metrics import mean, percentile

_SENTENCE = re.compile(r"(?<=\])\s+")
_MARK = re.compile(r"\[(\d+)\]")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def sentence_support(
    sentence: str, sources: dict[int, Source], assistant: Assistant, language: str
) -> tuple[bool, list[bool]]:
    """(supported by its cited passages together, supported by each cited passage alone)."""
    cited = [int(n) for n in _MARK.findall(sentence)]
    embedder = assistant.retriever.embedder
    together = [sources[n] for n in cited if n in sources]
    ok_all = bool(together) and validate(sentence, together, embedder, language).ok
    alone = [
        n in sources and validate(sentence, [sources[n]], embedder, language).ok for n in cited
    ]
    return ok_all, alone


def answer_quality(assistant: Assistant, questions: list[Question]) -> dict[str, Any]:
    by_id = assistant.retriever.snapshot().by_id
    refusal_ok: list[float] = []
    false_refusals: list[str] = []
    missed_refusals: list[str] = []
    recall: list[float] = []
    precision: list[float] = []
    clause: list[float] = []
    cited_gold: list[float] = []
    gold_not_cited: list[str] = []
    with_clause: list[float] = []
    latencies: dict[str, list[float]] = {"retrieve_ms": [], "compose_ms": [], "total_ms": []}
    for q in questions:
        answer = assistant.ask(q.question)
        for stage, values in latencies.items():
            values.append(answer.timings_ms.get(stage, 0.0))
        refusal_ok.append(float(answer.refused != q.answerable))
        if answer.refused and q.answerable:
            false_refusals.append(q.id)
        if not answer.refused and not q.answerable:
            missed_refusals.append(q.id)
        if answer.refused or not q.answerable:
            continue
        sources = {c.n: Source(n=c.n, chunk=by_id[c.chunk_id]) for c in answer.citations}
        gold = any(
            is_gold(q, s.chunk.doc_id, s.chunk.page_start, s.chunk.page_end, s.chunk.text)
            for s in sources.values()
        )
        cited_gold.append(float(gold))
        if not gold:
            gold_not_cited.append(q.id)
        for sentence in _sentences(answer.answer):
            together, alone = sentence_support(sentence, sources, assistant, q.language)
            recall.append(float(together))
            precision.extend(float(x) for x in alone)
        with_clause.append(float(bool(answer.clause)))
        for sentence in _sentences(answer.clause):
            together, _ = sentence_support(sentence, sources, assistant, "nl")
            clause.append(float(together))
    answerable = [q for q in questions if q.answerable]
    unanswerable = [q for q in questions if not q.answerable]
    summary = {
        "refusal accuracy": round(mean(refusal_ok), 3),
        "answerable not refused": round(1 - len(false_refusals) / max(len(answerable), 1), 3),
        "unanswerable refused": round(1 - len(missed_refusals) / max(len(unanswerable), 1), 3),
        "citation recall": round(mean(recall), 3),
        "citation precision": round(mean(precision), 3),
        "clause groundedness": round(mean(clause), 3),
        "answers with a clause": round(mean(with_clause), 3),
        "cited gold passage": round(mean(cited_gold), 3),
        "retrieve p50/p95 ms": _p(latencies["retrieve_ms"]),
        "compose p50/p95 ms": _p(latencies["compose_ms"]),
        "total p50/p95 ms": _p(latencies["total_ms"]),
    }
    return {
        "summary": summary,
        "false_refusals": false_refusals,
        "missed_refusals": missed_refusals,
        "gold_not_cited": gold_not_cited,
        "latencies_ms": latencies,
    }


def _p(values: list[float]) -> str:
    return f"{percentile(values, 50):.0f}/{percentile(values, 95):.0f}"
