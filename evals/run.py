"""``make eval``: retrieval, refusal, citation and clause quality, side by side with baselines.

Systems, all on the same questions and judged by the same gold-snippet rule:
  tutorial  LangChain's RAG tutorial: RecursiveCharacterTextSplitter(1000, 200) + Chroma +
            English all-MiniLM-L6-v2, dense only (evals/baselines.py)
  bm25      BM25 only, on this project's chunks, the question as typed
  dense     this project's dense side only (e5 chunk, key-phrase and sentence vectors, and
            the USE ensemble view of the same records)
  full      the full hybrid system (dense + BM25 + glossary, fused)
each on the corpus alone and with three Dutch laws as distractors (evals/distractors/); the
positions quality of ``compare`` on the corpus (evals/positions.py); and questions over a
scanned letter and tables (evals/documents.py); and the unseen set: real documents without a
manifest and questions written before any tuning (evals/unseen_set.py).
Writes evals/reports/eval.json and PNG plots; prints a table.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.baselines import Passage, TutorialBaseline
from evals.dataset import Question, is_gold, load_questions
from evals.feedback_eval import print_feedback
from evals.metrics import mean, percentile, retrieval_metrics

ROOT = Path(__file__).resolve().parent.parent
REPORTS = Path(__file__).resolve().parent / "reports"
WORK = ROOT / "var" / "eval"
SYSTEMS = ("tutorial", "bm25", "dense", "full")
KS = (1, 2, 3, 5, 10)

SearchFn = Callable[[str, int], list[Passage]]


@dataclass
class Condition:
    name: str
    corpus_dirs: tuple[Path, ...]


CONDITIONS = (
    Condition("corpus", (ROOT / "corpus",)),
    Condition("distractors", (ROOT / "corpus", ROOT / "evals" / "distractors")),
)


def _passages(hits: list[Any]) -> list[Passage]:
    return [
        Passage(h.chunk.doc_id, h.chunk.page_start, h.chunk.page_end, h.chunk.text) for h in hits
    ]


def _settings(cond: Condition, reranker: str, embedder: str) -> Any:
    """The condition's own index; an embedder change re-embeds it (vectors stay cached)."""
    from assistant.core.settings import Settings

    return Settings(
        corpus_dirs=cond.corpus_dirs,
        index_dir=WORK / f"index-{cond.name}",
        reranker=reranker,
        embedder=embedder,
    )


def build_systems(
    cond: Condition, systems: tuple[str, ...], embedder: str, reranker: str = "none"
) -> dict[str, SearchFn]:
    from assistant.core.words import tokenize
    from assistant.retrieval.retriever import Retriever
    from ingest.pipeline import ingest

    settings = _settings(cond, reranker, embedder)
    summary = ingest(settings)
    print(f"[{cond.name}] index: {summary.chunks} chunks ({summary.embedded} newly embedded)")
    retriever = Retriever(settings)
    out: dict[str, SearchFn] = {}
    if "full" in systems:
        out["full"] = lambda q, k: _passages(retriever.search(q, k=k))
    if "dense" in systems:
        out["dense"] = lambda q, k: _passages(retriever.search(q, k=k, mode="dense"))
    if "bm25" in systems:
        snap = retriever.snapshot()

        def bm25(q: str, k: int) -> list[Passage]:
            ranked = snap.lexical.search(tokenize(q), k=k)
            return [
                Passage(c.doc_id, c.page_start, c.page_end, c.text)
                for c in (snap.by_id[cid] for cid, _ in ranked)
            ]

        out["bm25"] = bm25
    if "tutorial" in systems:
        baseline = TutorialBaseline(cond.corpus_dirs, WORK / f"tutorial-{cond.name}")
        out["tutorial"] = baseline.search
    return out


def evaluate_retrieval(search: SearchFn, questions: list[Question]) -> dict[str, Any]:
    """Metrics overall, per split and per language; recall@k curve; latency."""
    runs: dict[str, list[tuple[list[str], set[str]]]] = {}
    latencies: list[float] = []
    misses: list[str] = []
    for q in questions:
        t = time.perf_counter()
        passages = search(q.question, 10)
        latencies.append((time.perf_counter() - t) * 1000)
        ranked = [f"p{i}" for i in range(len(passages))]
        gold = {
            f"p{i}"
            for i, p in enumerate(passages)
            if is_gold(q, p.doc_id, p.page_start, p.page_end, p.text)
        }
        # A question whose gold passage was not retrieved still counts: gold holds a sentinel.
        gold = gold or {"__missing__"}
        for key in ("all", q.split, q.language):
            runs.setdefault(key, []).append((ranked, gold))
        if not any(r in gold for r in ranked[:5]):
            misses.append(q.id)
    result: dict[str, Any] = {k: retrieval_metrics(v) for k, v in runs.items()}
    result["curve"] = {
        str(k): mean([1.0 if any(r in g for r in rk[:k]) else 0.0 for rk, g in runs["all"]])
        for k in KS
    }
    result["latency_ms"] = {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)}
    result["misses@5"] = misses
    return result


