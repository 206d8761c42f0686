"""Where retrieval stands against issue #2's target, and what is left to gain without a new model.

    python -m evals.experiments.headroom [--conditions distractors,corpus]

Works on the eval indexes (``make eval`` builds them in var/eval) with exact numpy search over
the vectors stored in the product's two Chroma collections (e5 and USE), so it needs no
re-embedding. It prints four tables (results in evals/experiments/README.md):

  headroom   how deep the fused ranking holds a gold passage (R@5/10/20/50), and an oracle
             that picks, per question, the best of the three single rankings
  letters    the issue's own setting: the two letters only, their questions, per language
  variants   score-level changes tried on top of the product's fusion
  learned    a logistic-regression reranker over the fusion's features, cross-validated
             with whole topics held out (so an English and a Dutch paraphrase of the same
             passage never sit on both sides)
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.retrieval.fusion import fuse
from assistant.retrieval.retriever import WEIGHTS
from evals.dataset import Question, is_gold, load_questions
from evals.run import CONDITIONS, WORK, Condition

FUSED_DEPTH = 50
#: (dense, lexical) fusion weights per question language, as the product uses them
LANG_WEIGHTS = {lang: (w.dense, w.lexical) for lang, w in WEIGHTS.items()}


@dataclass
class Query:
    q: Question
    lang: str
    e5: np.ndarray  # per chunk: best record similarity, averaged over the query vectors
    use: np.ndarray
    bm25: np.ndarray
    e5_plain: np.ndarray  # the unexpanded question's vector only
    use_plain: np.ndarray
    e5_chunk: np.ndarray  # chunk vectors only (no key phrases or sentences)
    use_chunk: np.ndarray
    gold: set[int] = field(default_factory=set)


@dataclass
class Data:
    chunks: list[Any]
    queries: list[Query]
    doc_of: np.ndarray
    prev: np.ndarray
    next: np.ndarray


def load(cond: Condition, questions: list[Question]) -> Data:
    from assistant.core.settings import Settings
    from assistant.retrieval.retriever import Retriever, chunk_of, query_forms

    settings = Settings(corpus_dirs=cond.corpus_dirs, index_dir=WORK / f"index-{cond.name}")
    retriever = Retriever(settings)
    snap = retriever.snapshot()
    client: Any = snap.store.client  # type: ignore[attr-defined]
    gen = snap.generation
    got = client.get_collection(gen.collection).get(include=["embeddings"])
    ids = list(got["ids"])
    e5 = np.asarray(got["embeddings"], dtype=np.float32)
    view = client.get_collection(gen.ensemble_collection).get(ids=ids, include=["embeddings"])
    order = {rid: i for i, rid in enumerate(view["ids"])}
    use = np.asarray(view["embeddings"], dtype=np.float32)[[order[r] for r in ids]]
    chunks = snap.chunks
    pos = {c.chunk_id: i for i, c in enumerate(chunks)}
    rec_chunk = np.array([pos[chunk_of(r)] for r in ids])
    is_chunk = np.array(["#" not in r for r in ids])
    n = len(chunks)

    def per_chunk(sims: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        out = np.full((n, sims.shape[1]), -1.0, dtype=np.float32)
        np.maximum.at(out, rec_chunk, sims if mask is None else np.where(mask[:, None], sims, -1))
        return out

    lex_pos = {cid: pos[cid] for cid in snap.lexical.ids if cid in pos}
    assert retriever.ensemble is not None
    queries = []
    for q in questions:
        forms = query_forms(" ".join(q.question.split()))
        e5_sims = e5 @ np.asarray(retriever.embedder.embed_queries(forms.dense_texts)).T
        use_sims = use @ np.asarray(retriever.ensemble.embed_queries(forms.dense_texts)).T
        a, ac = per_chunk(e5_sims), per_chunk(e5_sims, is_chunk)
        u, uc = per_chunk(use_sims), per_chunk(use_sims, is_chunk)
        bm = np.zeros(n, dtype=np.float32)
        for cid, score in snap.lexical.search(forms.lexical_tokens, k=n):
            if cid in lex_pos:
                bm[lex_pos[cid]] = score
        gold = {
            i
            for i, c in enumerate(chunks)
            if is_gold(q, c.doc_id, c.page_start, c.page_end, c.text)
        }
        queries.append(
            Query(
                q,
                forms.language,
                a.mean(1),
                u.mean(1),
                bm,
                a[:, 0],
                u[:, 0],
                ac.mean(1),
                uc.mean(1),
                gold,
            )
        )
    docs = sorted({c.doc_id for c in chunks})
    doc_of = np.array([docs.index(c.doc_id) for c in chunks])
    prev, nxt = np.full(n, -1), np.full(n, -1)
    by_place = sorted(range(n), key=lambda i: (chunks[i].doc_id, chunks[i].char_start))
    for a_, b_ in itertools.pairwise(by_place):
        if chunks[a_].doc_id == chunks[b_].doc_id:
            nxt[a_], prev[b_] = b_, a_
    return Data(chunks, queries, doc_of, prev, nxt)


def top(scores: np.ndarray, depth: int = FUSED_DEPTH, positive: bool = False) -> list[int]:
    order = np.argsort(-scores, kind="stable")[:depth]
    return [int(i) for i in order if not positive or scores[i] > 0]


def fused(qr: Query, e5: np.ndarray | None = None, use: np.ndarray | None = None) -> list[int]:
    """The product's fusion (e5 + USE + BM25, RRF k=5, language weights)."""
    wd, wl = LANG_WEIGHTS[qr.lang]
    return list(
        fuse(
            [
                top(qr.e5 if e5 is None else e5),
                top(qr.use if use is None else use),
                top(qr.bm25, positive=True),
            ],
            [wd, wd, wl],
        )
    )


