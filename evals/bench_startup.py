"""Start-up and index-lifecycle figures for ``make bench``, measured on real processes.

* Process wall times of the real CLI and server (issue #26, fast start): an unchanged
  re-ingest (target <= 2 s), a cold ``jeugdakkoord search`` (<= 4 s), and ``jeugdakkoord
  chat`` from its start to its first answer on ``/api/ask`` (<= 15 s). Each is a fresh
  process, as a user starts it; the best of ``repeat`` runs (the machine may be shared).
* Generations (issue #29): a child process that lives like the chat server, re-indexing a
  changed corpus in-process and answering after each, reports its RSS, the index's size on
  disk, Chroma's index folders and its open files after every cycle; after 20 cycles they
  must be flat within 10% of the second cycle (the live generation and the one kept before).

``python -m evals.bench --startup`` runs only these.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Wat schrijven we op over preventie in de wijk?"
TARGETS = {"reingest_wall_s": 2.0, "cold_search_wall_s": 4.0, "chat_first_answer_s": 15.0}
CYCLES = 20


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cli(*args: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``jeugdakkoord ARGS`` in a fresh process (it must succeed);
    on a shared machine the CPU time says what the wall time would be on a quiet one."""
    t, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise RuntimeError(f"jeugdakkoord {' '.join(args)} failed: {done.stderr[-2000:]}")
    return seconds, _children_cpu() - cpu


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def chat_first_answer(env: dict[str, str], timeout: float = 300.0) -> tuple[float, float]:
    """Seconds from starting ``jeugdakkoord chat`` to its first answer on ``/api/ask``, and
    the server's CPU seconds until then."""
    port = _free_port()
    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "chat", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    body = json.dumps({"question": QUESTION}).encode()
    try:
        while time.perf_counter() - t < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"jeugdakkoord chat exited with {proc.returncode}")
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/ask",
                data=body,
                headers={"Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    json.loads(response.read())
                    return time.perf_counter() - t, _process_cpu(proc.pid)
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("jeugdakkoord chat did not answer in time")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _seed_cache(index: Path) -> None:
    """Reuse ``var/index``'s embeddings when there are some (only time is saved)."""
    cache = ROOT / "var" / "index" / "embeddings.sqlite"
    if cache.exists():
        index.mkdir(parents=True, exist_ok=True)
        shutil.copy(cache, index / "embeddings.sqlite")


def process_times(corpus_dirs: list[Path], repeat: int = 2) -> dict[str, Any]:
    """The three start-up wall times on an index of ``corpus_dirs`` (built here first)."""
    work = Path(tempfile.mkdtemp(prefix="jeugdakkoord-startup-"))
    try:
        index = work / "index"
        _seed_cache(index)
        env = {
            **os.environ,
            "JEUGDAKKOORD_INDEX": str(index),
            "JEUGDAKKOORD_CORPUS": os.pathsep.join(str(c) for c in corpus_dirs),
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        _cli("ingest", env=env)  # builds the index (not timed)
        runs = range(max(repeat, 1))
        figures: dict[str, Any] = {}
        measures: list[tuple[str, Callable[[], tuple[float, float]]]] = [
            ("reingest", lambda: _cli("ingest", env=env)),
            ("cold_search", lambda: _cli("search", QUESTION, "--json", env=env)),
            ("chat_first_answer", lambda: chat_first_answer(env)),
        ]
        for name, measure in measures:
            wall, cpu = min(measure() for _ in runs)
            wall_key = f"{name}_s" if name == "chat_first_answer" else f"{name}_wall_s"
            figures[wall_key] = round(wall, 2)
            figures[f"{name}_cpu_s"] = round(cpu, 2)
        figures["startup_load_avg"] = round(os.getloadavg()[0], 1)
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- generations --------------------------------------------------------------------------


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
    return round(int(line.split()[1]) / 1024, 1)


def _open_files(under: Path) -> int:
    n = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            n += os.readlink(f"/proc/self/fd/{fd}").startswith(str(under))
        except OSError:
            continue
    return n


def _index_state(index: Path) -> tuple[float, int]:
    """MB on disk (without the embedding cache, which only grows with new texts) and the
    number of Chroma index folders."""
    files = [p for p in index.rglob("*") if p.is_file() and "embeddings" not in p.name]
    folders = {p.parent for p in index.rglob("data_level0.bin")}
    return round(sum(p.stat().st_size for p in files) / 1e6, 2), len(folders)


def generation_cycles(corpus_dirs: list[Path], cycles: int = CYCLES) -> list[dict[str, Any]]:
    """In this process, like the chat server: ingest, answer, and change one file, ``cycles``
    times; the figures after each cycle."""
    import gc

    from assistant.answering.answer import Assistant
    from assistant.core.settings import Settings
    from ingest.pipeline import ingest

    work = Path(tempfile.mkdtemp(prefix="jeugdakkoord-generations-"))
    try:
        corpus = work / "corpus"
        for folder in corpus_dirs:
            shutil.copytree(folder, corpus, dirs_exist_ok=True)
        index = (work / "index").resolve()
        _seed_cache(index)
        settings = Settings(corpus_dirs=(corpus,), index_dir=index)
        ingest(settings)
        assistant = Assistant(settings)
        changing = corpus / "bench-changing.txt"
        rows = []
        for cycle in range(1, cycles + 1):
            changing.write_text(
                f"Ronde {cycle:02d}\n\nIn ronde {cycle:02d} investeren wij in extra "
                "jongerenwerkers in elke wijk.\n",
                encoding="utf-8",
            )
            summary = ingest(settings)
            assistant.ask(QUESTION)
            gc.collect()
            disk, folders = _index_state(index)
            rows.append(
                {
                    "cycle": cycle,
                    "generation": summary.generation,
                    "rss_mb": _rss_mb(),
                    "disk_mb": disk,
                    "chroma_folders": folders,
                    "open_files": _open_files(index),
                }
            )
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


def generations(corpus_dirs: list[Path], cycles: int = CYCLES) -> dict[str, Any]:
    """:func:`generation_cycles` in a child process (its RSS is the server's alone)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "evals.bench_startup",
                "--generations-child",
                out.name,
                "--cycles",
                str(cycles),
                *(str(c) for c in corpus_dirs),
            ],
            check=True,
            cwd=ROOT,
            timeout=3600,
        )
        rows: list[dict[str, Any]] = json.loads(Path(out.name).read_text(encoding="utf-8"))
    base, last = rows[min(1, len(rows) - 1)], rows[-1]

    def growth(key: str) -> float:
        return round(last[key] / base[key] - 1, 3) if base[key] else 0.0

    return {
        "generation_cycles": len(rows),
        "gen_rss_mb": f"{base['rss_mb']} -> {last['rss_mb']}",
        "gen_disk_mb": f"{base['disk_mb']} -> {last['disk_mb']}",
        "gen_chroma_folders": f"{base['chroma_folders']} -> {last['chroma_folders']}",
        "gen_open_files": f"{base['open_files']} -> {last['open_files']}",
        "gen_rss_growth": growth("rss_mb"),
        "gen_disk_growth": growth("disk_mb"),
        "gen_flat": all(
            last[k] <= base[k] * 1.1 for k in ("rss_mb", "disk_mb", "chroma_folders", "open_files")
        ),
        "generation_rows": rows,
    }


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="*", type=Path)
    parser.add_argument("--generations-child", type=Path)
    parser.add_argument("--cycles", type=int, default=CYCLES)
    args = parser.parse_args(argv)
    corpus = args.corpus or [ROOT / "corpus"]
    if args.generations_child:
        rows = generation_cycles(corpus, args.cycles)
        args.generations_child.write_text(json.dumps(rows), encoding="utf-8")


if __name__ == "__main__":
    main()
