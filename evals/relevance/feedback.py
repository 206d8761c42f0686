"""The users' judgements as relevance pairs (issue #28): ``--feedback FILE`` of
``evals.relevance.build`` and ``evals.relevance.train``.

FILE is an export of ``jeugdakkoord feedback export --jsonl``: per question its confirmed
passages (gold) and rejected ones (wrong), as verbatim snippets. They are found again in an
index's passages (``--index``), giving (question, passage, 1) and (question, passage, 0)
pairs, generator ``feedback:right`` / ``feedback:wrong``. A pair goes to the split of its
document (:func:`evals.relevance.split.split_of`), as every generated pair does, so a dev
document never gives a training pair.

Note: the judged passages are the corpus's, which the generated pairs leave out so that the
evaluation on the corpus measures generalisation; a model trained with feedback pairs is
measured on documents it has seen.
"""

from __future__ import annotations

from pathlib import Path

from assistant.core.settings import Settings
from assistant.core.types import Chunk
from assistant.store.index import load_chunks, read_current
from evals.dataset import Gold, Question, gold_chunk_ids, jsonl_rows
from evals.relevance.generators import Pair
from evals.relevance.split import DEV_FRACTION, split_of

SPLITS = ("train", "dev")


def index_chunks(index_dir: Path) -> list[Chunk]:
    gen = read_current(Settings(index_dir=index_dir).index_dir)
    if gen is None:
        raise SystemExit(f"no index at {index_dir}: the feedback's passages are found in one")
    return load_chunks(gen.folder)


def _as_question(row: dict[str, object], key: str) -> Question:
    entries = row.get(key) or []
    assert isinstance(entries, list)
    gold = tuple(Gold(str(g["doc_id"]), str(g["snippet"]), g.get("page")) for g in entries)
    return Question(str(row["id"]), str(row["question"]), str(row["language"]), True, gold,
                    "", "feedback")  # fmt: skip


def feedback_pairs(
    path: Path, chunks: list[Chunk], seed: int, dev_fraction: float = DEV_FRACTION
) -> dict[str, list[Pair]]:
    """The pairs of each split: confirmed passages label 1, rejected ones label 0."""
    by_id = {c.chunk_id: c for c in chunks}
    out: dict[str, list[Pair]] = {s: [] for s in SPLITS}
    for row in jsonl_rows(path):
        for key, label in (("gold", 1), ("wrong", 0)):
            for cid in sorted(gold_chunk_ids(_as_question(row, key), chunks)):
                c = by_id[cid]
                pair = Pair(
                    query=str(row["question"]),
                    text=c.text,
                    label=label,
                    generator=f"feedback:{'right' if label else 'wrong'}",
                    doc_id=c.doc_id,
                    passage_id=c.chunk_id,
                    lang=str(row.get("language", "nl")),
                )
                out[split_of(c.doc_id, seed, dev_fraction)].append(pair)
    return out
