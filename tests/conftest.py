"""Shared fixtures: the real corpus ingested once per session with the real embedder."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"


def _share_the_cores() -> None:
    """Under pytest-xdist, each worker (and the servers it starts) gets its share of the cores
    for torch's thread pool: two workers with a pool of two threads each on two cores spend a
    third of their time waiting for one another. Set before torch is imported."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers > 1:
        share = str(max(1, (os.cpu_count() or 1) // workers))
        for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, share)


_share_the_cores()

DEV_CACHE = ROOT / "var" / "index" / "embeddings.sqlite"
#: ``make eval``'s index of the corpus and the distractor laws (evals/run.py), when it exists.
EVAL_CACHE = ROOT / "var" / "eval" / "index-distractors" / "embeddings.sqlite"


def copy_embedding_cache(source: Path, index: Path) -> None:
    """Seed ``index`` with the embedding cache at ``source`` (an online, consistent copy).

    Entries are keyed by model and text, so a copied cache only saves embedding time; the
    vectors are the ones the model computes.
    """
    index.mkdir(parents=True, exist_ok=True)
    _backup(source, index / "embeddings.sqlite")


def _backup(source: Path, dest: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)  # consistent even with the source in WAL mode
    finally:
        src.close()
        dst.close()


def add_embedding_cache(source: Path, index: Path) -> None:
    """Add the vectors of the embedding cache at ``source`` to ``index``'s cache (the same
    keys hold the same vectors: a key is the model and the text)."""
    db = sqlite3.connect(f"file:{index / 'embeddings.sqlite'}", uri=True)
    try:
        db.execute("ATTACH DATABASE ? AS source", (f"file:{source}?mode=ro",))
        with db:
            db.execute("INSERT OR IGNORE INTO embeddings SELECT * FROM source.embeddings")
        db.execute("DETACH DATABASE source")
    finally:
        db.close()


@contextlib.contextmanager
def shared_embeddings(
    tmp_path_factory: pytest.TempPathFactory, name: str, index: Path
) -> Iterator[None]:
    """Around an ingest into ``index``: under pytest-xdist, the workers of one run share the
    vectors they compute for ``name``. The first worker embeds while the others wait for it;
    they start from its cache and embed nothing. A plain run does nothing here.
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        yield
        return
    run = tmp_path_factory.getbasetemp().parent  # one folder per run, shared by its workers
    shared = run / f"{name}-embeddings.sqlite"
    with (run / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if shared.exists():
            if (index / "embeddings.sqlite").exists():
                add_embedding_cache(shared, index)
            else:
                copy_embedding_cache(shared, index)
            fcntl.flock(lock, fcntl.LOCK_UN)  # seeded: ingest alongside the other workers
            yield
            return
        with _all_cores():  # the other workers wait for these vectors
            yield
        _backup(index / "embeddings.sqlite", shared.with_suffix(".part"))
        shared.with_suffix(".part").rename(shared)


@contextlib.contextmanager
def _all_cores() -> Iterator[None]:
    """Torch's thread pool on every core for the block (a worker has its share otherwise)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(os.cpu_count() or 1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


#: Fixtures that ingest the real corpus with the real embedder: a test that needs one is
#: ``slow`` and left out of ``make test-fast``.
CORPUS_FIXTURES = frozenset({"real_index"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that (directly or through another fixture) ingests the corpus."""
    for item in items:
        if CORPUS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The project's corpus, ingested into a temporary Chroma index (the default embedder).

    On a developer machine the embeddings of ``make run``'s index are reused (CI, on a fresh
    clone, embeds everything).
    """
    from ingest.pipeline import ingest

    base = tmp_path_factory.mktemp("real")
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(corpus_dirs=(corpus,), index_dir=base / "index")
    if DEV_CACHE.exists():
        copy_embedding_cache(DEV_CACHE, settings.index_dir)
    with shared_embeddings(tmp_path_factory, "corpus", settings.index_dir):
        summary = ingest(settings)
    assert summary.ok, summary.failed
    _copy_library(settings, base / PRISTINE)  # before any test can touch it
    yield settings


#: Where ``real_index`` keeps its corpus and index as ingested, for ``ingested_copy``.
PRISTINE = "pristine"


def _copy_library(settings: Settings, dest: Path) -> Settings:
    """Copy ``settings``' one corpus folder and its index folder to ``dest``/corpus and
    ``dest``/index. The index format holds no absolute paths (files are keyed relative to
    their corpus folder), so the copy is an index of the copied corpus."""
    corpus, index = dest / "corpus", dest / "index"
    shutil.copytree(settings.corpus_dirs[0], corpus)
    skip = shutil.ignore_patterns("embeddings.sqlite*", "ingest.lock")
    shutil.copytree(settings.index_dir, index, ignore=skip)
    copy_embedding_cache(settings.index_dir / "embeddings.sqlite", index)
    return Settings(corpus_dirs=(corpus,), index_dir=index)


def ingested_copy(base: Path, real_index: Settings) -> Settings:
    """A corpus and index of the test's own in ``base``, as ``real_index`` was ingested: a
    test that changes its library leaves every other test's alone.

    Copied, not re-ingested: an ingest of the corpus reads the PDF again (~10 s, even with
    every vector cached) and gives the same index; ``real_index`` itself proves the ingest.
    """
    return _copy_library(
        Settings(
            corpus_dirs=(real_index.index_dir.parent / PRISTINE / "corpus",),
            index_dir=real_index.index_dir.parent / PRISTINE / "index",
        ),
        base,
    )


@pytest.fixture(scope="session")
def distractor_index(
    tmp_path_factory: pytest.TempPathFactory, real_index: Settings
) -> Iterator[Settings]:
    """The corpus with the three distractor laws (evals/distractors), in a temporary index;
    the corpus's vectors come from the session's real index (only the laws are embedded, and
    not even they on a developer machine after ``make eval``)."""
    from ingest.pipeline import ingest

    base = tmp_path_factory.mktemp("distractors")
    corpus, laws = base / "corpus", base / "distractors"
    shutil.copytree(CORPUS, corpus)
    shutil.copytree(ROOT / "evals" / "distractors", laws)
    settings = Settings(corpus_dirs=(corpus, laws), index_dir=base / "index")
    copy_embedding_cache(real_index.index_dir / "embeddings.sqlite", settings.index_dir)
    if EVAL_CACHE.exists():
        add_embedding_cache(EVAL_CACHE, settings.index_dir)
    with shared_embeddings(tmp_path_factory, "distractors", settings.index_dir):
        summary = ingest(settings)
    assert summary.ok, summary.failed
    yield settings


@pytest.fixture(scope="session")
def retriever(real_index: Settings):  # type: ignore[no-untyped-def]
    from assistant.retrieval.retriever import Retriever

    return Retriever(real_index)


@pytest.fixture
def live_index(real_index: Settings, tmp_path: Path) -> Settings:
    """A private copy of the real corpus and index (see ``ingested_copy``), so that changing
    its corpus leaves the session's index alone."""
    return ingested_copy(tmp_path / "library", real_index)


def small_corpus(folder: Path) -> Path:
    """A two-document corpus that ingests in a second or two."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(
        "Preventie\n\nWij investeren in preventie en voorzieningen in de wijk, zodat minder "
        "kinderen zware jeugdzorg nodig hebben.\n",
        encoding="utf-8",
    )
    (folder / "b.md").write_text(
        "# Onderwijs\n\nScholen en lokale teams werken samen zodat leerlingen op tijd hulp "
        "krijgen en hun schoolloopbaan niet wordt onderbroken.\n",
        encoding="utf-8",
    )
    return folder


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``jeugdakkoord ARGS...`` as a user would, in a fresh process whose stdout and
    stderr are pipes (not a terminal); ``env`` adds or overrides environment variables."""
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env} if env else None,
    )


def call_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``jeugdakkoord ARGS...`` through ``assistant.cli.main`` in this process, with the
    result ``run_cli`` gives: exit status, stdout and stderr (captured, not a terminal).

    The same parser, commands, messages and exit codes, without a new interpreter's imports
    and model loads (3-5 s a call). ``env`` is set for the call only. Each command family
    keeps tests through ``run_cli``, which prove the real process: ``python -m``, exit
    status, pipes.
    """
    from assistant.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = {name: os.environ.get(name) for name in env}
    cwd = os.getcwd()
    os.environ.update(env)
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        os.chdir(cwd)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return subprocess.CompletedProcess(
        ["jeugdakkoord", *args], code, out.getvalue(), err.getvalue()
    )


def cli_json(
    *args: str, run: Callable[..., subprocess.CompletedProcess[str]] = run_cli
) -> list[dict[str, Any]]:
    """Run ``jeugdakkoord ARGS... --json`` (``run``: ``run_cli`` or ``call_cli``); it must
    succeed and print one JSON object a line."""
    out = run(*args, "--json")
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.strip().splitlines()]
