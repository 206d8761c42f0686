"""Judgements as evaluation questions in the format of ``evals/datasets`` (issue #28).

One question per standalone form: the passages marked right are its gold (a verbatim
snippet of each, on its page), ``should_refuse`` on a question without any confirmed passage
makes it unanswerable, and the passages marked wrong go in ``wrong`` (the dataset loaders
ignore fields they do not know; ``evals.run --with-feedback`` checks none is cited). Every
judgement is in the export, also stale and orphaned ones (``judgements`` lists the ids), so
that an export is complete.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.core.feedback import Judgement
from assistant.core.text import detect_language
from assistant.core.types import Chunk
from assistant.core.vocabulary import fold

#: Words of a gold snippet (the dataset's rule: 5-15 verbatim words from one source line).
SNIPPET_WORDS = 12


def snippet(chunk: Chunk) -> str:
    """A verbatim run of words from one line of the passage (its longest), which the
    dataset's matching finds in the passage again."""
    lines = [" ".join(line.split()) for line in chunk.text.splitlines()]
    line = max(lines, key=len, default="")
    words = [w for w in line.split(" ") if w]
    # a bullet or list mark is no part of the sentence (the dataset's snippets start after it)
    while words and not re.search(r"\w", words[0]):
        words.pop(0)
    return " ".join(words[:SNIPPET_WORDS])


def _gold(j: Judgement, chunks: Mapping[str, Chunk]) -> dict[str, Any] | None:
    chunk = chunks.get(j.chunk_id)
    if chunk is None or j.state != "live":
        return None
    return {"doc_id": chunk.doc_id, "snippet": snippet(chunk), "page": chunk.page_start or None}


def export_rows(
    judgements: Sequence[Judgement], chunks: Mapping[str, Chunk]
) -> list[dict[str, Any]]:
    """The evaluation questions the judgements make, in the order first judged. A judgement
    on a passage the index no longer has (stale, orphaned) is listed but gives no gold."""
    groups: dict[str, list[Judgement]] = {}
    for j in judgements:
        groups.setdefault(fold(" ".join(j.standalone.split())), []).append(j)
    rows = []
    for n, group in enumerate(groups.values(), 1):
        latest: dict[str, Judgement] = {}
        for j in group:
            latest[j.chunk_id] = j  # a later verdict on the same passage overrides
        right = [j for j in latest.values() if j.verdict == "right"]
        wrong = [j for j in latest.values() if j.verdict == "wrong"]
        gold = [g for j in right if (g := _gold(j, chunks))]
        refuse = not right and any(j.reason == "should_refuse" for j in wrong)
        question = group[-1].standalone
        lang = detect_language(question)
        rows.append(
            {
                "id": f"fb-{group[0].id}-{lang}-{n}",
                "question": question,
                "language": lang,
                "answerable": not refuse,
                "gold": gold,
                "topic": "",
                "split": "feedback",
                "source": "feedback",
                "wrong": [g for j in wrong if (g := _gold(j, chunks))],
                "judgements": [j.id for j in group],
                "users": sorted({j.user for j in group if j.user}),
            }
        )
    return rows
