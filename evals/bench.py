"""``make bench``: ingest throughput, re-ingest time, index size, query latency, memory.

Prints a table and writes ``evals/reports/bench.json``. Targets (issue tracker): unchanged
re-ingest <= 2 s, search p95 <= 100 ms, ask (extractive) p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from evals.dataset import load_questions
from evals.metrics import percentile

ROOT = Path(__file__).resolve().parent.parent
REPORTS = Path(__file__).resolve().parent / "reports"
TARGETS = {"reingest_s": 2.0, "search_p95_ms": 100.0, "ask_p95_ms": 300.0}


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run(corpus_dirs: list[Path], repeat: int = 2) -> dict[str, Any]:
    from assistant.answer import Assistant
    from assistant.retrieve import Retriever
    from assistant.settings import Settings
    from ingest.pipeline import ingest

    work = Path(tempfile.mkdtemp(prefix="jeugdakkoord-bench-"))
    try:
        settings = Settings(corpus_dirs=tuple(corpus_dirs), index_dir=work / "index")
        t0 = time.perf_counter()
        first = ingest(settings)
        ingest_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = ingest(settings)
        reingest_s = time.perf_counter() - t0
        assert again.up_to_date

        retriever = Retriever(settings)
        assistant = Assistant(settings, retriever)
        questions = [q.question for q in load_questions()]
        retriever.search(questions[0])  # warm-up: model and index load
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
        return {
            "corpus": [str(p) for p in corpus_dirs],
            "files": first.files,
            "pages": first.pages,
            "chunks": first.chunks,
            "passages_embedded": first.embedded,
            "ingest_s": round(ingest_s, 2),
            "pages_per_s": round(first.pages / ingest_s, 2),
            "chunks_per_s": round(first.chunks / ingest_s, 2),
            "reingest_s": round(reingest_s, 3),
            "index_mb": round(_dir_size(settings.index_dir) / 1e6, 2),
            "queries": len(search_ms),
            "search_p50_ms": round(percentile(search_ms, 50), 1),
            "search_p95_ms": round(percentile(search_ms, 95), 1),
            "ask_p50_ms": round(percentile(ask_ms, 50), 1),
            "ask_p95_ms": round(percentile(ask_ms, 95), 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", action="append", type=Path, help="default: corpus/")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", type=Path, default=REPORTS / "bench.json")
    args = parser.parse_args()
    result = run(args.corpus or [ROOT / "corpus"], repeat=args.repeat)
    print(f"{'metric':<20} {'value':>12} {'target':>10}")
    for key, value in result.items():
        if key == "corpus":
            continue
        target = TARGETS.get(key)
        flag = "" if target is None else ("ok" if float(value) <= target else "MISSED")
        print(f"{key:<20} {value!s:>12} {'' if target is None else target:>10} {flag}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
