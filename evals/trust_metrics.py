"""Issue #14's measures, per question type, on ``evals/datasets/trust.jsonl``.

scope accuracy     questions naming documents: every citation from a named document, or
                   an honest "not addressed" (a refusal, or the named document said silent)
cited gold         answered, answerable questions whose citations include a gold passage;
                   for a comparison, the share of named documents cited with a gold passage
list completeness  overview questions: share of the list's items quoted in the citations
refusal precision  declined questions that are unanswerable (declined: refused, or every
                   named document said silent)
refusal recall     unanswerable questions declined
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.answering.answer import Assistant
from assistant.core.text import match_key
from assistant.core.types import Answer
from evals.dataset import Question, TrustQuestion, is_gold
from evals.metrics import mean


def declined(answer: Answer, question: TrustQuestion) -> bool:
    """Refused, or said that every document (group) the question names does not address it."""
    silent = answer.scope.get("silent", []) if answer.scope else []
    groups = answer.scope.get("groups", []) if answer.scope else []
    return answer.refused or (bool(groups) and len(silent) >= len(groups))


def _cited_gold(answer: Answer, question: Question, by_id: dict[str, Any]) -> bool:
    for c in answer.citations:
        ch = by_id.get(c.chunk_id)
        if ch is not None and is_gold(question, ch.doc_id, ch.page_start, ch.page_end, ch.text):
            return True
    return False


def judge(answer: Answer, q: TrustQuestion, by_id: dict[str, Any]) -> dict[str, Any]:
    """One question's outcome on every measure that applies to it."""
    out: dict[str, Any] = {"id": q.id, "type": q.type, "declined": declined(answer, q)}
    out["predicted_type"] = answer.question_type
    cited_docs = {c.doc_id for c in answer.citations}
    if q.scope:
        honest = out["declined"] or bool(answer.scope.get("silent"))
        out["in_scope"] = honest or cited_docs <= set(q.scope)
    if not q.answerable or out["declined"]:
        return out
    if q.type == "comparison":
        per_doc = []
        for doc in q.scope:
            sub = Question(q.id, q.question, q.language, True, q.gold, q.topic, q.split)
            docs_cites = [c for c in answer.citations if c.doc_id == doc]
            hit = any(
                is_gold(
                    sub,
                    doc,
                    by_id[c.chunk_id].page_start,
                    by_id[c.chunk_id].page_end,
                    by_id[c.chunk_id].text,
                )
                for c in docs_cites
                if c.chunk_id in by_id
            )
            per_doc.append(float(hit))
        out["cited_gold"] = mean(per_doc)
    else:
        out["cited_gold"] = float(_cited_gold(answer, q, by_id))
    if q.items:
        quoted = " ".join(match_key(c.quote) for c in answer.citations)
        out["list_completeness"] = mean([float(match_key(i) in quoted) for i in q.items])
    return out


def _rate(rows: Sequence[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in rows if key in r]
    return round(mean(values), 3) if values else None


def summarise(rows: list[dict[str, Any]], questions: list[TrustQuestion]) -> dict[str, Any]:
    """Per question type (answerable ones by type, the unanswerable together) and overall."""
    by_id = {q.id: q for q in questions}
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        q = by_id[r["id"]]
        name = (
            "unanswerable"
            if not q.answerable
            else ("scoped" if q.type in ("lookup", "quantity", "yesno") else q.type)
        )
        groups.setdefault(name, []).append(r)
    table: dict[str, Any] = {}
    for name, rs in groups.items():
        table[name] = {
            "questions": len(rs),
            "scope accuracy": _rate(rs, "in_scope"),
            "cited gold": _rate(rs, "cited_gold"),
            "list completeness": _rate(rs, "list_completeness"),
            "declined": round(mean([float(r["declined"]) for r in rs]), 3),
        }
    tp = sum(1 for r in rows if r["declined"] and not by_id[r["id"]].answerable)
    fp = sum(1 for r in rows if r["declined"] and by_id[r["id"]].answerable)
    fn = sum(1 for r in rows if not r["declined"] and not by_id[r["id"]].answerable)
    answerable = [r for r in rows if by_id[r["id"]].answerable]
    table["all"] = {
        "questions": len(rows),
        "scope accuracy": _rate(rows, "in_scope"),
        "cited gold": round(mean([r.get("cited_gold", 0.0) for r in answerable]), 3),
        "refusal precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "refusal recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "answerable declined": round(fp / max(len(answerable), 1), 3),
        "type accuracy": round(
            mean([float(r["predicted_type"] == by_id[r["id"]].type) for r in rows]), 3
        ),
    }
    return table


def trust_quality(assistant: Assistant, questions: list[TrustQuestion]) -> dict[str, Any]:
    by_id = assistant.retriever.snapshot().by_id
    rows = [judge(assistant.ask(q.question), q, by_id) for q in questions]
    misses = {
        "out_of_scope": [r["id"] for r in rows if r.get("in_scope") is False],
        "gold_not_cited": [r["id"] for r in rows if r.get("cited_gold", 1.0) < 1.0],
        "incomplete_lists": [r["id"] for r in rows if r.get("list_completeness", 1.0) < 1.0],
        "false_refusals": [
            r["id"]
            for r in rows
            if r["declined"] and next(q for q in questions if q.id == r["id"]).answerable
        ],
        "missed_refusals": [
            r["id"]
            for r in rows
            if not r["declined"] and not next(q for q in questions if q.id == r["id"]).answerable
        ],
    }
    return {"summary": summarise(rows, questions), "misses": misses, "rows": rows}
