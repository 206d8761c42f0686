"""``make bench``: ingest throughput, re-ingest time, index size, query latency, memory.

Prints a table and writes ``evals/reports/bench.json``. Targets (issue tracker): unchanged
re-ingest <= 2 s, search p95 <= 100 ms, ask (extractive) p95 <= 300 ms, chat server RSS
<= 1.5 GB. With ``--laws N`` it also ingests N laws of the scale corpus (2,046 Dutch laws,
86 MB; ``../shared/scale-corpus/wetten-2015.tar.gz`` or ``--laws-dir``) and extrapolates the
time for the whole corpus from the bytes per second. ``--scale`` runs :mod:`evals.bench_scale`
instead: search and ask latency on an index of >= 100,000 chunks (``make bench-scale``).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Collection
from pathlib import Path
from typing import Any

from evals.dataset import load_questions
from evals.metrics import percentile

ROOT = Path(__file__).resolve().parent.parent
REPORTS = Path(__file__).resolve().parent / "reports"
TARGETS = {
    "reingest_s": 2.0,
    "search_p95_ms": 100.0,
    "ask_p95_ms": 300.0,
    "chat_rss_mb": 1536.0,
}
SCALE_TARBALL = ROOT.parent / "shared" / "scale-corpus" / "wetten-2015.tar.gz"
#: The .md files of the scale corpus (2,046 laws): 46 MB of text, ~65,000 chunks.
SCALE_CORPUS_BYTES = 46.1e6


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run(corpus_dirs: list[Path], repeat: int = 2) -> dict[str, Any]:
    from assistant.answering.answer import Assistant
    from assistant.core.settings import Settings
    from assistant.retrieval.retriever import Retriever
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
            **configuration(settings),
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
            "chat_rss_mb": chat_server_rss(settings.index_dir),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def chat_server_rss(index_dir: Path) -> float:
    """Peak RSS (MB) of ``jeugdakkoord chat`` once it serves its page (models loaded)."""
    import os
    import socket
    import subprocess
    import sys
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "chat",
            "--port",
            str(port),
            "--index",
            str(index_dir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "JEUGDAKKOORD_INDEX": str(index_dir)},
    )
    try:
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
                break
            except OSError:
                time.sleep(1)
        status = Path(f"/proc/{proc.pid}/status").read_text()
        peak = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
        return round(int(peak.split()[1]) / 1024, 1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def law_slice(n: int, laws_dir: Path | None, sentence_vectors: str = "auto") -> dict[str, Any]:
    """Ingest ``n`` laws (labelled ``type = "law"``, as a folder of laws should be); bytes/s
    extrapolated to the whole scale corpus."""
    import tarfile

    from assistant.core.settings import Settings
    from ingest.pipeline import ingest

    if laws_dir is None and not SCALE_TARBALL.exists():
        return {"laws": f"skipped: {SCALE_TARBALL} not found (pass --laws-dir)"}
    work = Path(tempfile.mkdtemp(prefix="jeugdakkoord-laws-"))
    try:
        if laws_dir is None:
            with tarfile.open(SCALE_TARBALL) as tar:
                members = sorted(
                    (m for m in tar.getmembers() if m.name.endswith(".md")), key=lambda m: m.name
                )
                tar.extractall(
                    work / "src", members=members[:: max(1, len(members) // n)][:n], filter="data"
                )
            laws_dir = work / "src"
        corpus = work / "corpus"
        corpus.mkdir()
        for i, path in enumerate(sorted(laws_dir.rglob("*.md"))[:n]):
            shutil.copy(path, corpus / f"wet-{i:04d}.md")
        size = _dir_size(corpus)
        (corpus / "manifest.toml").write_text('[defaults]\ntype = "law"\n', encoding="utf-8")
        settings = Settings(
            corpus_dirs=(corpus,), index_dir=work / "index", sentence_vectors=sentence_vectors
        )
        t0 = time.perf_counter()
        summary = ingest(settings)
        seconds = time.perf_counter() - t0
        return {
            "laws": n,
            "laws_sentence_vectors": sentence_vectors,
            "laws_mb": round(size / 1e6, 2),
            "laws_chunks": summary.chunks,
            "laws_records_embedded": summary.embedded,
            "laws_ingest_s": round(seconds, 1),
            "laws_chunks_per_s": round(summary.chunks / seconds, 2),
            "laws_kb_per_s": round(size / 1e3 / seconds, 2),
            "full_scale_corpus_h": round(SCALE_CORPUS_BYTES / (size / seconds) / 3600, 1),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def configuration(settings: Any) -> dict[str, str]:
    """What the latencies depend on beyond the index: recorded so a report says what it timed."""
    return {"ensemble": settings.ensemble, "reranker": settings.reranker}


def report(
    result: dict[str, Any], targets: dict[str, float], out: Path, skip: Collection[str] = ()
) -> None:
    """Print the table (each metric against its target, if it has one) and write the JSON."""
    width = max(len(key) for key in result) + 2
    print(f"{'metric':<{width}} {'value':>12} {'target':>10}")
    for key, value in result.items():
        if key in skip:
            continue
        target = targets.get(key)
        flag = "" if target is None else ("ok" if float(value) <= target else "MISSED")
        print(f"{key:<{width}} {value!s:>12} {'' if target is None else target:>10} {flag}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"written to {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", action="append", type=Path, help="default: corpus/")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", type=Path, default=REPORTS / "bench.json")
    parser.add_argument("--laws", type=int, default=0, help="also ingest N laws (scale corpus)")
    parser.add_argument("--laws-dir", type=Path, help="folder of law .md files")
    parser.add_argument(
        "--sentence-vectors",
        default="auto",
        choices=("auto", "all", "none"),
        help="JEUGDAKKOORD_SENTENCE_VECTORS for the laws (auto: none, they are laws)",
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help="instead: latency on a >=100k-chunk index (evals.bench_scale; built once, cached)",
    )
    if "--scale" in sys.argv[1:]:  # its own flags (--repeat, --chunks ...): see evals.bench_scale
        from evals import bench_scale

        bench_scale.main([a for a in sys.argv[1:] if a != "--scale"])
        return
    args = parser.parse_args()
    result = run(args.corpus or [ROOT / "corpus"], repeat=args.repeat)
    if args.laws:
        result.update(law_slice(args.laws, args.laws_dir, args.sentence_vectors))
    report(result, TARGETS, args.out, skip={"corpus"})


if __name__ == "__main__":
    main()
