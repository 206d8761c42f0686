"""Load evaluation questions and resolve their verbatim gold snippets to chunk ids."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.text import match_key
from assistant.types import Chunk

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


def load_questions(path: Path = DATASETS / "questions.jsonl") -> list[Question]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        out.append(
            Question(
                id=row["id"],
                question=row["question"],
                language=row["language"],
                answerable=bool(row["answerable"]),
                gold=tuple(Gold(g["doc_id"], g["snippet"], g.get("page")) for g in row["gold"]),
                topic=row.get("topic", ""),
                split=row.get("split", "test"),
            )
        )
    return out


def gold_chunk_ids(question: Question, chunks: list[Chunk]) -> set[str]:
    """Chunks that contain a gold snippet (case, spacing and hyphenation ignored)."""
    out: set[str] = set()
    for g in question.gold:
        key = match_key(g.snippet)
        for c in chunks:
            if c.doc_id != g.doc_id:
                continue
            if (
                g.page
                and c.page_start
                and not (c.page_start <= g.page <= (c.page_end or c.page_start))
            ):
                continue
            if key in match_key(c.text):
                out.add(c.chunk_id)
    return out
