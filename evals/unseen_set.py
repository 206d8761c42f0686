"""The unseen sets (issue #24 item 5, #25's users'-documents part): questions over real
documents that are not the bundled three, ingested without manifest entries as a user adds files.

Each set is written from reading its documents before any tuning on it, committed first, and
split by document. ``unseen`` (round 1, 2026-12-06) and ``unseen2`` (round 2, 2026-12-08, written
after round 1's dev split had been tuned on: a fresh measure of whether that tuning carried
over). A set's index holds the corpus, the three distractor laws and every document of the set
(both splits: a split's documents are distractors for the other's questions). Reported per split,
by the trust set's measures (:mod:`evals.trust_metrics`: scope accuracy, cited gold, list
completeness, refusal precision/recall, answerables declined) plus MRR and recall@5 of the gold
passage in the retrieved list, the share of answered questions whose first citation is gold, and
the refusal rate per near-miss kind. Tune on ``dev`` only; ``test`` is reported, never tuned on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.dataset import DATASETS, Question, TrustQuestion, is_gold, jsonl_rows, trust_fields
from evals.metrics import mean, retrieval_metrics

ROOT = Path(__file__).resolve().parent.parent
REPORTS = Path(__file__).resolve().parent / "reports"
K = 10


@dataclass(frozen=True)
class UnseenSet:
    """One round of unseen documents and the questions written from them."""

    name: str
    folder: Path  # documents/ and PROVENANCE.toml (beside the folder: no manifest is read)
    questions: Path
    baseline_at: str  # the commit whose rules-only figures the reports are printed beside

    @property
    def documents(self) -> Path:
        return self.folder / "documents"

    @property
    def provenance(self) -> Path:
        return self.folder / "PROVENANCE.toml"

    @property
    def index(self) -> Path:
        return ROOT / "var" / "eval" / f"index-{self.name}"

    def report_name(self, split: str) -> str:
        return f"{self.name}-{split}.json"


SETS = {
    "unseen": UnseenSet(
        "unseen", ROOT / "evals" / "unseen", DATASETS / "unseen.jsonl", baseline_at="ff51bb6"
    ),
    "unseen2": UnseenSet(
        "unseen2", ROOT / "evals" / "unseen2", DATASETS / "unseen2.jsonl", baseline_at="ffaf3fc"
    ),
}
FIRST = SETS["unseen"]
# Round 1's paths, by their historical names.
UNSEEN, DOCUMENTS, PROVENANCE, QUESTIONS = (
    FIRST.folder,
    FIRST.documents,
    FIRST.provenance,
    FIRST.questions,
)
INDEX = FIRST.index


@dataclass(frozen=True)
class UnseenQuestion(TrustQuestion):
    """A trust-format question plus ``tags``: what it tests (near-miss kind, number in words…)."""

    tags: tuple[str, ...] = ()


def load_unseen_questions(path: Path = QUESTIONS) -> list[UnseenQuestion]:
    return [
        UnseenQuestion(**trust_fields(row), tags=tuple(row.get("tags", [])))
        for row in jsonl_rows(path)
    ]


def corpus_dirs(which: UnseenSet = FIRST) -> tuple[Path, ...]:
    """The bundled corpus (with its manifest), the distractor laws and the set's documents
    (no manifest: titles, places and dates are whatever ingest infers)."""
    return (ROOT / "corpus", ROOT / "evals" / "distractors", which.documents)


def settings(embedder: str | None = None, reranker: str = "none", which: UnseenSet = FIRST) -> Any:
    from assistant.core.settings import Settings

    base = Settings.from_env()
    return base.with_(
        corpus_dirs=corpus_dirs(which),
        index_dir=which.index,
        reranker=reranker,
        embedder=embedder or base.embedder,
    )


def _gold_ranks(question: Question, hits: list[Any]) -> tuple[list[str], set[str]]:
    ranked = [f"p{i}" for i in range(len(hits))]
    gold = {
        f"p{i}"
        for i, h in enumerate(hits)
        if is_gold(question, h.chunk.doc_id, h.chunk.page_start, h.chunk.page_end, h.chunk.text)
    }
    return ranked, gold or {"__missing__"}


def _first_cited_gold(answer: Any, question: Question, by_id: dict[str, Any]) -> bool:
    if not answer.citations:
        return False
    ch = by_id.get(answer.citations[0].chunk_id)
    return ch is not None and is_gold(question, ch.doc_id, ch.page_start, ch.page_end, ch.text)


def unreachable_gold(questions: list[UnseenQuestion], by_id: dict[str, Any]) -> list[str]:
    """Questions none of whose gold snippets is inside one indexed chunk (a set or chunking
    fault: such a question can never count as cited)."""
    chunks = list(by_id.values())
    return [
        q.id
        for q in questions
        if q.answerable
        and not any(is_gold(q, c.doc_id, c.page_start, c.page_end, c.text) for c in chunks)
    ]


def evaluate(
    split: str, embedder: str | None = None, reranker: str = "none", which: UnseenSet = FIRST
) -> dict[str, Any]:
    """Ingest (cached after the first run), then ask every question of ``split``."""
    from assistant.answering.answer import Assistant
    from assistant.retrieval.retriever import Retriever
    from evals.trust_metrics import judge, summarise
    from ingest.pipeline import ingest

    cfg = settings(embedder, reranker, which)
    summary = ingest(cfg)
    print(f"[{which.name}] index: {summary.chunks} chunks ({summary.embedded} newly embedded)")
    retriever = Retriever(cfg)
    assistant = Assistant(cfg, retriever)
    by_id = retriever.snapshot().by_id
    questions = [q for q in load_unseen_questions(which.questions) if split in ("all", q.split)]
    rows: list[dict[str, Any]] = []
    runs: list[tuple[list[str], set[str]]] = []
    first_gold: list[float] = []
    for q in questions:
        answer = assistant.ask(q.question)
        row = judge(answer, q, by_id)
        row["tags"] = list(q.tags)
        row["answer"] = answer.answer[:300]
        row["cited"] = [c.doc_id for c in answer.citations]
        if q.answerable:
            ranked, gold = _gold_ranks(q, retriever.search(q.question, k=K))
            runs.append((ranked, gold))
            row["gold_rank"] = next((i + 1 for i, r in enumerate(ranked) if r in gold), None)
            if not row["declined"]:
                first_gold.append(float(_first_cited_gold(answer, q, by_id)))
        rows.append(row)
    as_trust: list[TrustQuestion] = list(questions)
    table = summarise(rows, as_trust)
    ret = retrieval_metrics(runs)
    table["all"]["mrr"] = round(ret["mrr"], 3)
    table["all"]["recall@5"] = round(ret["recall@5"], 3)
    table["all"]["first cited gold"] = round(mean(first_gold), 3)
    by_q = {q.id: q for q in questions}
    kinds = sorted({t for q in questions for t in q.tags if t.startswith("near-miss:")})
    near_miss = {
        kind: {
            "questions": len(mine),
            "declined": round(mean([float(r["declined"]) for r in mine]), 3),
        }
        for kind in kinds
        for mine in [[r for r in rows if kind in by_q[r["id"]].tags]]
    }
    misses = {
        "out_of_scope": [r["id"] for r in rows if r.get("in_scope") is False],
        "gold_not_cited": [r["id"] for r in rows if r.get("cited_gold", 1.0) < 1.0],
        "false_refusals": [r["id"] for r in rows if r["declined"] and by_q[r["id"]].answerable],
        "missed_refusals": [
            r["id"] for r in rows if not r["declined"] and not by_q[r["id"]].answerable
        ],
        "gold_not_retrieved@5": [
            r["id"] for r in rows if by_q[r["id"]].answerable and (r.get("gold_rank") or 99) > 5
        ],
        "gold_unreachable": unreachable_gold(questions, by_id),
    }
    return {
        "set": which.name,
        "split": split,
        "questions": len(questions),
        "reranker": reranker,
        "embedder": cfg.embedder,
        "summary": table,
        "near_miss_declined": near_miss,
        "misses": misses,
        "rows": rows,
    }


BASELINE = "rules"  # the rules-only system when the set was committed, before tuning on it


def baseline(split: str, which: UnseenSet = FIRST) -> dict[str, Any] | None:
    """The committed rules-only figures, wherever this run writes its own report."""
    path = REPORTS / f"{which.name}-{split}-baseline-{BASELINE}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


COLUMNS = (
    "questions",
    "scope accuracy",
    "cited gold",
    "first cited gold",
    "mrr",
    "recall@5",
    "refusal precision",
    "refusal recall",
    "answerable declined",
)


def print_report(report: dict[str, Any], base: dict[str, Any] | None, which: UnseenSet) -> None:
    """Overall figures beside the rules-only baseline, then the per-type table."""
    now = report["summary"]["all"]
    then = base["summary"]["all"] if base else {}
    print(
        f"\nSet {which.name}, {report['split']} split (with distractors; "
        f"baseline: rules, {which.baseline_at})"
    )
    print(f"{'measure':<22}{'now':>8}{'baseline':>10}")
    for col in COLUMNS:
        cells = [now.get(col), then.get(col)]
        print(
            f"{col:<22}"
            + "".join(
                f"{'' if v is None else v!s:>{w}}" for v, w in zip(cells, (8, 10), strict=True)
            )
        )
    print(f"{'type':<14}{'questions':>10}{'scope acc':>10}{'cited gold':>11}{'declined':>9}")
    for name, row in report["summary"].items():
        if name == "all":
            continue
        cells = [row.get(c) for c in ("questions", "scope accuracy", "cited gold", "declined")]
        print(
            f"{name:<14}"
            + "".join(
                f"{'' if v is None else v!s:>{w}}"
                for v, w in zip(cells, (10, 10, 11, 9), strict=True)
            )
        )
    for kind, row in report["near_miss_declined"].items():
        print(f"  {kind:<22} declined {row['declined']} (n={row['questions']})")


def run(
    split: str,
    embedder: str | None,
    reranker: str,
    out: Path = REPORTS,
    which: UnseenSet = FIRST,
) -> dict[str, Any]:
    report = evaluate(split, embedder, reranker, which)
    out.mkdir(parents=True, exist_ok=True)
    (out / which.report_name(split)).write_text(
        json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    print_report(report, baseline(split, which), which)
    return report