def first_gold(ranked: Sequence[int], gold: set[int]) -> int | None:
    return next((i for i, c in enumerate(ranked) if c in gold), None)


def scores(ranked_lists: Sequence[Sequence[int]], golds: Sequence[set[int]]) -> str:
    """R@1 / R@5 / MRR (over the top 10, as evals.run)."""
    r1 = r5 = mrr = 0.0
    for ranked, gold in zip(ranked_lists, golds, strict=True):
        i = first_gold(ranked[:10], gold)
        if i is not None:
            r1, r5, mrr = r1 + (i == 0), r5 + (i < 5), mrr + 1 / (i + 1)
    n = len(golds) or 1
    return f"{r1 / n:.2f} / {r5 / n:.2f} / {mrr / n:.2f}"


def headroom(name: str, data: Data) -> None:
    ranks = [first_gold(fused(qr), qr.gold) for qr in data.queries]
    n = len(ranks)
    depth = {k: sum(r is not None and r < k for r in ranks) / n for k in (5, 10, 20, 50)}

    def in_top5(ranked: list[int], gold: set[int]) -> bool:
        i = first_gold(ranked, gold)
        return i is not None and i < 5

    oracle = (
        sum(
            any(in_top5(r, qr.gold) for r in (top(qr.e5), top(qr.use), top(qr.bm25, positive=True)))
            for qr in data.queries
        )
        / n
    )
    cells = " | ".join(f"{v:.2f}" for v in depth.values())
    print(f"| {name} | {cells} | {oracle:.2f} |")


def letters(data: Data) -> None:
    """The issue's setting: only the two letters' chunks, only questions about them."""
    keep = np.array([not c.doc_id.startswith("coalitieakkoord-") for c in data.chunks])
    qs = [qr for qr in data.queries if not qr.q.id.startswith("ca-")]

    def only(x: np.ndarray) -> np.ndarray:
        return np.where(keep, x, -1e9)

    systems: dict[str, Callable[[Query], list[int]]] = {
        "e5, question only": lambda qr: top(only(qr.e5_plain)),
        "e5 + glossary vector": lambda qr: top(only(qr.e5)),
        "USE v3": lambda qr: top(only(qr.use)),
        "BM25": lambda qr: top(np.where(keep, qr.bm25, 0), positive=True),
        "full (product)": lambda qr: list(
            fuse(
                [
                    top(only(qr.e5)),
                    top(only(qr.use)),
                    top(np.where(keep, qr.bm25, 0), positive=True),
                ],
                [LANG_WEIGHTS[qr.lang][0]] * 2 + [LANG_WEIGHTS[qr.lang][1]],
            )
        ),
    }
    print(f"\n{int(keep.sum())} letter chunks, {len(qs)} questions")
    for label, fn in systems.items():
        row = [label]
        for lang in ("en", "nl", None):
            sel = [qr for qr in qs if lang in (None, qr.lang)]
            row.append(scores([fn(qr) for qr in sel], [qr.gold for qr in sel]))
        print("| " + " | ".join(row) + " |")


def variants(name: str, data: Data) -> None:
    def z(x: np.ndarray, cand: list[int]) -> np.ndarray:
        v = x[cand]
        out: np.ndarray = (x - v.mean()) / (v.std() + 1e-9)
        return out

    def combsum(qr: Query) -> list[int]:
        cand = top(qr.e5, 100)
        s = z(qr.e5, cand) + z(qr.use, cand)
        s = s + 2 * LANG_WEIGHTS[qr.lang][1] * qr.bm25 / (qr.bm25.max() or 1.0)
        return top(s, 10)

    def neighbours(x: np.ndarray, g: float = 0.1) -> np.ndarray:
        nb = np.maximum(
            np.where(data.prev >= 0, x[data.prev], -1), np.where(data.next >= 0, x[data.next], -1)
        )
        return x + g * nb

    def doc_prior(x: np.ndarray, g: float = 0.3) -> np.ndarray:
        best = np.zeros_like(x)
        for d in np.unique(data.doc_of):
            idx = np.where(data.doc_of == d)[0]
            best[idx] = np.sort(x[idx])[-3:].mean()
        return x + g * best

    rows: dict[str, Callable[[Query], list[int]]] = {
        "product fusion (RRF k=5)": fused,
        "z-score CombSUM instead of RRF": combsum,
        "+ 0.1 x best neighbour chunk": lambda qr: fused(qr, neighbours(qr.e5), neighbours(qr.use)),
        "+ 0.3 x document score (top 3)": lambda qr: fused(qr, doc_prior(qr.e5), doc_prior(qr.use)),
        "e5 alone": lambda qr: top(qr.e5, 10),
        "USE alone": lambda qr: top(qr.use, 10),
    }
    for label, fn in rows.items():
        cells = [
            scores([fn(qr) for qr in sel], [qr.gold for qr in sel])
            for sel in (
                [qr for qr in data.queries if qr.q.split == "dev"],
                [qr for qr in data.queries if qr.q.split == "test"],
                data.queries,
            )
        ]
        print(f"| {name} | {label} | " + " | ".join(cells) + " |")


