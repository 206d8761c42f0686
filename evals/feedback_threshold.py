"""How close two questions must be for a verdict on one to apply to the other (issue #28).

Pairs of dev-split questions (evals/datasets/questions.jsonl) that share a gold passage are
paraphrases of one information need; pairs without a shared gold passage are different
needs. The threshold (``assistant.retrieval.feedback.SIMILAR``) is the lowest cosine of the
embedder's question vectors at which no pair of different needs counts as the same: a
verdict applied to the wrong question would move a wrong passage first, while a paraphrase
it misses only goes without the help.

    python -m evals.feedback_threshold [--split dev] [--index var/index]
"""

from __future__ import annotations

import argparse
import itertools

import numpy as np

from assistant.core.settings import Settings
from assistant.core.types import Chunk
from assistant.providers.embeddings import get_embedder
from assistant.store.index import load_chunks, read_current
from evals.dataset import gold_chunk_ids, load_questions


def pair_scores(
    split: str = "dev", chunks: list[Chunk] | None = None
) -> tuple[list[float], list[float]]:
    """Cosines of paraphrase pairs (a shared gold passage: a chunk of ``chunks`` holding a
    gold snippet of both, or without chunks the same snippet) and of other answerable
    pairs."""
    questions = [q for q in load_questions() if q.split == split and q.answerable]
    gold = [
        gold_chunk_ids(q, chunks) if chunks else {f"{g.doc_id}:{g.snippet}" for g in q.gold}
        for q in questions
    ]
    embedder = get_embedder(Settings().embedder)
    vecs = np.asarray(embedder.embed_queries([q.question for q in questions]), dtype=np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    same: list[float] = []
    other: list[float] = []
    for i, j in itertools.combinations(range(len(questions)), 2):
        (same if gold[i] & gold[j] else other).append(float(vecs[i] @ vecs[j]))
    return same, other


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev", choices=["dev", "test"])
    parser.add_argument("--index", default="var/index", help="index whose chunks hold the gold")
    args = parser.parse_args()
    gen = read_current(Settings(index_dir=args.index).index_dir)
    same, other = pair_scores(args.split, load_chunks(gen.folder) if gen else None)
    top_other = max(other)
    print(f"{len(same)} paraphrase pairs, {len(other)} pairs of different questions")
    print(f"highest cosine of different questions: {top_other:.4f}")
    for t in (0.85, 0.88, 0.90, 0.92, 0.94, 0.96):
        recall = sum(s >= t for s in same) / len(same)
        false = sum(s >= t for s in other)
        print(f"threshold {t:.2f}: paraphrases matched {recall:.2f}, different matched {false}")
    print(f"chosen: {np.ceil(top_other * 100) / 100:.2f} (the next hundredth above the highest)")


if __name__ == "__main__":
    main()
