"""Make the relevance pairs: ``python -m evals.relevance.build --out var/relevance/pairs``.

Writes ``train.jsonl`` and ``dev.jsonl`` (one pair a line, its generator marked) and
``stats.json`` (pairs per split, generator and label; the recipe and seed). Documents are split
first, so every generator, near miss and mined negative of a document stays in its split.
``--feedback FILE`` adds the users' judgements (``jeugdakkoord feedback export --jsonl``) as
pairs of generator ``feedback:*``, each in its document's split (:mod:`evals.relevance.feedback`).
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

from evals.relevance import generators as g
from evals.relevance.feedback import feedback_pairs, index_chunks
from evals.relevance.mining import hard_negatives
from evals.relevance.sources import (
    LAWS_TARBALL,
    Document,
    Passage,
    imported_documents,
    law_documents,
    own_documents,
)
from evals.relevance.split import DEV_FRACTION, split_of

SPLITS = ("train", "dev")


def split_documents(
    docs: Iterable[Document], seed: int, dev_fraction: float = DEV_FRACTION
) -> dict[str, list[Document]]:
    out: dict[str, list[Document]] = {s: [] for s in SPLITS}
    for doc in docs:
        if doc.passages:
            out[split_of(doc.doc_id, seed, dev_fraction)].append(doc)
    return out


def _common_titles(docs: Sequence[Document], min_docs: int = 3) -> set[str]:
    """Titles found in several documents ("Vrijstellingen"): no query for one passage."""
    count: Counter[str] = Counter()
    for doc in docs:
        count.update({t.lower() for p in doc.passages for t in (p.title, p.section) if t})
    return {t for t, n in count.items() if n >= min_docs}


def pairs_for(
    docs: Sequence[Document], common_titles: set[str], rarity: g.Rarity, seed: int, per_doc: int
) -> list[g.Pair]:
    """Every generator over ``docs`` (one split), at most ``per_doc`` passages a document.
    ``rarity`` counts words over all documents (statistics, no labels)."""
    rng = random.Random(seed)
    passages: list[Passage] = []
    for doc in docs:
        chosen = list(doc.passages)
        if len(chosen) > per_doc:
            chosen = sorted(rng.sample(chosen, per_doc), key=lambda p: p.passage_id)
        passages.extend(chosen)
    headings = g.heading_pairs(passages, common_titles)
    cloze = g.cloze_pairs(passages, rarity, rng)
    templates = g.template_pairs(passages, rarity, rng)
    quantity = g.quantity_pairs(passages, rarity, rng)
    pool = sorted({t for p in rng.sample(passages, min(3000, len(passages)))
                   for t in rarity.terms(p.text, k=1)})  # fmt: skip
    quantity_pos = [p for p in quantity if p.label == 1]
    near = g.near_miss_pairs([*headings, *templates, *quantity_pos], pool, rng)
    hard = hard_negatives([*headings, *cloze, *templates], passages, rng)
    return [*headings, *cloze, *templates, *quantity, *near, *hard]


def stats(pairs: dict[str, list[g.Pair]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for split, items in pairs.items():
        by = Counter(f"{p.generator.split(':')[0]}/{'pos' if p.label else 'neg'}" for p in items)
        out[split] = {
            "pairs": len(items),
            "documents": len({p.doc_id for p in items}),
            "by_generator": dict(sorted(by.items())),
            "english": sum(p.lang == "en" for p in items),
        }
    return out


def build(
    docs: Iterable[Document], seed: int, dev_fraction: float, per_doc: int
) -> tuple[dict[str, list[g.Pair]], dict[str, list[str]]]:
    """The pairs of each split and each split's document ids."""
    split = split_documents(docs, seed, dev_fraction)
    every = list(chain.from_iterable(split.values()))
    common = _common_titles(every)
    rarity = g.Rarity(p for d in every for p in d.passages)
    pairs = {
        s: pairs_for(split[s], common, rarity, seed + i, per_doc) for i, s in enumerate(SPLITS)
    }
    return pairs, {s: [d.doc_id for d in split[s]] for s in SPLITS}


def write(out: Path, pairs: dict[str, list[g.Pair]], doc_ids: dict[str, list[str]],
          recipe: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    for split, items in pairs.items():
        with (out / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for p in items:
                fh.write(json.dumps(p.to_json(), ensure_ascii=False) + "\n")
    summary = {"recipe": recipe, "stats": stats(pairs), "documents": doc_ids}
    (out / "stats.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("var/relevance/pairs"))
    parser.add_argument("--tarball", type=Path, default=LAWS_TARBALL)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--dev-fraction", type=float, default=DEV_FRACTION)
    parser.add_argument("--per-doc", type=int, default=12, help="passages per document at most")
    parser.add_argument("--max-docs", type=int, default=0, help="first N laws only (0: all)")
    parser.add_argument(
        "--imported",
        action="store_true",
        help="also the policy texts imported under documents/<source>/ (not in the shipped "
        "recipe: trained on, they lowered the dev answers; docs/engine.md)",
    )
    parser.add_argument(
        "--feedback", type=Path, help="users' judgements (feedback export --jsonl) as pairs"
    )
    parser.add_argument(
        "--index", type=Path, default=Path("var/index"), help="where --feedback's passages are"
    )
    args = parser.parse_args(argv)
    docs = [
        *law_documents(args.tarball, limit=args.max_docs),
        *own_documents(),
        *(imported_documents() if args.imported else ()),
    ]
    pairs, ids = build(docs, args.seed, args.dev_fraction, args.per_doc)
    if args.feedback:
        extra = feedback_pairs(
            args.feedback, index_chunks(args.index), args.seed, args.dev_fraction
        )
        for split, items in extra.items():
            pairs[split].extend(items)
            ids[split].extend(sorted({p.doc_id for p in items} - set(ids[split])))
    recipe = {
        "sources": [str(args.tarball.name), "evals/relevance/documents"],
        "excluded": "evals/distractors, corpus/, evals/unseen*/ (by id, title and text)",
        "generators": ["heading", "cloze", "template", "quantity", "near_miss", "bm25"],
        "seed": args.seed,
        "dev_fraction": args.dev_fraction,
        "per_doc": args.per_doc,
        "max_docs": args.max_docs,
        "documents_read": len(docs),
        "imported": args.imported,
        "feedback": str(args.feedback) if args.feedback else "",
    }
    summary = write(args.out, pairs, ids, recipe)
    print(json.dumps(summary["stats"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
