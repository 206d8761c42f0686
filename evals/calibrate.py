"""Calibrate the refusal thresholds on the dev split
(``assistant.answering.answer.REFUSAL_THRESHOLDS``).

For each language, prints for candidate base thresholds how many answerable questions would
be refused and how many unanswerable ones answered, on dev and on test, with the
out-of-domain margin (``OUT_OF_DOMAIN_MARGIN``) applied as in production. The chosen base
threshold is the highest that refuses at most 10% of the answerable dev questions: a
wrongly refused question costs a negotiator more than a weak answer with visible citations.
Run: ``python -m evals.calibrate [--index DIR]`` (default: the corpus index of ``make eval``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.answering.answerability import OUT_OF_DOMAIN_MARGIN, evidence_strength
from assistant.core.settings import Settings
from assistant.retrieval.glossary import matched_concepts
from assistant.retrieval.retriever import Retriever
from evals.dataset import load_questions

ROOT = Path(__file__).resolve().parent.parent
MAX_FALSE_REFUSALS = 0.10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "eval" / "index-corpus")
    args = parser.parse_args()
    retriever = Retriever(Settings(index_dir=args.index))
    # (split, answerable, strength minus the out-of-domain margin, language)
    rows = []
    for q in load_questions():
        strength = evidence_strength(retriever.search(q.question, k=8))
        margin = 0.0 if matched_concepts(q.question) else OUT_OF_DOMAIN_MARGIN
        rows.append((q.split, q.answerable, strength - margin, q.language))
    for lang in ("en", "nl"):
        sub = [r for r in rows if r[3] == lang]
        chosen = None
        print(
            f"\n[{lang}] threshold  dev: answerable refused  unanswerable answered  "
            f"test: answerable refused  unanswerable answered"
        )
        for t in sorted({round(r[2], 3) for r in sub}):
            cells = []
            for split in ("dev", "test"):
                ans = [s for sp, a, s, _ in sub if sp == split and a]
                una = [s for sp, a, s, _ in sub if sp == split and not a]
                cells += [
                    sum(s < t for s in ans) / max(len(ans), 1),
                    sum(s >= t for s in una) / max(len(una), 1),
                ]
            if cells[0] <= MAX_FALSE_REFUSALS:
                chosen = t
            print(
                f"[{lang}] {t:9.3f}  {cells[0]:23.2f} {cells[1]:22.2f} "
                f"{cells[2]:24.2f} {cells[3]:22.2f}"
            )
        print(
            f"[{lang}] chosen on dev (at most {MAX_FALSE_REFUSALS:.0%} answerable refused): "
            f"{chosen}"
        )


if __name__ == "__main__":
    main()
