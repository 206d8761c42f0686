"""The users' exported judgements as an evaluation set (issue #28): ``jeugdakkoord feedback
export --jsonl FILE`` writes questions in the format of ``evals/datasets``; this reports on
them beside the built-in sets (``python -m evals.run --with-feedback FILE``).

Per question: answered or refused as its verdicts say (``should_refuse`` makes it
unanswerable), a gold passage cited (one a user marked right), and no passage a user marked
wrong cited. The answers ignore stored feedback (``learn=False``): the set measures the
system, not the verdicts replayed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.answering.answer import Assistant
from assistant.core.types import Chunk
from evals.dataset import Gold, Question, is_gold, jsonl_rows, load_questions
from evals.metrics import mean


def load_feedback(path: Path) -> tuple[list[Question], dict[str, Question]]:
    """The questions, and per question id its wrong passages as a question whose gold they
    are (so that ``is_gold`` tells whether a citation is one of them)."""
    questions = load_questions(path)
    wrong = {
        row["id"]: Question(
            id=row["id"],
            question=row["question"],
            language=row["language"],
            answerable=True,
            gold=tuple(
                Gold(g["doc_id"], g["snippet"], g.get("page")) for g in row.get("wrong", [])
            ),
            topic="",
            split="feedback",
        )
        for row in jsonl_rows(path)
    }
    return questions, wrong


def evaluate(assistant: Assistant, path: Path) -> dict[str, Any]:
    questions, wrong = load_feedback(path)
    by_id = assistant.retriever.snapshot().by_id
    refusal_ok: list[float] = []
    cited_gold: list[float] = []
    cited_wrong: list[float] = []
    misses: list[str] = []
    for q in questions:
        answer = assistant.ask(q.question, learn=False)
        refusal_ok.append(float(answer.refused != q.answerable))
        chunks = [by_id[c.chunk_id] for c in answer.citations if c.chunk_id in by_id]
        if q.gold:
            cited_gold.append(float(_cites(q, chunks)))
        if wrong[q.id].gold:
            cited_wrong.append(float(_cites(wrong[q.id], chunks)))
        if refusal_ok[-1] < 1 or (q.gold and not cited_gold[-1]):
            misses.append(q.id)
    return {
        "summary": {
            "questions": len(questions),
            "with a confirmed passage": len(cited_gold),
            "refusal accuracy": round(mean(refusal_ok), 3),
            "cited gold passage": round(mean(cited_gold), 3) if cited_gold else None,
            "cited a rejected passage": round(mean(cited_wrong), 3) if cited_wrong else None,
        },
        "misses": misses,
    }


def _cites(question: Question, chunks: list[Chunk]) -> bool:
    return any(is_gold(question, c.doc_id, c.page_start, c.page_end, c.text) for c in chunks)


def print_feedback(report: dict[str, Any]) -> None:
    print("\nUsers' feedback (exported judgements, answers without learning)")
    for key, value in report["summary"].items():
        print(f"  {key:<28}{'' if value is None else value}")