def evaluate_answers(
    cond: Condition, questions: list[Question], embedder: str, reranker: str = "none"
) -> dict[str, Any]:
    """Refusal accuracy, citation precision/recall, clause groundedness, stage latencies."""
    from assistant.answering.answer import Assistant
    from evals.answer_metrics import answer_quality

    assistant = Assistant(_settings(cond, reranker, embedder))
    return answer_quality(assistant, questions)


def plot(report: dict[str, Any], out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    files = []
    for cond, systems in report["retrieval"].items():
        fig, ax = plt.subplots(figsize=(6, 4))
        for name, res in systems.items():
            ax.plot(list(KS), [res["curve"][str(k)] for k in KS], marker="o", label=name)
        ax.set_xlabel("k")
        ax.set_ylabel("recall@k")
        ax.set_ylim(0, 1)
        ax.set_title(f"Retrieval recall@k ({cond})")
        ax.grid(alpha=0.3)
        ax.legend()
        path = out / f"recall-{cond}.png"
        fig.savefig(path, dpi=120, bbox_inches="tight")
        plt.close(fig)
        files.append(path.name)
    answers = report.get("answers")
    if answers and answers.get("latencies_ms"):
        fig, ax = plt.subplots(figsize=(6, 4))
        for stage, values in answers["latencies_ms"].items():
            ax.hist(values, bins=30, alpha=0.5, label=stage)
        ax.set_xlabel("ms")
        ax.set_ylabel("questions")
        ax.set_title("Answer latency per stage")
        ax.legend()
        path = out / "latency.png"
        fig.savefig(path, dpi=120, bbox_inches="tight")
        plt.close(fig)
        files.append(path.name)
    return files


def print_table(report: dict[str, Any]) -> None:
    print(
        f"\n{'condition':<12} {'system':<9} {'R@1':>5} {'R@5':>5} {'R@10':>5} {'MRR':>5} "
        f"{'nDCG':>5} {'en R@5':>6} {'nl R@5':>6} {'p95 ms':>7}"
    )
    for cond, systems in report["retrieval"].items():
        for name, r in systems.items():
            a = r["all"]
            print(
                f"{cond:<12} {name:<9} {a['recall@1']:5.2f} {a['recall@5']:5.2f} "
                f"{a['recall@10']:5.2f} {a['mrr']:5.2f} {a['ndcg@10']:5.2f} "
                f"{r['en']['recall@5']:6.2f} {r['nl']['recall@5']:6.2f} "
                f"{r['latency_ms']['p95']:7.0f}"
            )
    answers = report.get("answers")
    if answers:
        print()
        for key, value in answers["summary"].items():
            print(f"{key:<32} {value}")
    documents = report.get("documents")
    if documents:
        print()
        for group in ("scan", "table"):
            if group in documents:
                d = documents[group]
                print(
                    f"{group + ' questions':<32} R@5 {d['recall@5']:.2f}, "
                    f"page cited {d['page_cited']:.2f} (n={d['questions']})"
                )


def evaluate_trust(split: str, embedder: str, reranker: str = "none") -> dict[str, Any]:
    """Issue #14's measures on trust.jsonl, with the distractor laws in the index (so that
    "de wet" names a document and scoped questions can stray into laws)."""
    from assistant.answering.answer import Assistant
    from evals.dataset import load_trust_questions
    from evals.trust_metrics import trust_quality
    from ingest.pipeline import ingest

    settings = _settings(CONDITIONS[1], reranker, embedder)
    ingest(settings)  # --trust-only on a fresh machine: no other part built the index
    questions = [q for q in load_trust_questions() if split in ("all", q.split)]
    return trust_quality(Assistant(settings), questions)


def evaluate_feedback(
    path: Path, embedder: str, reranker: str = "none", settings: Any = None
) -> dict[str, Any]:
    """The users' exported judgements (``evals.feedback_eval``), on the corpus index unless
    ``settings`` name another."""
    from assistant.answering.answer import Assistant
    from evals.feedback_eval import evaluate

    return evaluate(Assistant(settings or _settings(CONDITIONS[0], reranker, embedder)), path)


def print_trust(report: dict[str, Any]) -> None:
    rows = report["summary"]
    cols = [
        "questions",
        "scope accuracy",
        "cited gold",
        "list completeness",
        "refusal precision",
        "refusal recall",
        "answerable declined",
    ]
    print("\nQuestion types (trust.jsonl, with distractors)")
    print(f"{'type':<14}" + "".join(f"{c[:18]:>19}" for c in cols))
    for name, row in rows.items():
        cells = "".join(f"{'' if row.get(c) is None else row[c]!s:>19}" for c in cols)
        print(f"{name:<14}{cells}")


def _unseen_sets(name: str) -> list[Any]:
    from evals import unseen_set

    return [s for key, s in unseen_set.SETS.items() if name in ("all", key)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--conditions", default="corpus,distractors")
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    parser.add_argument("--no-answers", action="store_true", help="retrieval metrics only")
    parser.add_argument(
        "--trust-only", action="store_true", help="only the question-type measures (#14)"
    )
    parser.add_argument(
        "--unseen-only",
        action="store_true",
        help="only the unseen sets (#24 item 5); --split test|dev|all, never tune on test",
    )
    parser.add_argument(
        "--unseen-set",
        choices=["all", "unseen", "unseen2"],
        default="all",
        help="which unseen set: round 1, round 2 or both (default all)",
    )
    parser.add_argument(
        "--with-feedback",
        type=Path,
        metavar="FILE",
        help="also report on users' judgements (`jeugdakkoord feedback export --jsonl FILE`)",
    )
    parser.add_argument(
        "--feedback-only", action="store_true", help="only the --with-feedback questions"
    )
    parser.add_argument("--out", type=Path, default=REPORTS)
    parser.add_argument(
        "--reranker",
        default="none",
        help="reranker of the full system, e.g. ce:<cross-encoder name or path> (default none)",
    )
    parser.add_argument(
        "--embedder",
        default=None,
        help="embedding engine of this project's systems (default $JEUGDAKKOORD_EMBEDDER)",
    )
    args = parser.parse_args()
    from assistant.core.settings import Settings

    embedder = args.embedder or Settings.from_env().embedder
    if args.feedback_only:
        if not args.with_feedback:
            parser.error("--feedback-only needs --with-feedback FILE")
        print_feedback(evaluate_feedback(args.with_feedback, embedder, args.reranker))
        return
    if args.unseen_only:
        from evals import unseen_set

        for which in _unseen_sets(args.unseen_set):
            unseen_set.run(args.split, embedder, args.reranker, args.out, which)
        return
    if args.trust_only:
        trust = evaluate_trust(args.split, embedder, args.reranker)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"trust-{args.split}.json").write_text(
            json.dumps(trust, indent=2), encoding="utf-8"
        )
        print_trust(trust)
        print(json.dumps(trust["misses"], indent=1))
        return
    systems = tuple(s for s in args.systems.split(",") if s)
    questions = [q for q in load_questions() if args.split in ("all", q.split)]
    answerable = [q for q in questions if q.answerable]
    report: dict[str, Any] = {
        "questions": len(questions),
        "answerable": len(answerable),
        "reranker": args.reranker,
        "embedder": embedder,
        "retrieval": {},
    }
    for cond in CONDITIONS:
        if cond.name not in args.conditions.split(","):
            continue
        fns = build_systems(cond, systems, embedder, args.reranker)
        report["retrieval"][cond.name] = {
            name: evaluate_retrieval(fns[name], answerable) for name in systems if name in fns
        }
    if "corpus" in args.conditions.split(","):
        from evals.positions import evaluate as evaluate_positions

        # Per document within the document: the corpus index was built above.
        report["positions"] = evaluate_positions(_settings(CONDITIONS[0], "none", embedder))
    if not args.no_answers:
        report["answers"] = evaluate_answers(CONDITIONS[0], questions, embedder, args.reranker)
        trust = evaluate_trust(args.split, embedder, args.reranker)
        report["trust"] = {"summary": trust["summary"], "misses": trust["misses"]}
        from evals.documents import evaluate as evaluate_documents

        # Scanned letters and tables (issue 17): their own index, the corpus plus those files.
        report["documents"] = evaluate_documents(embedder)
        from evals import unseen_set

        # Real documents without a manifest (#24 item 5, #25): both splits, beside the baseline.
        for which in _unseen_sets(args.unseen_set):
            report[which.name] = {}
            for split in ("test", "dev") if args.split == "all" else (args.split,):
                unseen = unseen_set.run(split, embedder, args.reranker, args.out, which)
                report[which.name][split] = {
                    "summary": unseen["summary"],
                    "misses": unseen["misses"],
                }
    if args.with_feedback:
        report["feedback"] = evaluate_feedback(args.with_feedback, embedder, args.reranker)
    args.out.mkdir(parents=True, exist_ok=True)
    report["plots"] = plot(report, args.out)
    (args.out / "eval.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print_table(report)
    if "trust" in report:
        print_trust(report["trust"])
    if "feedback" in report:
        print_feedback(report["feedback"])
    print(f"\nwritten: {args.out / 'eval.json'} and {', '.join(report['plots'])}")


if __name__ == "__main__":
    main()
