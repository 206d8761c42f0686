"""``make bench``: ingest throughput, re-ingest time, index size, query latency, memory.

Prints a table and writes ``evals/reports/bench.json``. Targets (issue tracker): unchanged
re-ingest <= 2 s, search p95 <= 100 ms, ask (extractive) p95 <= 300 ms, chat server RSS
<= 1.5 GB, topic matrix (default topics × all documents, index loaded) <= 5 s. With
``--laws N`` it also ingests N laws of the scale corpus (2,046 Dutch laws,
86 MB; ``../shared/scale-corpus/wetten-2015.tar.gz`` or ``--laws-dir``) and extrapolates the
time for the whole corpus from the bytes per second. ``--scanned-pages N`` (default 50) OCRs a
scanned PDF of N pages (:mod:`evals.bench_ocr`). ``--scale`` runs :mod:`evals.bench_scale`
instead: search and ask latency on an index of >= 100,000 chunks (``make bench-scale``).
Start-up wall times of real processes and 20 re-index cycles (:mod:`evals.bench_startup`)
are part of every run; ``--startup`` runs only them. So is the relevance model's cost beside the
reranker off (:mod:`evals.bench_relevance`); ``--relevance`` runs only that. And what learning
from 1,000 stored judgements costs an answer (:mod:`evals.bench_feedback`); ``--feedback`` runs
only that.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from assistant.core.settings import DEFAULT_EMBEDDER
from evals import bench_engines, bench_feedback, bench_relevance, bench_startup
from evals.bench_report import configuration, dir_size, report
from evals.dataset import load_questions
from evals.metrics import percentile

ROOT = Path(__file__).resolve().parent.parent
REPORTS = Path(__file__).resolve().parent / "reports"
TARGETS = {
    "reingest_s": 2.0,
    "search_p95_ms": 100.0,
    "distractors_search_p95_ms": 100.0,
    "ask_p95_ms": 300.0,
    "chat_rss_mb": 1536.0,
    "matrix_s": 5.0,
    **bench_startup.TARGETS,
    **bench_relevance.TARGETS,
    **bench_feedback.TARGETS,
    "gen_rss_growth": 0.1,
    "gen_disk_growth": 0.1,
}
#: The eval's distractor laws (Jeugdwet, Wmo, Participatiewet): search is also timed on the
#: corpus with them, the index size issue #18's search target names.
DISTRACTORS = ROOT / "evals" / "distractors"
SCALE_TARBALL = ROOT.parent / "shared" / "scale-corpus" / "wetten-2015.tar.gz"
#: The .md files of the scale corpus (2,046 laws): 46 MB of text, ~65,000 chunks.
SCALE_CORPUS_BYTES = 46.1e6


def run(
    corpus_dirs: list[Path], repeat: int = 2, embedder: str = DEFAULT_EMBEDDER, extras: bool = True
) -> dict[str, Any]:
    """``extras``: also the chat server's RSS and the topic matrix time (the configured
    engine's run; the side-by-side runs of the other engines skip them)."""
    from assistant.answering.answer import Assistant
    from assistant.core.settings import Settings
    from assistant.retrieval.retriever import Retriever
    from ingest.pipeline import ingest

    work = Path(tempfile.mkdtemp(prefix="jeugdakkoord-bench-"))
    try:
        settings = Settings(
            corpus_dirs=tuple(corpus_dirs), index_dir=work / "index", embedder=embedder
        )
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
        matrix = matrix_timing(retriever, repeat) if extras else {}
        with_distractors = distractor_search(settings, questions, repeat)
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
            "index_mb": round(dir_size(settings.index_dir) / 1e6, 2),
            "queries": len(search_ms),
            "search_p50_ms": round(percentile(search_ms, 50), 1),
            "search_p95_ms": round(percentile(search_ms, 95), 1),
            "ask_p50_ms": round(percentile(ask_ms, 50), 1),
            "ask_p95_ms": round(percentile(ask_ms, 95), 1),
            **with_distractors,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            **({"chat_rss_mb": chat_server_rss(settings.index_dir, embedder)} if extras else {}),
            **matrix,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def distractor_search(settings: Any, questions: list[str], repeat: int) -> dict[str, Any]:
    """Search p50/p95 on an index of the corpus plus the distractor laws (the corpus's vectors
    come from ``settings``' embedding cache; the laws are embedded here)."""
    from assistant.retrieval.retriever import Retriever
    from ingest.pipeline import ingest

    if not DISTRACTORS.is_dir():
        return {}
    index = settings.index_dir.with_name("index-distractors")
    index.mkdir()
    shutil.copy(settings.index_dir / "embeddings.sqlite", index / "embeddings.sqlite")
    both = settings.with_(corpus_dirs=(*settings.corpus_dirs, DISTRACTORS), index_dir=index)
    summary = ingest(both)
    retriever = Retriever(both)
    retriever.search(questions[0])
    times: list[float] = []
    for _ in range(repeat):
        for q in questions:
            t = time.perf_counter()
            retriever.search(q)
            times.append((time.perf_counter() - t) * 1000)
    return {
        "distractors_chunks": summary.chunks,
        "distractors_search_p50_ms": round(percentile(times, 50), 1),
        "distractors_search_p95_ms": round(percentile(times, 95), 1),
    }


def matrix_timing(retriever: Any, repeat: int) -> dict[str, Any]:
    """Seconds for the topic matrix over the default topics × all documents, the index and
    models already loaded (the best of ``repeat`` runs: the issue's target is for one)."""
    from assistant.positions.compare import Positions, build_matrix

    positions = Positions(retriever)
    runs = []
    for _ in range(max(repeat, 1)):
        t = time.perf_counter()
        matrix = build_matrix(positions)
        runs.append(time.perf_counter() - t)
    return {
        "matrix_topics": len(matrix.comparisons),
        "matrix_documents": len(matrix.comparisons[0].positions) if matrix.comparisons else 0,
        "matrix_s": round(min(runs), 2),
    }