FEATURES = (
    "1/fused rank",
    "z e5",
    "z use",
    "z e5 chunk",
    "z use chunk",
    "z e5 plain",
    "z use plain",
    "bm25/max",
    "bm25>0",
    "1/log rank e5",
    "1/log rank use",
    "1/log rank bm25",
    "e5",
    "use",
    "clause or recommendation",
    "log length",
)
PRIORS = ("clause or recommendation", "log length")


def features(data: Data, qr: Query, depth: int = 40) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ranked = fused(qr)[:depth]
    cand = np.array(ranked)
    inv_fused = 1.0 / np.arange(1, len(cand) + 1)

    def z(x: np.ndarray) -> np.ndarray:
        v = x[cand]
        out: np.ndarray = (v - v.mean()) / (v.std() + 1e-9)
        return out

    def inv_rank(x: np.ndarray) -> np.ndarray:
        r = np.empty(len(x))
        r[np.argsort(-x, kind="stable")] = np.arange(1, len(x) + 1)
        out: np.ndarray = 1 / np.log2(1 + r[cand])
        return out

    kinds = np.array(
        [data.chunks[c].kind in ("clause_suggestion", "recommendation") for c in cand], float
    )
    length = np.log([len(data.chunks[c].text) for c in cand])
    x = np.column_stack(
        [
            inv_fused,
            z(qr.e5),
            z(qr.use),
            z(qr.e5_chunk),
            z(qr.use_chunk),
            z(qr.e5_plain),
            z(qr.use_plain),
            qr.bm25[cand] / (qr.bm25.max() or 1.0),
            (qr.bm25[cand] > 0) * 1.0,
            inv_rank(qr.e5),
            inv_rank(qr.use),
            inv_rank(qr.bm25),
            qr.e5[cand],
            qr.use[cand],
            kinds,
            length,
        ]
    )
    y = np.array([c in qr.gold for c in cand], float)
    return cand, x, y


def learned(name: str, data: Data, seeds: int = 5) -> None:
    from sklearn.linear_model import LogisticRegression

    rows = [features(data, qr) for qr in data.queries]
    topics = sorted({qr.q.topic for qr in data.queries})
    for label, cols in (
        ("scores only", [i for i, f in enumerate(FEATURES) if f not in PRIORS]),
        ("scores + kind and length priors", list(range(len(FEATURES)))),
    ):
        results = []
        for seed in range(seeds):
            shuffled = list(np.random.default_rng(seed).permutation(topics))
            fold = {t: i % 5 for i, t in enumerate(shuffled)}
            ranked, golds = [], []
            for f in range(5):
                train = [i for i, qr in enumerate(data.queries) if fold[qr.q.topic] != f]
                model = LogisticRegression(C=0.1, max_iter=3000, class_weight="balanced").fit(
                    np.vstack([rows[i][1][:, cols] for i in train]),
                    np.concatenate([rows[i][2] for i in train]),
                )
                for i, qr in enumerate(data.queries):
                    if fold[qr.q.topic] == f:
                        cand, x, _ = rows[i]
                        ranked.append(list(cand[np.argsort(-model.decision_function(x[:, cols]))]))
                        golds.append(qr.gold)
            results.append([float(v) for v in scores(ranked, golds).split(" / ")])
        mean = np.mean(results, axis=0)
        print(f"| {name} | {label} | {mean[0]:.2f} / {mean[1]:.2f} / {mean[2]:.2f} |")
    base = scores([fused(qr) for qr in data.queries], [qr.gold for qr in data.queries])
    print(f"| {name} | product fusion | {base} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conditions", default="distractors,corpus")
    args = parser.parse_args()
    questions = [q for q in load_questions() if q.answerable]
    loaded = {
        c.name: load(c, questions) for c in CONDITIONS if c.name in args.conditions.split(",")
    }
    print("\n| condition | fused R@5 | R@10 | R@20 | R@50 | best single list R@5 (oracle) |")
    for name, data in loaded.items():
        headroom(name, data)
    if "corpus" in loaded:
        print("\n| system | EN R@1 / R@5 / MRR | NL | all |")
        letters(loaded["corpus"])
    print("\n| condition | variant | dev | test | all |")
    for name, data in loaded.items():
        variants(name, data)
    print("\n| condition | learned reranker (grouped 5-fold CV, 5 shuffles) | R@1 / R@5 / MRR |")
    for name, data in loaded.items():
        learned(name, data)


if __name__ == "__main__":
    main()
