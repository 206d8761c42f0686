"""The relevance model's cost, side by side with the reranker off (issue #24):
``python -m evals.bench --relevance`` (part of every ``make bench``).

On one index of the corpus, each in a fresh process so load time and memory are its own:
search and ask p50/p95 over the evaluation questions, the model's load time, the process RSS
after the run, and one 2,000-character question (cut to the model's window). Targets: ask p95
<= 600 ms with the model, search p95 unchanged with it off, load <= 3 s, RSS growth <= 300 MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from evals.metrics import percentile

TARGETS = {
    "relevance_ask_p95_ms": 600.0,
    "relevance_load_s": 3.0,
    "relevance_rss_growth_mb": 300.0,
}
#: The long question: a pasted paragraph, far past the model's window.
LONG_QUESTION = (
    "Wat moeten we in het coalitieakkoord opnemen over marktwerking en "
    "aanbesteden in de jeugdzorg, gegeven alles wat hieronder staat? "
) * 16


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(index_dir: Path, corpus: list[Path], reranker: str, repeat: int) -> dict[str, Any]:
    """One configuration's figures (run in its own process by :func:`relevance_slice`)."""
    from assistant.answering.answer import Assistant
    from assistant.core.settings import Settings
    from assistant.providers.rerankers import get_reranker
    from assistant.retrieval.retriever import Retriever
    from evals.dataset import load_questions

    settings = Settings(corpus_dirs=tuple(corpus), index_dir=index_dir, reranker="none")
    retriever = Retriever(settings)
    questions = [q.question for q in load_questions()]
    retriever.search(questions[0])  # the embedder and the index loaded
    base_rss = _rss_mb()
    t0 = time.perf_counter()
    model = get_reranker(reranker)
    load_s = time.perf_counter() - t0
    retriever = Retriever(settings.with_(reranker=reranker), retriever.embedder, model)
    assistant = Assistant(settings.with_(reranker=reranker), retriever)
    assistant.ask(questions[0])
    search_ms: list[float] = []
    ask_ms: list[float] = []
    for _ in range(repeat):
        for q in questions:
            t = time.perf_counter()
            retriever.search(q)
            search_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            assistant.ask(q)
            ask_ms.append((time.perf_counter() - t) * 1000)
    long = assistant.ask(LONG_QUESTION)
    return {
        "reranker": reranker,
        "queries": len(search_ms),
        "load_s": round(load_s, 3),
        "search_p50_ms": round(percentile(search_ms, 50), 1),
        "search_p95_ms": round(percentile(search_ms, 95), 1),
        "ask_p50_ms": round(percentile(ask_ms, 50), 1),
        "ask_p95_ms": round(percentile(ask_ms, 95), 1),
        "rss_growth_mb": round(_rss_mb() - base_rss, 1),
        "long_question_chars": len(LONG_QUESTION),
        "long_question_timings_ms": {k: round(v, 1) for k, v in long.timings_ms.items()},
    }


def relevance_slice(corpus: list[Path], repeat: int) -> dict[str, Any]:
    """Both configurations on one freshly built index, each in its own process."""
    from assistant.core.settings import Settings
    from ingest.pipeline import ingest

    with tempfile.TemporaryDirectory(prefix="jeugdakkoord-bench-relevance-") as work:
        index = Path(work) / "index"
        ingest(Settings(corpus_dirs=tuple(corpus), index_dir=index))
        runs: dict[str, dict[str, Any]] = {}
        for reranker in ("none", "relevance"):
            out = Path(work) / f"{reranker}.json"
            subprocess.run(
                [sys.executable, "-m", "evals.bench_relevance", str(index), reranker,
                 str(repeat), str(out), *map(str, corpus)],
                check=True,
            )  # fmt: skip
            runs[reranker] = json.loads(out.read_text(encoding="utf-8"))
    off, on = runs["none"], runs["relevance"]
    return {
        "relevance_search_p95_ms": on["search_p95_ms"],
        "relevance_off_search_p95_ms": off["search_p95_ms"],
        "relevance_ask_p95_ms": on["ask_p95_ms"],
        "relevance_off_ask_p95_ms": off["ask_p95_ms"],
        "relevance_load_s": on["load_s"],
        "relevance_rss_growth_mb": on["rss_growth_mb"],
        "relevance_runs": runs,
    }


if __name__ == "__main__":
    index_arg, reranker_arg, repeat_arg, out_arg, *corpus_args = sys.argv[1:]
    figures = measure(Path(index_arg), [Path(c) for c in corpus_args], reranker_arg,
                      int(repeat_arg))  # fmt: skip
    Path(out_arg).write_text(json.dumps(figures), encoding="utf-8")
