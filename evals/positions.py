"""Positions quality: per document, is the gold passage found within it, and is "not
addressed" said only where the document is silent?

``evals/datasets/positions.jsonl`` holds topics (Dutch and English, split dev/test) with, per
judged document, the verbatim snippets of its gold passage(s), or an empty list where the
document does not address the topic; documents left out are not judged. Reported per split:
recall@1 and @3 of the gold passage among the document's ranked passages (documents with
gold), and precision and recall of "not addressed". ``--calibrate`` prints, per language,
candidate thresholds with their dev and test figures and the one chosen on dev.
Run: ``python -m evals.positions [--index DIR] [--calibrate]``; ``make eval`` runs it too.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core.settings import Settings
from assistant.core.text import match_key
from assistant.core.types import Chunk
from assistant.positions.compare import NOT_ADDRESSED_THRESHOLDS, Positions
from assistant.retrieval.retriever import Retriever
from evals.dataset import DATASETS

ROOT = Path(__file__).resolve().parent.parent
#: The highest threshold whose "not addressed" precision on dev stays at or above this.
MIN_PRECISION = 0.95


@dataclass(frozen=True)
class Topic:
    id: str
    topic: str
    language: str
    split: str
    gold: dict[str, list[str]]  # doc_id -> snippets; [] = not addressed


def load_topics(path: Path = DATASETS / "positions.jsonl") -> list[Topic]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [Topic(r["id"], r["topic"], r["language"], r["split"], r["gold"]) for r in rows]


def gold_ids(snippets: list[str], doc_id: str, chunks: list[Chunk]) -> set[str]:
    keys = [match_key(s) for s in snippets]
    return {
        c.chunk_id
        for c in chunks
        if c.doc_id == doc_id and any(k in match_key(c.text) for k in keys)
    }


@dataclass(frozen=True)
class Judgement:
    split: str
    language: str
    addressed_gold: bool
    strength: float
    ranked: list[str]
    gold: set[str]


def judge(positions: Positions, topics: list[Topic]) -> list[Judgement]:
    chunks = positions.retriever.snapshot().chunks
    out = []
    for t in topics:
        comparison = positions.compare(t.topic, doc_ids=list(t.gold))
        for p in comparison.positions:
            snippets = t.gold[p.doc_id]
            gold = gold_ids(snippets, p.doc_id, chunks)
            if snippets and not gold:
                raise ValueError(f"{t.id}: no passage of {p.doc_id} contains its gold snippet")
            lang = comparison.language
            out.append(Judgement(t.split, lang, bool(snippets), p.strength, p.ranked, gold))
    return out


def metrics(rows: list[Judgement], thresholds: dict[str, float]) -> dict[str, Any]:
    with_gold = [r for r in rows if r.addressed_gold]
    said_na = [r for r in rows if r.strength < thresholds[r.language]]
    truly_na = [r for r in rows if not r.addressed_gold]
    hits = [r for r in said_na if not r.addressed_gold]

    def recall(k: int) -> float:
        found = [bool(set(r.ranked[:k]) & r.gold) for r in with_gold]
        return round(sum(found) / max(len(found), 1), 3)

    return {
        "documents_judged": len(rows),
        "with_gold": len(with_gold),
        "not_addressed_gold": len(truly_na),
        "recall@1": recall(1),
        "recall@3": recall(3),
        # No "not addressed" said at all counts as precise (nothing wrongly silenced).
        "not_addressed_precision": round(len(hits) / len(said_na), 3) if said_na else 1.0,
        "not_addressed_recall": round(len(hits) / max(len(truly_na), 1), 3),
    }


def report(rows: list[Judgement], thresholds: dict[str, float]) -> dict[str, Any]:
    return {
        split: metrics([r for r in rows if split in ("all", r.split)], thresholds)
        for split in ("dev", "test", "all")
    }


def calibrate(rows: list[Judgement]) -> dict[str, float]:
    """Per language, the highest threshold whose dev precision of "not addressed" is at
    least MIN_PRECISION (a wrongly silenced document costs more than a weak quote)."""
    chosen = dict(NOT_ADDRESSED_THRESHOLDS)
    for lang in ("nl", "en"):
        sub = [r for r in rows if r.language == lang]
        print(f"\n[{lang}] threshold  dev: NA precision  NA recall   test: NA precision  NA recall")
        for t in sorted({round(r.strength + 1e-4, 4) for r in sub}):
            th = {**chosen, lang: t}
            dev = metrics([r for r in sub if r.split == "dev"], th)
            test = metrics([r for r in sub if r.split == "test"], th)
            if dev["not_addressed_precision"] >= MIN_PRECISION:
                chosen[lang] = t
            print(
                f"[{lang}] {t:9.4f} {dev['not_addressed_precision']:17.2f} "
                f"{dev['not_addressed_recall']:10.2f} {test['not_addressed_precision']:19.2f} "
                f"{test['not_addressed_recall']:10.2f}"
            )
        print(f"[{lang}] chosen on dev: {chosen[lang]}")
    return chosen


def print_table(result: dict[str, Any]) -> None:
    print(f"\n{'positions':<10} {'docs':>5} {'R@1':>5} {'R@3':>5} {'NA prec':>8} {'NA rec':>7}")
    for split, m in result.items():
        print(
            f"{split:<10} {m['documents_judged']:>5} {m['recall@1']:5.2f} {m['recall@3']:5.2f} "
            f"{m['not_addressed_precision']:8.2f} {m['not_addressed_recall']:7.2f}"
        )


def evaluate(settings: Settings) -> dict[str, Any]:
    """The positions report on the index of ``settings`` (used by ``evals.run``)."""
    rows = judge(Positions(Retriever(settings)), load_topics())
    result = report(rows, NOT_ADDRESSED_THRESHOLDS)
    print_table(result)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "eval" / "index-corpus")
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args()
    settings = Settings.from_env().with_(index_dir=args.index.resolve())
    rows = judge(Positions(Retriever(settings)), load_topics())
    thresholds = calibrate(rows) if args.calibrate else NOT_ADDRESSED_THRESHOLDS
    print_table(report(rows, thresholds))
    misses = [r for r in rows if r.addressed_gold and not set(r.ranked[:3]) & r.gold]
    print(f"\nmissed at 3: {len(misses)}")


if __name__ == "__main__":
    main()
