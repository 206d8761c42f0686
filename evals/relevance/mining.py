"""Hard negatives: for a positive pair's query, passages a BM25 over the same split ranks in
its top 20, minus the positive (and minus any passage that holds the query verbatim, which
would be a second positive rather than a negative)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

from evals.relevance.generators import Pair
from evals.relevance.sources import Passage

TOP = 20
#: Dutch function words left out of BM25 (they only add noise to a law's vocabulary).
STOPWORDS = [
    "de",
    "het",
    "een",
    "en",
    "van",
    "in",
    "op",
    "te",
    "dat",
    "die",
    "is",
    "voor",
    "met",
    "aan",
    "zijn",
    "er",
    "door",
    "wordt",
    "worden",
    "bij",
    "of",
    "als",
    "ook",
    "om",
    "tot",
    "uit",
    "over",
    "naar",
    "dan",
    "kan",
    "deze",
    "dit",
    "niet",
    "nog",
    "wel",
    "zo",
    "hun",
    "haar",
    "hij",
    "zij",
    "ze",
    "wat",
    "welke",
    "wie",
    "hoe",
    "waar",
    "the",
    "of",
    "and",
    "to",
    "for",
    "what",
    "which",
    "who",
    "how",
    "is",
    "are",
]


def hard_negatives(
    positives: Sequence[Pair], passages: Sequence[Passage], rng: random.Random, per_query: int = 2
) -> list[Pair]:
    """``per_query`` negatives per positive, drawn from BM25's top 20 over ``passages``."""
    import bm25s

    if not positives or len(passages) < 2:
        return []
    texts = [f"{p.title} {p.text}" for p in passages]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords=STOPWORDS, show_progress=False),
                    show_progress=False)  # fmt: skip
    queries = bm25s.tokenize([p.query for p in positives], stopwords=STOPWORDS,
                             show_progress=False)  # fmt: skip
    k = min(TOP + 1, len(passages))
    ids, _ = retriever.retrieve(queries, k=k, show_progress=False, n_threads=1)
    out = []
    for pair, row in zip(positives, ids, strict=True):
        pool = [
            passages[int(i)]
            for i in row
            if passages[int(i)].passage_id != pair.passage_id
            and pair.query.lower() not in passages[int(i)].text.lower()
        ][:TOP]
        for neg in rng.sample(pool, min(per_query, len(pool))):
            out.append(
                replace(pair, text=neg.text, label=0, generator=f"bm25:{pair.generator}",
                        doc_id=neg.doc_id, passage_id=neg.passage_id)
            )  # fmt: skip
    return out
