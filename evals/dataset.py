"""Load evaluation questions and resolve their verbatim gold snippets to chunk ids."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core.text import match_key
from assistant.core.types import Chunk

DATASETS = Path(__file__).parent / "datasets"


@dataclass(frozen=True)
class Gold:
    doc_id: str
    snippet: str
    page: int | None


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    language: str
    answerable: bool
    gold: tuple[Gold, ...]
    topic: str
    split: str


def _question_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The fields every question file shares, read the same way for each."""
    return {
        "id": row["id"],
        "question": row["question"],
        "language": row["language"],
        "answerable": bool(row["answerable"]),
        "gold": tuple(Gold(g["doc_id"], g["snippet"], g.get("page")) for g in row["gold"]),
        "topic": row.get("topic", ""),
        "split": row.get("split", "test"),
    }


def load_questions(path: Path = DATASETS / "questions.jsonl") -> list[Question]:
    return [Question(**_question_fields(row)) for row in jsonl_rows(path)]


@dataclass(frozen=True)
class TrustQuestion(Question):
    """A question of ``trust.jsonl``: its type, the documents it names, the items of a list."""

    type: str = "lookup"
    scope: tuple[str, ...] = ()
    items: tuple[str, ...] = ()


def trust_fields(row: dict[str, Any]) -> dict[str, Any]:
    """A trust-format row's fields (the unseen set extends the format)."""
    return {
        **_question_fields(row),
        "type": row.get("type", "lookup"),
        "scope": tuple(row.get("scope", [])),
        "items": tuple(row.get("items", [])),
    }


def jsonl_rows(path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def load_trust_questions(path: Path = DATASETS / "trust.jsonl") -> list[TrustQuestion]:
    """Scoped, overview, comparison and near-miss unanswerable questions (issue #14)."""
    return [TrustQuestion(**trust_fields(row)) for row in jsonl_rows(path)]


def is_gold(question: Question, doc_id: str, page_start: int, page_end: int, text: str) -> bool:
    """Whether a passage contains one of the question's gold snippets (on the right page).

    Matching ignores case, spacing, Markdown and line-end hyphenation, so it does not depend
    on how a system chunked the documents: baselines are judged by the same rule.
    """
    key = match_key(text)
    for g in question.gold:
        if g.doc_id != doc_id:
            continue
        if g.page and page_start and not (page_start <= g.page <= (page_end or page_start)):
            continue
        if match_key(g.snippet) in key:
            return True
    return False


def gold_chunk_ids(question: Question, chunks: list[Chunk]) -> set[str]:
    """Chunks that contain a gold snippet."""
    return {
        c.chunk_id for c in chunks if is_gold(question, c.doc_id, c.page_start, c.page_end, c.text)
    }
