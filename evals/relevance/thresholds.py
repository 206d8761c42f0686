"""Choose the relevance model's thresholds on dev questions:
``python -m evals.relevance.thresholds [--weights DIR]``.

- ``answer``: each dev question of ``trust.jsonl`` (corpus and distractor laws) and of
  ``unseen.jsonl`` (its own index) gets the best probability the judge reads in its evidence;
  the threshold is the highest that declines at most ``MAX_DECLINED`` of the answerable ones
  (the issue's ceiling), which refuses as many unanswerable ones as that allows.
- ``topic``: each (topic, document) of the dev split of ``positions.jsonl`` gets the best
  probability among the document's passages; the threshold is the highest whose "not
  addressed" precision stays at or above ``evals.positions.MIN_PRECISION``.

Only dev rows are read, so the test splits stay unseen. Both go into the weights' manifest
under ``thresholds`` with their dev figures (the weights' hash does not change).
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.providers.rerankers.relevance.shipped import MANIFEST, WEIGHTS_DIR

#: Answerable dev questions the answer threshold may decline at most.
MAX_DECLINED = 0.05


@dataclass(frozen=True)
class Scored:
    """One dev row: its set, its id, whether it should be answered (addressed), its best
    probability."""

    source: str
    id: str
    positive: bool
    best: float


def answer_threshold(rows: Sequence[Scored], max_declined: float = MAX_DECLINED) -> float:
    """The highest threshold that declines at most ``max_declined`` of the positive rows."""
    positives = sorted(r.best for r in rows if r.positive)
    if not positives:
        raise ValueError("no answerable dev questions")
    return positives[math.floor(max_declined * len(positives))]


def topic_threshold(rows: Sequence[Scored], min_precision: float) -> float:
    """The highest threshold whose "not addressed" precision is at least ``min_precision``
    (0.0, saying nothing is silent, when none is)."""
    chosen = 0.0
    for t in sorted({r.best + 1e-6 for r in rows}):
        said = [r for r in rows if r.best < t]
        if said and sum(not r.positive for r in said) / len(said) >= min_precision:
            chosen = t
    return chosen


def rates(rows: Sequence[Scored], threshold: float) -> dict[str, float | int]:
    pos = [r for r in rows if r.positive]
    neg = [r for r in rows if not r.positive]
    said = [r for r in rows if r.best < threshold]
    right = [r for r in said if not r.positive]
    return {
        "rows": len(rows),
        "positives": len(pos),
        "declined_positives": round(sum(r.best < threshold for r in pos) / max(1, len(pos)), 3),
        "negatives_declined": round(len(right) / max(1, len(neg)), 3),
        "decline_precision": round(len(right) / len(said), 3) if said else 1.0,
    }


def _question_rows(weights: Path) -> list[Scored]:
    from assistant.answering.answer import CANDIDATES
    from assistant.answering.evidence import gather
    from assistant.answering.judge import Judge
    from assistant.core.settings import Settings
    from assistant.retrieval.retriever import Retriever
    from evals import unseen_set
    from evals.dataset import TrustQuestion, load_trust_questions
    from evals.run import CONDITIONS, _settings
    from ingest.pipeline import ingest

    reranker = f"relevance:{weights}"
    embedder = Settings.from_env().embedder
    sets: list[tuple[str, Sequence[TrustQuestion], Any]] = [
        ("trust", load_trust_questions(), _settings(CONDITIONS[1], reranker, embedder)),
        ("unseen", unseen_set.load_unseen_questions(), unseen_set.settings(embedder, reranker)),
    ]
    out: list[Scored] = []
    for name, questions, settings in sets:
        ingest(settings)  # incremental: nothing to do when the index is up to date
        retriever = Retriever(settings)
        judge = Judge(retriever.reranker, 0.0)  # type: ignore[arg-type]
        for q in questions:
            if q.split != "dev":
                continue
            ev = gather(retriever, q.question, CANDIDATES, None, True, {}, judge=judge)
            best = ev.judgement.best if ev.judgement else 0.0
            out.append(Scored(name, q.id, q.answerable, best))
            print(f"[thresholds] {name} {q.id} answerable={q.answerable} best={best:.3f}")
    return out


def _topic_rows(weights: Path, index: Path) -> list[Scored]:
    from assistant.core.settings import Settings
    from assistant.positions.compare import Positions
    from assistant.retrieval.retriever import Retriever
    from evals.positions import load_topics
    from evals.run import CONDITIONS
    from ingest.pipeline import ingest

    settings = Settings.from_env().with_(
        corpus_dirs=(CONDITIONS[0].corpus_dirs), index_dir=index, reranker=f"relevance:{weights}"
    )
    ingest(settings)
    positions = Positions(Retriever(settings))
    out: list[Scored] = []
    for t in load_topics():
        if t.split != "dev":
            continue
        for p in positions.compare(t.topic, doc_ids=list(t.gold)).positions:
            out.append(Scored("positions", f"{t.id}/{p.doc_id}", bool(t.gold[p.doc_id]),
                              p.strength))  # fmt: skip
    return out


def choose(weights: Path, index: Path) -> dict[str, Any]:
    from evals.positions import MIN_PRECISION

    questions = _question_rows(weights)
    topics = _topic_rows(weights, index)
    answer = answer_threshold(questions)
    topic = topic_threshold(topics, MIN_PRECISION)
    return {
        "answer": round(answer, 6),
        "topic": round(topic, 6),
        "chosen_on": "dev splits of trust.jsonl, unseen.jsonl and positions.jsonl",
        "answer_rule": f"highest that declines at most {MAX_DECLINED:.0%} of answerable dev "
        "questions",
        "topic_rule": f"highest whose 'not addressed' dev precision is >= {MIN_PRECISION}",
        "dev": {"questions": rates(questions, answer), "topics": rates(topics, topic)},
    }


def main(argv: list[str] | None = None) -> int:
    from assistant.core.settings import apply_privacy_defaults
    from evals.run import WORK

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weights", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--positions-index", type=Path, default=WORK / "index-corpus")
    args = parser.parse_args(argv)
    apply_privacy_defaults()
    chosen = choose(args.weights.resolve(), args.positions_index.resolve())
    path = args.weights / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["thresholds"] = chosen
    path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(chosen, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