def chat_server_rss(index_dir: Path, embedder: str = "") -> float:
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
            *(["--embedder", embedder] if embedder else []),
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


def law_slice(
    n: int, laws_dir: Path | None, sentence_vectors: str = "auto", embedder: str = DEFAULT_EMBEDDER
) -> dict[str, Any]:
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
        size = dir_size(corpus)
        (corpus / "manifest.toml").write_text('[defaults]\ntype = "law"\n', encoding="utf-8")
        settings = Settings(
            corpus_dirs=(corpus,),
            index_dir=work / "index",
            sentence_vectors=sentence_vectors,
            embedder=embedder,
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


def engine_figures(
    engine: str,
    corpus: list[Path],
    repeat: int,
    laws: int,
    laws_dir: Path | None,
    sentence_vectors: str,
    extras: bool = False,
    embedding_only: bool = False,
) -> dict[str, Any]:
    """Everything for one engine, in this process (a child of bench_engines.compare, so that
    peak RSS is the engine's own); the load average at start and end."""
    import os

    start = os.getloadavg()[0]
    result = bench_engines.embedding_figures(engine)
    if not embedding_only:
        result.update(run(corpus, repeat=repeat, embedder=engine, extras=extras))
    if laws and not embedding_only:
        result.update(law_slice(laws, laws_dir, sentence_vectors, embedder=engine))
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["load_avg"] = f"{start:.1f}-{os.getloadavg()[0]:.1f}"
    return result


#: Kept in the JSON, left out of the table.
SKIP = {"corpus", "engines", "generation_rows", "relevance_runs"}


def startup(corpus: list[Path], repeat: int, cycles: int) -> dict[str, Any]:
    """Process wall times and the generation cycles (:mod:`evals.bench_startup`)."""
    return {
        **bench_startup.process_times(corpus, repeat),
        **bench_startup.generations(corpus, cycles),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", action="append", type=Path, help="default: corpus/")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", type=Path, default=REPORTS / "bench.json")
    parser.add_argument("--laws", type=int, default=0, help="also ingest N laws (scale corpus)")
    parser.add_argument("--laws-dir", type=Path, help="folder of law .md files")
    parser.add_argument(
        "--scanned-pages",
        type=int,
        default=50,
        help="also OCR-ingest a scanned PDF of N pages (evals.bench_ocr; 0: skip)",
    )
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
    parser.add_argument(
        "--engines",
        default=",".join(bench_engines.ENGINES),
        help="embedding engines measured side by side, each in its own process "
        "(the configured $JEUGDAKKOORD_EMBEDDER is always one; its figures are the report's)",
    )
    parser.add_argument(
        "--embedding-only",
        action="store_true",
        help="only the engines' tokens/s, query embedding time, load time and RSS (minutes, "
        "not the ingests and searches; for a busy machine)",
    )
    parser.add_argument(
        "--startup",
        action="store_true",
        help="only the process wall times (unchanged re-ingest, cold search, chat to first "
        "answer) and the re-index cycles; written to reports/bench-startup.json",
    )
    parser.add_argument(
        "--cycles", type=int, default=bench_startup.CYCLES, help="re-index cycles (--startup)"
    )
    parser.add_argument(
        "--relevance",
        action="store_true",
        help="only the relevance model's cost beside the reranker off; "
        "written to reports/bench-relevance.json",
    )
    parser.add_argument(
        "--feedback",
        action="store_true",
        help="only the cost of learning from 1,000 stored judgements; "
        "written to reports/bench-feedback.json",
    )
    parser.add_argument("--engine-child", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--extras", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus = args.corpus or [ROOT / "corpus"]
    if args.engine_child:
        figures = engine_figures(
            args.engine_child, corpus, args.repeat, args.laws, args.laws_dir,
            args.sentence_vectors, args.extras, args.embedding_only,
        )  # fmt: skip
        args.child_out.write_text(json.dumps(figures), encoding="utf-8")
        return
    if args.relevance:
        out = args.out if "--out" in sys.argv[1:] else REPORTS / "bench-relevance.json"
        report(bench_relevance.relevance_slice(corpus, args.repeat), TARGETS, out, skip=SKIP)
        return
    if args.feedback:
        out = args.out if "--out" in sys.argv[1:] else REPORTS / "bench-feedback.json"
        report(bench_feedback.feedback_slice(corpus, args.repeat), TARGETS, out, skip=SKIP)
        return
    if args.startup:
        out = args.out if "--out" in sys.argv[1:] else REPORTS / "bench-startup.json"
        report(startup(corpus, args.repeat, args.cycles), TARGETS, out, skip=SKIP)
        return
    configured = bench_engines.configured_engine()
    engines = [e for e in args.engines.split(",") if e]
    engines = [configured, *(e for e in engines if e != configured)]
    figures = bench_engines.compare(
        engines, corpus, args.repeat, args.laws, args.laws_dir, args.sentence_vectors,
        args.embedding_only,
    )  # fmt: skip
    result = {"engine": configured, **figures[configured], "engines": figures}
    if args.scanned_pages and not args.embedding_only:
        from evals.bench_ocr import scanned_slice

        result.update(scanned_slice(args.scanned_pages))
    if not args.embedding_only:
        result.update(startup(corpus, args.repeat, args.cycles))
        result.update(bench_relevance.relevance_slice(corpus, args.repeat))
        result.update(bench_feedback.feedback_slice(corpus, args.repeat))
    report(result, TARGETS, args.out, skip=SKIP)
    bench_engines.print_side_by_side(figures)


if __name__ == "__main__":
    main()
